package io.huitong.hub.files.impl;

import io.huitong.hub.files.UploadStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An upload's bytes as an {@link InputStream} for a worker thread: {@link UploadStore#read} streams them on an event
 * loop into this stream's write side, which asks the store to pause once {@link #HIGH_WATER} bytes wait unread and
 * to resume when the reader has taken half of them. So at most about a megabyte of the file is in memory, whatever
 * its size, and the store stays the only one that knows how bytes are kept (plain, or encrypted at rest).
 */
final class StoreInputStream extends InputStream implements WriteStream<Buffer> {
  static final int HIGH_WATER = 1 << 20;
  private static final long WAIT_SECONDS = 60;
  private static final Object END = new Object();

  private final Context context;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong waiting = new AtomicLong();
  private final AtomicReference<Handler<Void>> drain = new AtomicReference<>();
  private volatile boolean closed;
  private byte[] chunk = new byte[0];
  private int position;
  private boolean ended;

  private StoreInputStream(Context context) {
    this.context = context;
  }

  /** Starts reading {@code length} bytes of upload {@code id} on {@code context}; call from a worker thread. */
  static StoreInputStream open(Context context, UploadStore store, String id, long length) {
    StoreInputStream in = new StoreInputStream(context);
    context.runOnContext(v -> store.read(id, 0, length, io.vertx.mutiny.core.streams.WriteStream.newInstance(in))
        .subscribe().with(done -> { }, in.queue::add));
    return in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (position == chunk.length) {
      if (ended) {
        return -1;
      }
      next();
    }
    int n = Math.min(length, chunk.length - position);
    System.arraycopy(chunk, position, into, offset, n);
    position += n;
    return n;
  }

  private void next() throws IOException {
    Object item;
    try {
      item = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading an upload", e);
    }
    if (item == null) {
      throw new IOException("the upload store sent nothing for " + WAIT_SECONDS + " s");
    }
    if (item == END) {
      ended = true;
      return;
    }
    if (item instanceof Throwable failure) {
      throw new IOException("the upload cannot be read: " + failure.getMessage(), failure);
    }
    chunk = (byte[]) item;
    position = 0;
    if (waiting.addAndGet(-chunk.length) <= HIGH_WATER / 2) {
      fireDrain();
    }
  }

  /** Stops reading: what the store still sends is dropped, and a paused store is let go on to its end. */
  @Override
  public void close() {
    closed = true;
    queue.clear();
    waiting.set(0);
    fireDrain();
  }

  private void fireDrain() {
    Handler<Void> handler = drain.getAndSet(null);
    if (handler != null) {
      context.runOnContext(handler);
    }
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (!closed) {
      waiting.addAndGet(data.length());
      queue.add(data.getBytes());
    }
    return Future.succeededFuture();
  }

  @Override
  public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
    write(data);
    if (handler != null) {
      handler.handle(Future.succeededFuture());
    }
  }

  @Override
  public void end(Handler<AsyncResult<Void>> handler) {
    queue.add(END);
    if (handler != null) {
      handler.handle(Future.succeededFuture());
    }
  }

  @Override
  public boolean writeQueueFull() {
    return waiting.get() >= HIGH_WATER;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drain.set(handler);
    // The reader may have emptied the queue between the writer's full check and this call: nobody else would fire it.
    if (handler != null && waiting.get() <= HIGH_WATER / 2) {
      fireDrain();
    }
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }
}
