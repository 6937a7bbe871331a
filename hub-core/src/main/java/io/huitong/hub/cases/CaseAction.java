package io.huitong.hub.cases;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What can be done to a case, and the transition table: each action names the states it may start from and the one
 * state it leads to. {@link #from(CaseState)} is the only place a move is checked; anything else is refused with a
 * 409 {@code HT-CASE-TRANSITION} naming the state, the action and where it would have led.
 */
public enum CaseAction {
  /** Starts online pre-review (网上预审). */
  START_PRE_REVIEW(CaseState.PRE_REVIEW, CaseState.SUBMITTED),
  /** Pre-review passed (预审通过): waits for acceptance. */
  PASS_PRE_REVIEW(CaseState.PENDING_ACCEPT, CaseState.PRE_REVIEW),
  /** The window took the materials in (窗口收件) without an online pre-review. */
  RECEIVE(CaseState.PENDING_ACCEPT, CaseState.SUBMITTED),
  /** 一次性补正告知: what to correct, by when (行政许可法 art. 32). */
  NOTIFY_CORRECTION(CaseState.CORRECTION_REQUIRED, CaseState.PRE_REVIEW, CaseState.PENDING_ACCEPT),
  /** The applicant brought the corrections (补正提交). */
  RESUBMIT(CaseState.PENDING_ACCEPT, CaseState.CORRECTION_REQUIRED),
  /** The correction deadline passed without them: 补正不来办结 (BJJGDM 5). */
  CORRECTION_LAPSED(CaseState.CLOSED_NO_CORRECTION, CaseState.CORRECTION_REQUIRED),
  /** 受理 with a receipt; a one-window intake may accept straight away (即办件). Starts the clocks. */
  ACCEPT(CaseState.ACCEPTED, CaseState.SUBMITTED, CaseState.PENDING_ACCEPT),
  /** 不予受理 with a written notice and reason. */
  REJECT(CaseState.NOT_ACCEPTED, CaseState.SUBMITTED, CaseState.PRE_REVIEW, CaseState.PENDING_ACCEPT),
  /** A processing step (审批环节: code, name, handler, opinion). */
  STEP(CaseState.IN_PROCESS, CaseState.ACCEPTED, CaseState.IN_PROCESS),
  /** The department asks for more after acceptance (受理后补正); pauses the clock. */
  REQUEST_SUPPLEMENT(CaseState.SUPPLEMENTING, CaseState.ACCEPTED, CaseState.IN_PROCESS),
  /** The supplement arrived; the clock runs again. */
  SUPPLEMENT(CaseState.IN_PROCESS, CaseState.SUPPLEMENTING),
  /** 特别程序开始 (hearing, inspection, expert review...); pauses the clock. */
  SUSPEND(CaseState.SUSPENDED, CaseState.ACCEPTED, CaseState.IN_PROCESS),
  /** 特别程序结束; the clock runs again, the paused working days added to the deadlines. */
  RESUME(CaseState.IN_PROCESS, CaseState.SUSPENDED),
  /** 延期 approved: the promised and legal deadlines move by the days granted. */
  EXTEND(CaseState.IN_PROCESS, CaseState.ACCEPTED, CaseState.IN_PROCESS),
  /** 办结 with a result code (BJJGDM 0, 1, 2, 6 or 7). */
  CLOSE(CaseState.CLOSED, CaseState.ACCEPTED, CaseState.IN_PROCESS),
  /** The result reached the applicant (送达). */
  DELIVER(CaseState.DELIVERED, CaseState.CLOSED),
  /** 撤件 / 撤销申请 by the applicant. */
  WITHDRAW(CaseState.WITHDRAWN, CaseState.SUBMITTED, CaseState.PRE_REVIEW, CaseState.PENDING_ACCEPT,
      CaseState.CORRECTION_REQUIRED, CaseState.ACCEPTED, CaseState.IN_PROCESS, CaseState.SUPPLEMENTING,
      CaseState.SUSPENDED),
  /** 异常终止, with a reason. */
  TERMINATE(CaseState.TERMINATED, CaseState.SUBMITTED, CaseState.PRE_REVIEW, CaseState.PENDING_ACCEPT,
      CaseState.CORRECTION_REQUIRED, CaseState.ACCEPTED, CaseState.IN_PROCESS, CaseState.SUPPLEMENTING,
      CaseState.SUSPENDED);

  private final CaseState target;
  private final Set<CaseState> sources;

  CaseAction(CaseState target, CaseState first, CaseState... rest) {
    this.target = target;
    this.sources = EnumSet.of(first, rest);
  }

  /** The state this action leads to. */
  public CaseState target() {
    return target;
  }

  /** Whether this action may be taken in {@code state}. */
  public boolean allowedFrom(CaseState state) {
    return sources.contains(state);
  }

  /** The state this action leads to from {@code state}; fails with 409 HT-CASE-TRANSITION when it may not. */
  public CaseState from(CaseState state) {
    if (!allowedFrom(state)) {
      throw new HubException(HubError.CASE_TRANSITION, "A case in state " + state + " cannot " + this
          + " (which leads to " + target + ")", Map.of("from", state.name(), "to", target.name(), "action", name()));
    }
    return target;
  }
}
