package io.swarmtee.proxy.cluster;

import java.util.Objects;

/** A change of the cluster's membership, as this member saw it. */
public sealed interface MembershipEvent {

  /**
   * @return the member that joined or left
   */
  Member member();

  /** {@code member} joined the cluster. */
  record Joined(Member member) implements MembershipEvent {
    public Joined {
      Objects.requireNonNull(member, "member");
    }
  }

  /** {@code member} left: shut down cleanly, or was declared dead (no heartbeat). */
  record Left(Member member) implements MembershipEvent {
    public Left {
      Objects.requireNonNull(member, "member");
    }
  }
}
