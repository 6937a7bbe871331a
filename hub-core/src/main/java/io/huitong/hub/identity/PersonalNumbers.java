package io.huitong.hub.identity;

import io.huitong.hub.http.HubError;
import io.huitong.hub.proxy.ResidentId;
import java.util.Locale;

/**
 * Personal numbers as they are stored and blind-indexed, for every capability that keeps them: the same
 * normalisation everywhere, so an index computed by one matches the value typed into another. Pure.
 */
public final class PersonalNumbers {
  private PersonalNumbers() {
  }

  /** An ID number as stored and indexed: trimmed, check letter upper-cased; fails ID_NUMBER_INVALID. */
  public static String idNumber(String raw) {
    String s = raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT);
    if (!ResidentId.isValid(s)) {
      throw HubError.ID_NUMBER_INVALID.exception("Send the 18-character resident ID number with its check character");
    }
    return s;
  }

  /** A mainland mobile number as stored and indexed: 11 digits from 1, without +86 or spaces; fails PHONE_INVALID. */
  public static String phone(String raw) {
    String s = raw == null ? "" : raw.replaceAll("[\\s-]", "");
    if (s.startsWith("+86")) {
      s = s.substring(3);
    } else if (s.startsWith("0086")) {
      s = s.substring(4);
    }
    if (!s.matches("1[3-9][0-9]{9}")) {
      throw HubError.PHONE_INVALID.exception("Send an 11-digit mainland mobile number, such as 13912345678");
    }
    return s;
  }

  /** {@code 320102********123X}: the region and the last four, not the birth date (seed 000 L299). */
  public static String maskIdNumber(String idNumber) {
    return idNumber.substring(0, 6) + "*".repeat(idNumber.length() - 10) + idNumber.substring(idNumber.length() - 4);
  }

  /** {@code 139****5678}. */
  public static String maskPhone(String phone) {
    return phone.substring(0, 3) + "****" + phone.substring(7);
  }
}
