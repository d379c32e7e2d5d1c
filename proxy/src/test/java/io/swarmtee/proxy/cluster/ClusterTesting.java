package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hazelcast.spi.merge.MergingValue;
import io.swarmtee.proxy.archive.ArchiveStateStore;
import io.swarmtee.proxy.archive.FileArchiveStateStore;
import io.swarmtee.proxy.testing.Polling;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the in-JVM cluster tests share: deadline-bounded waits, journals, merge-policy inputs. */
final class ClusterTesting {

  private ClusterTesting() {}

  /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    try {
      Polling.until(timeout, Duration.ofMillis(50), condition::getAsBoolean, () -> what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e); // a BooleanSupplier throws nothing checked
    }
  }

  /**
   * Asserts that a write done as a stream's owner is refused ({@link
   * ClusterJournalStore.NotOwnerException}): the writer's grant is no longer the newest.
   */
  static void assertRefused(Future<?> write, String what) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> write.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS),
            what);
    assertInstanceOf(ClusterJournalStore.NotOwnerException.class, e.getCause(), what);
  }

  /**
   * @return {@code cluster}'s shared journals over a file journal in {@code dir}
   */
  static ArchiveStateStore journal(HazelcastCluster cluster, Path dir) throws Exception {
    return ClusterJournalStore.over(
        cluster, FileArchiveStateStore.open(cluster.vertx(), dir).await(10, TimeUnit.SECONDS));
  }

  /** Releases the leases of each started member and leaves the cluster. */
  static void leave(List<HazelcastCluster> started) throws Exception {
    for (HazelcastCluster c : started) {
      c.close().await(10, TimeUnit.SECONDS);
      c.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * @return {@code value} as a merge policy sees one side's entry (deserialised and raw alike)
   */
  static <T> MergingValue<T> merging(T value) {
    return new MergingValue<>() {
      @Override
      public T getValue() {
        return value;
      }

      @Override
      public Object getRawValue() {
        return value;
      }
    };
  }
}
