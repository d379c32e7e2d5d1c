package io.swarmtee.tee.bee;

import static io.swarmtee.tee.bee.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A large download reaches the caller as a stream with backpressure, never as one buffer. */
@ExtendWith(VertxExtension.class)
class BeeStreamingTest {

  private static final int SIZE = 8 * 1024 * 1024;

  @Test
  void anEightMebibyteDownloadStallsWhileTheReaderIsPausedAndCompletesAfterwards(Vertx vertx)
      throws Exception {
    FakeBee fake = result(FakeBee.start(vertx));
    try (BeeClient client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(fake.baseUrl()).withDefaultBatchId(fake.createBatch(24, true)))) {
      byte[] data = BeeClientTest.random(SIZE, 8);
      SwarmReference ref = result(client.uploadBytes(Buffer.buffer(data)));

      // The body is handed over paused: until the caller reads, Bee (the fake) must be held up by
      // TCP
      // backpressure instead of the client pulling the object into memory.
      var stalled = fake.nextStall();
      BeeDownload download = result(client.getBytes(ref, Optional.empty()));
      assertEquals(SIZE, download.contentLength().orElseThrow());
      long sentWhilePaused = result(stalled);
      assertTrue(
          sentWhilePaused < SIZE / 2,
          "the fake wrote " + sentWhilePaused + " bytes before a paused download stopped it");

      // A reader that pauses after its first chunk gets nothing more until it resumes.
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      AtomicLong received = new AtomicLong();
      AtomicLong chunks = new AtomicLong();
      Promise<Long> firstChunk = Promise.promise();
      Promise<Void> done = Promise.promise();
      var body = download.body();
      body.handler(
          chunk -> {
            digest.update(chunk.getBytes());
            received.addAndGet(chunk.length());
            if (chunks.incrementAndGet() == 1) {
              body.pause();
              firstChunk.complete(received.get());
            }
          });
      body.exceptionHandler(done::tryFail);
      body.endHandler(v -> done.tryComplete());
      body.resume();
      long afterFirst = result(firstChunk.future());
      assertTrue(afterFirst < SIZE / 2, "one chunk, not the object: " + afterFirst);

      body.resume();
      result(done.future());
      assertEquals(SIZE, received.get());
      assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest.digest());
    } finally {
      result(fake.close());
    }
    fake.assertSpecConformant();
  }
}
