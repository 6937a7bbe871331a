package io.huitong.hub.it;

import static io.huitong.hub.it.Jdbc.execute;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What exchange tests do as departments: trust each other's nodes, count what a sink writes, publish envelopes. */
final class ExchangeSetup {
  private ExchangeSetup() {
  }

  /** The operator of {@code at} registers {@code node}, hosted by {@code owner}, by its two certificates. */
  static void register(HubProcess at, HubProcess owner, String node) throws Exception {
    JsonObject n = owner.adminJson("GET", "/exchange/nodes/" + node, null);
    at.adminJson("PUT", "/exchange/nodes/" + node, new JsonObject()
        .put("signCertificate", n.getString("signCertificate"))
        .put("encryptCertificate", n.getString("encryptCertificate")));
  }

  /** Counts every row written to {@code table} in table {@code applied}, so a second apply of anything would show. */
  static void countWrites(Connection c, String table) throws SQLException {
    execute(c, "CREATE TABLE applied (n bigint NOT NULL)");
    execute(c, "CREATE FUNCTION count_applied() RETURNS trigger LANGUAGE plpgsql AS"
        + " $$ BEGIN INSERT INTO applied VALUES (1); RETURN NULL; END $$");
    execute(c, "CREATE TRIGGER count_applied AFTER INSERT OR UPDATE ON " + table + " FOR EACH ROW"
        + " EXECUTE FUNCTION count_applied()");
  }

  /** Rows written so far at {@code hub}, or -1 while its database is down. */
  static long writes(HubProcess hub) {
    try (Connection c = hub.database()) {
      return Jdbc.count(c, "SELECT count(*) FROM applied");
    } catch (SQLException | java.io.IOException down) {
      return -1;
    }
  }

  /** Puts an envelope on {@code receiver}'s topic of {@code broker}'s Kafka, as anyone with access to it could. */
  static void publish(HubProcess broker, String receiver, String sender, byte[] envelope) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.env.get("HUB_KAFKA_EMBEDDED_PORT"),
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("huitong.exchange." + receiver, sender, envelope)).get();
    }
  }
}
