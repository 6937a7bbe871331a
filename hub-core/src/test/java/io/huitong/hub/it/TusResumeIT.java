package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huitong.hub.Eventually;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusURLStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume a user relies on (断点续传) across a crash of the hub itself: tus-java-client uploads 200 MiB to a hub
 * process, the process is killed (SIGKILL) while a PATCH is streaming and started again on the same data directory,
 * and a new client with the same URL store resumes from what the hub acknowledged. The stored file must be the
 * original to the byte: its recorded SM3 (the download's ETag) and the download itself hash like the original.
 */
class TusResumeIT {
  private static final long LENGTH = 200L * 1024 * 1024;
  private static final long KILL_PAST = 60L * 1024 * 1024;
  private static final int CHUNK = 1024 * 1024;
  private static final int PAYLOAD = 4 * 1024 * 1024;
  private static final Duration READY_LIMIT = Duration.ofSeconds(90);
  private static final Duration UPLOAD_LIMIT = Duration.ofMinutes(3);

  @Test
  void anUploadCutByAHubCrashResumesOnTheRestartedHub(@TempDir Path dir) throws Exception {
    long began = System.nanoTime();
    SampleFile file = SampleFile.write(dir.resolve("original.bin"), LENGTH, 7);
    HubProcess hub = HubProcess.embedded(dir.resolve("hub"), "tus-resume");
    // Resuming is under test here, not upload grants (FilesIT): the client sends none.
    hub.env.put("HUB_FILES_ACCESS", "open");
    HubProcess restarted = hub.again();
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Duration firstStart = hub.start().awaitReady(READY_LIMIT);
      TusURLStore urls = new TusURLMemoryStore();
      TusUploader first = uploader(client(hub, urls).createUpload(new TusUpload(file.path().toFile())));
      String path = first.getUploadURL().getPath();
      Future<?> upload = background.submit(() -> uploadRest(first));

      long[] acknowledged = {0};
      Eventually.holds("the hub acknowledged more than " + KILL_PAST + " bytes", UPLOAD_LIMIT, () -> {
        if (upload.isDone()) {
          throw new AssertionError("the upload ended before the hub was killed", failure(upload));
        }
        acknowledged[0] = SampleFile.offset(hub, path);
        return acknowledged[0] > KILL_PAST;
      });
      hub.kill();
      // At once: the killed hub's PostgreSQL lives on until a hub started on the same data directory stops it.
      restarted.start();
      // The client was cut mid-request: the crash, not the client, ended this part of the upload.
      ExecutionException cut = assertThrows(ExecutionException.class, () -> upload.get(1, TimeUnit.MINUTES));
      assertInstanceOf(IOException.class, cut.getCause());

      Duration restart = restarted.awaitReady(READY_LIMIT);
      long kept = SampleFile.offset(restarted, path);
      assertTrue(kept >= acknowledged[0] && kept < LENGTH,
          "an acknowledged offset survives the crash: " + acknowledged[0] + " acknowledged, " + kept + " kept");
      TusUploader resumed = uploader(client(restarted, urls).resumeUpload(new TusUpload(file.path().toFile())));
      assertEquals(first.getUploadURL(), resumed.getUploadURL());
      assertEquals(kept, resumed.getOffset());
      long resumedAt = System.nanoTime();
      uploadRest(resumed);
      long uploaded = System.nanoTime();

      file.assertStoredBy(restarted, path);
      System.out.printf("tus resume: start %d ms, killed at %d MiB acknowledged (%d kept), restart %d ms,"
              + " rest uploaded in %d ms, checked in %d ms, %d ms in all%n", firstStart.toMillis(),
          acknowledged[0] >> 20, kept >> 20, restart.toMillis(), (uploaded - resumedAt) / 1_000_000,
          (System.nanoTime() - uploaded) / 1_000_000, (System.nanoTime() - began) / 1_000_000);
    } finally {
      background.shutdownNow();
      restarted.close();
      hub.close();
    }
  }

  private static TusClient client(HubProcess hub, TusURLStore urls) throws IOException {
    TusClient client = new TusClient();
    client.setUploadCreationURL(hub.uri("/files/").toURL());
    client.enableResuming(urls);
    return client;
  }

  /** Requests of a few MiB, so that the kill lands in one of many PATCHes rather than in the only one. */
  private static TusUploader uploader(TusUploader uploader) {
    uploader.setChunkSize(CHUNK);
    uploader.setRequestPayloadSize(PAYLOAD);
    return uploader;
  }

  private static Void uploadRest(TusUploader uploader) throws Exception {
    while (uploader.uploadChunk() > -1) {
      assertTrue(uploader.getOffset() <= LENGTH, "offset " + uploader.getOffset());
    }
    uploader.finish();
    return null;
  }

  private static Throwable failure(Future<?> done) {
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }
}
