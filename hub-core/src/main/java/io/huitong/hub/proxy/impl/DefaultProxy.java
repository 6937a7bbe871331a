package io.huitong.hub.proxy.impl;

import com.hazelcast.core.HazelcastInstance;
import io.huitong.crypto.Sm3;
import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import io.huitong.hub.http.Problems;
import io.huitong.hub.http.RequestIds;
import io.huitong.hub.proxy.DataProxy;
import io.huitong.hub.proxy.ProxyCall;
import io.huitong.hub.proxy.ProxyConfig;
import io.huitong.hub.proxy.ProxyDefinitions;
import io.huitong.hub.proxy.RateLimit;
import io.huitong.hub.proxy.ServiceDefinition;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServerResponse;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call, in order: find the service; authenticate the consumer (signature, timestamp, nonce); check its address
 * and its approval; take a permit from the consumer's and the service's cluster-wide limits; validate the input;
 * answer from the cache or the sources; validate the output; apply the field grants. Whatever the outcome, the
 * answer is counted and its audit record committed ({@link CallAudit}) before it is sent.
 */
public final class DefaultProxy implements DataProxy {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultProxy.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final String CACHE_HEADER = "X-Cache";
  private static final String SOURCE_HEADER = "X-Source";
  /** The purpose the call audit chain's key is derived for from the master key. */
  private static final String AUDIT_KEY_PURPOSE = "proxy/call-audit";

  private final Catalogue catalogue;
  private final Upstreams upstreams;
  private final RequestAuth auth;
  private final ClusterRateLimiter limiter;
  private final ResponseCache cache;
  private final Problems problems;
  private final CallAudit audit;
  private final CallStats stats;
  private final Alarms alarms;
  /** Calls in progress on this member, over every event loop; see {@link ProxyConfig#maxInFlight()}. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int maxInFlight;

  /** What a call has learnt so far, for its audit record. */
  private static final class CallState {
    final Instant at = Instant.now();
    final long startNanos = System.nanoTime();
    String consumer = "-";
    String source = "-";
    String cache = "-";
    ServiceDefinition service;
    boolean admitted;
  }

  /**
   * An answer ready to send: a service's output with its headers, or a problem (then {@code headers} is empty and
   * {@link Problems#prepare} sets what goes with the problem).
   */
  private record Reply(Buffer body, Map<String, String> headers, HubException problem) {
    int status() {
      return problem == null ? 200 : problem.error().status();
    }

    /** What the audit and the statistics record as the outcome. */
    String code() {
      return problem == null ? "ok" : problem.error().code();
    }
  }

  private DefaultProxy(Catalogue catalogue, Upstreams upstreams, RequestAuth auth, ClusterRateLimiter limiter,
                       ResponseCache cache, Problems problems, CallAudit audit, Alarms alarms, int maxInFlight) {
    this.catalogue = catalogue;
    this.upstreams = upstreams;
    this.auth = auth;
    this.limiter = limiter;
    this.cache = cache;
    this.problems = problems;
    this.audit = audit;
    this.alarms = alarms;
    this.stats = alarms.stats();
    this.maxInFlight = maxInFlight;
  }

  public static Uni<DataProxy> start(Vertx vertx, Storage storage, MasterKey master, HazelcastInstance hazelcast,
                                     ProxyConfig config, ProxyDefinitions definitions, MeterRegistry registry,
                                     Problems problems, String member) {
    Upstreams upstreams = Upstreams.create(vertx, config, definitions);
    Catalogue catalogue = new Catalogue(vertx, storage, master, upstreams.ids());
    RequestAuth auth = new RequestAuth(catalogue, new NonceGuard(hazelcast, config.maxSkew()), config.maxSkew());
    List<AlarmRule> rules = definitions.alarms().stream().map(AlarmRule::parse).toList();
    return catalogue.start(definitions)
        .chain(() -> Alarms.start(vertx, storage, new CallStats(registry), config, rules))
        .chain(alarms -> CallAudit.start(vertx, storage, master.derive(AUDIT_KEY_PURPOSE), member, config)
            .onFailure().call(alarms::close)
            .map(audit -> new DefaultProxy(catalogue, upstreams, auth, new ClusterRateLimiter(hazelcast),
                new ResponseCache(config.cacheMaxEntries()), problems, audit, alarms, config.maxInFlight())));
  }

