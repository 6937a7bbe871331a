package io.huitong.hub.http;

import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/** Query parameters read strictly: a value out of range or not among the choices is a 400 naming the parameter. */
public final class QueryParams {
  private QueryParams() {
  }

  /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
  public static long longParam(RoutingContext ctx, String name, long fallback, long min, long max) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(values.get(0));
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below, like an out-of-range number
    }
    throw HubError.BAD_REQUEST.exception("Query parameter '" + name + "' must be a whole number from " + min + " to " + max);
  }

  /** One of the constants of {@code type} (any case), or null when absent. */
  public static <E extends Enum<E>> E enumParam(RoutingContext ctx, String name, Class<E> type) {
    String value = stringParam(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HubError.BAD_REQUEST.exception("Query parameter '" + name + "' must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  /** The parameter's first value, or null when absent. */
  public static String stringParam(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    return values.isEmpty() ? null : values.get(0);
  }
}
