package io.swarmtee.proxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports a test hands to a server before it starts (Hazelcast members must know each
 * other's ports up front; a child process is told its port).
 *
 * <p>The port comes from below the kernel's ephemeral range. A port taken from {@code new
 * ServerSocket(0)} lies inside that range, so until its server listens, any outgoing connection may
 * be given it as a local port — and a connection to a loopback port nobody listens on may even
 * connect to itself (TCP simultaneous open). CI saw exactly that: three Hazelcast members, retrying
 * a fourth member's address until it joined, held the port it was about to bind ("Port [40343] is
 * already in use").
 */
public final class LoopbackPorts {

  private static final int LOWEST = 10_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private LoopbackPorts() {}

  /**
   * @return a loopback port below the ephemeral range that nothing listens on now and that this JVM
   *     has not handed out before
   */
  public static synchronized int reserve() throws IOException {
    int end = ephemeralStart();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(LOWEST, end);
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IOException("no free loopback port in [" + LOWEST + ", " + end + ") after 200 tries");
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux); 32768, its default, elsewhere. */
  private static int ephemeralStart() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      String first = Files.readString(range, StandardCharsets.US_ASCII).strip().split("\\s+")[0];
      int start = Integer.parseInt(first);
      return start > LOWEST + 1_000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
