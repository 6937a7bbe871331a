package io.huitong.hub.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.huitong.hub.http.HubError;
import io.huitong.hub.http.HubException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of state and action, against the transition table of gov-standards-and-models §2.5 written out here
 * independently of {@link CaseAction}: allowed pairs lead where the table says, every other pair is a 409 naming
 * from and to.
 */
class CaseActionTest {
  /** "FROM ACTION TO", one allowed move each. */
  static final Set<String> ALLOWED = Set.of(
      "SUBMITTED START_PRE_REVIEW PRE_REVIEW",
      "PRE_REVIEW PASS_PRE_REVIEW PENDING_ACCEPT",
      "SUBMITTED RECEIVE PENDING_ACCEPT",
      "PRE_REVIEW NOTIFY_CORRECTION CORRECTION_REQUIRED",
      "PENDING_ACCEPT NOTIFY_CORRECTION CORRECTION_REQUIRED",
      "CORRECTION_REQUIRED RESUBMIT PENDING_ACCEPT",
      "CORRECTION_REQUIRED CORRECTION_LAPSED CLOSED_NO_CORRECTION",
      "SUBMITTED ACCEPT ACCEPTED",
      "PENDING_ACCEPT ACCEPT ACCEPTED",
      "SUBMITTED REJECT NOT_ACCEPTED",
      "PRE_REVIEW REJECT NOT_ACCEPTED",
      "PENDING_ACCEPT REJECT NOT_ACCEPTED",
      "ACCEPTED STEP IN_PROCESS",
      "IN_PROCESS STEP IN_PROCESS",
      "ACCEPTED REQUEST_SUPPLEMENT SUPPLEMENTING",
      "IN_PROCESS REQUEST_SUPPLEMENT SUPPLEMENTING",
      "SUPPLEMENTING SUPPLEMENT IN_PROCESS",
      "ACCEPTED SUSPEND SUSPENDED",
      "IN_PROCESS SUSPEND SUSPENDED",
      "SUSPENDED RESUME IN_PROCESS",
      "ACCEPTED EXTEND IN_PROCESS",
      "IN_PROCESS EXTEND IN_PROCESS",
      "ACCEPTED CLOSE CLOSED",
      "IN_PROCESS CLOSE CLOSED",
      "CLOSED DELIVER DELIVERED",
      "SUBMITTED WITHDRAW WITHDRAWN", "PRE_REVIEW WITHDRAW WITHDRAWN", "PENDING_ACCEPT WITHDRAW WITHDRAWN",
      "CORRECTION_REQUIRED WITHDRAW WITHDRAWN", "ACCEPTED WITHDRAW WITHDRAWN", "IN_PROCESS WITHDRAW WITHDRAWN",
      "SUPPLEMENTING WITHDRAW WITHDRAWN", "SUSPENDED WITHDRAW WITHDRAWN",
      "SUBMITTED TERMINATE TERMINATED", "PRE_REVIEW TERMINATE TERMINATED", "PENDING_ACCEPT TERMINATE TERMINATED",
      "CORRECTION_REQUIRED TERMINATE TERMINATED", "ACCEPTED TERMINATE TERMINATED", "IN_PROCESS TERMINATE TERMINATED",
      "SUPPLEMENTING TERMINATE TERMINATED", "SUSPENDED TERMINATE TERMINATED");

  static final Map<String, CaseState> TARGETS = ALLOWED.stream().map(s -> s.split(" "))
      .collect(Collectors.toMap(p -> p[0] + " " + p[1], p -> CaseState.valueOf(p[2])));

  static Stream<Arguments> everyPair() {
    return Arrays.stream(CaseState.values())
        .flatMap(state -> Arrays.stream(CaseAction.values()).map(action -> Arguments.of(state, action)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyPair")
  void theTableAllowsExactlyTheListedMoves(CaseState from, CaseAction action) {
    CaseState expected = TARGETS.get(from + " " + action);
    if (expected != null) {
      assertEquals(expected, action.from(from));
      assertFalse(from.terminal());
    } else {
      HubException e = assertThrows(HubException.class, () -> action.from(from));
      assertEquals(HubError.CASE_TRANSITION, e.error());
      assertEquals(409, e.error().status());
      assertEquals(Map.of("from", from.name(), "to", action.target().name(), "action", action.name()), e.extensions());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void terminalStatesHaveNoWayOut(CaseState state) {
    boolean anyMove = Arrays.stream(CaseAction.values()).anyMatch(a -> a.allowedFrom(state));
    assertEquals(!state.terminal(), anyMove);
  }

  static Stream<CaseState> states() {
    return Arrays.stream(CaseState.values());
  }
}
