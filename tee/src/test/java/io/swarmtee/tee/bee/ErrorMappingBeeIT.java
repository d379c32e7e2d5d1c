package io.swarmtee.tee.bee;

import static io.swarmtee.tee.bee.BytesBeeIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.tee.it.BeeNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.time.Duration;
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
 * on a real Bee (a production-mode full node on a local chain), plus raw calls showing what Bee
 * itself answers where the client refuses to send a request. Bee's 400/501 and a stopped node are
 * provoked on {@code bee dev} in {@link DevModeBeeIT}.
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorMappingBeeIT {

  private final SplittableRandom random = new SplittableRandom(0xe770_12L);
  private Vertx vertx;
  private BeeClient client;
  private WebClient raw;
  private BeeChainNode bee;

  @BeforeAll
  void connect(BeeChainNode bee) {
    this.bee = bee;
    vertx = Vertx.vertx();
    client = BeeNodes.client(vertx, bee);
    raw = WebClient.create(vertx);
  }

  @AfterAll
  void disconnect() {
    raw.close();
    client.close();
    await(vertx.close());
  }

  private String randomHex(int bytes) {
    return randomHex(random, bytes);
  }

  static String randomHex(SplittableRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static BeeHttpException failure(Future<?> call) {
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
  void aDirectUploadIsStoredWhereBeeDevAnswers400() {
    // bee dev refuses direct (non-deferred) uploads with 400 (DevModeBeeIT); a production full node
    // that is alone stores what it pushes ("want self"): the reference is readable at once.
    Buffer direct = Buffer.buffer("direct " + randomHex(8));
    SwarmReference reference =
        await(client.uploadBytes(direct, UploadOptions.DEFAULT.withDeferred(false)));

    assertEquals(direct, await(client.downloadBytes(reference)));
  }

  @Test
  void aYoungBatchIsNotUsableUntilConfirmedThenAccepted() {
    // bee dev's batches are usable at once; on a chain Bee answers 422 until the batch is 10
    // blocks old, which the client maps to the retryable BATCH_NOT_USABLE.
    BatchId young = await(client.buyStamp(BigInteger.valueOf(BeeChainNode.BATCH_AMOUNT), 17, true));
    UploadOptions withYoung = UploadOptions.DEFAULT.withBatchId(young);

    BeeHttpException e = failure(client.uploadBytes(Buffer.buffer("too early"), withYoung));
    assertEquals(422, e.status().orElseThrow(), e.toString());
    assertEquals(BeeErrorKind.BATCH_NOT_USABLE, e.kind());
    assertTrue(e.retryable());

    SwarmReference stored =
        Await.until(
            () -> client.uploadBytes(Buffer.buffer("in time"), withYoung), Duration.ofSeconds(60));
    assertEquals(Buffer.buffer("in time"), await(client.downloadBytes(stored)));
    assertTrue(await(client.stamp(young)).usable());
  }
}
