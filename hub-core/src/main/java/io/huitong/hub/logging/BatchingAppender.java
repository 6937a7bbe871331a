package io.huitong.hub.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands log events to one writer thread, which passes them in batches to the appenders attached to it and then
 * flushes each of them once. Logback's {@code AsyncAppender} wakes its worker and flushes (a system call) for every
 * event: with one access-log line per request, that cost the hub about a third of its refresh-grant rate and almost
 * half of its introspection rate (perf/RESULTS.md). Here the writer, after a batch, waits {@code lingerMillis} before
 * taking the next (unless the batch was half the queue or more), so a busy hub writes its lines tens of times a second
 * in large writes, and a quiet one still writes a line at once. Attached appenders should not flush per event themselves ({@code immediateFlush} false).
 *
 * <p>Callers never block: an event that finds the queue full is dropped and counted, and the count is written as a
 * warning after the next batch. Events are prepared for deferred processing (message formatted, MDC copied) on the caller's thread,
 * as the request id travels in the MDC. {@link #stop()} writes what is queued before it returns. Lines written
 * within the last {@code lingerMillis} before the JVM is killed may be lost, as queued lines of any asynchronous
 * appender are.
 */
public class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  private final AppenderAttachableImpl<ILoggingEvent> attached = new AppenderAttachableImpl<>();
  private final AtomicLong dropped = new AtomicLong();
  private int queueSize = 16384;
  private long lingerMillis = 50;
  private ArrayBlockingQueue<ILoggingEvent> queue;
  private Thread writer;

  /** Events that may wait for the writer; past it an event is dropped rather than block its caller. */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** How long the writer waits after a batch before it takes the next. */
  public void setLingerMillis(long lingerMillis) {
    this.lingerMillis = lingerMillis;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (queueSize < 1 || lingerMillis < 0) {
      addError("queueSize must be at least 1 and lingerMillis not negative");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    writer = new Thread(this::writeUntilStopped, "log-writer-" + getName());
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  private void writeUntilStopped() {
    List<ILoggingEvent> batch = new ArrayList<>();
    try {
      while (isStarted()) {
        batch.add(queue.take());
        // A batch of half the queue or more means lines arrive faster than a linger allows for: no pause then.
        if (write(batch) < queueSize / 2) {
          TimeUnit.MILLISECONDS.sleep(lingerMillis);
        }
      }
    } catch (InterruptedException stopping) {
      // stop(): what is queued is written below.
    }
    write(batch);
  }

  /**
   * Writes what {@code batch} holds and everything queued behind it, then flushes each attached appender once;
   * returns how many events it wrote. A sink that throws is reported to Logback's status, not allowed to end the
   * writer, which would silently drop every later line.
   */
  private int write(List<ILoggingEvent> batch) {
    try {
      return writeAndFlush(batch);
    } catch (RuntimeException e) {
      addError("writing a batch of log events", e);
      return 0;
    } finally {
      batch.clear();
    }
  }

  private int writeAndFlush(List<ILoggingEvent> batch) {
    queue.drainTo(batch);
    int written = batch.size();
    long lost = dropped.getAndSet(0);
    for (ILoggingEvent event : batch) {
      attached.appendLoopOnAppenders(event);
    }
    if (lost > 0) {
      // Straight to the sinks, after the lines that made it: the queue may be full again, or this the last batch.
      Logger logger = ((LoggerContext) getContext()).getLogger(BatchingAppender.class);
      attached.appendLoopOnAppenders(new LoggingEvent(BatchingAppender.class.getName(), logger, Level.WARN,
          "{} log event(s) dropped: the queue of {} was full", null, new Object[] {lost, queueSize}));
    }
    Iterator<Appender<ILoggingEvent>> it = attached.iteratorForAppenders();
    while (it.hasNext()) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream && stream.getOutputStream() != null) {
        try {
          stream.getOutputStream().flush();
        } catch (IOException e) {
          addError("flushing appender " + stream.getName(), e);
        }
      }
    }
    return written;
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    attached.detachAndStopAllAppenders();
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    attached.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return attached.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return attached.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return attached.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    attached.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return attached.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return attached.detachAppender(name);
  }
}
