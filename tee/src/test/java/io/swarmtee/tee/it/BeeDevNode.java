package io.swarmtee.tee.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Bee node in dev mode ({@code bee dev}: in-memory store, mock chain, instant postage
 * batches) started for a test class, with one usable postage batch bought.
 *
 * <p>The binary is built by {@code tee/src/it/bee/build.sh} into a cache outside the repository;
 * its path comes from the system property {@value #BINARY_PROPERTY} (set by the Maven failsafe
 * configuration), else the environment variable {@value #BINARY_ENV}. A missing binary is a test
 * failure naming the build script, never a skip.
 *
 * <p>The node listens on 127.0.0.1 with a port chosen by the kernel (Bee logs the bound address,
 * which is read from its output), so parallel builds never collide. {@link #close()} stops it
 * (SIGTERM, then SIGKILL after a grace period); a JVM shutdown hook does the same if a test run is
 * aborted. Blocking: call from a test thread, never from an event loop.
 */
public final class BeeDevNode implements BeeNode {

  /** System property naming the Bee binary. */
  public static final String BINARY_PROPERTY = "swarmtee.bee.binary";

  /** Environment variable naming the Bee binary when the system property is absent. */
  public static final String BINARY_ENV = "SWARMTEE_BEE";

  /** System property with the Bee version the build script builds, e.g. {@code v2.7.0}. */
  public static final String VERSION_PROPERTY = "swarmtee.bee.version";

  /** The script that builds the binary, relative to the repository root. */
  public static final String BUILD_SCRIPT = "tee/src/it/bee/build.sh";

  /** Postage batch bought at start: depth 22 holds ~7.7 GB in effect, plenty for a test class. */
  public static final int BATCH_DEPTH = 22;

  /** Amount per chunk of that batch (dev mode's price is 1 PLUR per chunk per block). */
  public static final long BATCH_AMOUNT = 100_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(BeeDevNode.class);
  private static final Pattern API_ADDRESS =
      Pattern.compile("starting api server.*?\"?address\"?[=:]\\s*\"?(127\\.0\\.0\\.1):(\\d+)");
  private static final Pattern BATCH_ID =
      Pattern.compile("\"batchID\"\\s*:\\s*\"([0-9a-fA-F]{64})\"");
  private static final Pattern USABLE = Pattern.compile("\"usable\"\\s*:\\s*true");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final Process process;
  private final Thread shutdownHook;
  private final URI apiUrl;
  private final String batchId;
  private final Path log;

  private BeeDevNode(Process process, Thread shutdownHook, URI apiUrl, String batchId, Path log) {
    this.process = process;
    this.shutdownHook = shutdownHook;
    this.apiUrl = apiUrl;
    this.batchId = batchId;
    this.log = log;
  }

  /**
   * Starts {@code bee dev}, waits until it is ready and has a usable postage batch.
   *
   * @param logFile where Bee's output is written (its parent directories are created)
   * @return the running node; close it when done
   * @throws IllegalStateException if the binary is missing or the node does not come up in time
   */
  public static BeeDevNode start(Path logFile) {
    Objects.requireNonNull(logFile, "logFile");
    Path binary = binary();
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "no Bee binary at "
              + binary
              + ": build it with `bash "
              + BUILD_SCRIPT
              + "` (needs Go; CI runs it from"
              + " .ci/install.sh), or point -D"
              + BINARY_PROPERTY
              + " / $"
              + BINARY_ENV
              + " at one");
    }
    Process process;
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(), "dev", "--api-addr", "127.0.0.1:0", "--verbosity", "info"))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    Thread hook = new Thread(() -> stop(process), "bee-dev-stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      URI api = awaitApiAddress(process, logFile);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Instant deadline = Instant.now().plus(START_TIMEOUT);
      awaitStatus(http, process, api.resolve("/readiness"), deadline);
      String batch = buyBatch(http, api);
      awaitUsable(http, process, api.resolve("/stamps/" + batch), deadline);
      LOG.info(
          "bee dev pid {} ready at {} with batch {} (log {})", process.pid(), api, batch, logFile);
      return new BeeDevNode(process, hook, api, batch, logFile);
    } catch (RuntimeException | Error e) {
      stop(process);
      removeHook(hook);
      throw e;
    }
  }

  /**
   * Where the Bee binary is expected: the system property {@value #BINARY_PROPERTY}, else {@code
   * $}{@value #BINARY_ENV}, else where the build script puts it: {@code
   * ${SWARMTEE_CACHE:-~/.cache/swarmtee}/bee-<version>/bee} with the version from the system
   * property {@value #VERSION_PROPERTY} (set by the Maven build from the root pom).
   *
   * @return the expected path; it may not exist
   */
  public static Path binary() {
    String configured =
        firstNonBlank(System.getProperty(BINARY_PROPERTY), System.getenv(BINARY_ENV));
    if (configured != null) {
      return Path.of(configured);
    }
    String version = System.getProperty(VERSION_PROPERTY);
    if (version == null || version.isBlank()) {
      throw new IllegalStateException(
          "no Bee version configured: run the *BeeIT tests through Maven (failsafe sets -D"
              + VERSION_PROPERTY
              + "), or set -D"
              + BINARY_PROPERTY
              + " / $"
              + BINARY_ENV
              + " to a binary built by `bash "
              + BUILD_SCRIPT
              + "`");
    }
    String cache =
        firstNonBlank(
            System.getenv("SWARMTEE_CACHE"),
            Path.of(System.getProperty("user.home"), ".cache", "swarmtee").toString());
    return Path.of(cache, "bee-" + version, "bee");
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : null;
  }

  @Override
  public URI apiUrl() {
    return apiUrl;
  }

  @Override
  public String batchId() {
    return batchId;
  }

  @Override
  public Path log() {
    return log;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the node and waits for its process to end (SIGKILL if SIGTERM is not enough). */
  @Override
  public void close() {
    stop(process);
    removeHook(shutdownHook);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it stops the process itself
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("bee dev pid {} ignored SIGTERM for {}; killing it", process.pid(), STOP_GRACE);
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Copies Bee's output to the log file and completes with the API address once Bee logs it. */
  private static URI awaitApiAddress(Process process, Path logFile) {
    CompletableFuture<URI> address = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  Writer out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.write(line);
                  out.write('\n');
                  out.flush();
                  Matcher m = API_ADDRESS.matcher(line);
                  if (!address.isDone() && m.find()) {
                    address.complete(URI.create("http://" + m.group(1) + ":" + m.group(2)));
                  }
                }
              } catch (IOException e) {
                address.completeExceptionally(e);
              }
              if (!address.isDone()) {
                address.completeExceptionally(
                    new IllegalStateException(
                        "bee dev closed its output ("
                            + exitStatus(process)
                            + ") before serving its API; see "
                            + logFile));
              }
            },
            "bee-dev-log-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    try {
      return address.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "bee dev did not log its API address within " + START_TIMEOUT + "; see " + logFile, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting bee dev", e);
    }
  }

  private static String exitStatus(Process process) {
    try {
      return process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
          ? "exit status " + process.exitValue()
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static void awaitStatus(HttpClient http, Process process, URI uri, Instant deadline) {
    poll(http, process, uri, deadline, response -> response.statusCode() == 200);
  }

  private static void awaitUsable(HttpClient http, Process process, URI uri, Instant deadline) {
    poll(
        http,
        process,
        uri,
        deadline,
        response -> response.statusCode() == 200 && USABLE.matcher(response.body()).find());
  }

  /** Polls {@code uri} until {@code done} holds, the process dies or the deadline passes. */
  private static void poll(
      HttpClient http,
      Process process,
      URI uri,
      Instant deadline,
      java.util.function.Predicate<HttpResponse<String>> done) {
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "bee dev exited (status " + process.exitValue() + ") while waiting for " + uri);
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (done.test(response)) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + uri, e);
      }
      try {
        Thread.sleep(
            POLL_INTERVAL); // a bounded readiness poll, not synchronisation of an assertion
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + uri, e);
      }
    }
    throw new IllegalStateException(
        "bee dev not ready at " + uri + " within " + START_TIMEOUT + "; last: " + last);
  }

  private static String buyBatch(HttpClient http, URI api) {
    URI uri = api.resolve("/stamps/" + BATCH_AMOUNT + "/" + BATCH_DEPTH);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = BATCH_ID.matcher(response.body());
      if (response.statusCode() != 201 || !m.find()) {
        throw new IllegalStateException(
            "POST " + uri + " answered " + response.statusCode() + " " + response.body());
      }
      return m.group(1).toLowerCase(java.util.Locale.ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while buying a batch", e);
    }
  }
}
