package io.huitong.connectors.http;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorSettings;
import io.huitong.connectors.HttpTransport;
import io.huitong.connectors.OperationConnector;
import io.huitong.connectors.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A department's HTTP/JSON API (部门接口). Each operation is a request whose path, query and headers are templates
 * filled from the input; POST, PUT and PATCH send the input's other fields as a JSON body. A JSON object answer is
 * the result as it is, a JSON array becomes {@code {"items": [...]}}. Settings: docs/connectors.md.
 */
public final class HttpConnector extends OperationConnector<HttpConnector.Request> {
  private static final Set<String> SETTINGS = HttpTransport.settingsWith(
      Set.of("base-url", "health-path", "headers", "operations"));
  private static final Set<String> OPERATION_SETTINGS = Set.of("method", "path", "query", "headers", "idempotent");
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
      HttpMethod.DELETE, HttpMethod.OPTIONS);
  private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  /** One operation, compiled from its settings. */
  record Request(HttpMethod method, Template path, Map<String, Template> query, Map<String, Template> headers,
                 Set<String> templated) {
  }

  private final WebClient client;
  private final BodyCodec<Buffer> body;
  private final HttpTransport.Address base;
  private final String healthPath;
  private final Map<String, String> headers;

  /** Reads every setting before it opens the client, so that a bad setting leaves nothing to close. */
  private HttpConnector(Vertx vertx, String id, ConnectorSettings settings) {
    super(id, "http", HttpTransport.timeout(settings), compileOperations(settings, HttpConnector::compile));
    this.base = HttpTransport.Address.of(settings, "base-url");
    String health = settings.string("health-path", null);
    if (health != null && !health.startsWith("/")) {
      throw settings.invalid("health-path", "must start with /");
    }
    this.healthPath = health != null ? base.path() + health : base.path().isEmpty() ? "/" : base.path();
    this.headers = Map.copyOf(strings(settings, "headers"));
    this.body = HttpTransport.body(settings);
    this.client = HttpTransport.client(vertx, settings);
  }

  static HttpConnector create(Vertx vertx, String id, ConnectorSettings settings) {
    settings.allowOnly(SETTINGS);
    return new HttpConnector(vertx, id, settings);
  }

  private static Compiled<Request> compile(ConnectorSettings op) {
    op.allowOnly(OPERATION_SETTINGS);
    HttpMethod method = HttpMethod.valueOf(op.string("method", "GET").toUpperCase(Locale.ROOT));
    if (!IDEMPOTENT.contains(method) && !WITH_BODY.contains(method)) {
      throw op.invalid("method", "must be one of GET, HEAD, OPTIONS, DELETE, PUT, POST, PATCH");
    }
    String path = op.string("path");
    if (!path.startsWith("/")) {
      throw op.invalid("path", "must start with /");
    }
    Map<String, Template> query = templates(op, "query");
    Map<String, Template> headers = templates(op, "headers");
    Template pathTemplate = Template.parse(path);
    Set<String> templated = new HashSet<>(pathTemplate.parameters());
    query.values().forEach(t -> templated.addAll(t.parameters()));
    headers.values().forEach(t -> templated.addAll(t.parameters()));
    Request request = new Request(method, pathTemplate, query, headers, Set.copyOf(templated));
    return new Compiled<>(request, op.bool("idempotent", IDEMPOTENT.contains(method)));
  }

  private static Map<String, Template> templates(ConnectorSettings op, String key) {
    Map<String, Template> templates = new LinkedHashMap<>();
    strings(op, key).forEach((name, text) -> templates.put(name, Template.parse(text)));
    return Map.copyOf(templates);
  }

  /** The optional object {@code key} of strings, in declared order. */
  private static Map<String, String> strings(ConnectorSettings settings, String key) {
    Map<String, String> strings = new LinkedHashMap<>();
    if (settings.json().containsKey(key)) {
      ConnectorSettings section = settings.section(key);
      section.json().fieldNames().forEach(name -> strings.put(name, section.string(name)));
    }
    return strings;
  }

  @Override
  protected Uni<JsonObject> call(Request op, JsonObject input) {
    HttpRequest<Buffer> request = client
        .request(op.method(), base.port(), base.host(), base.path() + op.path().fill(input, HttpConnector::pathSegment))
        .as(body)
        .ssl(base.ssl())
        .timeout(timeout().toMillis())
        .putHeader("Accept", "application/json");
    headers.forEach(request::putHeader);
    op.headers().forEach((header, value) -> request.putHeader(header, value.fill(input, HttpConnector::headerValue)));
    op.query().forEach((param, value) -> request.addQueryParam(param, value.fill(input, UnaryOperator.identity())));
    Uni<HttpResponse<Buffer>> sent = WITH_BODY.contains(op.method())
        ? request.sendJsonObject(jsonBody(op, input))
        : request.send();
    return sent.map(HttpConnector::read);
  }

  /** The input's fields that no template used; the input itself when none did. */
  private static JsonObject jsonBody(Request op, JsonObject input) {
    if (op.templated().isEmpty()) {
      return input;
    }
    JsonObject body = new JsonObject();
    input.forEach(field -> {
      if (!op.templated().contains(field.getKey())) {
        body.put(field.getKey(), field.getValue());
      }
    });
    return body;
  }

  /** The answer as a result: decoded once, straight from the received bytes. */
  private static JsonObject read(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw HttpTransport.statusFailure(status);
    }
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ConnectorException(Failure.BAD_RESPONSE, "the answer is not JSON");
    }
    if (decoded instanceof JsonObject object) {
      return object;
    }
    if (decoded instanceof JsonArray array) {
      return new JsonObject().put("items", array);
    }
    throw new ConnectorException(Failure.BAD_RESPONSE, "the answer is neither a JSON object nor a JSON array");
  }

  @Override
  protected Uni<String> probe() {
    return client.get(base.port(), base.host(), healthPath).as(BodyCodec.none()).ssl(base.ssl())
        .timeout(timeout().toMillis()).send()
        .map(response -> {
          if (response.statusCode() >= 500) {
            throw HttpTransport.statusFailure(response.statusCode());
          }
          return "GET " + healthPath + ": HTTP " + response.statusCode();
        });
  }

  @Override
  public Uni<Void> close() {
    return Uni.createFrom().voidItem().invoke(client::close);
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A header value as it is, unless it could end the header and start another (CR, LF and other controls). */
  private static String headerValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        throw new ConnectorException(Failure.BAD_REQUEST, "a header parameter holds a control character");
      }
    }
    return value;
  }
}
