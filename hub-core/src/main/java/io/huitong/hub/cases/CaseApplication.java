package io.huitong.hub.cases;

import java.time.Instant;

/**
 * What a window, portal or kiosk submits to open a case. Personal numbers are optional (a legal person's case may
 * have neither) and never stored in clear.
 *
 * @param itemCode      the item's implementation code (实施编码)
 * @param department    the responsible department's code
 * @param regionCode    12-digit 区划; null takes {@code cases.default-region}
 * @param promiseDays   承诺时限 in working days: 0 for an immediate case, 1 or more for a promised one
 * @param legalDays     法定时限 in working days; null takes {@code cases.legal-days}
 * @param channel       WINDOW, ONLINE, KIOSK or MOBILE; null is WINDOW
 * @param ticketId      the queue ticket that brought the applicant to the window, or null
 * @param at            when it was submitted; null is now
 */
public record CaseApplication(String itemCode, String itemName, String department, String regionCode, CaseKind kind,
                              int promiseDays, Integer legalDays, String applicantName, String idNumber, String phone,
                              String channel, String ticketId, Instant at) {
}
