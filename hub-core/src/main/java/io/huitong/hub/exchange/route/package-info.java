/**
 * Routing of the exchange bus (交换路由), as a pure library: {@link io.huitong.hub.exchange.route.Route} says which
 * records from which sender nodes go to which receiver nodes and how their payloads are transformed on the way
 * ({@link io.huitong.hub.exchange.route.Predicate}, {@link io.huitong.hub.exchange.route.Transform});
 * {@link io.huitong.hub.exchange.route.Router} applies a set of routes to one record at a time; and
 * {@link io.huitong.hub.exchange.route.ExchangeDefinitions} reads the definitions file of routes, table sources and
 * table sinks. Nothing here does I/O besides reading that file, and nothing needs an event loop: every type is
 * immutable and safe to share between threads. Invalid definitions fail with a
 * {@link io.huitong.hub.config.DefinitionException} naming the path of the offending value; a record that a
 * route cannot transform fails with a {@link io.huitong.hub.exchange.route.TransformException}.
 */
package io.huitong.hub.exchange.route;