  // --- calls ---

  @Override
  public void call(RoutingContext ctx) {
    CallState state = new CallState();
    // Counted until the response is done or the connection is gone, whatever happened in between.
    state.admitted = inFlight.incrementAndGet() <= maxInFlight;
    ctx.getDelegate().addEndHandler(done -> inFlight.decrementAndGet());
    Buffer body = ctx.body() == null || ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer().getDelegate();
    byte[] requestDigest = Sm3.hash(body.getBytes());
    Uni.createFrom().deferred(() -> answer(ctx, state, body, requestDigest))
        .onFailure().recoverWithItem(e -> problem(ctx, e))
        .chain(reply -> record(ctx, state, inputDigest(ctx, body, requestDigest), reply).replaceWith(reply))
        .subscribe().with(reply -> send(ctx, reply), e -> {
          // CallAudit logs why its write failed, once per batch; here one line per refused call is enough.
          LOG.warn("Call {} not recorded in the audit log; refused: {}", ctx.get(RequestIds.KEY), e.getMessage());
          send(ctx, problem(ctx, HubError.NOT_READY.exception("The call could not be recorded in the audit log")));
        });
  }

  private static byte[] inputDigest(RoutingContext ctx, Buffer body, byte[] bodyDigest) {
    String query = ctx.request().query();
    return body.length() > 0 || query == null ? bodyDigest : Sm3.hash(query.getBytes(StandardCharsets.UTF_8));
  }

  private Uni<Reply> answer(RoutingContext ctx, CallState state, Buffer body, byte[] requestDigest) {
    if (!state.admitted) {
      // Refused before any work, and still audited: an overloaded member answers at once rather than queue.
      throw new HubException(HubError.PROXY_BUSY, "This member has " + maxInFlight + " calls in progress",
          Map.of(Problems.RETRY_AFTER_SECONDS, 1));
    }
    String serviceId = ctx.pathParam("serviceId");
    ServiceDefinition service = catalogue.snapshot().services().get(serviceId);
    if (service == null) {
      throw HubError.SERVICE_NOT_FOUND.exception("No service " + serviceId);
    }
    state.service = service;
    JsonObject input = input(ctx, body);
    return auth.authenticate(ctx.request(), requestDigest, key -> state.consumer = key)
        .chain(consumer -> {
          admit(ctx, consumer);
          return serve(consumer, service, input, state);
        })
        .map(shown -> new Reply(shown.toBuffer(), Map.of(SOURCE_HEADER, state.source, CACHE_HEADER, state.cache), null));
  }

  /** For an admitted consumer: its approval, its limits, the input's check, the answer, its field grants. */
  private Uni<JsonObject> serve(ConsumerApp consumer, ServiceDefinition service, JsonObject input, CallState state) {
    return authorize(consumer, service)
        .call(approval -> limit(state.consumer, service))
        .chain(approval -> {
          List<String> errors = service.inputSchema().validate(input);
          if (!errors.isEmpty()) {
            throw new HubException(HubError.INPUT_INVALID, String.join("; ", errors), Map.of("errors", new JsonArray(errors)));
          }
          return fetch(service, input, state).map(fetched -> {
            state.cache = fetched.cache();
            return FieldGrants.apply(fetched.output(), approval.grants(), service.outputSchema().masks());
          });
        });
  }

