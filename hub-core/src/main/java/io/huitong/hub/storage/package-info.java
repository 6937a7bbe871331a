/**
 * The hub's PostgreSQL: an embedded server under {@code <data-dir>/pg} or an external one ({@code pg.*} keys),
 * Flyway migrations with one schema per capability, and the reactive pool capabilities query through.
 */
package io.huitong.hub.storage;
