package io.swarmtee.proxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what a running JVM holds, from outside it: live threads and open file descriptors from
 * {@code /proc/<pid>}, and the heap after a full GC from {@code jcmd <pid> GC.class_histogram}
 * (which collects before it counts, so its total is the live heap, and its rows tell which classes
 * grew). Linux only.
 */
public final class ProcessProbe {

  /**
   * Threads that come and go with load by design, told apart by the name the kernel shows (15
   * characters): Vert.x's worker and internal-blocking pools (20 each by default), and the JVM's GC
   * and JIT compiler threads (started and stopped on demand).
   */
  private static final List<String> POOL_PREFIXES =
      List.of(
          "vert.x-worker-t",
          "vert.x-internal",
          "GC Thread#",
          "G1 Conc#",
          "G1 Refine#",
          "C1 CompilerThre",
          "C2 CompilerThre");

  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

  private final long pid;
  private final Path jcmd;

  private ProcessProbe(long pid, Path jcmd) {
    this.pid = pid;
    this.jcmd = jcmd;
  }

  /**
   * A probe of process {@code pid}, with the {@code jcmd} of the JDK running this code (the
   * child's).
   */
  public static ProcessProbe of(long pid) {
    return new ProcessProbe(pid, Path.of(System.getProperty("java.home"), "bin", "jcmd"));
  }

  /**
   * One reading.
   *
   * @param threads live threads outside the on-demand pools
   * @param poolThreads live threads of the on-demand pools (see {@link #POOL_PREFIXES})
   * @param fdTargets what each open descriptor points at ({@code socket:[…]}, a file path, …)
   * @param liveHeapBytes heap bytes reachable after a full GC
   * @param heapByClass live bytes per class name
   */
  public record Reading(
      int threads,
      int poolThreads,
      List<String> fdTargets,
      long liveHeapBytes,
      Map<String, Long> heapByClass) {
    public Reading {
      fdTargets = List.copyOf(fdTargets);
      heapByClass = Map.copyOf(heapByClass);
    }

    public int fds() {
      return fdTargets.size();
    }
  }

  /** The probe could not read the process (gone, no {@code jcmd}, not Linux). */
  public static final class ProbeException extends IOException {
    private static final long serialVersionUID = 1L;

    ProbeException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Takes a reading; blocks for the full GC and the histogram (a fraction of a second on a small
   * heap).
   *
   * @throws ProbeException if the process cannot be read
   */
  public Reading read() throws ProbeException {
    try {
      int threads = 0;
      int pool = 0;
      Path proc = Path.of("/proc", Long.toString(pid));
      try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
        for (Path task : tasks.toList()) {
          String name;
          try {
            name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
          } catch (NoSuchFileException e) {
            continue; // ended while listing
          }
          if (POOL_PREFIXES.stream().anyMatch(name::startsWith)) {
            pool++;
          } else {
            threads++;
          }
        }
      }
      List<String> fds = new ArrayList<>();
      try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
        for (Path fd : open.toList()) {
          try {
            fds.add(Files.readSymbolicLink(fd).toString());
          } catch (IOException e) {
            // closed between listing and reading
          }
        }
      }
      Map<String, Long> byClass = new HashMap<>();
      long total = histogram(byClass);
      return new Reading(threads, pool, fds, total, byClass);
    } catch (ProbeException e) {
      throw e;
    } catch (IOException e) {
      throw new ProbeException("cannot read /proc/" + pid + ": " + e.getMessage(), e);
    }
  }

  private long histogram(Map<String, Long> byClass) throws ProbeException {
    List<String> cmd = List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new ProbeException(String.join(" ", cmd) + " failed: " + out, null);
      }
      long total = -1;
      for (String line : out.split("\n")) {
        Matcher row = HISTOGRAM_ROW.matcher(line);
        if (row.find()) {
          byClass.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
          continue;
        }
        Matcher t = HISTOGRAM_TOTAL.matcher(line);
        if (t.find()) {
          total = Long.parseLong(t.group(2));
        }
      }
      if (total < 0) {
        throw new ProbeException(String.join(" ", cmd) + " printed no total: " + out, null);
      }
      return total;
    } catch (IOException e) {
      throw new ProbeException(
          "cannot run " + jcmd + " (a full JDK is needed): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeException("interrupted while running jcmd", e);
    }
  }

  @Override
  public String toString() {
    return "ProcessProbe[" + Objects.toString(pid) + "]";
  }
}
