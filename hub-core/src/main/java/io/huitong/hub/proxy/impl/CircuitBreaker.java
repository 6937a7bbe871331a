package io.huitong.hub.proxy.impl;

import java.time.Duration;

/**
 * A circuit breaker for one connector on this member: after {@code threshold} consecutive transient failures it
 * opens and refuses calls for {@code openFor}, so a department system that is down is not hammered and callers get
 * an answer (a cached one, or a clear 503) at once. Then one trial call is let through (half open): its success
 * closes the circuit, its failure opens it again. Thread-safe; cheap enough for every call.
 */
final class CircuitBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final long openNanos;
  private int failures;
  private State state = State.CLOSED;
  private long openedAt;
  private boolean trialInFlight;

  CircuitBreaker(int threshold, Duration openFor) {
    this.threshold = threshold;
    this.openNanos = openFor.toNanos();
  }

  /** Whether a call may go to the connector now; a true in half-open state makes this call the trial. */
  synchronized boolean allow() {
    if (state == State.OPEN && System.nanoTime() - openedAt >= openNanos) {
      state = State.HALF_OPEN;
      trialInFlight = false;
    }
    if (state == State.HALF_OPEN) {
      if (trialInFlight) {
        return false;
      }
      trialInFlight = true;
      return true;
    }
    return state == State.CLOSED;
  }

  synchronized void succeeded() {
    failures = 0;
    state = State.CLOSED;
    trialInFlight = false;
  }

  /** A transient failure (timeout, unavailable); other failures say nothing about the upstream's health. */
  synchronized void failed() {
    failures++;
    if (state == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openedAt = System.nanoTime();
      trialInFlight = false;
    }
  }

  /** A call that was allowed ended without telling anything about the upstream (e.g. a rejected input). */
  synchronized void neutral() {
    if (state == State.HALF_OPEN) {
      trialInFlight = false;
    }
  }

  synchronized State state() {
    if (state == State.OPEN && System.nanoTime() - openedAt >= openNanos) {
      return State.HALF_OPEN;
    }
    return state;
  }
}
