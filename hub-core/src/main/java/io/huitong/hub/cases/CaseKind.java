package io.huitong.hub.cases;

/** 即办件 (handled in the same visit) or 承诺件 (handled within the promised working days); 好差评 projectType 1 and 2. */
public enum CaseKind {
  IMMEDIATE, PROMISED
}
