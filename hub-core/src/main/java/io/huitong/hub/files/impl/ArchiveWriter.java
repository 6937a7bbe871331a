package io.huitong.hub.files.impl;

import io.huitong.crypto.Sm3;
import io.huitong.hub.files.ExportJob;
import io.huitong.hub.files.Material;
import io.huitong.hub.files.UploadStore;
import io.huitong.hub.files.impl.MaterialTable.Filter;
import io.huitong.hub.files.impl.MaterialTable.Stored;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an export's ZIP archive to a file, on a worker thread: {@code manifest.json} first (the export and, for every
 * material, its metadata, file SM3 and seal), then each material's file as {@code files/<material id>}, streamed from
 * the upload store. Materials are read from the database a page at a time and files through a bounded stream, so
 * memory stays small whatever the archive's size. Blocking.
 */
final class ArchiveWriter {
  static final String MANIFEST = "manifest.json";
  static final String FORMAT = "huitong-material-export/1";
  private static final int PAGE = 100;
  private static final Duration STEP_LIMIT = Duration.ofMinutes(1);

  private final Context context;
  private final UploadStore store;
  private final MaterialTable materials;

  ArchiveWriter(Context context, UploadStore store, MaterialTable materials) {
    this.context = context;
    this.materials = materials;
    this.store = store;
  }

  /**
   * What was written.
   *
   * @param materials how many materials the archive holds
   * @param size      its length in bytes
   * @param sm3       its SM3
   */
  record Archive(int materials, long size, byte[] sm3) {
  }

  /** The archive of {@code job}'s materials, registered up to now, into {@code file}; stops when {@code cancelled}. */
  Archive write(ExportJob job, Path file, BooleanSupplier cancelled) throws IOException {
    Filter filter = new Filter(null, null, job.department(), job.from(), job.to());
    long upTo = materials.last(filter).await().atMost(STEP_LIMIT);
    int count = 0;
    DigestingOutputStream digesting = new DigestingOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    try (ZipOutputStream zip = new ZipOutputStream(digesting, StandardCharsets.UTF_8)) {
      zip.putNextEntry(new ZipEntry(MANIFEST));
      JsonObject header = new JsonObject().put("format", FORMAT).put("exportId", job.id())
          .put("department", job.department()).put("issuedFrom", text(job.from())).put("issuedTo", text(job.to()))
          .put("createdAt", job.createdAt().toString());
      String head = header.encode();
      zip.write((head.substring(0, head.length() - 1) + ",\"materials\":[").getBytes(StandardCharsets.UTF_8));
      for (List<Stored> page = page(filter, 0, upTo); !page.isEmpty(); page = page(filter, last(page), upTo)) {
        for (Stored s : page) {
          JsonObject entry = s.material().toJson().put("entry", entryName(s.material()));
          zip.write(((count++ == 0 ? "" : ",") + entry.encode()).getBytes(StandardCharsets.UTF_8));
        }
        stopIf(cancelled);
      }
      zip.write(("],\"count\":" + count + "}").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      for (List<Stored> page = page(filter, 0, upTo); !page.isEmpty(); page = page(filter, last(page), upTo)) {
        for (Stored s : page) {
          Material m = s.material();
          zip.putNextEntry(new ZipEntry(entryName(m)));
          try (InputStream in = StoreInputStream.open(context, store, m.uploadId(), m.fileSize())) {
            if (in.transferTo(zip) != m.fileSize()) {
              throw new IOException("upload " + m.uploadId() + " of material " + m.id() + " is shorter than recorded");
            }
          }
          zip.closeEntry();
          stopIf(cancelled);
        }
      }
    }
    return new Archive(count, digesting.count, digesting.sm3.finish());
  }

  private List<Stored> page(Filter filter, long after, long upTo) {
    return materials.select(filter, after, upTo, PAGE).await().atMost(STEP_LIMIT);
  }

  private static long last(List<Stored> page) {
    return page.get(page.size() - 1).seq();
  }

  static String entryName(Material m) {
    return "files/" + m.id();
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  private static void stopIf(BooleanSupplier cancelled) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("the export was stopped");
    }
  }

  /** Counts and digests what passes through to the file. */
  private static final class DigestingOutputStream extends FilterOutputStream {
    private final Sm3 sm3 = Sm3.newHash();
    private long count;

    DigestingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      sm3.update(new byte[] {(byte) b});
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      sm3.update(b, off, len);
      count += len;
    }
  }
}
