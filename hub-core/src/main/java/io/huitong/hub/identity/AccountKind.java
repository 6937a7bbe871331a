package io.huitong.hub.identity;

/** Who an account is: a citizen (自然人) or an enterprise or organisation (法人). */
public enum AccountKind {
  NATURAL_PERSON, LEGAL_PERSON
}
