package io.swarmtee.bench.ramp;

import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.it.BeeDevNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Where swarmtee archives to during a ramp: tee's Bee test double ({@link FakeBee}, in memory,
 * inside the ramp's own JVM) or a real Bee ({@link BeeDevNode}: {@code bee dev}, its own process).
 * A fresh one per setup, so that one setup's backlog never slows the next.
 */
final class Backend implements AutoCloseable {

  /** The two kinds of Bee the issue asks for. */
  enum Kind {
    FAKE("Bee test double (FakeBee)"),
    BEE("bee dev node");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String s) {
      return switch (s) {
        case "fake" -> FAKE;
        case "bee" -> BEE;
        default -> throw new IllegalArgumentException("backend must be fake, bee or both: " + s);
      };
    }
  }

  /** Batch depth of the fake's batch: 2^24 chunks, ample for a whole ramp. */
  private static final int FAKE_BATCH_DEPTH = 24;

  private final Kind kind;
  private final String url;
  private final String batch;
  private final OptionalLong pid;
  private final AutoCloseable stop;

  private Backend(Kind kind, String url, String batch, OptionalLong pid, AutoCloseable stop) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.url = Objects.requireNonNull(url, "url");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.pid = Objects.requireNonNull(pid, "pid");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /** Starts one (blocking: call it off the event loop). */
  static Backend start(Kind kind, Vertx vertx, Path logDir) throws Exception {
    return switch (kind) {
      case FAKE -> {
        FakeBee fake = await(FakeBee.start(vertx));
        String batch = fake.createBatch(FAKE_BATCH_DEPTH, true).hex();
        yield new Backend(
            kind, fake.baseUrl(), batch, OptionalLong.empty(), () -> await(fake.close()));
      }
      case BEE -> {
        BeeDevNode node = BeeDevNode.start(logDir.resolve("bee-" + System.nanoTime() + ".log"));
        yield new Backend(
            kind,
            node.apiUrl().toString(),
            node.batchId(),
            OptionalLong.of(node.pid()),
            node::close);
      }
    };
  }

  Kind kind() {
    return kind;
  }

  String url() {
    return url;
  }

  String batch() {
    return batch;
  }

  /**
   * @return the process to measure CPU of; empty for the fake (it shares the ramp's JVM)
   */
  OptionalLong pid() {
    return pid;
  }

  @Override
  public void close() throws Exception {
    stop.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
