package io.huitong.hub.files.impl;

import io.huitong.crypto.Sm4Ctr;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The bytes of a sealed file decrypted as they are read, with the file's own flow control, so a download pipes it
 * like any stream (back-pressure and a closed connection handled by Vert.x's pipe).
 */
final class DecryptingStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> sealed;
  private final Sm4Ctr cipher;
  private long position;

  /** @param position where in the upload {@code sealed} starts */
  DecryptingStream(ReadStream<Buffer> sealed, Sm4Ctr cipher, long position) {
    this.sealed = sealed;
    this.cipher = cipher;
    this.position = position;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    sealed.handler(handler == null ? null : buffer -> {
      byte[] bytes = buffer.getBytes();
      cipher.apply(position, bytes, 0, bytes.length);
      position += bytes.length;
      handler.handle(Buffer.buffer(bytes));
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    sealed.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    sealed.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    sealed.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    sealed.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    sealed.endHandler(endHandler);
    return this;
  }
}
