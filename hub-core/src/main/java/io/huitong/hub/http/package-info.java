/**
 * The HTTP edge shared by every capability: one router per event loop, request ids, drain accounting for a
 * graceful stop, and the single error path ({@link io.huitong.hub.http.Problems}) that answers
 * {@code application/problem+json} with codes from {@link io.huitong.hub.http.HubError}.
 */
package io.huitong.hub.http;
