package io.huitong.hub.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import io.huitong.hub.Eventually;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final Sink sink = new Sink();
  private BatchingAppender batching;

  /** Collects what is written and counts flushes; can be made to hold every write until released. */
  private static final class Sink extends ByteArrayOutputStream {
    final AtomicInteger flushes = new AtomicInteger();
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes.incrementAndGet();
    }

    synchronized List<String> lines() {
      String text = toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
  }

  private Logger logger(int queueSize, long lingerMillis) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
    out.setContext(context);
    out.setEncoder(encoder);
    out.setImmediateFlush(false);
    out.setOutputStream(sink);
    out.start();
    batching = new BatchingAppender();
    batching.setContext(context);
    batching.setQueueSize(queueSize);
    batching.setLingerMillis(lingerMillis);
    batching.addAppender(out);
    batching.start();
    Logger logger = context.getLogger("test");
    logger.addAppender(batching);
    logger.setAdditive(false);
    return logger;
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void everyLineIsWrittenInOrderPerThreadAndABurstIsFlushedInAFewBatches() throws Exception {
    Logger logger = logger(16384, 20);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          logger.info("t{} line {}", thread, i);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    batching.stop();

    List<String> lines = sink.lines();
    assertEquals(4000, lines.size());
    for (int t = 0; t < 4; t++) {
      String prefix = "t" + t + " ";
      List<String> own = lines.stream().filter(l -> l.startsWith(prefix)).toList();
      for (int i = 0; i < 1000; i++) {
        assertEquals(prefix + "line " + i, own.get(i));
      }
    }
    assertTrue(sink.flushes.get() < 100, "4,000 lines took " + sink.flushes.get() + " flushes");
  }

  @Test
  void aLoneLineIsWrittenAndFlushedWithoutWaitingForMore() throws Exception {
    Logger logger = logger(100, 50);
    logger.info("first");
    Eventually.holds("the line written and flushed", Duration.ofSeconds(10),
        () -> !sink.lines().isEmpty() && sink.flushes.get() > 0);
    assertEquals(List.of("first"), sink.lines());
  }

  @Test
  void aFullQueueDropsLinesWithoutBlockingAndSaysHowManyWereDropped() throws Exception {
    Logger logger = logger(2, 0);
    sink.hold = new CountDownLatch(1);
    logger.info("taken by the writer, which then waits on the sink");
    long began = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      logger.info("burst {}", i);
    }
    assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(5), "logging blocked on a full queue");
    sink.hold.countDown();
    batching.stop();

    // Drops are reported with the batch after them, so a burst may be reported in more than one warning.
    List<String> lines = sink.lines();
    List<String> warnings = lines.stream()
        .filter(l -> l.matches("\\d+ log event\\(s\\) dropped: the queue of 2 was full")).toList();
    assertTrue(!warnings.isEmpty(), String.join("\n", lines));
    int droppedCount = warnings.stream().mapToInt(w -> Integer.parseInt(w.substring(0, w.indexOf(' ')))).sum();
    assertEquals(51, lines.size() - warnings.size() + droppedCount,
        "every line is either written or counted as dropped");
  }
}
