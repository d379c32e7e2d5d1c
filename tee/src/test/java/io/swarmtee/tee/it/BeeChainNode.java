package io.swarmtee.tee.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A production-mode Bee ({@code bee start}: a full node, no {@code bee dev}) on a local chain that
 * carries Swarm's postage, oracle, staking and redistribution contracts, with one batch bought
 * through Bee's {@code POST /stamps} (a real contract transaction) and waited for until usable.
 *
 * <p>The Java twin of {@value #SCRIPT}: it runs that script ({@code start}/{@code stop} on a state
 * directory), so the test fixture and a node started by hand are the same thing. The binaries come
 * from {@link BeeDevNode#binary()} and {@link #chainBinary()}; a missing one fails the start with a
 * message naming {@value BeeDevNode#BUILD_SCRIPT}, never a skip. Every port is kernel-chosen on
 * 127.0.0.1. {@link #close()} stops Bee and the chain; a JVM shutdown hook does the same if a run
 * is aborted. Blocking: call from a test thread, never from an event loop.
 */
public final class BeeChainNode implements BeeNode {

  /** The script this class drives, relative to the repository root. */
  public static final String SCRIPT = "tee/src/it/bee/bee-chain.sh";

  /** System property naming the chain binary (else {@code $SWARMTEE_CHAIN}, else the cache). */
  public static final String CHAIN_BINARY_PROPERTY = "swarmtee.chain.binary";

  /** System property with the repository root (set by the Maven build). */
  public static final String REPOSITORY_PROPERTY = "swarmtee.repository";

  /** Depth of the batch bought at start (as {@link BeeDevNode#BATCH_DEPTH}). */
  public static final int BATCH_DEPTH = 22;

  /**
   * PLUR per chunk of that batch: at the chain's starting price (24000 PLUR per chunk per block,
   * one block a second) it lasts ~11.5 h.
   */
  public static final long BATCH_AMOUNT = 1_000_000_000L;

  /** The price the chain starts with, PLUR per chunk per block (mainnet's floor). */
  public static final long INITIAL_PRICE = 24_000L;

  private static final Logger LOG = LoggerFactory.getLogger(BeeChainNode.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Path state;
  private final Path repository;
  private final Map<String, String> env;
  private final Thread shutdownHook;

  private BeeChainNode(Path state, Path repository, Map<String, String> env, Thread hook) {
    this.state = state;
    this.repository = repository;
    this.env = Map.copyOf(env);
    this.shutdownHook = hook;
  }

  /**
   * Starts the chain and Bee, buys a batch and waits until it is usable.
   *
   * @param stateDir where pids, logs, Bee's data and the env files go (created; emptied of an
   *     earlier run's node data)
   * @return the running node; close it when done
   * @throws IllegalStateException if a binary is missing or the start fails or times out
   */
  public static BeeChainNode start(Path stateDir) {
    return start(stateDir, true);
  }

  /**
   * Starts the chain and Bee without buying a batch ({@code bee-chain.sh start … --no-batch}): the
   * node owns none, {@link #batchId()} is empty. For clients that stamp with their own batch.
   *
   * @param stateDir as {@link #start(Path)}
   * @return the running node; close it when done
   */
  public static BeeChainNode startWithoutBatch(Path stateDir) {
    return start(stateDir, false);
  }

  private static BeeChainNode start(Path stateDir, boolean buyBatch) {
    Objects.requireNonNull(stateDir, "stateDir");
    Path state = stateDir.toAbsolutePath();
    Path repository = repository();
    Path bee = BeeDevNode.binary();
    Path chain = chainBinary();
    for (Path binary : List.of(bee, chain)) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            "no binary at "
                + binary
                + ": build it with `bash "
                + BeeDevNode.BUILD_SCRIPT
                + " all` (needs Go; CI runs it from .ci/install.sh)");
      }
    }
    Thread hook = new Thread(() -> stop(repository, state), "bee-chain-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Files.createDirectories(state);
      List<String> command =
          new ArrayList<>(
              List.of("bash", repository.resolve(SCRIPT).toString(), "start", state.toString()));
      if (!buyBatch) {
        command.add("--no-batch");
      }
      run(
          repository,
          command,
          Map.of("SWARMTEE_BEE", bee.toString(), "SWARMTEE_CHAIN", chain.toString()),
          state.resolve("start"),
          START_TIMEOUT);
      Map<String, String> env = new HashMap<>(readEnv(state.resolve("chain.env")));
      env.putAll(readEnv(state.resolve("bee.env")));
      BeeChainNode node = new BeeChainNode(state, repository, env, hook);
      LOG.info(
          "production Bee pid {} ready at {} with batch {} on chain {} (state {})",
          node.pid(),
          node.apiUrl(),
          node.batchId(),
          node.rpcUrl(),
          state);
      return node;
    } catch (IOException e) {
      stop(repository, state);
      removeHook(hook);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      stop(repository, state);
      removeHook(hook);
      throw e;
    }
  }

  /**
   * Where the chain binary is expected: {@code -D}{@value #CHAIN_BINARY_PROPERTY}, else {@code
   * $SWARMTEE_CHAIN}, else the cache path {@code build.sh path chain} names (keyed by the chain's
   * sources).
   *
   * @return the expected path; it may not exist
   */
  public static Path chainBinary() {
    for (String configured :
        new String[] {System.getProperty(CHAIN_BINARY_PROPERTY), System.getenv("SWARMTEE_CHAIN")}) {
      if (configured != null && !configured.isBlank()) {
        return Path.of(configured);
      }
    }
    Path repository = repository();
    try {
      Path dir = Files.createTempDirectory("swarmtee-chain-path");
      try {
        return Path.of(
            run(
                    repository,
                    List.of(
                        "bash",
                        repository.resolve(BeeDevNode.BUILD_SCRIPT).toString(),
                        "path",
                        "chain"),
                    Map.of(),
                    dir.resolve("build"),
                    Duration.ofSeconds(30))
                .strip());
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root: {@code -D}{@value #REPOSITORY_PROPERTY}, else found above the cwd. */
  static Path repository() {
    String configured = System.getProperty(REPOSITORY_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCRIPT))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find "
            + SCRIPT
            + " above "
            + Path.of("").toAbsolutePath()
            + "; set -D"
            + REPOSITORY_PROPERTY);
  }

  @Override
  public URI apiUrl() {
    return URI.create(env.get("BEE_URL"));
  }

  /** {@inheritDoc} Empty for a node started {@link #startWithoutBatch without a batch}. */
  @Override
  public String batchId() {
    return env.get("BEE_BATCH");
  }

  @Override
  public Path log() {
    return state.resolve("bee.log");
  }

  /**
   * @return the chain's JSON-RPC endpoint over HTTP, e.g. {@code http://127.0.0.1:40801}
   */
  public URI rpcUrl() {
    return URI.create(env.get("RPC_URL"));
  }

  /**
   * @return the node's Ethereum address (the batch owner), {@code 0x…}
   */
  public String ethereumAddress() {
    return env.get("BEE_ADDRESS");
  }

  /**
   * @param key a key of {@code chain.env}, e.g. {@code POSTAGE_ADDRESS}, {@code CHAIN_ID}
   * @return its value
   */
  public Optional<String> chain(String key) {
    return Optional.ofNullable(env.get(key));
  }

  /**
   * @return the state directory (logs, pids, env files)
   */
  public Path stateDir() {
    return state;
  }

  /**
   * Moves the chain's postage price the way the price oracle does ({@code setPrice} on the postage
   * stamp contract), and returns once the transaction is mined.
   *
   * @param plurPerChunkPerBlock the new price, &gt; 0
   */
  public void setPrice(long plurPerChunkPerBlock) {
    run(
        repository,
        List.of(
            chainBinary().toString(),
            "price",
            "--state",
            state.toString(),
            "--price",
            Long.toString(plurPerChunkPerBlock)),
        Map.of(),
        state.resolve("price"),
        Duration.ofSeconds(60));
  }

  /**
   * Sends ETH and test BZZ from the chain's deployer to {@code address} ({@code chain fund}), and
   * returns once both transfers are mined.
   *
   * @param address {@code 0x…}
   * @param eth whole ETH
   * @param bzz whole BZZ (1e16 PLUR each)
   */
  public void fund(String address, long eth, long bzz) {
    run(
        repository,
        List.of(
            chainBinary().toString(),
            "fund",
            "--state",
            state.toString(),
            "--to",
            address,
            "--eth",
            Long.toString(eth),
            "--bzz",
            Long.toString(bzz)),
        Map.of(),
        state.resolve("fund-" + address),
        Duration.ofSeconds(60));
  }

  @Override
  public long pid() {
    try {
      return Long.parseLong(Files.readString(state.resolve("bee.pid")).strip());
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public boolean isAlive() {
    long pid = pid();
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public void close() {
    stop(repository, state);
    removeHook(shutdownHook);
  }

  private static void stop(Path repository, Path state) {
    run(
        repository,
        List.of("bash", repository.resolve(SCRIPT).toString(), "stop", state.toString()),
        Map.of(),
        state.resolve("stop"),
        STOP_TIMEOUT);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it stops the node itself
    }
  }

  /**
   * Runs a command to its end, its stdout into {@code out.out} and stderr into {@code out.err}.
   *
   * @return its stdout
   * @throws IllegalStateException if it fails or outlives {@code timeout}; the message carries its
   *     stderr
   */
  private static String run(
      Path repository, List<String> command, Map<String, String> env, Path out, Duration timeout) {
    Path stdout = out.resolveSibling(out.getFileName() + ".out");
    Path stderr = out.resolveSibling(out.getFileName() + ".err");
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(repository.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + timeout + ": " + tail(stderr));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + process.exitValue() + ": " + tail(stderr));
      }
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }
}
