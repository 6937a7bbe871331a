package io.huitong.connectors;

import io.huitong.connector.ConnectorException;
import io.huitong.connector.ConnectorException.Failure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code {name}} placeholders, filled from an invocation's input, e.g. {@code /api/people/{idNumber}}.
 * Parsed once when the connector is built; filling is a single pass.
 */
public final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

  /** Literal text and parameter names, alternating: even indexes are text, odd ones are names. */
  private final List<String> parts;

  private Template(List<String> parts) {
    this.parts = parts;
  }

  public static Template parse(String text) {
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int last = 0;
    while (m.find()) {
      parts.add(text.substring(last, m.start()));
      parts.add(m.group(1));
      last = m.end();
    }
    parts.add(text.substring(last));
    return new Template(List.copyOf(parts));
  }

  /** The names of the parameters it uses. */
  public Set<String> parameters() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) {
      names.add(parts.get(i));
    }
    return names;
  }

  /**
   * The text with each placeholder replaced by its parameter, passed through {@code encode}.
   *
   * @throws ConnectorException {@link Failure#BAD_REQUEST} naming a missing parameter
   */
  public String fill(JsonObject input, UnaryOperator<String> encode) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    StringBuilder out = new StringBuilder(parts.get(0));
    for (int i = 1; i < parts.size(); i += 2) {
      out.append(encode.apply(scalar(input, parts.get(i)))).append(parts.get(i + 1));
    }
    return out.toString();
  }

  /**
   * The parameter {@code name} of the input as text: a string, number or boolean.
   *
   * @throws ConnectorException {@link Failure#BAD_REQUEST} when it is missing, null or not a scalar
   */
  public static String scalar(JsonObject input, String name) {
    Object value = input.getValue(name);
    if (value == null) {
      throw new ConnectorException(Failure.BAD_REQUEST, "parameter '" + name + "' is missing");
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new ConnectorException(Failure.BAD_REQUEST, "parameter '" + name + "' must be a string, number or boolean");
  }
}
