package io.huitong.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks before start-up that the ports the hub will bind are free, so a clash names the key that chose the port. */
final class Ports {
  private Ports() {
  }

  static void requireFree(String key, String host, int port) throws StartupException {
    try (ServerSocket probe = new ServerSocket()) {
      // As the servers themselves do: connections of an earlier run in TIME_WAIT must not count as a clash.
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new StartupException(key + ": port " + port + " on " + host + " is not available (" + e.getMessage()
          + "); choose another with " + key + " or stop what uses it");
    }
  }
}
