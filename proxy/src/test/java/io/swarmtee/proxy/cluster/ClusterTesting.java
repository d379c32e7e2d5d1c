package io.swarmtee.proxy.cluster;

import io.swarmtee.proxy.testing.Polling;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the in-JVM cluster tests share: free loopback ports and deadline-bounded waits. */
final class ClusterTesting {

  private ClusterTesting() {}

  /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    try {
      Polling.until(timeout, Duration.ofMillis(50), condition::getAsBoolean, () -> what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e); // a BooleanSupplier throws nothing checked
    }
  }

  /** A port free on loopback now (Hazelcast members must know each other's ports up front). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