  /**
   * A catalogue query for a kiosk device (自助终端便民查询), on behalf of the consumer its registration names: the
   * same approval, limits, schemas, cache, field grants, statistics and audit as a signed call, without the
   * signature (the kiosk bridge authenticated the device). The audit names {@code caller} as the remote address.
   */
  @Override
  public Uni<JsonObject> query(String appKey, String serviceId, JsonObject input, String caller) {
    CallState state = new CallState();
    state.consumer = appKey == null ? "-" : appKey;
    byte[] inputDigest = Sm3.hash(input.toBuffer().getBytes());
    return Uni.createFrom().deferred(() -> {
          ServiceDefinition service = catalogue.snapshot().services().get(serviceId);
          if (service == null) {
            throw HubError.SERVICE_NOT_FOUND.exception("No service " + serviceId);
          }
          state.service = service;
          ConsumerApp consumer = appKey == null ? null : catalogue.snapshot().consumers().get(appKey);
          if (consumer == null) {
            throw HubError.APP_KEY_UNKNOWN.exception("The device's consumer '" + appKey + "' is not registered");
          }
          if (consumer.disabled()) {
            throw HubError.CONSUMER_DISABLED.exception("Consumer " + appKey + " is disabled");
          }
          return serve(consumer, service, input, state);
        })
        .onItemOrFailure().call((output, failure) -> {
          HubException problem = failure == null ? null : failure instanceof HubException he ? he
              : HubError.INTERNAL.exception("The hub could not complete the query");
          byte[] answer = output == null ? new byte[0] : output.toBuffer().getBytes();
          ServiceDefinition service = state.service;
          ProxyCall call = new ProxyCall("kiosk-" + java.util.UUID.randomUUID(), state.at, state.consumer,
              service == null ? "-" : service.id(), service == null ? "-" : service.department(),
              service == null ? "-" : service.region(), state.source, state.cache,
              problem == null ? 200 : problem.error().status(), problem == null ? "ok" : problem.error().code(),
              (System.nanoTime() - state.startNanos) / 1000, HEX.formatHex(inputDigest), HEX.formatHex(Sm3.hash(answer)),
              caller);
          stats.record(call);
          return audit.record(call);
        });
  }

  private Uni<Catalogue.Approval> authorize(ConsumerApp consumer, ServiceDefinition service) {
    Catalogue.Approval known = catalogue.snapshot().approval(consumer.appKey(), service.id());
    return catalogue.afterMiss(known != null).map(snapshot -> {
      Catalogue.Approval approval = snapshot.approval(consumer.appKey(), service.id());
      if (approval == null) {
        throw HubError.NOT_APPROVED.exception("Consumer " + consumer.appKey() + " has no approved application for "
            + service.id() + "; apply with POST /api/v1/service-applications");
      }
      return approval;
    });
  }

  /** 403 for a disabled consumer, or one calling from outside its IP allow-list. */
  private static void admit(RoutingContext ctx, ConsumerApp consumer) {
    if (consumer.disabled()) {
      throw HubError.CONSUMER_DISABLED.exception("Consumer " + consumer.appKey() + " is disabled");
    }
    String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
    if (!consumer.ipAllow().allows(remote)) {
      throw HubError.IP_NOT_ALLOWED.exception("Consumer " + consumer.appKey() + " may not call from " + remote);
    }
  }

  /** One permit from the consumer's limit, then one from the service's; past either, 429 with Retry-After. */
  private Uni<Void> limit(String appKey, ServiceDefinition service) {
    RateLimit consumerLimit = catalogue.snapshot().consumers().get(appKey).rateLimit();
    Uni<Long> first = consumerLimit == null ? Uni.createFrom().item(0L) : limiter.acquire("consumer\n" + appKey, consumerLimit);
    return first.chain(wait -> {
      if (wait > 0 || service.rateLimit() == null) {
        return Uni.createFrom().item(wait);
      }
      return limiter.acquire("service\n" + service.id(), service.rateLimit());
    }).map(waitMicros -> {
      if (waitMicros > 0) {
        long seconds = Math.max(1, (waitMicros + 999_999) / 1_000_000);
        throw new HubException(HubError.RATE_LIMITED, "Retry after " + seconds + " s", Map.of(Problems.RETRY_AFTER_SECONDS, seconds));
      }
      return null;
    });
  }

  /** An answer from the cache when fresh, else from the sources, else a stale cache entry where the service allows. */
  private record Fetched(JsonObject output, String cache) {
  }

