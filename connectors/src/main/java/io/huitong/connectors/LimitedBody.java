package io.huitong.connectors;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A response body collected up to a number of bytes: a department that answers with more fails the call with
 * BAD_RESPONSE instead of filling the hub's memory.
 */
final class LimitedBody implements BodyCodec<Buffer> {
  private final int maxBytes;

  LimitedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void create(Handler<AsyncResult<BodyStream<Buffer>>> handler) {
    handler.handle(Future.succeededFuture(new Collector()));
  }

  private final class Collector implements BodyStream<Buffer> {
    private final Buffer body = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (body.length() + data.length() > maxBytes) {
        ConnectorException tooLarge = new ConnectorException(Failure.BAD_RESPONSE,
            "the answer is larger than " + maxBytes + " bytes");
        result.tryFail(tooLarge);
        return Future.failedFuture(tooLarge);
      }
      body.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
      Future<Void> written = write(data);
      if (handler != null) {
        handler.handle(written);
      }
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
      result.tryComplete(body);
      if (handler != null) {
        handler.handle(Future.succeededFuture());
      }
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
