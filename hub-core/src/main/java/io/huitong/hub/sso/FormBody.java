package io.huitong.hub.sso;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the body of a request to the provider's POST endpoints and, when it is {@code
 * application/x-www-form-urlencoded}, its fields ({@link #of}): the first value of each name, as OAuth (RFC 6749 3)
 * allows each parameter once. A body past {@code limit} bytes fails the request with 413, a malformed
 * percent-encoding with 400. This replaces Vert.x's BodyHandler on these routes: that one decodes forms through
 * Netty's multipart decoder, which took a tenth of the event loops' time in an introspection (perf/RESULTS.md).
 */
final class FormBody implements Consumer<RoutingContext> {
  private static final String KEY = FormBody.class.getName();
  private static final String FORM_TYPE = "application/x-www-form-urlencoded";

  private final long limit;

  FormBody(long limit) {
    this.limit = limit;
  }

  /** The fields of the request's form; empty when it had no form body. */
  static Map<String, String> of(RoutingContext ctx) {
    Map<String, String> form = ctx.get(KEY);
    return form == null ? Map.of() : form;
  }

  @Override
  public void accept(RoutingContext ctx) {
    HttpServerRequest request = ctx.request().getDelegate();
    if (declaredLength(request) > limit) {
      ctx.fail(413);
      return;
    }
    String expect = request.getHeader("Expect");
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        ctx.fail(417);
        return;
      }
      request.response().writeContinue();
    }
    if (request.isEnded()) {
      ctx.next();
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    request.handler(chunk -> {
      if (!tooLarge[0] && body.length() + chunk.length() > limit) {
        tooLarge[0] = true;
        ctx.fail(413);
      } else if (!tooLarge[0]) {
        body.appendBuffer(chunk);
      }
    }).endHandler(v -> {
      if (tooLarge[0]) {
        return;
      }
      if (isForm(request.getHeader("Content-Type"))) {
        try {
          ctx.put(KEY, parse(body.toString(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
          ctx.fail(400, e);
          return;
        }
      }
      ctx.next();
    }).resume();
  }

  /** The body's length from Content-Length, -1 when it is absent or not a number (chunked, HTTP/2). */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isForm(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, FORM_TYPE, 0, FORM_TYPE.length())
        && (contentType.length() == FORM_TYPE.length() || contentType.charAt(FORM_TYPE.length()) == ';'
        || contentType.charAt(FORM_TYPE.length()) == ' ');
  }

  /**
   * The fields of a form body ({@code name=value} pairs joined by {@code &}, each part form-urlencoded), first value
   * of each name; a name without {@code =} has the empty value.
   *
   * @throws IllegalArgumentException for a malformed percent-encoding
   */
  static Map<String, String> parse(String body) {
    Map<String, String> form = new HashMap<>();
    int start = 0;
    while (start < body.length()) {
      int end = body.indexOf('&', start);
      if (end < 0) {
        end = body.length();
      }
      if (end > start) {
        int equals = body.indexOf('=', start);
        if (equals < 0 || equals > end) {
          form.putIfAbsent(decode(body.substring(start, end)), "");
        } else {
          form.putIfAbsent(decode(body.substring(start, equals)), decode(body.substring(equals + 1, end)));
        }
      }
      start = end + 1;
    }
    return form;
  }

  private static String decode(String part) {
    return part.indexOf('%') < 0 && part.indexOf('+') < 0 ? part : URLDecoder.decode(part, StandardCharsets.UTF_8);
  }
}
