package io.huitong.connector;

/**
 * An operation a connector offers.
 *
 * @param name its name within the connector
 * @param idempotent whether running it twice has the effect of running it once: only such operations are retried
 */
public record ConnectorOperation(String name, boolean idempotent) {}
