package io.swarmtee.tee.bee.fake;

import java.time.Duration;
import java.util.Objects;

/** Something {@link FakeBee} does instead of (or before) answering a call normally. */
public sealed interface Fault {

  /** Answer {@code code} with Bee's JSON error body, doing nothing else. */
  record Status(int code, String message) implements Fault {
    public Status {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Answer normally, but only after {@code delay} (a Vert.x timer, cancelled when the fake closes).
   */
  record Delay(Duration delay) implements Fault {
    public Delay {
      Objects.requireNonNull(delay, "delay");
    }
  }

  /** Close the connection as soon as the request head arrived: no answer, body not read. */
  record Drop() implements Fault {}

  /** Answer a download with its headers and half its body, then close the connection. */
  record DropMidBody() implements Fault {}

  /** Store an upload normally but answer with a different (well-formed) reference. */
  record WrongReference() implements Fault {}

  /**
   * @return a fault answering {@code code} with the message Bee uses for it, where known
   */
  static Fault status(int code) {
    return new Status(
        code,
        switch (code) {
          case 402 -> "batch is overissued";
          case 404 -> "not found";
          case 422 -> "batch not usable";
          case 429 -> "too many requests";
          case 500 -> "internal server error";
          case 503 -> "node is not ready";
          default -> "fault injected by FakeBee";
        });
  }

  static Fault delay(Duration d) {
    return new Delay(d);
  }

  static Fault drop() {
    return new Drop();
  }

  static Fault dropMidBody() {
    return new DropMidBody();
  }

  static Fault wrongReference() {
    return new WrongReference();
  }
}
