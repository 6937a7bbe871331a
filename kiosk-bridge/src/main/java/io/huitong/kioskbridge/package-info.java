/**
 * The WebSocket edge for kiosks, ticket machines, hall and window screens and evaluators. It talks to the rest of
 * the hub only over the Vert.x event bus, so it can run on its own in a township hall and join the cluster.
 */
package io.huitong.kioskbridge;
