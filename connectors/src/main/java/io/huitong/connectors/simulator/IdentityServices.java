package io.huitong.connectors.simulator;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outside services real-name registration relies on: an SMS gateway (短信网关) that keeps what it was asked to
 * send so a test can read the one-time code a phone received, and a face comparison service (人脸比对) whose score
 * for an ID number and an image is deterministic. Runs on the simulator's one event loop, like its other state.
 */
final class IdentityServices {
  /** The image the face service takes for a person's own face: the UTF-8 bytes of this prefix and the ID number. */
  static final String FACE_PREFIX = "face:";
  static final int MATCH_SCORE = 97;
  private static final int MAX_TEXT = 500;
  private static final int KEPT_PER_PHONE = 20;
  private static final int MAX_PHONES = 100_000;
  private static final int MAX_IMAGE_BYTES = 48 * 1024;
  private static final Pattern CODE = Pattern.compile("(?<![0-9])([0-9]{6})(?![0-9])");

  private final DepartmentRecords records;
  /** Messages by phone, oldest phone first so the map stays bounded. */
  private final Map<String, Deque<JsonObject>> messages = new LinkedHashMap<>();
  private long sent;

  IdentityServices(DepartmentRecords records) {
    this.records = records;
  }

  /** {@code POST /sms/messages} {@code {"phone", "text"}}: 202 {@code {"messageId"}}. */
  void send(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    Object phone = body.getValue("phone");
    Object text = body.getValue("text");
    if (!(phone instanceof String p) || !p.matches("1[0-9]{10}")) {
      DepartmentSimulator.error(ctx, 400, "INVALID_PHONE", "phone must be 11 digits starting with 1");
      return;
    }
    if (!(text instanceof String t) || t.isEmpty() || t.length() > MAX_TEXT) {
      DepartmentSimulator.error(ctx, 400, "INVALID_TEXT", "text must be 1 to " + MAX_TEXT + " characters");
      return;
    }
    String id = "sms-" + (++sent);
    Deque<JsonObject> kept = messages.remove(p);
    if (kept == null) {
      kept = new ArrayDeque<>();
      if (messages.size() >= MAX_PHONES) {
        messages.remove(messages.keySet().iterator().next());
      }
    }
    kept.addLast(new JsonObject().put("messageId", id).put("text", t).put("sentAt", Instant.now().toString()));
    if (kept.size() > KEPT_PER_PHONE) {
      kept.removeFirst();
    }
    messages.put(p, kept);
    DepartmentSimulator.json(ctx, 202, new JsonObject().put("messageId", id));
  }

  /** {@code GET /_sim/sms?phone=}: the messages kept for the phone, oldest first, and the last one's 6-digit code. */
  void list(RoutingContext ctx) {
    String phone = ctx.request().getParam("phone");
    if (phone == null || phone.isBlank()) {
      DepartmentSimulator.error(ctx, 400, "MISSING_PARAMETER", "phone is required");
      return;
    }
    Deque<JsonObject> kept = messages.getOrDefault(phone, new ArrayDeque<>());
    JsonArray all = new JsonArray();
    kept.forEach(all::add);
    String lastCode = null;
    if (!kept.isEmpty()) {
      Matcher m = CODE.matcher(kept.getLast().getString("text"));
      lastCode = m.find() ? m.group(1) : null;
    }
    DepartmentSimulator.json(ctx, 200, new JsonObject().put("messages", all).put("lastCode", lastCode));
  }

  /**
   * {@code POST /face/compare} {@code {"idNumber", "image"}} (image in base64): {@code {"score"}} from 0 to 100,
   * {@value #MATCH_SCORE} for the person's own face ({@link #FACE_PREFIX} + ID number), below 40 for any other
   * image, the same every time. 404 {@code UNKNOWN_PERSON} for an ID number of no one.
   */
  void compare(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    Object idNumber = body.getValue("idNumber");
    Object image = body.getValue("image");
    byte[] bytes;
    try {
      bytes = image instanceof String s ? Base64.getDecoder().decode(s) : null;
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_IMAGE_BYTES) {
      DepartmentSimulator.error(ctx, 400, "INVALID_IMAGE", "image must be base64 of 1 to " + MAX_IMAGE_BYTES + " bytes");
      return;
    }
    try {
      Person person = records.person(idNumber instanceof String s ? s : null);
      String own = FACE_PREFIX + person.idNumber();
      int score = own.equals(new String(bytes, StandardCharsets.UTF_8)) ? MATCH_SCORE
          : Math.floorMod((own + "|" + Base64.getEncoder().encodeToString(bytes)).hashCode(), 40);
      DepartmentSimulator.json(ctx, 200, new JsonObject().put("idNumber", person.idNumber()).put("score", score));
    } catch (QueryException e) {
      DepartmentSimulator.error(ctx, e.kind.status, e.kind.name(), e.getMessage());
    }
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    DepartmentSimulator.error(ctx, 400, "INVALID_BODY", "the body must be a JSON object");
    return null;
  }
}
