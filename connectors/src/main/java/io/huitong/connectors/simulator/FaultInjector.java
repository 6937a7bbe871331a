package io.huitong.connectors.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The faults in force and what they decide for each request. Error and jitter draws come from one random source
 * seeded by the simulator's seed and reset whenever the settings change, so the same requests in the same order
 * meet the same faults. Not thread-safe: used from the simulator's one event loop.
 */
final class FaultInjector {
  /** What to do with one request. */
  record Decision(boolean closeConnection, long delayMs, boolean fail, int errorStatus) {
    static final Decision NONE = new Decision(false, 0, false, 0);
  }

  private final long seed;
  private final Map<String, FaultSettings> settings = new LinkedHashMap<>();
  private SplittableRandom random;
  private long delayed;
  private long failed;
  private long dropped;

  FaultInjector(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  void put(FaultSettings fault) {
    settings.put(fault.department(), fault);
    random = new SplittableRandom(seed);
  }

  void clear(String department) {
    if (department == null) {
      settings.clear();
    } else {
      settings.remove(department);
    }
    random = new SplittableRandom(seed);
  }

  JsonArray toJson() {
    JsonArray all = new JsonArray();
    settings.values().forEach(f -> all.add(f.toJson()));
    return all;
  }

  /** The department's own settings, else those for every department, else no fault. Counts what it injects. */
  Decision decide(String department) {
    FaultSettings f = settings.getOrDefault(department, settings.get(FaultSettings.EVERY_DEPARTMENT));
    if (f == null) {
      return Decision.NONE;
    }
    if (f.down()) {
      dropped++;
      return new Decision(true, 0, false, 0);
    }
    long delay = f.latencyMs() + (f.jitterMs() > 0 ? random.nextLong(f.jitterMs() + 1) : 0);
    boolean fail = f.errorRate() > 0 && random.nextDouble() < f.errorRate();
    delayed += delay > 0 ? 1 : 0;
    failed += fail ? 1 : 0;
    return new Decision(false, delay, fail, f.errorStatus());
  }

  JsonObject statsJson() {
    return new JsonObject().put("delayed", delayed).put("errors", failed).put("connectionsClosed", dropped);
  }
}
