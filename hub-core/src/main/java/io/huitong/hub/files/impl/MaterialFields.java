package io.huitong.hub.files.impl;

import io.huitong.hub.files.MaterialRegistration;
import io.huitong.hub.http.HubError;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The rules of a material's fields: bounds and characters, the holder ID number's normal form and masked form, and
 * the canonical metadata document the hub seals. Pure functions.
 */
final class MaterialFields {
  /** The blind index field of holder ID numbers: an index of one field never matches another's. */
  static final String HOLDER_ID_FIELD = "files.material.holder-id-number";
  static final String CANONICAL_FORMAT = "huitong-material/1";
  static final int MAX_NAME = 256;
  static final int MAX_TEXT = 128;
  static final int MAX_NUMBER = 64;
  private static final String NUMBER_CHARS = "[0-9A-Za-z._/-]{1," + MAX_NUMBER + "}";

  private MaterialFields() {
  }

  /**
   * The registration checked and normalised: text trimmed, the holder ID number upper-cased, the issue time to the
   * second. {@code HT-MATERIAL-INVALID} naming the first field at fault.
   */
  static MaterialRegistration check(MaterialRegistration r) {
    return new MaterialRegistration(r.uploadId(),
        text(HubError.MATERIAL_INVALID, "name", r.name(), MAX_NAME, true),
        text(HubError.MATERIAL_INVALID, "holderName", r.holderName(), MAX_TEXT, true),
        holderIdNumber(r.holderIdNumber()),
        department(r.department(), HubError.MATERIAL_INVALID),
        issuedAt(r.issuedAt()),
        number("businessNumber", r.businessNumber(), false),
        unifiedCode(r.unifiedCode()),
        number("caseNumber", r.caseNumber(), true));
  }

  /** An issuing department as given in a registration, an export or a query; {@code error} when it is not one. */
  static String department(String department, HubError error) {
    return text(error, "department", department, MAX_TEXT, true);
  }

  /** A holder ID number (resident ID, passport, unified social credit code ...) in its normal form. */
  static String holderIdNumber(String value) {
    String v = value == null ? null : value.trim().toUpperCase(Locale.ROOT);
    if (v == null || !v.matches("[0-9A-Z-]{2," + MAX_NUMBER + "}")) {
      throw invalid("holderIdNumber", "is 2 to " + MAX_NUMBER + " digits, letters and hyphens");
    }
    return v;
  }

  /** A case number (办件编号) as given in a registration or a query: opaque, 1 to 64 characters. */
  static String caseNumber(String value) {
    return number("caseNumber", value, true);
  }

  /** The ID number with all but its first 3 and last 2 characters hidden (wholly hidden when shorter than 8). */
  static String mask(String idNumber) {
    int n = idNumber.length();
    if (n < 8) {
      return "*".repeat(n);
    }
    return idNumber.substring(0, 3) + "*".repeat(n - 5) + idNumber.substring(n - 2);
  }

  /**
   * The document the seal covers: the material's id, its metadata with the holder's ID number in the clear, and the
   * file's length and SM3, as compact JSON with the keys always in this order. Changing any of them changes its SM3.
   */
  static byte[] canonical(String id, MaterialRegistration r, long fileSize, byte[] fileSm3) {
    return new JsonObject()
        .put("format", CANONICAL_FORMAT)
        .put("id", id)
        .put("uploadId", r.uploadId())
        .put("name", r.name())
        .put("holderName", r.holderName())
        .put("holderIdNumber", r.holderIdNumber())
        .put("department", r.department())
        .put("issuedAt", r.issuedAt().toString())
        .put("businessNumber", r.businessNumber())
        .put("unifiedCode", r.unifiedCode())
        .put("caseNumber", r.caseNumber())
        .put("fileSize", fileSize)
        .put("fileSm3", HexFormat.of().formatHex(fileSm3))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  private static Instant issuedAt(Instant at) {
    if (at == null) {
      throw invalid("issuedAt", "is required");
    }
    return at.truncatedTo(ChronoUnit.SECONDS);
  }

  private static String unifiedCode(String code) {
    if (code == null || code.isBlank()) {
      return null;
    }
    String problem = UnifiedCode.problem(code.trim());
    if (problem != null) {
      throw invalid("unifiedCode", problem);
    }
    return code.trim();
  }

  private static String number(String field, String value, boolean required) {
    String v = value == null || value.isBlank() ? null : value.trim();
    if (v == null) {
      if (required) {
        throw invalid(field, "is required");
      }
      return null;
    }
    if (!v.matches(NUMBER_CHARS)) {
      throw invalid(field, "is 1 to " + MAX_NUMBER + " letters, digits and . _ / -");
    }
    return v;
  }

  /** Free text: no control characters, at most {@code max} characters once trimmed. */
  private static String text(HubError error, String field, String value, int max, boolean required) {
    String v = value == null || value.isBlank() ? null : value.trim();
    if (v == null) {
      if (required) {
        throw invalid(error, field, "is required");
      }
      return null;
    }
    if (v.codePointCount(0, v.length()) > max) {
      throw invalid(error, field, "is longer than " + max + " characters");
    }
    if (v.codePoints().anyMatch(Character::isISOControl)) {
      throw invalid(error, field, "contains control characters");
    }
    return v;
  }

  private static RuntimeException invalid(String field, String problem) {
    return invalid(HubError.MATERIAL_INVALID, field, problem);
  }

  private static RuntimeException invalid(HubError error, String field, String problem) {
    return error.exception("Field '" + field + "' " + problem);
  }
}
