/**
 * Department connectors (部门适配器) behind one SPI from {@code exchange-protocols}, and the department simulator.
 * Each department protocol (HTTP/JSON, SOAP, SQL) is one set of classes of the same shape: a factory, a connector
 * extending {@link io.huitong.connectors.OperationConnector}, and the kind's compiled operation. Settings, JSON
 * mapping and failures: docs/connectors.md.
 */
package io.huitong.connectors;
