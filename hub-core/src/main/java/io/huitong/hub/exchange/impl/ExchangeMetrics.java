package io.huitong.hub.exchange.impl;

import io.huitong.hub.exchange.MessageState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exchange's Prometheus meters: messages by node, route and state reached; records by node, direction and
 * outcome; and, per node, the outbox rows not yet packed and the receiver's Kafka lag.
 */
final class ExchangeMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  ExchangeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code n} messages of {@code node} on {@code route} reached {@code state}. */
  void messages(String node, String route, MessageState state, long n) {
    if (n > 0) {
      counters.computeIfAbsent("m|" + node + "|" + route + "|" + state, k -> Counter.builder("huitong.exchange.messages")
          .description("Messages a hosted node sent, by the state they reached")
          .tags("node", node, "route", route == null ? "" : route, "state", state.name()).register(registry)).increment(n);
    }
  }

  /** {@code n} records {@code sent} or {@code received} by {@code node} ended as {@code outcome}. */
  void records(String node, String direction, String outcome, long n) {
    if (n > 0) {
      counters.computeIfAbsent("r|" + node + "|" + direction + "|" + outcome, k -> Counter.builder("huitong.exchange.records")
          .description("Records a hosted node sent or received, by outcome")
          .tags("node", node, "direction", direction, "outcome", outcome).register(registry)).increment(n);
    }
  }

  /** Outbox rows of {@code node} not yet packed into messages. */
  void outboxPending(String node, long rows) {
    gauge("huitong.exchange.outbox.pending", "Outbox rows not yet packed into messages", node).set(rows);
  }

  /** How many Kafka records the receiver of {@code node} has yet to read. */
  void consumerLag(String node, long records) {
    gauge("huitong.exchange.receiver.lag", "Kafka records the node's receiver has yet to read", node).set(records);
  }

  long consumerLag(String node) {
    AtomicLong lag = gauges.get("huitong.exchange.receiver.lag|" + node);
    return lag == null ? 0 : lag.get();
  }

  private AtomicLong gauge(String name, String description, String node) {
    return gauges.computeIfAbsent(name + "|" + node, k -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(name, value, AtomicLong::get).description(description).tags("node", node).register(registry);
      return value;
    });
  }
}
