package io.huitong.connectors.simulator;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.core.http.HttpServerResponse;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Department systems for tests and benchmarks: one HTTP server answering, for a generated population, the REST and
 * SOAP interfaces of the departments behind the 22 convenience queries (便民查询) of seed 001, with faults that the
 * control API injects. The contract (paths, fields, faults) is in {@code docs/simulator.md}.
 *
 * <p>Every handler runs on the server's one event loop, which is what makes the state (writes, faults, counters)
 * safe without locks and makes seeded fault draws follow request order. Nothing blocks: latency is a timer.
 */
public final class DepartmentSimulator {
  static final String JSON = "application/json; charset=utf-8";
  private static final String BENCH = "bench";
  /** The SMS gateway, which takes faults like a department so that tests can see the hub ride out its failures. */
  private static final String SMS = "sms";
  private static final int BODY_LIMIT = 64 * 1024;
  private static final int MAX_PEOPLE_LISTED = 1000;

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final DepartmentRecords records;
  private final FaultInjector faults;
  private final SoapEndpoint soap;
  private final IdentityServices identityServices;
  private final Set<String> departments;
  private final Map<String, Long> requests = new TreeMap<>();
  private HttpServer server;

  private DepartmentSimulator(Vertx vertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.records = new DepartmentRecords(new Population(options.seed(), options.people()));
    this.faults = new FaultInjector(options.seed());
    this.soap = new SoapEndpoint(records);
    this.identityServices = new IdentityServices(records);
    this.departments = Set.copyOf(records.departments());
  }

  public static DepartmentSimulator create(Vertx vertx, SimulatorOptions options) {
    return new DepartmentSimulator(vertx, options);
  }

  /** The generated population, for tests that want a person's ID number and name. */
  public Population population() {
    return records.population();
  }

  /** Binds the options' port and emits the port bound (the free one picked when the options say 0). */
  public Uni<Integer> start() {
    return start(options.port());
  }

  /** Binds {@code port} on the options' host and emits the port bound. */
  public Uni<Integer> start(int port) {
    Router router = router();
    return vertx.createHttpServer().requestHandler(router).listen(port, options.host())
        .invoke(s -> server = s).map(HttpServer::actualPort);
  }

  public Uni<Void> close() {
    return server == null ? Uni.createFrom().voidItem() : server.close();
  }

  private Router router() {
    Router router = Router.router(vertx);
    // Bodies are read before any fault's timer runs, and bounded.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    router.post().handler(body);
    router.put().handler(body);

    router.get("/_sim/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/_sim/queries").handler(this::listQueries);
    router.get("/_sim/people").handler(this::listPeople);
    router.get("/_sim/stats").handler(this::stats);
    router.put("/_sim/faults").handler(this::putFaults);
    router.get("/_sim/faults").handler(ctx -> json(ctx, 200, new JsonObject().put("faults", faults.toJson())));
    router.delete("/_sim/faults").handler(ctx -> {
      faults.clear(ctx.request().getParam("department"));
      ctx.response().setStatusCode(204).endAndForget();
    });

    router.route("/sms/*").handler(ctx -> applyFaults(ctx, SMS));
    router.post("/sms/messages").handler(identityServices::send);
    router.get("/_sim/sms").handler(identityServices::list);
    router.post("/face/compare").handler(identityServices::compare);

    router.route("/api/:department/*").handler(ctx -> enterDepartment(ctx, true));
    router.get("/api/bench/document").handler(this::benchDocument);
    router.post("/api/hrss/social-security-card/report-loss").handler(ctx -> write(ctx, 200, records::reportCardLoss));
    router.post("/api/hrss/social-security-card/unfreeze").handler(ctx -> write(ctx, 200, records::unfreezeCard));
    router.post("/api/civil-affairs/elderly-subsidy/certifications").handler(ctx -> write(ctx, 201, p -> records.certifyElderlySubsidy(p,
            ctx.body().asJsonObject().getString("bankCardNumber", ""))));
    router.get("/api/:department/:query").handler(this::restQuery);
    router.route("/api/*").failureHandler(this::restFailure);
    router.route("/sms/*").failureHandler(this::restFailure);

    for (SoapVersion version : SoapVersion.values()) {
      String path = version.pathPrefix + ":department";
      router.route(path).handler(ctx -> enterDepartment(ctx, false));
      router.get(path).handler(ctx -> wsdl(ctx, version));
      router.post(path).handler(ctx -> soap.call(ctx, version));
      router.route(version.pathPrefix + "*").failureHandler(ctx -> soap.failure(ctx, version));
    }

    router.route().last().handler(ctx -> error(ctx, 404, "NOT_FOUND", "no such path: " + ctx.request().path()));
    return router;
  }

