package io.swarmtee.tee.it;

import java.net.URI;
import java.nio.file.Path;

/**
 * A real Bee node started for tests, with one usable postage batch: {@link BeeDevNode} ({@code bee
 * dev}, mock chain) or {@link BeeChainNode} (a production-mode full node on a local chain).
 * Blocking: call from a test thread, never from an event loop.
 */
public interface BeeNode extends AutoCloseable {

  /**
   * @return the API base URL on 127.0.0.1, e.g. {@code http://127.0.0.1:41234} (no trailing slash)
   */
  URI apiUrl();

  /**
   * @return the API port
   */
  default int port() {
    return apiUrl().getPort();
  }

  /**
   * @return the usable postage batch bought at start, 64 lower-case hex digits
   */
  String batchId();

  /**
   * @return the file Bee's output goes to
   */
  Path log();

  /**
   * @return the operating-system process id of the node
   */
  long pid();

  /**
   * @return true while the node's process runs
   */
  boolean isAlive();

  /** Stops the node (and whatever it needed, such as its chain) and waits until it is gone. */
  @Override
  void close();
}
