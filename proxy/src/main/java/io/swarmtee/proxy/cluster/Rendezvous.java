package io.swarmtee.proxy.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * Rendezvous (highest random weight) hashing: each stream goes to the member with the highest
 * hash(member, stream). Every member computes the same answer from the same member list, and when a
 * member joins or leaves only the streams it wins or held change hands.
 */
final class Rendezvous {

  private Rendezvous() {}

  /**
   * @return the winning member id
   * @throws IllegalArgumentException when {@code members} is empty
   */
  static String pick(Collection<String> members, String streamId) {
    String best = null;
    long bestWeight = 0;
    for (String m : members) {
      long w = weight(m, streamId);
      if (best == null
          || Long.compareUnsigned(w, bestWeight) > 0
          || (w == bestWeight && m.compareTo(best) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no members");
    }
    return best;
  }

  // SHA-256 rather than String.hashCode: the weights must be well mixed and identical in every JVM.
  private static long weight(String member, String streamId) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(member.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(streamId.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