  // ---- departments: request counting and fault injection ------------------------------------------------------

  /** Counts the request for its department and applies the department's faults before the protocol handler runs. */
  private void enterDepartment(RoutingContext ctx, boolean rest) {
    String department = ctx.pathParam("department");
    if (!departments.contains(department) && !(rest && department.equals(BENCH))) {
      error(ctx, 404, "UNKNOWN_DEPARTMENT", "no department " + department + "; known: " + records.departments());
      return;
    }
    applyFaults(ctx, department);
  }

  private void applyFaults(RoutingContext ctx, String department) {
    requests.merge(department, 1L, Long::sum);
    FaultInjector.Decision decision = faults.decide(department);
    if (decision.closeConnection()) {
      ctx.request().connection().closeAndForget();
    } else if (decision.delayMs() > 0) {
      vertx.setTimer(decision.delayMs(), t -> proceed(ctx, decision));
    } else {
      proceed(ctx, decision);
    }
  }

  private static void proceed(RoutingContext ctx, FaultInjector.Decision decision) {
    if (decision.fail()) {
      ctx.fail(decision.errorStatus(), new InjectedFault());
    } else {
      ctx.next();
    }
  }

  /** An error the control API asked for; carries no stack trace since nothing went wrong. */
  static final class InjectedFault extends RuntimeException {
    InjectedFault() {
      super("injected fault", null, false, false);
    }
  }

  // ---- REST ------------------------------------------------------------------------------------------------------

