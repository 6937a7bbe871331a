package io.huitong.hub.proxy;

/**
 * The four kinds of interface of seed 000's interface management (接口管理). The kind decides whether a failed call
 * may be tried again: reading the same data twice is harmless, writing it twice is not.
 */
public enum ServiceKind {
  /** 查询: returns a department's record for the input. */
  QUERY(true),
  /** 核验: answers whether the input matches the department's record, without returning it. */
  VERIFY(true),
  /** 补全: fills in the fields of a submitted record the department holds. */
  COMPLETE(true),
  /** 共享: hands data to a department system or collects a shared data set; it may change upstream state. */
  SHARE(false);

  private final boolean idempotent;

  ServiceKind(boolean idempotent) {
    this.idempotent = idempotent;
  }

  /** Whether a call of this kind may be retried after a timeout or an unavailable upstream. */
  public boolean idempotent() {
    return idempotent;
  }

  /** The name used in definitions: {@code query}, {@code verify}, {@code complete}, {@code share}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
