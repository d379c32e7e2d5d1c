package io.swarmtee.proxy.cluster;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What the members of a cluster do for each other, over Hazelcast's member connections (the cluster
 * port, nothing else): read content another member's embedded store holds ({@code /bytes} on any
 * member), and hand the stream's owner the segments this member's shield fetched for its viewers
 * (so its archiver fetches nothing again). Without cluster mode {@link #NONE}: nobody to ask. See
 * {@code docs/cluster.md}.
 *
 * <p>Threading: callable from any thread; futures complete and handlers run on a Vert.x context.
 */
public interface Peers {

  /** Where a reference lives on another member. */
  record Holder(String member, long size) {}

  /**
   * {@link #locate} found no holder, but some members did not answer in time (paused, overloaded,
   * cut off, dying): one of them may hold it, so "not found" would be a guess.
   */
  final class Unanswered extends RuntimeException {
    @java.io.Serial private static final long serialVersionUID = 1L;

    private final List<String> members;

    public Unanswered(List<String> members, java.time.Duration waited) {
      super(
          "no member that answered holds it; "
              + members.size()
              + " did not answer within "
              + waited.toMillis()
              + " ms: "
              + String.join(", ", members));
      this.members = List.copyOf(members);
    }

    /**
     * @return the ids of the members that did not answer
     */
    public List<String> members() {
      return members;
    }
  }

  /** No other member: every lookup is empty, every offer goes nowhere. */
  Peers NONE =
      new Peers() {
        @Override
        public void serve(Future<EmbeddedStore> store) {}

        @Override
        public Future<Optional<Holder>> locate(SwarmReference ref) {
          return Future.succeededFuture(Optional.empty());
        }

        @Override
        public Future<Buffer> read(Holder holder, SwarmReference ref, long first, long last) {
          return Future.failedFuture(new IllegalStateException("no other member"));
        }

        @Override
        public void onSegment(BiConsumer<String, Buffer> handler) {}

        @Override
        public void offerSegment(String streamId, String path, Buffer bytes) {}
      };

  /** Lets the other members read this member's embedded store. */
  void serve(Future<EmbeddedStore> store);

  /**
   * Asks every other member (in parallel, each bounded by a timeout of a lease TTL) whether its
   * store holds {@code ref}.
   *
   * @return the first that does, with the content's size, as soon as it answers; empty when every
   *     member answered that it does not; fails with {@link Unanswered} when none that answered
   *     does and some did not answer in time
   */
  Future<Optional<Holder>> locate(SwarmReference ref);

  /**
   * @return bytes {@code first..last} (inclusive) of {@code ref} from {@code holder}'s store; fails
   *     when the member is gone, does not answer in time or lost the content
   */
  Future<Buffer> read(Holder holder, SwarmReference ref, long first, long last);

  /**
   * Adds the handler of segments other members' viewers fetched for a stream this member owns:
   * {@code (upstream path, bytes)}.
   */
  void onSegment(BiConsumer<String, Buffer> handler);

  /**
   * Sends a segment this member's shield fetched for its viewers to the member that holds the lease
   * of {@code streamId}, unless that is this member or nobody holds it. Fire and forget: a lost
   * offer only means the owner fetches the segment itself.
   */
  void offerSegment(String streamId, String path, Buffer bytes);
}
