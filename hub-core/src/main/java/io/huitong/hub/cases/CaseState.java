package io.huitong.hub.cases;

/**
 * Where a case (办件) stands, per the hub's canonical state machine (gov-standards-and-models §2.5). Which moves are
 * allowed between them is {@link CaseAction}'s business; this only says what each state means for the clock.
 */
public enum CaseState {
  /** 申报/收件: received, not yet looked at. */
  SUBMITTED,
  /** 网上预审: an online application under pre-review. */
  PRE_REVIEW,
  /** 待受理: materials checked, waiting for the acceptance decision. */
  PENDING_ACCEPT,
  /** 补齐补正告知: the applicant was told once what to correct; the case waits for them. */
  CORRECTION_REQUIRED,
  /** 受理: accepted with a receipt; the promised and legal clocks run from here. */
  ACCEPTED,
  /** 办理中: at least one processing step (审批环节) recorded. */
  IN_PROCESS,
  /** 受理后补正: the department asked for more after acceptance; the clock is paused. */
  SUPPLEMENTING,
  /** 特别程序 (hearing, inspection, expert review...): the clock is paused. */
  SUSPENDED,
  /** 办结 with a result code (BJJGDM). */
  CLOSED,
  /** 送达: the result or licence reached the applicant. */
  DELIVERED,
  /** 不予受理, with its written notice. */
  NOT_ACCEPTED,
  /** 补正不来办结 (BJJGDM 5): the correction never came. */
  CLOSED_NO_CORRECTION,
  /** 撤件/撤销申请 (BJJGDM 3). */
  WITHDRAWN,
  /** 异常终止 (BJJGDM 2). */
  TERMINATED;

  /** No move leaves this state. */
  public boolean terminal() {
    return this == DELIVERED || this == NOT_ACCEPTED || this == CLOSED_NO_CORRECTION || this == WITHDRAWN
        || this == TERMINATED;
  }

  /** The promised and legal clocks run: supervision watches the case. */
  public boolean clockRunning() {
    return this == ACCEPTED || this == IN_PROCESS;
  }

  /** Accepted and not yet finished: the clock runs or is paused. */
  public boolean open() {
    return clockRunning() || this == SUSPENDED || this == SUPPLEMENTING;
  }
}
