package io.swarmtee.proxy.webhook;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * Cluster mode: the archive facts whose webhook events some member queued, shared by the cluster
 * beside each member's own {@link Ledger} file, so that a member taking a stream over raises what
 * the old owner's crash left out between the journal's write and the outbox's, and nothing the old
 * owner queued. {@link #NONE} outside a cluster (the local ledger is the whole truth there).
 */
public interface SharedLedger {

  /** A process alone: nobody else queues anything. */
  SharedLedger NONE =
      new SharedLedger() {
        @Override
        public Future<Set<String>> queued(Set<String> facts) {
          return Future.succeededFuture(Set.of());
        }

        @Override
        public Future<Void> record(Collection<String> facts, Duration retention) {
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> done(Collection<String> facts, Duration retention) {
          return Future.succeededFuture();
        }
      };

  /**
   * @return those of {@code facts} whose events are {@link #done}, or queued by a member still in
   *     the cluster (its outbox delivers them); not those a member that left queued and never
   *     finished: the caller raises them again (same ids)
   */
  Future<Set<String>> queued(Set<String> facts);

  /**
   * Records that this member queued the events of {@code facts}; each entry expires after {@code
   * retention}.
   *
   * @return completes once the cluster holds them (a backup included)
   */
  Future<Void> record(Collection<String> facts, Duration retention);

  /**
   * Records that every delivery of the events of {@code facts} is done (delivered, refused or
   * expired): nobody raises them again.
   */
  Future<Void> done(Collection<String> facts, Duration retention);
}
