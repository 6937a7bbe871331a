/**
 * The connector SPI: how Huitong reaches a department system (部门系统) to query, verify or fetch its data.
 * A {@link io.huitong.connector.ConnectorFactory}, found with {@link java.util.ServiceLoader}, builds a
 * {@link io.huitong.connector.Connector} of its kind (http, soap, sql, ...) from declared settings; the connector
 * names its operations, runs them without blocking, enforces its own timeouts and pools its connections, and reports
 * its health. Failures are {@link io.huitong.connector.ConnectorException}s whose
 * {@link io.huitong.connector.ConnectorException.Failure} tells the caller whether retrying can help.
 */
package io.huitong.connector;
