package io.swarmtee.tee.bee;

import static io.swarmtee.tee.bee.BytesBeeIT.await;
import static io.swarmtee.tee.bee.ErrorMappingBeeIT.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.BeeDevExtension;
import io.swarmtee.tee.it.BeeDevNode;
import io.swarmtee.tee.it.BeeNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only {@code bee dev} still shows, kept because it proves what the production node cannot:
 * the client's mapping of Bee's 400 and 501 (dev mode refuses direct uploads and {@code POST /soc},
 * a production node stores both: {@link ErrorMappingBeeIT}), and a stopped node, which a dev node
 * gives in a second where a node on a chain takes half a minute to start.
 */
@ExtendWith(BeeDevExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevModeBeeIT {

  private final SplittableRandom random = new SplittableRandom(0xde7_12L);
  private Vertx vertx;
  private BeeClient client;

  @BeforeAll
  void connect(BeeDevNode bee) {
    vertx = Vertx.vertx();
    client = BeeNodes.client(vertx, bee);
  }

  @AfterAll
  void disconnect() {
    client.close();
    await(vertx.close());
  }

  private String randomHex(int bytes) {
    return ErrorMappingBeeIT.randomHex(random, bytes);
  }

  @Test
  void stewardshipReseedsADeferredUploadOnBeeDev(BeeDevNode bee) {
    // bee dev has no network: content uploaded deferred (as swarmtee uploads) is never pushed, so
    // GET /stewardship/{ref} says {"isRetrievable": false}; PUT /stewardship/{ref} re-uploads it
    // from the node's store, after which it is retrievable. (PUT answers 200 for any reference on
    // bee dev, so an unrepairable reference cannot be shown here: TestBee's faults do that.)
    SwarmReference ref =
        await(
            client.uploadBytes(
                Buffer.buffer("stewardship " + randomHex(8)), UploadOptions.DEFAULT));
    assertFalse(await(client.isRetrievable(ref)));
    await(client.reupload(ref, BatchId.parse(bee.batchId())));
    assertTrue(await(client.isRetrievable(ref)));
  }

  @Test
  void a400FromBeeIsPermanent() {
    // bee dev refuses direct (non-deferred) uploads with 400: a real 400 reachable through the
    // client.
    BeeHttpException e =
        failure(
            client.uploadBytes(Buffer.buffer("direct"), UploadOptions.DEFAULT.withDeferred(false)));

    assertEquals(BeeErrorKind.PERMANENT, e.kind());
    assertEquals(400, e.status().orElseThrow());
    assertFalse(e.retryable());
  }

  @Test
  void socUploadOnBeeDevIsNotImplementedAndPermanent() {
    // Bee 2.7's POST /soc always stores directly, which bee dev refuses with 501 (2.8 added
    // swarm-deferred-upload to /soc). The production node stores it (FeedsBeeIT).
    BeeHttpException e =
        failure(
            client.uploadSoc(
                randomHex(20),
                randomHex(32),
                randomHex(65),
                Buffer.buffer(new byte[8 + 40]),
                UploadOptions.DEFAULT));

    assertEquals(501, e.status().orElseThrow());
    assertEquals(BeeErrorKind.PERMANENT, e.kind());
    assertFalse(e.retryable());
  }

  @Test
  void aStoppedNodeIsTransient(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    BeeDevNode other = BeeDevNode.start(dir.resolve("bee.log"));
    other.close();
    try (BeeClient gone = BeeClient.create(vertx, BeeClientOptions.of(other.apiUrl().toString()))) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> await(gone.health()));
      BeeTransportException transport = assertInstanceOf(BeeTransportException.class, e);
      assertEquals(BeeErrorKind.TRANSIENT, transport.kind());
      assertTrue(transport.retryable());
    }
  }
}
