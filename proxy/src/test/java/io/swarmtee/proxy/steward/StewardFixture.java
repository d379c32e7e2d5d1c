package io.swarmtee.proxy.steward;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ForwardingArchiveHooks;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** What the steward's tests share: the test Bee, archives of finalised sessions, stewards. */
final class StewardFixture {

  static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");

  private StewardFixture() {}

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  /** The test Bee and a client of it that uploads with its batch. */
  record Bee(TestBee node, BeeClient client) {
    static Bee start(Vertx vertx) throws Exception {
      TestBee node = await(TestBee.start(vertx));
      return new Bee(node, BeeClient.create(vertx, BeeClientOptions.of(node.url())));
    }

    SwarmReference upload(String text) throws Exception {
      return await(store(Buffer.buffer(text)));
    }

    /** Uploads {@code bytes} with the test batch. */
    Future<SwarmReference> store(Buffer bytes) {
      return client.uploadBytes(
          bytes, UploadOptions.DEFAULT.withBatchId(BatchId.parse(TestBee.BATCH)));
    }
  }

  static SegmentArchived segment(int session, long seq, SwarmReference ref) {
    return new SegmentArchived(
        session, 0, "source", seq, 2.0, ref, 10, T0, Optional.empty(), T0, "ts");
  }

  /** Session 0 with {@code segs}, finalised with {@code master}. */
  static List<ArchiveEvent> finalised(List<SwarmReference> segs, SwarmReference master) {
    List<ArchiveEvent> e = new ArrayList<>();
    e.add(new SessionStarted(0, T0));
    for (int i = 0; i < segs.size(); i++) {
      e.add(segment(0, i, segs.get(i)));
    }
    e.add(new SessionFinalised(0, T0.plusSeconds(10)));
    e.add(new MasterUploaded(0, master, true, T0.plusSeconds(11)));
    return e;
  }

  /** A steward of {@code bee} that re-uploads with the test batch from {@code held}. */
  static Steward steward(
      Vertx vertx,
      Bee bee,
      Function<SwarmReference, Future<Optional<Buffer>>> held,
      ArchiveHooks hooks,
      Duration interval,
      int concurrency,
      MeterRegistry registry) {
    return new Steward(
        vertx,
        bee.client(),
        () -> Future.succeededFuture(BatchId.parse(TestBee.BATCH)),
        held,
        hooks,
        interval,
        concurrency,
        registry);
  }

  /** Hooks that keep every unrepairable report, with its stream. */
  static ArchiveHooks reportingTo(List<JsonObject> reports) {
    return new ForwardingArchiveHooks(ArchiveHooks.NONE) {
      @Override
      public void unrepairable(String stream, JsonObject report) {
        reports.add(report.copy().put("stream", stream));
      }
    };
  }

  /** A source of one stream's archive. */
  static Steward.Source oneStream(String stream, List<ArchiveEvent> events) {
    return new Steward.Source() {
      @Override
      public Future<List<String>> streams() {
        return Future.succeededFuture(List.of(stream));
      }

      @Override
      public Future<Optional<List<ArchiveEvent>>> events(String id) {
        return Future.succeededFuture(Optional.of(events));
      }
    };
  }
}
