package io.swarmtee.proxy.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.cluster.Peers;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code /bytes} answers when the local store lacks the content and the peers are asked. */
class PeerContentSourceTest {

  private static final SwarmReference REF = SwarmReference.parse("ab".repeat(32));

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The local store has nothing. */
  private static final ContentSource EMPTY =
      new ContentSource() {
        @Override
        public Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly) {
          return Future.failedFuture(new ProxyFailure(404, "not in this store"));
        }

        @Override
        public Future<Void> ready() {
          return Future.succeededFuture();
        }
      };

  private static Peers locating(Future<Optional<Peers.Holder>> answer) {
    return new Peers() {
      @Override
      public void serve(Future<EmbeddedStore> store) {}

      @Override
      public Future<Optional<Holder>> locate(SwarmReference ref) {
        return answer;
      }

      @Override
      public Future<Buffer> read(Holder holder, SwarmReference ref, long first, long last) {
        return Future.failedFuture(new IllegalStateException("not read in this test"));
      }

      @Override
      public void onSegment(BiConsumer<String, Buffer> handler) {}

      @Override
      public void offerSegment(String streamId, String path, Buffer bytes) {}
    };
  }

  private ProxyFailure failure(Peers peers) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                new PeerContentSource(vertx, EMPTY, peers)
                    .open(REF, Optional.empty(), false)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    return assertInstanceOf(ProxyFailure.class, e.getCause());
  }

  @Test
  void aMemberThatDidNotAnswerMakesIt504NotA404() {
    ProxyFailure f =
        failure(
            locating(
                Future.failedFuture(
                    new Peers.Unanswered(List.of("member-c"), Duration.ofSeconds(3)))));
    assertEquals(504, f.code());
    assertTrue(f.getMessage().contains("member-c"), f.getMessage());
    assertTrue(f.getMessage().contains("3000 ms"), f.getMessage());
  }

  @Test
  void everyMemberAnsweredNoIsTheLocal404() {
    assertEquals(404, failure(locating(Future.succeededFuture(Optional.empty()))).code());
  }

  @Test
  void aHolderFoundIsServed() throws Exception {
    Content c =
        new PeerContentSource(
                vertx,
                EMPTY,
                locating(Future.succeededFuture(Optional.of(new Peers.Holder("member-b", 10)))))
            .open(REF, Optional.empty(), true)
            .await(10, TimeUnit.SECONDS);
    assertEquals(200, c.status());
    assertEquals(10, c.length().orElseThrow());
  }
}
