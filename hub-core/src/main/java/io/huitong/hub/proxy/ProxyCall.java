package io.huitong.hub.proxy;

import java.time.Instant;

/**
 * One call through the data proxy, as the audit log and the statistics see it. It holds no personal data: the
 * request and response appear only as SM3 digests.
 *
 * @param requestId      the id the hub gave the request (also in the response's {@code X-Request-Id})
 * @param at             when the hub received the call
 * @param consumer       the calling application's key, or {@code -} when it could not be identified
 * @param service        the service id called, or {@code -} when none matched
 * @param department     the department that owns the service's data
 * @param region         the administrative division (行政区划) code of that department
 * @param source         the connector that answered, {@code cache} for a cached answer, {@code -} for none
 * @param cache          {@code HIT}, {@code STALE} (served stale while the sources failed), {@code MISS},
 *                       {@code BYPASS} (the service is not cached), or {@code -} when no answer was fetched
 * @param status         the HTTP status returned to the consumer
 * @param code           the problem code when the call failed, else {@code ok}
 * @param latencyMicros  time from receipt to response
 * @param requestDigest  SM3 (hex) of the request's input: its body, or its query string when it has no body
 * @param responseDigest SM3 (hex) of the response body
 * @param remoteAddress  the consumer system's address
 */
public record ProxyCall(String requestId, Instant at, String consumer, String service, String department,
                        String region, String source, String cache, int status, String code, long latencyMicros,
                        String requestDigest, String responseDigest, String remoteAddress) {

  /** Whether the call failed on the hub's or the department's side (5xx), as error rates count it. */
  public boolean serverError() {
    return status >= 500;
  }
}
