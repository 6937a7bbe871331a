package io.huitong.hub.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.OutputStream;

/**
 * Log lines to standard output through a buffer of its own, for {@link BatchingAppender} to flush once a batch.
 * Logback's {@code ConsoleAppender} hands every line to {@code System.out}, which flushes (a system call) on every
 * write whatever the appender's {@code immediateFlush}; here a batch reaches {@code System.out} as one write. It is
 * still {@code System.out}, looked up at each write, so whatever replaced it (a test runner's capture) gets the lines.
 * A line is never split: the buffer passes on whole writes only. Stopping flushes and leaves standard output open.
 */
public class StdoutAppender extends OutputStreamAppender<ILoggingEvent> {
  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public void start() {
    setOutputStream(new BufferedOutputStream(new OutputStream() {
      @Override
      public void write(int b) {
        System.out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        System.out.write(b, off, len);
      }

      @Override
      public void flush() {
        System.out.flush();
      }
    }, BUFFER_BYTES));
    super.start();
  }
}
