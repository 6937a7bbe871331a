package io.huitong.connectors.soap;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.huitong.connector.ConnectorSettings;
import io.huitong.connectors.HttpTransport;
import io.huitong.connectors.OperationConnector;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A department's SOAP 1.1 or 1.2 web service (document/literal), described by its WSDL. The WSDL is fetched on the
 * first call, not when the connector is built (the hub starts while a department is down), and kept once read; a
 * failed fetch is tried again on the next call. Settings and the XML↔JSON mapping: docs/connectors.md.
 */
public final class SoapConnector extends OperationConnector<SoapConnector.Call> {
  private static final Set<String> SETTINGS = HttpTransport.settingsWith(
      Set.of("wsdl", "endpoint", "version", "operations"));
  private static final Set<String> OPERATION_SETTINGS = Set.of("operation", "lists", "idempotent");

  /** One operation, compiled from its settings: the WSDL operation it calls, and the fields always read as lists. */
  record Call(String operation, Set<String> lists) {
  }

  /** Where and how to send, once the WSDL is read. */
  private record Target(ServiceDescription description, SoapVersion version, HttpTransport.Address endpoint) {
  }

  private final WebClient client;
  private final BodyCodec<Buffer> body;
  private final String wsdl;
  private final String endpoint;
  private final SoapVersion version;
  private final ConnectorSettings settings;
  private final AtomicReference<Uni<Target>> target = new AtomicReference<>();

  /** Reads every setting before it opens the client, so that a bad setting leaves nothing to close. */
  private SoapConnector(Vertx vertx, String id, ConnectorSettings settings) {
    super(id, "soap", HttpTransport.timeout(settings), compileOperations(settings, SoapConnector::compile));
    this.settings = settings;
    this.wsdl = settings.string("wsdl");
    HttpTransport.Address.parse(wsdl.split("\\?", 2)[0], settings, "wsdl");
    this.endpoint = settings.string("endpoint", null);
    if (endpoint != null) {
      HttpTransport.Address.of(settings, "endpoint");
    }
    this.version = settings.json().containsKey("version") ? SoapVersion.labelled(settings.string("version")) : null;
    if (settings.json().containsKey("version") && version == null) {
      throw settings.invalid("version", "must be 1.1 or 1.2");
    }
    this.body = HttpTransport.body(settings);
    this.client = HttpTransport.client(vertx, settings);
  }

  static SoapConnector create(Vertx vertx, String id, ConnectorSettings settings) {
    settings.allowOnly(SETTINGS);
    return new SoapConnector(vertx, id, settings);
  }

  private static Compiled<Call> compile(ConnectorSettings op) {
    op.allowOnly(OPERATION_SETTINGS);
    String operation = op.string("operation");
    if (!SoapEnvelope.isElementName(operation)) {
      throw op.invalid("operation", "must be an XML element name");
    }
    Set<String> lists = new HashSet<>();
    if (op.json().containsKey("lists")) {
      for (Object field : op.array("lists")) {
        if (!(field instanceof String s) || !SoapEnvelope.isElementName(s)) {
          throw op.invalid("lists", "must be a list of element names");
        }
        lists.add(s);
      }
    }
    return new Compiled<>(new Call(operation, Set.copyOf(lists)), op.bool("idempotent", false));
  }

  @Override
  protected Uni<JsonObject> call(Call call, JsonObject input) {
    return target().chain(t -> {
      String action = t.description().actions().get(call.operation());
      if (action == null) {
        throw new ConnectorException(Failure.MISCONFIGURED,
            "the WSDL's binding has no operation '" + call.operation() + "'");
      }
      String envelope = SoapEnvelope.request(t.version(), t.description().targetNamespace(), call.operation(), input);
      HttpRequest<Buffer> request = client
          .post(t.endpoint().port(), t.endpoint().host(), t.endpoint().path().isEmpty() ? "/" : t.endpoint().path())
          .as(body)
          .ssl(t.endpoint().ssl())
          .timeout(timeout().toMillis())
          .putHeader("Content-Type", t.version().contentType(action));
      if (t.version() == SoapVersion.V1_1) {
        request.putHeader("SOAPAction", "\"" + action + "\"");
      }
      return request.sendBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(envelope))
          .map(response -> read(response, t.version(), call.lists()));
    });
  }

  /** The answer's envelope as a result; a fault is a fault whatever the status, other statuses map as for HTTP. */
  private static JsonObject read(HttpResponse<Buffer> response, SoapVersion version, Set<String> lists) {
    int status = response.statusCode();
    byte[] body = response.body() == null ? new byte[0] : response.body().getBytes();
    if (status >= 200 && status <= 299) {
      return SoapEnvelope.response(body, version, lists);
    }
    try {
      SoapEnvelope.response(body, version, lists);
    } catch (ConnectorException e) {
      if (e.failure() != Failure.BAD_RESPONSE) {
        throw e;
      }
    }
    throw HttpTransport.statusFailure(status);
  }

  /** The WSDL, read on first use and then kept; a failure is forgotten so that the next call fetches it again. */
  private Uni<Target> target() {
    Uni<Target> current = target.get();
    if (current == null) {
      Uni<Target> fetch = fetchWsdl().memoize().indefinitely();
      current = target.compareAndSet(null, fetch) ? fetch : target.get();
    }
    Uni<Target> used = current;
    return used.onFailure().invoke(() -> target.compareAndSet(used, null));
  }

  private Uni<Target> fetchWsdl() {
    return client.getAbs(wsdl).as(body).timeout(timeout().toMillis()).send().map(response -> {
      if (response.statusCode() < 200 || response.statusCode() > 299) {
        throw HttpTransport.statusFailure(response.statusCode());
      }
      ServiceDescription description = ServiceDescription.parse(
          response.body() == null ? new byte[0] : response.body().getBytes(), version);
      String address = endpoint != null ? endpoint : description.endpoint();
      return new Target(description, version != null ? version : description.version(),
          HttpTransport.Address.parse(address, settings, endpoint != null ? "endpoint" : "wsdl"));
    });
  }

  @Override
  protected Uni<String> probe() {
    return client.getAbs(wsdl).as(BodyCodec.none()).timeout(timeout().toMillis()).send().map(response -> {
      if (response.statusCode() >= 500) {
        throw HttpTransport.statusFailure(response.statusCode());
      }
      return "GET the WSDL: HTTP " + response.statusCode();
    });
  }

  @Override
  public Uni<Void> close() {
    return Uni.createFrom().voidItem().invoke(client::close);
  }
}
