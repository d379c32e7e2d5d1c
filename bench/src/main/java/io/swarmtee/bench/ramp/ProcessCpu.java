package io.swarmtee.bench.ramp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/<pid>/stat} (user + system, in clock ticks of {@value
 * #TICKS_PER_SECOND} Hz, Linux's fixed USER_HZ), for "cores used" = CPU seconds / wall seconds.
 */
final class ProcessCpu {

  static final int TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /**
   * @return CPU seconds used so far by {@code pid}, or NaN if it is gone or there is no {@code
   *     /proc}
   */
  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command (which may hold spaces): state is field 3, utime 14,
      // stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
