package io.huitong.hub.proxy.impl;

/** An alarm rule that cannot be accepted; the message names the rule and the field at fault. */
public final class AlarmRuleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  AlarmRuleException(String ruleId, String field, String message) {
    super("alarm rule '" + ruleId + "': '" + field + "' " + message);
    this.field = field;
  }

  /** The field at fault, such as {@code threshold} or {@code scope.region}. */
  public String field() {
    return field;
  }
}