  private Uni<Fetched> fetch(ServiceDefinition service, JsonObject input, CallState state) {
    boolean cacheable = !service.cacheTtl().isZero();
    String key = cacheable ? ResponseCache.key(service.id(), input) : null;
    ResponseCache.Entry cached = cacheable ? cache.get(key) : null;
    if (cached != null && cached.fresh(System.nanoTime())) {
      state.source = "cache";
      return Uni.createFrom().item(new Fetched(cached.output(), "HIT"));
    }
    return upstreams.call(service, input)
        .map(answer -> {
          List<String> errors = service.outputSchema().validate(answer.output());
          if (!errors.isEmpty()) {
            throw HubError.UPSTREAM_BAD_RESPONSE.exception(answer.source() + " answered outside the output schema: "
                + String.join("; ", errors));
          }
          state.source = answer.source();
          if (cacheable) {
            cache.put(key, answer.output(), answer.source(), service.cacheTtl(), service.staleTtl());
          }
          return new Fetched(answer.output(), cacheable ? "MISS" : "BYPASS");
        })
        .onFailure(Upstreams::upstreamDown).recoverWithUni(e -> {
          ResponseCache.Entry stale = cacheable ? cache.get(key) : null;
          if (stale == null) {
            return Uni.createFrom().failure(e);
          }
          LOG.debug("Serving {} stale: {}", service.id(), e.getMessage());
          state.source = "cache";
          return Uni.createFrom().item(new Fetched(stale.output(), "STALE"));
        });
  }

