/**
 * The hub's Kafka: an in-process KRaft broker under {@code <data-dir>/kafka} or an external cluster
 * ({@code kafka.*} keys), and the admin connection readiness checks through.
 */
package io.huitong.hub.bus;
