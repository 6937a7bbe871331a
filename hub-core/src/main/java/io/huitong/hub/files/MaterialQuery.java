package io.huitong.hub.files;

/**
 * Which materials to list: every filter given must match (none given lists all), in registration order, a page at
 * a time.
 *
 * @param caseNumber     only this case's, or null
 * @param holderIdNumber only this holder's (found through the blind index), or null
 * @param department     only this issuing department's, or null
 * @param after          the {@code next} cursor of the previous page, or 0 for the first
 * @param limit          the page size
 */
public record MaterialQuery(String caseNumber, String holderIdNumber, String department, long after, int limit) {
}
