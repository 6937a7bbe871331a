package io.huitong.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The hub's data directory, held with an exclusive file lock for as long as the hub runs: two hubs on one data
 * directory would corrupt the embedded database and broker. The lock file names the holder's process id.
 */
public final class DataDirectory implements AutoCloseable {
  private static final String LOCK_FILE = "hub.lock";

  private final Path root;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path root, FileChannel channel, FileLock lock) {
    this.root = root;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it, or says which process holds it. */
  public static DataDirectory acquire(Path root) throws StartupException {
    try {
      Files.createDirectories(root.resolve("logs"));
      Path lockFile = root.resolve(LOCK_FILE);
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        String holder = Files.readString(lockFile).trim();
        throw new StartupException("data-dir " + root + " is in use by another hub (pid " + holder
            + "); stop it, or give this hub its own data-dir (HUB_DATA_DIR)");
      }
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
      return new DataDirectory(root, channel, lock);
    } catch (IOException e) {
      throw new StartupException("data-dir " + root + " cannot be created or locked: " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  public Path resolve(String child) {
    return root.resolve(child);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
