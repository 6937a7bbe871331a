package io.huitong.hub.queue;

import io.huitong.hub.queue.impl.PgQueueService;
import io.huitong.hub.signing.MasterKey;
import io.huitong.hub.storage.Storage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.util.List;

/**
 * The queue service of the halls (排队叫号): halls, queues, windows and tickets, with every change recorded as a hall
 * event. The REST routes and the event-bus addresses below call the same methods.
 *
 * <p>Event-bus contract (docs/queue.md has the fields and examples):
 * <ul>
 * <li>{@link #hallAddress(String)}: every hall event, published after its transaction committed, one message per
 * transaction as {@code {hall, events}} with each event {@code {"hall","seq","type","at",...}}; seq is gapless per
 * hall, but two members may publish out of order, so a subscriber orders by seq and fills a gap with
 * {@link #EVENTS_ADDRESS}.</li>
 * <li>{@link #EVENTS_ADDRESS}: {@code {hall, after, limit<=1000}} answers {@code {hall, events, latest}}.</li>
 * <li>{@link #SNAPSHOT_ADDRESS}: {@code {hall}} answers the hall's queues, windows and last ten calls at one seq.</li>
 * <li>{@link #COMMAND_ADDRESS}: {@code {action, hall, ...}} answers the ticket or window, or fails with the HTTP
 * status and {@code "HT-QUEUE-<WHAT>: message"}.</li>
 * </ul>
 */
public interface QueueService {
  String EVENTS_ADDRESS = "huitong.queue.events";
  String SNAPSHOT_ADDRESS = "huitong.queue.snapshot";
  String COMMAND_ADDRESS = "huitong.queue.command";
  /** The most events one {@link #events} call answers. */
  int MAX_EVENTS = 1000;

  /** Where a hall's events are published. */
  static String hallAddress(String hall) {
    return "huitong.queue.hall." + hall;
  }

  /**
   * Runs one command ({@code take-ticket}, {@code call-next}, {@code recall}, {@code skip}, {@code recheck-in},
   * {@code transfer}, {@code hold}, {@code finish}, {@code window-state}) in one transaction under the hall's lock,
   * then publishes its events. Completes with the ticket or window as JSON, or fails with a
   * {@link io.huitong.hub.http.HubException} of an {@code HT-QUEUE-*} code.
   */
  Uni<JsonObject> command(JsonObject command);

  /** The hall's events after {@code after}, ascending, at most {@code limit}, and the hall's latest seq. */
  Uni<JsonObject> events(String hall, long after, int limit);

  /** The hall's queues with their stats, windows with what they serve, and its ten latest calls, at one seq. */
  Uni<JsonObject> snapshot(String hall);

  /** The halls, by id. */
  Uni<List<JsonObject>> halls();

  Uni<JsonObject> createHall(String id, String name);

  /** A queue (a business type, 业务类型) of a hall, whose tickets are numbered {@code prefix} + 001, 002, ... */
  Uni<JsonObject> createQueue(String hall, String id, String prefix, String name);

  /** A window, offline until it goes idle, serving the listed queues of its hall. */
  Uni<JsonObject> createWindow(String hall, String id, int number, String name, List<String> queues);

  /** Replaces the queues a window serves. */
  Uni<JsonObject> setWindowQueues(String hall, String window, List<String> queues);

  Uni<Void> close();

  /** Starts the service and its event-bus consumers on this member. */
  static Uni<QueueService> start(Vertx vertx, Storage storage, MasterKey master, QueueConfig config) {
    return PgQueueService.start(vertx, storage, master, config);
  }
}
