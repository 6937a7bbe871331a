package io.huitong.hub.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The metrics of the hub's HTTP servers, under the names and labels vertx-micrometer-metrics gives them
 * ({@code vertx_http_server_requests_total}, {@code _response_time_seconds} and {@code _response_bytes} by method,
 * route and code; {@code _active_requests} and {@code _request_bytes} by method; {@code _active_connections},
 * {@code _active_ws_connections}, {@code _bytes_read_total}, {@code _bytes_written_total}), so dashboards keep
 * working. vertx-micrometer-metrics finds each meter by building and sorting its tags, several times a request:
 * 30% of the event loops' Java samples in an introspection (perf/RESULTS.md). Here a response's meters are found by
 * one map lookup of its method, route and code, a request's by its method, and the server-wide ones are held.
 * One instance serves all HTTP servers of a Vert.x instance; Vert.x calls it on the connection's event loop.
 */
final class HttpServerRequestMetrics implements HttpServerMetrics<HttpServerRequestMetrics.Request, Object, Void> {
  private static final Object WEB_SOCKET = new Object();
  /** The methods counted by name; any other a client invents counts as OTHER, so it cannot add series at will. */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
      "TRACE", "CONNECT");

  private final MeterRegistry registry;
  private final Map<ResponseKey, ResponseMeters> responses = new ConcurrentHashMap<>();
  private final Map<String, RequestMeters> requests = new ConcurrentHashMap<>();
  private final LongAdder connections = new LongAdder();
  private final LongAdder webSockets = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  HttpServerRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("vertx.http.server.active.connections", connections, LongAdder::sum)
        .description("Number of opened connections to the HTTP Server").register(registry);
    Gauge.builder("vertx.http.server.active.ws.connections", webSockets, LongAdder::sum)
        .description("Number of websockets currently opened").register(registry);
    FunctionCounter.builder("vertx.http.server.bytes.read", bytesRead, LongAdder::sum)
        .description("Number of bytes received by the server").register(registry);
    FunctionCounter.builder("vertx.http.server.bytes.written", bytesWritten, LongAdder::sum)
        .description("Number of bytes sent by the server").register(registry);
  }

  /** One request in flight: what its meters are chosen by, known as it goes. */
  static final class Request {
    final RequestMeters meters;
    final long began = System.nanoTime();
    String route = "";
    boolean done;

    Request(RequestMeters meters) {
      this.meters = meters;
    }
  }

  private record ResponseKey(String method, String route, int code) {
  }

  private record ResponseMeters(Counter requests, Timer responseTime, DistributionSummary responseBytes) {
  }

  private record RequestMeters(String method, LongAdder active, DistributionSummary requestBytes) {
  }

  @Override
  public Void connected(SocketAddress remoteAddress, String remoteName) {
    connections.increment();
    return null;
  }

  @Override
  public void disconnected(Void socket, SocketAddress remoteAddress) {
    connections.decrement();
  }

  @Override
  public void bytesRead(Void socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesRead.add(numberOfBytes);
  }

  @Override
  public void bytesWritten(Void socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesWritten.add(numberOfBytes);
  }

  @Override
  public Request requestBegin(Void socket, HttpRequest request) {
    String method = request.method().name();
    Request begun = new Request(requests.computeIfAbsent(METHODS.contains(method) ? method : "OTHER",
        this::requestMeters));
    begun.meters.active.increment();
    return begun;
  }

  @Override
  public void requestRouted(Request request, String route) {
    if (route != null) {
      request.route = route;
    }
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.meters.requestBytes.record(bytesRead);
  }

  @Override
  public void requestReset(Request request) {
    finished(request);
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    if (finished(request)) {
      ResponseMeters meters = responses.computeIfAbsent(
          new ResponseKey(request.meters.method, request.route, response.statusCode()), this::responseMeters);
      meters.requests.increment();
      meters.responseTime.record(System.nanoTime() - request.began, TimeUnit.NANOSECONDS);
      meters.responseBytes.record(bytesWritten);
    }
  }

  @Override
  public Object connected(Void socket, Request request, ServerWebSocket webSocket) {
    webSockets.increment();
    return WEB_SOCKET;
  }

  @Override
  public void disconnected(Object webSocket) {
    webSockets.decrement();
  }

  /** Whether this call ended the request (a reset after the response, or the reverse, counts once). */
  private static boolean finished(Request request) {
    if (request.done) {
      return false;
    }
    request.done = true;
    request.meters.active.decrement();
    return true;
  }

  private RequestMeters requestMeters(String method) {
    LongAdder active = new LongAdder();
    Gauge.builder("vertx.http.server.active.requests", active, LongAdder::sum).tag("method", method)
        .description("Number of requests being processed").register(registry);
    return new RequestMeters(method, active, DistributionSummary.builder("vertx.http.server.request.bytes")
        .tag("method", method).description("Size of requests in bytes").baseUnit("bytes").register(registry));
  }

  private ResponseMeters responseMeters(ResponseKey key) {
    String code = Integer.toString(key.code());
    return new ResponseMeters(
        Counter.builder("vertx.http.server.requests").tags("method", key.method(), "route", key.route(), "code", code)
            .description("Number of processed requests").register(registry),
        Timer.builder("vertx.http.server.response.time").tags("method", key.method(), "route", key.route(), "code", code)
            .description("Request processing time").register(registry),
        DistributionSummary.builder("vertx.http.server.response.bytes")
            .tags("method", key.method(), "route", key.route(), "code", code).baseUnit("bytes")
            .description("Size of responses in bytes").register(registry));
  }
}
