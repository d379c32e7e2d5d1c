package io.swarmtee.proxy.cluster;

import java.util.Objects;

/**
 * The stored state of one stream's lease: one entry per stream, never deleted, so that the epoch
 * only grows. Stored as text ({@link #encode}) so that Hazelcast compares and merges plain strings.
 *
 * @param epoch the last epoch granted (0: never granted)
 * @param owner the member holding it; empty when released or never granted
 * @param expiresAt epoch millis (the deciding member's clock) when the grant lapses unless renewed
 * @param freeSince epoch millis since when nobody holds it (release time, first sighting); for an
 *     expired holder it is {@code expiresAt}
 */
record LeaseEntry(long epoch, String owner, long expiresAt, long freeSince) {

  private static final String VERSION = "1";

  LeaseEntry {
    Objects.requireNonNull(owner, "owner");
  }

  /**
   * @return true when someone holds it at {@code now}
   */
  boolean heldAt(long now) {
    return !owner.isEmpty() && now < expiresAt;
  }

  /**
   * @return since when it has been free, judged at {@code now} (only meaningful when not held)
   */
  long freeSinceAt(long now) {
    return owner.isEmpty() ? freeSince : Math.min(expiresAt, now);
  }

  String encode() {
    return VERSION + ";" + epoch + ";" + expiresAt + ";" + freeSince + ";" + owner;
  }

  static LeaseEntry parse(String text) {
    String[] f = text.split(";", 5);
    if (f.length != 5 || !f[0].equals(VERSION)) {
      throw new IllegalArgumentException("not a lease entry: " + text);
    }
    return new LeaseEntry(Long.parseLong(f[1]), f[4], Long.parseLong(f[2]), Long.parseLong(f[3]));
  }
}
