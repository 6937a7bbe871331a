package io.huitong.hub.identity.impl;

import io.huitong.hub.http.HubError;
import io.huitong.hub.identity.PersonalNumbers;
import java.util.Locale;

/** Checking, normalising and masking what people type: ID numbers, phones, credit codes, names, passwords. Pure. */
public final class IdentityFields {
  /** Blind index fields: an index of one never matches another's. */
  static final String ID_NUMBER_FIELD = "identity.id-number";
  static final String PHONE_FIELD = "identity.phone";
  static final String CREDIT_CODE_FIELD = "identity.credit-code";

  private static final String CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] CREDIT_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  private static final int MAX_NAME = 100;
  private static final int MIN_PASSWORD = 8;
  private static final int MAX_PASSWORD = 128;
  private static final int MAX_ITEMS = 50;

  private IdentityFields() {
  }

  /** An ID number as stored and indexed; see {@link PersonalNumbers#idNumber}. */
  public static String idNumber(String raw) {
    return PersonalNumbers.idNumber(raw);
  }

  /** A mainland mobile number as stored and indexed; see {@link PersonalNumbers#phone}. */
  public static String phone(String raw) {
    return PersonalNumbers.phone(raw);
  }

  /** Whether {@code s} is a unified social credit code of GB 32100-2015 with the right check character. */
  public static boolean isCreditCode(String s) {
    if (s == null || s.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int value = CREDIT_ALPHABET.indexOf(s.charAt(i));
      if (value < 0) {
        return false;
      }
      sum += value * CREDIT_WEIGHTS[i];
    }
    int check = (31 - sum % 31) % 31;
    return s.charAt(17) == CREDIT_ALPHABET.charAt(check);
  }

  /** A credit code as stored: trimmed, upper-cased; fails CREDIT_CODE_INVALID. */
  public static String creditCode(String raw) {
    String s = raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT);
    if (!isCreditCode(s)) {
      throw HubError.CREDIT_CODE_INVALID.exception("Send the 18-character unified social credit code");
    }
    return s;
  }

  /** A person's or organisation's name: trimmed, 1 to 100 characters, no control characters. */
  public static String name(String raw) {
    String s = raw == null ? "" : raw.trim();
    if (s.isEmpty() || s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
      throw HubError.IDENTITY_INPUT_INVALID.exception("Field 'name' must be 1 to " + MAX_NAME + " characters");
    }
    return s;
  }

  /** Checks a new password: 8 to 128 characters of at least two kinds (letters, digits, others). */
  public static String newPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw HubError.PASSWORD_WEAK.exception("A password has 8 to 128 characters");
    }
    boolean letter = password.chars().anyMatch(Character::isLetter);
    boolean digit = password.chars().anyMatch(Character::isDigit);
    boolean other = password.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
    if ((letter ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0) < 2) {
      throw HubError.PASSWORD_WEAK.exception("A password mixes at least two of letters, digits and other characters");
    }
    return password;
  }

  /** Delegated items: 1 to 50 matter codes of 1 to 100 letters, digits, dots, dashes or underscores. */
  public static java.util.List<String> items(java.util.List<String> items) {
    if (items == null || items.isEmpty() || items.size() > MAX_ITEMS
        || items.stream().anyMatch(i -> i == null || !i.matches("[A-Za-z0-9._-]{1,100}"))) {
      throw HubError.IDENTITY_INPUT_INVALID.exception("Field 'items' must list 1 to " + MAX_ITEMS
          + " matter codes of 1 to 100 letters, digits, '.', '_' or '-'");
    }
    return java.util.List.copyOf(new java.util.LinkedHashSet<>(items));
  }

  static String maskIdNumber(String idNumber) {
    return PersonalNumbers.maskIdNumber(idNumber);
  }

  static String maskPhone(String phone) {
    return PersonalNumbers.maskPhone(phone);
  }

  /** Which kind of login was typed: an ID number (18 characters) or a phone. Never says whether it exists. */
  static boolean looksLikeIdNumber(String login) {
    return login != null && login.trim().length() == 18;
  }
}