  private static JsonObject input(RoutingContext ctx, Buffer body) {
    if (body.length() == 0) {
      JsonObject fromQuery = new JsonObject();
      ctx.queryParams().forEach(e -> fromQuery.put(e.getKey(), e.getValue()));
      return fromQuery;
    }
    try {
      Object parsed = body.toJson();
      if (parsed instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw HubError.BAD_REQUEST.exception("The request body is not valid JSON");
    }
    throw HubError.BAD_REQUEST.exception("The request body must be a JSON object of the service's input");
  }

  private Reply problem(RoutingContext ctx, Throwable failure) {
    HubException e = failure instanceof HubException he ? he
        : failure instanceof DefinitionException de ? new HubException(HubError.BAD_REQUEST, de.getMessage())
        : null;
    if (e == null) {
      LOG.error("Call {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      e = HubError.INTERNAL.exception("The hub could not complete the call; quote the requestId when reporting it");
    }
    JsonObject document = problems.document(ctx, e.error(), e.getMessage(), e.extensions());
    return new Reply(document.toBuffer(), Map.of(), e);
  }

  /** @param inputDigest SM3 of the call's input: its body, or its query string when it has none (a GET) */
  private Uni<Void> record(RoutingContext ctx, CallState state, byte[] inputDigest, Reply reply) {
    ServiceDefinition service = state.service;
    String remote = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().host();
    ProxyCall call = new ProxyCall(ctx.get(RequestIds.KEY), state.at, state.consumer,
        service == null ? "-" : service.id(), service == null ? "-" : service.department(),
        service == null ? "-" : service.region(), state.source, state.cache, reply.status(), reply.code(),
        (System.nanoTime() - state.startNanos) / 1000, HEX.formatHex(inputDigest),
        HEX.formatHex(Sm3.hash(reply.body().getBytes())), remote);
    stats.record(call);
    return audit.record(call);
  }

  private static void send(RoutingContext ctx, Reply reply) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (reply.problem() != null) {
      Problems.prepare(response, reply.problem().error(), reply.problem().extensions());
    } else {
      response.setStatusCode(200).putHeader("Content-Type", "application/json");
      reply.headers().forEach(response::putHeader);
    }
    response.endAndForget(io.vertx.mutiny.core.buffer.Buffer.newInstance(reply.body()));
  }

  // --- consumers' own requests ---

  @Override
  public Uni<JsonObject> apply(RoutingContext ctx) {
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer().getDelegate();
    return auth.authenticate(ctx.request(), Sm3.hash(body.getBytes()), key -> { })
        .chain(consumer -> catalogue.apply(consumer.appKey(), requestObject(body)));
  }

  @Override
  public Uni<JsonArray> ownApplications(RoutingContext ctx) {
    return auth.authenticate(ctx.request(), Sm3.hash(new byte[0]), key -> { })
        .chain(consumer -> catalogue.applications(null, consumer.appKey(), 500));
  }

  @Override
  public Uni<String> authenticate(RoutingContext ctx) {
    Buffer body = ctx.body() == null || ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer().getDelegate();
    return auth.authenticate(ctx.request(), Sm3.hash(body.getBytes()), key -> { }).map(consumer -> {
      admit(ctx, consumer);
      return consumer.appKey();
    });
  }

  @Override
  public Uni<Boolean> exists(String appKey) {
    boolean known = catalogue.snapshot().consumers().containsKey(appKey);
    return catalogue.afterMiss(known).map(snapshot -> snapshot.consumers().containsKey(appKey));
  }

  private static JsonObject requestObject(Buffer body) {
    try {
      Object parsed = body.length() == 0 ? null : Buffer.buffer(body.getBytes()).toJson();
      if (parsed instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      // answered below
    }
    throw HubError.BAD_REQUEST.exception("Send a JSON object");
  }

  // --- administration ---

  @Override
  public JsonArray services() {
    JsonArray out = new JsonArray();
    catalogue.snapshot().services().values().stream()
        .sorted(java.util.Comparator.comparing(ServiceDefinition::id))
        .forEach(s -> out.add(s.toJson().put("origin", s.origin())));
    return out;
  }

  @Override
  public JsonObject service(String id) {
    ServiceDefinition s = catalogue.snapshot().services().get(id);
    if (s == null) {
      throw HubError.SERVICE_NOT_FOUND.exception("No service " + id);
    }
    return s.toJson().put("origin", s.origin());
  }

  @Override
  public Uni<JsonObject> putService(JsonObject definition) {
    return catalogue.putService(definition).map(s -> s.toJson().put("origin", s.origin()));
  }

  @Override
  public Uni<Void> deleteService(String id) {
    return catalogue.deleteService(id);
  }

  @Override
  public JsonArray consumers() {
    JsonArray out = new JsonArray();
    catalogue.snapshot().consumers().values().stream()
        .sorted(java.util.Comparator.comparing(ConsumerApp::appKey))
        .forEach(c -> out.add(c.toJson()));
    return out;
  }

  @Override
  public Uni<JsonObject> createConsumer(JsonObject request) {
    return catalogue.createConsumer(request);
  }

  @Override
  public Uni<JsonObject> updateConsumer(String appKey, JsonObject patch) {
    return catalogue.updateConsumer(appKey, patch);
  }

  @Override
  public Uni<JsonObject> rotateSecret(String appKey) {
    return catalogue.rotateSecret(appKey);
  }

  @Override
  public Uni<JsonArray> applications(String state, String appKey, int limit) {
    return catalogue.applications(state, appKey, limit);
  }

  @Override
  public Uni<JsonObject> approve(long id, JsonObject request, String operator) {
    return catalogue.approve(id, request, operator);
  }

  @Override
  public Uni<JsonObject> reject(long id, JsonObject request, String operator) {
    return catalogue.reject(id, request, operator);
  }

  @Override
  public Uni<JsonObject> revoke(long id, String operator) {
    return catalogue.revoke(id, operator);
  }

  @Override
  public Uni<JsonObject> connectors() {
    return upstreams.health();
  }

  /** The alarm rules and statistics, for their admin routes. */
  public Alarms alarms() {
    return alarms;
  }

  /** The call audit, for its admin routes. */
  public CallAudit audit() {
    return audit;
  }

  /** Writes the audit records still queued, then closes the alarms and the connectors. */
  @Override
  public Uni<Void> close() {
    return audit.close().eventually(alarms::close).eventually(upstreams::close);
  }
}
