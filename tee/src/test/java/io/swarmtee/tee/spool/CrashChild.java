package io.swarmtee.tee.spool;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The process {@link PipelineKillTest} kills with SIGKILL: a pipeline archiving into an embedded
 * store, with a listener that appends each outcome to a log (fsync'd before it acknowledges, as an
 * archiver persisting its playlist state would). Prints {@code accepted <n> <ref>} when a
 * submission is accepted and {@code outcome <n>} when its outcome is recorded.
 *
 * <p>Arguments: {@code <spoolDir> <storeDir> <archiveLog> <segments to submit>}; 0 segments means
 * only replay what the spool holds.
 */
public final class CrashChild {

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path spool = Path.of(args[0]);
    Path storeDir = Path.of(args[1]);
    Path archiveLog = Path.of(args[2]);
    int segments = Integer.parseInt(args[3]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    FileChannel log =
        FileChannel.open(
            archiveLog,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    EmbeddedStore store =
        EmbeddedStore.open(vertx, storeDir).toCompletionStage().toCompletableFuture().get();
    UploadPipeline pipeline =
        UploadPipeline.create(
            vertx,
            PipelineOptions.defaults(spool).withConcurrency(2),
            store,
            new SimpleMeterRegistry());
    OutcomeListener listener =
        outcome ->
            vertx.executeBlocking(
                () -> {
                  String reference =
                      outcome instanceof Outcome.Stored s ? s.reference().hex() : "failed";
                  String line =
                      outcome.key().name() + " " + reference + " " + outcome.replayed() + "\n";
                  synchronized (log) {
                    log.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                    log.force(true);
                  }
                  out.println("outcome " + outcome.key().name());
                  return null;
                });
    pipeline.start(listener).toCompletionStage().toCompletableFuture().get();
    out.println("started");
    Semaphore inFlight = new Semaphore(4);
    for (int i = 0; i < segments; i++) {
      inFlight.acquire();
      int n = i;
      Future<Accepted> accepted =
          pipeline.submit(PipelineKillTest.key(n), PipelineKillTest.segment(n));
      accepted.onComplete(
          done -> {
            inFlight.release();
            if (done.succeeded()) {
              out.println("accepted " + n + " " + done.result().reference().hex());
            } else {
              out.println("refused " + n + " " + done.cause());
            }
          });
    }
    new CountDownLatch(1).await(); // runs until killed
    throw new IOException("unreachable");
  }
}
