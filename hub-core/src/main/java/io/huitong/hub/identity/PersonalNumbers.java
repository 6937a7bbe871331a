package io.huitong.hub.identity;

import io.huitong.hub.identity.impl.IdentityFields;

/**
 * The identity capability's rules for personal numbers, for other capabilities that keep them: an ID number or a
 * phone is normalised here before it is sealed ({@link io.huitong.hub.signing.MasterKey#seal}) and indexed
 * ({@link io.huitong.hub.signing.BlindIndex}), and only its masked form is ever shown. Pure.
 */
public final class PersonalNumbers {
  private PersonalNumbers() {
  }

  /** An ID number as stored and indexed; fails {@code HT-ID-NUMBER-INVALID} (422). */
  public static String idNumber(String raw) {
    return IdentityFields.idNumber(raw);
  }

  /** A mainland mobile number as stored and indexed; fails {@code HT-PHONE-INVALID} (422). */
  public static String phone(String raw) {
    return IdentityFields.phone(raw);
  }

  /** {@code 320102********123X}. */
  public static String maskIdNumber(String idNumber) {
    return IdentityFields.maskIdNumber(idNumber);
  }

  /** {@code 139****5678}. */
  public static String maskPhone(String phone) {
    return IdentityFields.maskPhone(phone);
  }
}
