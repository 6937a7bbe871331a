/**
 * Department connectors (部门适配器) behind one SPI from {@code exchange-protocols}, and the department simulator.
 * Each department protocol (HTTP/JSON, SOAP, SQL) is one set of classes of the same shape.
 */
package io.huitong.connectors;
