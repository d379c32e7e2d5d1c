package io.swarmtee.tee.bee;

import static io.swarmtee.tee.bee.BytesBeeIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.BeeDevExtension;
import io.swarmtee.tee.it.BeeDevNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The typed failures {@link BeeClient} promises (its status → {@link BeeErrorKind} table), provoked
 * on a real Bee, plus raw calls showing what Bee itself answers where the client refuses to send a
 * request.
 */
@ExtendWith(BeeDevExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorMappingBeeIT {

  private final SplittableRandom random = new SplittableRandom(0xe770_12L);
  private Vertx vertx;
  private BeeClient client;
  private WebClient raw;
  private BeeDevNode bee;

  @BeforeAll
  void connect(BeeDevNode bee) {
    this.bee = bee;
    vertx = Vertx.vertx();
    client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(bee.apiUrl().toString())
                .withDefaultBatchId(BatchId.parse(bee.batchId())));
    raw = WebClient.create(vertx);
  }

  @AfterAll
  void disconnect() {
    raw.close();
    client.close();
    await(vertx.close());
  }

  private String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static BeeHttpException failure(Future<?> call) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> await(call));
    return assertInstanceOf(BeeHttpException.class, e);
  }

  private HttpResponse<Buffer> rawCall(
      io.vertx.core.http.HttpMethod method, String path, String batchHeader) {
    var request = raw.request(method, bee.port(), "127.0.0.1", path);
    if (batchHeader != null) {
      request
          .putHeader("swarm-postage-batch-id", batchHeader)
          .putHeader("swarm-deferred-upload", "true");
    }
    return await(request.sendBuffer(Buffer.buffer("some bytes")));
  }

  @Test
  void uploadWithAnUnknownBatchIsBatchUnknown() {
    BatchId unknown = BatchId.parse(randomHex(32));

    BeeHttpException e =
        failure(
            client.uploadBytes(Buffer.buffer("hello"), UploadOptions.DEFAULT.withBatchId(unknown)));

    assertEquals(BeeErrorKind.BATCH_UNKNOWN, e.kind());
    assertEquals(404, e.status().orElseThrow());
    assertFalse(e.retryable());
    assertEquals("upload_bytes", e.op());
    assertTrue(e.error().orElseThrow().message().contains("batch"), e.error().toString());
  }

  @Test
  void stampLookupOfAnUnknownBatchIsBatchUnknown() {
    BeeHttpException e = failure(client.stamp(BatchId.parse(randomHex(32))));

    assertEquals(BeeErrorKind.BATCH_UNKNOWN, e.kind());
    assertEquals(404, e.status().orElseThrow());
  }

  @Test
  void malformedBatchIdIsRefusedBeforeAnyRequestAndBeeWouldAnswer400() {
    assertThrows(IllegalArgumentException.class, () -> BatchId.parse("not-a-batch"));
    assertThrows(IllegalArgumentException.class, () -> BatchId.parse(randomHex(31)));

    // What the client keeps callers from: Bee answers 400 (a PERMANENT kind in the client's table).
    HttpResponse<Buffer> answer = rawCall(io.vertx.core.http.HttpMethod.POST, "/bytes", "xyz");
    assertEquals(400, answer.statusCode());
    assertTrue(
        answer.bodyAsString().contains("swarm-postage-batch-id")
            || answer.bodyAsString().contains("Swarm-Postage-Batch-Id"),
        answer.bodyAsString());
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
  void malformedReferenceIsRefusedBeforeAnyRequestAndBeeWouldAnswer400() {
    assertThrows(IllegalArgumentException.class, () -> SwarmReference.parse("zz" + randomHex(31)));
    assertThrows(IllegalArgumentException.class, () -> SwarmReference.parse(randomHex(31)));

    assertEquals(400, rawCall(io.vertx.core.http.HttpMethod.GET, "/bytes/zzzz", null).statusCode());
    assertEquals(400, rawCall(io.vertx.core.http.HttpMethod.GET, "/bytes/abc", null).statusCode());
  }

  @Test
  void missingReferenceIsNotFound() {
    SwarmReference missing = SwarmReference.parse(randomHex(32));

    BeeHttpException download = failure(client.downloadBytes(missing));
    assertEquals(BeeErrorKind.NOT_FOUND, download.kind());
    assertEquals(404, download.status().orElseThrow());
    assertFalse(download.retryable());

    assertEquals(
        BeeErrorKind.NOT_FOUND, failure(client.getBytes(missing, Optional.empty())).kind());
    assertEquals(BeeErrorKind.NOT_FOUND, failure(client.headBytes(missing)).kind());
    assertEquals(
        BeeErrorKind.NOT_FOUND, failure(client.getBzz(missing, "", Optional.empty())).kind());
  }

  @Test
  void feedWithoutUpdatesAndUnknownTagAreNotFound() {
    assertEquals(
        BeeErrorKind.NOT_FOUND, failure(client.feedLatest(randomHex(20), randomHex(32))).kind());
    assertEquals(BeeErrorKind.NOT_FOUND, failure(client.tag(987_654_321L)).kind());
  }

  @Test
  void socUploadOnBeeDevIsNotImplementedAndPermanent() {
    // Bee 2.7's POST /soc always stores directly, which bee dev refuses with 501 (2.8 added
    // swarm-deferred-upload to /soc). The feed tests therefore push SOCs through /chunks with a
    // tag.
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
