package io.huitong.kioskbridge;

/**
 * The event-bus addresses the bridge uses: the only way it reaches the rest of the hub. Those of other capabilities
 * are their contracts, copied here because the bridge may run in a process without them.
 */
public final class BusAddresses {
  /** Published by the queue service after commit: {@code huitong.queue.hall.<hallId>}. */
  public static final String QUEUE_HALL_PREFIX = "huitong.queue.hall.";
  /** Request {@code {hall, after, limit}} → {@code {hall, events, latest}}. */
  public static final String QUEUE_EVENTS = "huitong.queue.events";
  /** Request {@code {hall}} → {@code {hall, seq, queues, windows, recentCalls}}. */
  public static final String QUEUE_SNAPSHOT = "huitong.queue.snapshot";
  /** Request {@code {action, hall, ...}} → the queue service's answer, or a failure {@code HT-QUEUE-...: message}. */
  public static final String QUEUE_COMMAND = "huitong.queue.command";
  /** Request {@code {caseNumber}} or {@code {idNumber}} → {@code {cases}}. */
  public static final String CASES_PROGRESS = "huitong.cases.progress";
  /** Request: an evaluation (好差评) from an evaluator. */
  public static final String EVALUATION_SUBMIT = "huitong.evaluation.submit";
  /** Request {@code {consumer, service, input}} → the data proxy's answer to that consumer's catalogue query. */
  public static final String PROXY_KIOSK_QUERY = "huitong.proxy.kiosk-query";
  /** Request {@code {deviceId, nonce, token | signature}} → {@code {deviceId, kind, hall, window, consumer}}. */
  public static final String DEVICES_AUTHENTICATE = "huitong.devices.authenticate";
  /**
   * Sent: {@code {deviceId, state: online | offline, reason, ackedSeq, connection, member}} when a device connects
   * or goes; {@code connection} names the connection, so that a late report of an older one changes nothing, and
   * {@code member} (online reports) the cluster member holding it, whose devices go offline if it leaves.
   */
  public static final String DEVICES_PRESENCE = "huitong.devices.presence";
  /**
   * Sent: {@code {deviceId, hall, paper, faults, connection, n}}, a device's telemetry, the {@code n}th of its
   * connection; the devices service raises alarms, and ignores a report older than one it applied.
   */
  public static final String DEVICES_TELEMETRY = "huitong.devices.telemetry";
  /** Sent: {@code {deviceId, commandId, ok, detail}}, a device's answer to a command. */
  public static final String DEVICES_COMMAND_RESULT = "huitong.devices.command-result";
  /**
   * Published to every bridge: {@code {deviceId?, hall?, kinds?, frame}}, a frame for the devices that match (one
   * device, or the devices of the given kinds in a hall). Device commands and remote-assistance signalling use it.
   * {@code {deviceId, revoked}} instead closes that device's connection with {@code HT-KIOSK-REVOKED}: the device
   * registry sends it when the device is deleted.
   */
  public static final String KIOSK_DELIVER = "huitong.kiosk.deliver";

  private BusAddresses() {
  }
}
