package io.huitong.hub.files.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.huitong.hub.files.SampleFiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The magic-byte table on real files, whole and as short heads. */
class FileTypeTest {

  private static FileType whole(byte[] file) {
    return FileType.detect(file, true);
  }

  @Test
  void realFilesAreToldByTheirFirstBytes() {
    assertEquals(FileType.PNG, whole(SampleFiles.image("png")));
    assertEquals(FileType.JPEG, whole(SampleFiles.image("jpeg")));
    assertEquals(FileType.GIF, whole(SampleFiles.image("gif")));
    assertEquals(FileType.BMP, whole(SampleFiles.image("bmp")));
    assertEquals(FileType.TIFF, whole(SampleFiles.image("tiff")));
    assertEquals(FileType.PDF, whole(SampleFiles.pdf()));
    assertEquals(FileType.OFD, whole(SampleFiles.ofd()));
    assertEquals(FileType.DOCX, whole(SampleFiles.docx()));
    assertEquals(FileType.XLSX, whole(SampleFiles.zip("[Content_Types].xml", "xl/workbook.xml")));
    assertEquals(FileType.PPTX, whole(SampleFiles.zip("[Content_Types].xml", "ppt/presentation.xml")));
    assertEquals(FileType.ZIP, whole(SampleFiles.zip("readme.txt", "data/records.csv")));
    // RIFF, the chunk size, WEBP, then a VP8L chunk.
    byte[] webp = {'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 13, 0, 0, 0, 0x2F, 0, 0, 0, 0};
    assertEquals(FileType.WEBP, whole(webp));
  }

  @Test
  void contentThatIsNoneOfThemIsUnknown() {
    assertEquals(FileType.UNKNOWN, whole("hello world".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(FileType.UNKNOWN, whole("<html><body>%PDF-1.7</body></html>".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(FileType.UNKNOWN, whole(new byte[0]));
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    noise[0] = 0x00;
    assertEquals(FileType.UNKNOWN, whole(noise));
  }

  @Test
  void aHeadTooShortToTellWaitsForMoreUnlessTheFileEndsThere() {
    byte[] png = SampleFiles.image("png");
    assertNull(FileType.detect(Arrays.copyOf(png, 3), false), "3 bytes of a PNG signature could still be a PNG");
    assertEquals(FileType.UNKNOWN, FileType.detect(Arrays.copyOf(png, 3), true));
    assertEquals(FileType.PNG, FileType.detect(Arrays.copyOf(png, 8), false));
    assertEquals(FileType.UNKNOWN, FileType.detect("hel".getBytes(StandardCharsets.US_ASCII), false), "no signature starts so");
    byte[] ofd = SampleFiles.ofd();
    assertNull(FileType.detect(Arrays.copyOf(ofd, 20), false), "a zip whose first entry name is not there yet");
    assertEquals(FileType.OFD, FileType.detect(Arrays.copyOf(ofd, 40), false));
  }

  @Test
  void aZipWhoseTellingEntryIsPastTheHeadIsAZip() {
    byte[] filler = new byte[FileType.HEAD];
    new Random(3).nextBytes(filler);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("media/scan.bin"));
      zip.write(filler);
      zip.putNextEntry(new java.util.zip.ZipEntry("word/document.xml"));
      zip.closeEntry();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    byte[] head = Arrays.copyOf(out.toByteArray(), FileType.HEAD);
    assertEquals(FileType.ZIP, FileType.detect(head, true));
  }

  @Test
  void labelsAreTheConfigurationNames() {
    assertEquals(FileType.OFD, FileType.labelled("ofd"));
    assertNull(FileType.labelled("unknown"));
    assertNull(FileType.labelled("exe"));
  }
}
