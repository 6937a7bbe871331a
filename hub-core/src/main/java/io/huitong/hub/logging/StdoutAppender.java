package io.huitong.hub.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;

/**
 * Log lines to standard output through a buffer of its own, for {@link BatchingAppender} to flush once a batch.
 * Logback's {@code ConsoleAppender} writes through {@code System.out}, which flushes on every write whatever the
 * appender's {@code immediateFlush}. A line is never split: the buffer writes out whole writes only. Stopping flushes
 * and leaves the descriptor open, as other code of the process may still print.
 */
public class StdoutAppender extends OutputStreamAppender<ILoggingEvent> {
  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public void start() {
    setOutputStream(new FilterOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out),
        BUFFER_BYTES)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    });
    super.start();
  }
}
