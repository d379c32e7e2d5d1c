package io.swarmtee.proxy.testing;

import io.swarmtee.tee.it.BeeChainNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar proxy/target/swarmtee.jar} as a child process, with the JDK running the test.
 * Its output goes to a log file; {@link #port()} completes when it logged the port it listens on.
 */
public final class SwarmteeProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("swarmtee listening on [^ ]*:(\\d+),");

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private SwarmteeProcess(Process process, Path log) {
    this.process = process;
    this.reader = new Thread(() -> copy(log), "swarmtee-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * @param jar the fat jar ({@code target/swarmtee.jar} when run by failsafe in the proxy module)
   * @param log where the child's output goes (appended)
   */
  public static SwarmteeProcess start(Path jar, List<String> flags, Path log) throws IOException {
    return start(jar, List.of(), flags, log);
  }

  /**
   * @param jvmOptions options of the child's JVM after the default {@code -Xmx256m} (a later {@code
   *     -Xmx} wins), e.g. {@code --add-modules jdk.incubator.vector} for SIMD hashing as {@code
   *     ./dev run} does
   */
  public static SwarmteeProcess start(
      Path jar, List<String> jvmOptions, List<String> flags, Path log) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          jar.toAbsolutePath() + " is missing: run the *IT tests after `package` (mvn verify)");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(flags);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new SwarmteeProcess(p, log);
  }

  /**
   * The flags every child needs: {@code --listen 127.0.0.1:0 --upstream upstream --data data}, a
   * free loopback port that {@link #port()} reports. Add to them with the {@link Flags} methods and
   * pass {@link Flags#list()} to {@link #start}.
   */
  public static Flags flags(String upstream, Path data) {
    return new Flags()
        .and("--listen", "127.0.0.1:0", "--upstream", upstream, "--data", data.toString());
  }

  /**
   * No flags yet, for a test that parses a command line without starting a child (add {@code
   * --upstream} and the rest with {@link Flags#and}).
   */
  public static Flags noFlags() {
    return new Flags();
  }

  /** A child's command line, built in the order the test reads it. Not thread-safe. */
  public static final class Flags {
    private final List<String> list = new ArrayList<>();

    private Flags() {}

    /**
     * @return these flags with {@code --archive}: archiving into the embedded store
     */
    public Flags archive() {
      return and("--archive");
    }

    /**
     * @return these flags with {@code --archive --bee bee --batch batch}: archiving to a Bee node
     */
    public Flags archiveTo(String bee, String batch) {
      return and("--archive", "--bee", bee, "--batch", batch);
    }

    /**
     * @return these flags with the keystore {@code keystore} (unlocked by {@code passwordFile})
     *     buying batches on {@code node}'s local chain: {@code --keystore --password-file
     *     --postage-buyer chain --gnosis-rpc --bzz-token-address --postage-stamp-address
     *     --chain-block-seconds 1}
     */
    public Flags chainBuyer(BeeChainNode node, Path keystore, Path passwordFile) {
      return and(
          "--keystore", keystore.toString(),
          "--password-file", passwordFile.toString(),
          "--postage-buyer", "chain",
          "--gnosis-rpc", node.rpcUrl().toString(),
          "--bzz-token-address", node.chain("BZZ_ADDRESS").orElseThrow(),
          "--postage-stamp-address", node.chain("POSTAGE_ADDRESS").orElseThrow(),
          "--chain-block-seconds", "1");
    }

    /**
     * @return these flags followed by {@code more}
     */
    public Flags and(String... more) {
      list.addAll(List.of(more));
      return this;
    }

    /**
     * @return the flags so far, as {@link #start} takes them
     */
    public List<String> list() {
      return List.copyOf(list);
    }
  }

  private void copy(Path log) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out =
            Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
      port.completeExceptionally(
          new IOException(
              "swarmtee exited (" + process.waitFor() + ") before listening; see " + log));
    } catch (IOException | InterruptedException e) {
      port.completeExceptionally(e);
    }
  }

  /**
   * @return the child's process id
   */
  public long pid() {
    return process.pid();
  }

  /**
   * @return the port, once the child listens (fails if it exits first)
   */
  public int port() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  /**
   * Stops the child with SIGTERM (its shutdown hook drains requests and releases its stream leases)
   * and waits up to 60 s for it to exit, and for its last lines to reach the log.
   *
   * @return the exit code: 143 (128 + SIGTERM) after the JVM ran its shutdown hooks
   * @throws IllegalStateException if it did not exit in time (it is then killed)
   */
  public int stop() throws InterruptedException {
    // Through the handle: Process.destroy() also closes our end of the child's output pipe, and
    // everything its shutdown hook logs would be lost.
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill9();
      throw new IllegalStateException("swarmtee did not stop within 60 s of SIGTERM");
    }
    reader.join(TimeUnit.SECONDS.toMillis(10)); // the output ends with the exit: EOF comes soon
    return process.exitValue();
  }

  /**
   * @return true while the child runs
   */
  public boolean alive() {
    return process.isAlive();
  }

  /** Kills the child with SIGKILL (no shutdown hook runs) and waits for it to be gone. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill9();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
