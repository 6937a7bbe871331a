package io.huitong.hub.files;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Real files of the kinds the type check tells apart, written by the JDK's own image and zip writers. */
public final class SampleFiles {
  private SampleFiles() {
  }

  /** A 4x4 image in {@code format}, as ImageIO writes it: png, jpeg, gif, bmp or tiff. */
  public static byte[] image(String format) {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 2, 0xC0FFEE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("ImageIO writes no " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A one-page PDF 1.7 with no content. */
  public static byte[] pdf() {
    return ("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        + "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
        + "trailer\n<< /Root 1 0 R >>\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A zip archive (deflated, sizes in data descriptors, as streaming writers leave them) of these entries. */
  public static byte[] zip(String... entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String entry : entries) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><entry name=\"" + entry + "\"/>").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An OFD document (GB/T 33190): a zip with OFD.xml at its root. */
  public static byte[] ofd() {
    return zip("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml");
  }

  /** A Word document: a zip whose parts are under word/. */
  public static byte[] docx() {
    return zip("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels");
  }
}
