package io.huitong.hub.exchange.impl;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka topics of the exchange: one per receiving node, {@code huitong.exchange.<node>}, with one partition so a
 * sender's messages to a node keep their order, and room for the largest envelope the relay makes.
 */
final class Topics {
  static final String PREFIX = "huitong.exchange.";
  /** Larger than the biggest envelope: 8 MiB of payload plus base64 and headers. */
  static final int MAX_MESSAGE_BYTES = 16 << 20;

  private final Admin admin;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  Topics(Admin admin) {
    this.admin = admin;
  }

  static String of(String node) {
    return PREFIX + node;
  }

  /** The receiver's topic, created on first use (blocking: from the exchange's own threads only). */
  String ensure(String node) {
    String topic = of(node);
    if (known.contains(topic)) {
      return topic;
    }
    // The broker's default replication factor: 1 for the embedded broker, what the cluster says for an external one.
    NewTopic spec = new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty())
        .configs(Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    try {
      admin.createTopics(List.of(spec)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Kafka topic " + topic + " could not be created: " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topic " + topic + " within 30 s", e);
    }
    known.add(topic);
    return topic;
  }
}