  private void restQuery(RoutingContext ctx) {
    DepartmentQuery query = records.query(ctx.pathParam("department"), ctx.pathParam("query")).orElse(null);
    if (query == null) {
      error(ctx, 404, "UNKNOWN_QUERY", "no query " + ctx.pathParam("query") + " at " + ctx.pathParam("department"));
      return;
    }
    Map<String, String> parameters = new HashMap<>();
    query.parameters().forEach(name -> parameters.put(name, ctx.request().getParam(name)));
    try {
      json(ctx, 200, records.lookup(query, parameters));
    } catch (QueryException e) {
      error(ctx, e.kind.status, e.kind.name(), e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Write {
    DepartmentRecords.WriteResult apply(Person person);
  }

  /** A write transaction: a JSON body naming the person by {@code idNumber}; a second identical call may be refused. */
  private void write(RoutingContext ctx, int status, Write write) {
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "INVALID_BODY", "the body must be a JSON object");
      return;
    }
    if (request == null) {
      error(ctx, 400, "INVALID_BODY", "the body must be a JSON object with idNumber");
      return;
    }
    try {
      Object idNumber = request.getValue("idNumber");
      DepartmentRecords.WriteResult result = write.apply(records.person(idNumber instanceof String s ? s : null));
      if (result.refused()) {
        error(ctx, 409, "REFUSED", result.refusal());
      } else {
        json(ctx, status, result.answer());
      }
    } catch (QueryException e) {
      error(ctx, e.kind.status, e.kind.name(), e.getMessage());
    }
  }

  private void benchDocument(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.request().getParam("id", ""));
    } catch (NumberFormatException e) {
      error(ctx, 400, "MISSING_PARAMETER", "id must be a whole number");
      return;
    }
    ctx.response().putHeader("content-type", JSON).endAndForget(BenchDocument.render(id));
  }

  /** {@code GET /ws/{department}?wsdl}; its soap:address is the address this request reached. */
  private void wsdl(RoutingContext ctx, SoapVersion version) {
    if (!ctx.request().params().contains("wsdl") && !ctx.request().params().contains("WSDL")) {
      error(ctx, 404, "NOT_FOUND", "GET " + ctx.request().path() + "?wsdl describes the service; POST calls it");
      return;
    }
    SocketAddress local = ctx.request().localAddress();
    String host = local.hostAddress().contains(":") ? "[" + local.hostAddress() + "]" : local.hostAddress();
    String department = ctx.pathParam("department");
    String address = "http://" + host + ":" + local.port() + version.pathPrefix + department;
    ctx.response().putHeader("content-type", "text/xml; charset=utf-8")
        .endAndForget(Wsdl.describe(records, department, version, address));
  }

  private void restFailure(RoutingContext ctx) {
    if (ctx.failure() instanceof InjectedFault) {
      error(ctx, ctx.statusCode(), "INJECTED_FAULT", "an error injected through /_sim/faults");
    } else if (ctx.statusCode() == 413) {
      error(ctx, 413, "BODY_TOO_LARGE", "a body has at most " + BODY_LIMIT + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      error(ctx, ctx.statusCode(), "BAD_REQUEST", "the request cannot be read");
    } else {
      error(ctx, 500, "INTERNAL", "the simulator failed: " + ctx.failure());
    }
  }

  // ---- control API -----------------------------------------------------------------------------------------------

  private void listQueries(RoutingContext ctx) {
    JsonArray all = new JsonArray();
    records.queries().forEach(q -> all.add(new JsonObject().put("path", "/api/" + q.path()).put("title", q.title())
        .put("seedItems", new JsonArray(q.seedItems())).put("parameters", new JsonArray(q.parameters()))
        .put("soapOperation", q.operation())));
    json(ctx, 200, new JsonObject().put("queries", all));
  }

  /** {@code ?has=department/query&limit=n}: people holding such a record, in index order, so tests can pick one. */
  private void listPeople(RoutingContext ctx) {
    String has = ctx.request().getParam("has");
    int limit;
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", "10"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_PEOPLE_LISTED) {
      error(ctx, 400, "INVALID_PARAMETER", "limit must be 1 to " + MAX_PEOPLE_LISTED);
      return;
    }
    DepartmentQuery query = null;
    if (has != null) {
      String[] parts = has.split("/", 2);
      query = parts.length == 2 ? records.query(parts[0], parts[1]).orElse(null) : null;
      if (query == null) {
        error(ctx, 400, "UNKNOWN_QUERY", "has must name a query as department/query, one of /_sim/queries");
        return;
      }
    }
    JsonArray people = new JsonArray();
    Population population = records.population();
    for (int i = 0; i < population.size() && people.size() < limit; i++) {
      Person p = population.person(i);
      if (query == null || records.covers(query, p)) {
        people.add(new JsonObject().put("idNumber", p.idNumber()).put("name", p.name()));
      }
    }
    json(ctx, 200, new JsonObject().put("people", people));
  }

  private void stats(RoutingContext ctx) {
    long total = requests.values().stream().mapToLong(Long::longValue).sum();
    json(ctx, 200, new JsonObject().put("requests", new JsonObject(new LinkedHashMap<>(requests)))
        .put("total", total).put("faults", faults.statsJson()));
  }

  private void putFaults(RoutingContext ctx) {
    try {
      JsonObject settings = ctx.body().asJsonObject();
      if (settings == null) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      FaultSettings fault = FaultSettings.fromJson(settings, faultTargets());
      faults.put(fault);
      json(ctx, 200, fault.toJson());
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "INVALID_BODY", "the body must be a JSON object");
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "INVALID_FAULT", e.getMessage());
    }
  }

  private Set<String> faultTargets() {
    Set<String> all = new TreeSet<>(departments);
    all.add(BENCH);
    all.add(SMS);
    return all;
  }

  // ---- answers -----------------------------------------------------------------------------------------------------

  static void json(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response().setStatusCode(status).putHeader("content-type", JSON);
    response.endAndForget(body.encode());
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("code", code).put("message", message));
  }
}
