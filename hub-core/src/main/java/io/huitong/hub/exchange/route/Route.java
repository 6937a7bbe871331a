package io.huitong.hub.exchange.route;

import io.huitong.hub.config.DefinitionException;
import io.huitong.hub.config.Definitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A route (路由) of the exchange bus: records of which types from which sender nodes go to which receiver nodes, and
 * how their payloads are transformed for them.
 *
 * @param id         1 to 64 letters, digits and {@code . _ -}
 * @param senders    node ids whose records the route takes; empty for any sender
 * @param types      message types, such as {@code CASE_STEP}, the route takes; empty for any type
 * @param when       a condition on the JSON payload, or null to take every record the filters above let through
 * @param receivers  node ids each record goes to; at least one, each once
 * @param transforms steps applied in order to the payload, at most 32; empty to pass the payload on as it is
 * @param encrypt    whether the payloads travel encrypted for their receivers
 */
public record Route(String id, List<String> senders, List<String> types, Predicate when, List<String> receivers,
                    List<Transform> transforms, boolean encrypt) {
  public static final int MAX_TRANSFORMS = 32;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String ID_RULE = "1 to 64 letters, digits and . _ -";
  private static final List<String> KEYS = List.of("id", "senders", "types", "when", "receivers", "transforms",
      "encrypt");

  /** @throws DefinitionException if a value breaks the rules above; its path is the component's JSON key */
  public Route {
    Definitions.matching(id, "id", ID, ID_RULE);
    senders = senders == null ? List.of() : Definitions.tokens(senders, "senders", false);
    types = types == null ? List.of() : Definitions.tokens(types, "types", false);
    receivers = Definitions.tokens(receivers, "receivers", true);
    transforms = transforms == null ? List.of() : List.copyOf(transforms);
    if (transforms.size() > MAX_TRANSFORMS) {
      throw new DefinitionException("transforms", "has " + transforms.size() + " steps; at most " + MAX_TRANSFORMS
          + " are allowed");
    }
  }

  /**
   * Reads a route from its JSON form: the keys {@code id}, {@code receivers} and, optionally, {@code senders},
   * {@code types}, {@code when}, {@code transforms} and {@code encrypt} (default false); an optional key given as
   * null counts as absent.
   *
   * @param pathPrefix what comes before a key in error paths: {@code ""} for a route on its own, as the API takes
   *                   it, or {@code "routes[3]."} for one in the definitions file
   * @throws DefinitionException naming the path of the first invalid value, an unknown key included
   */
  public static Route parse(JsonObject json, String pathPrefix) {
    String path = pathPrefix.endsWith(".") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
    Definitions.onlyKeys(json, path, KEYS);
    String id = Definitions.matching(Definitions.required(json, path, "id"), Definitions.at(path, "id"), ID, ID_RULE);
    List<String> senders = json.getValue("senders") == null ? List.of()
        : Definitions.tokens(json.getValue("senders"), Definitions.at(path, "senders"), false);
    List<String> types = json.getValue("types") == null ? List.of()
        : Definitions.tokens(json.getValue("types"), Definitions.at(path, "types"), false);
    Predicate when = json.getValue("when") == null ? null : Predicate.parse(json.getValue("when"),
        Definitions.at(path, "when"));
    List<String> receivers = Definitions.tokens(Definitions.required(json, path, "receivers"), Definitions.at(path, "receivers"),
        true);
    List<Transform> transforms = new ArrayList<>();
    if (json.getValue("transforms") != null) {
      String at = Definitions.at(path, "transforms");
      JsonArray steps = Definitions.list(json.getValue("transforms"), at);
      if (steps.size() > MAX_TRANSFORMS) {
        throw new DefinitionException(at, "has " + steps.size() + " steps; at most " + MAX_TRANSFORMS + " are allowed");
      }
      for (int i = 0; i < steps.size(); i++) {
        transforms.add(Transform.parse(steps.getValue(i), Definitions.at(at, i)));
      }
    }
    boolean encrypt = json.getValue("encrypt") != null && Definitions.bool(json.getValue("encrypt"),
        Definitions.at(path, "encrypt"));
    return new Route(id, senders, types, when, receivers, transforms, encrypt);
  }

  /**
   * Whether this route takes a record.
   *
   * @param payloadOrNull the payload as a JSON object, or null if it is not one: then a route with a {@code when}
   *                      condition does not take the record
   */
  public boolean matches(String sender, String type, JsonObject payloadOrNull) {
    return takes(sender, type) && (when == null || payloadOrNull != null && when.test(payloadOrNull));
  }

  /** The sender and type filters alone, which need no payload. */
  boolean takes(String sender, String type) {
    return (senders.isEmpty() || senders.contains(sender)) && (types.isEmpty() || types.contains(type));
  }

  /**
   * The payload as this route's receivers get it: the steps applied in order, or the very same array if there are
   * none.
   *
   * @throws TransformException if a step cannot handle the payload
   */
  public byte[] transform(byte[] payload) {
    return transforms.isEmpty() ? payload : transform(Payload.of(payload)).bytes();
  }

  Payload transform(Payload payload) {
    Payload current = payload;
    for (Transform step : transforms) {
      current = step instanceof TransformStep known ? known.applyTo(current) : Payload.of(step.apply(current.bytes()));
    }
    return current;
  }

  /** The JSON form, which {@link #parse} reads back to an equal route. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("senders", new JsonArray(new ArrayList<>(senders)))
        .put("types", new JsonArray(new ArrayList<>(types)));
    if (when != null) {
      json.put("when", when.toJson());
    }
    JsonArray steps = new JsonArray();
    transforms.forEach(t -> steps.add(t.toJson()));
    return json.put("receivers", new JsonArray(new ArrayList<>(receivers)))
        .put("transforms", steps)
        .put("encrypt", encrypt);
  }

  /** Routes key the relay's batches for every record: the id alone tells routes apart cheaply. */
  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
