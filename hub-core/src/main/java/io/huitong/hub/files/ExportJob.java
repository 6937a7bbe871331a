package io.huitong.hub.files;

import java.time.Instant;

/**
 * A bulk export (批量导出) of one issuing department's materials into a ZIP archive kept as a complete upload.
 *
 * @param id            32 hex digits
 * @param department    whose materials
 * @param from          issued at or after, or null
 * @param to            issued before, or null
 * @param state         where the job stands
 * @param attempts      how many times a member started it
 * @param materials     materials in the archive, once done
 * @param uploadId      the archive's upload, once done
 * @param archiveSize   its length, once done
 * @param archiveSm3    its SM3, once done
 * @param error         why it failed, or null
 */
public record ExportJob(String id, String department, Instant from, Instant to, State state, int attempts,
                        Integer materials, String uploadId, Long archiveSize, byte[] archiveSm3, String error,
                        Instant createdAt, Instant startedAt, Instant finishedAt) {

  public enum State {
    /** Waiting for a member to take it. */
    QUEUED,
    /** A member is building the archive. */
    RUNNING,
    /** The archive is complete and downloadable. */
    DONE,
    /** It failed for good; {@code error} says why. */
    FAILED
  }
}
