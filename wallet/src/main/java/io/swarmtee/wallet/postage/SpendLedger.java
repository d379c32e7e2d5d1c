package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.wallet.StateFile;
import io.swarmtee.wallet.postage.PostageException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What swarmtee has spent on postage, persisted in the data directory so a restart cannot reset the
 * {@code --max-spend} cap. Each change is written to a temporary file, fsynced and renamed over the
 * old one ({@link StateFile}) before it counts; a spend that cannot be recorded is not made.
 *
 * <p>Thread-safe. File I/O runs on Vert.x worker threads.
 */
final class SpendLedger {

  /** File name inside the data directory. */
  static final String FILE_NAME = "postage-spend.json";

  private final StateFile file;
  private BigInteger spent;
  private long purchases;
  private long topUps;
  private final Set<BatchId> bought;

  private SpendLedger(
      StateFile file, BigInteger spent, long purchases, long topUps, Set<BatchId> bought) {
    this.file = file;
    this.spent = spent;
    this.purchases = purchases;
    this.topUps = topUps;
    this.bought = bought;
  }

  /**
   * Opens the ledger in {@code dataDir}, empty if the file does not exist yet.
   *
   * @return fails with {@link Kind#LEDGER} when the file exists but cannot be read: a damaged
   *     ledger never silently resets the cap
   */
  static Future<SpendLedger> open(Vertx vertx, Path dataDir) {
    Objects.requireNonNull(vertx, "vertx");
    StateFile file = new StateFile(vertx, dataDir.resolve(FILE_NAME));
    return file.read()
        .map(
            json ->
                json.map(j -> parse(file, j))
                    .orElseGet(
                        () -> new SpendLedger(file, BigInteger.ZERO, 0, 0, new LinkedHashSet<>())))
        .recover(e -> Future.failedFuture(e instanceof PostageException ? e : unreadable(file, e)));
  }

  private static SpendLedger parse(StateFile file, JsonObject json) {
    try {
      Set<BatchId> bought = new LinkedHashSet<>();
      for (Object id : json.getJsonArray("batches", new JsonArray())) {
        bought.add(BatchId.parse((String) id));
      }
      BigInteger spent = new BigInteger(json.getString("spentPlur"));
      if (spent.signum() < 0) {
        throw new IllegalArgumentException("negative spentPlur");
      }
      return new SpendLedger(
          file, spent, json.getLong("purchases", 0L), json.getLong("topUps", 0L), bought);
    } catch (RuntimeException e) {
      throw unreadable(file, e);
    }
  }

  private static PostageException unreadable(StateFile file, Throwable e) {
    return new PostageException(
        Kind.LEDGER,
        "postage spend ledger "
            + file.path()
            + " is unreadable ("
            + e.getClass().getSimpleName()
            + "); fix or remove it deliberately, the spend cap depends on it",
        e);
  }

  synchronized BigInteger spent() {
    return spent;
  }

  synchronized long purchases() {
    return purchases;
  }

  synchronized long topUps() {
    return topUps;
  }

  synchronized boolean bought(BatchId id) {
    return bought.contains(id);
  }

  synchronized java.util.List<BatchId> boughtIds() {
    return java.util.List.copyOf(bought);
  }

  /**
   * Counts {@code plur} as spent if that stays within {@code cap}, and persists it before
   * succeeding.
   *
   * @return fails with {@link Kind#SPEND_CAP} over the cap, {@link Kind#LEDGER} if it cannot be
   *     written
   */
  Future<Void> reserve(BigInteger plur, BigInteger cap, boolean purchase) {
    synchronized (this) {
      BigInteger after = spent.add(plur);
      if (after.compareTo(cap) > 0) {
        return Future.failedFuture(
            new PostageException(
                Kind.SPEND_CAP,
                "--max-spend reached: "
                    + (purchase ? "a purchase" : "a top-up")
                    + " of "
                    + plur
                    + " PLUR would bring the spend to "
                    + after
                    + " PLUR, over the cap of "
                    + cap
                    + " PLUR"));
      }
      spent = after;
      if (purchase) {
        purchases++;
      } else {
        topUps++;
      }
    }
    return persist()
        .recover(
            e -> {
              release(plur, purchase);
              return Future.failedFuture(e);
            });
  }

  /** Undoes a reservation Bee certainly refused. */
  Future<Void> release(BigInteger plur, boolean purchase) {
    synchronized (this) {
      spent = spent.subtract(plur).max(BigInteger.ZERO);
      if (purchase) {
        purchases = Math.max(0, purchases - 1);
      } else {
        topUps = Math.max(0, topUps - 1);
      }
    }
    return persist();
  }

  /** Remembers a batch bought by swarmtee, so it is adopted even if Bee lost its label. */
  Future<Void> recordBought(BatchId id) {
    synchronized (this) {
      if (!bought.add(id)) {
        return Future.succeededFuture();
      }
    }
    return persist();
  }

  private synchronized JsonObject snapshot() {
    JsonArray ids = new JsonArray();
    bought.forEach(id -> ids.add(id.hex()));
    return new JsonObject()
        .put("version", 1)
        .put("spentPlur", spent.toString())
        .put("purchases", purchases)
        .put("topUps", topUps)
        .put("batches", ids);
  }

  /** Writes the current state after any write in flight (writes never overtake each other). */
  private Future<Void> persist() {
    return file.write(this::snapshot)
        .recover(
            e ->
                Future.failedFuture(
                    new PostageException(
                        Kind.LEDGER,
                        "cannot write postage spend ledger " + file.path() + ": " + e.getMessage(),
                        e)));
  }
}
