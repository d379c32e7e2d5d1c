package io.swarmtee.bench.ramp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Names where a setup stops keeping up: the offered load (MB/s the streams bring in) at the first
 * unsustainable step, or at the last step when all held, divided by each same-run capacity —
 * swarmtee's hashing, the store's raw ingest, durable disk writes, loopback HTTP (every byte
 * crosses it twice: origin → swarmtee → store). The resource with the highest ratio is named, with
 * every ratio and the CPU each process used. When no ratio reaches {@value #NEAR}, the step failed
 * for another reason (its problems are quoted).
 */
final class Bottleneck {

  /** A ratio below this is not a throughput limit. */
  static final double NEAR = 0.5;

  private record Candidate(String name, double capacity, double ratio) {}

  private Bottleneck() {}

  static String verdict(
      Backend.Kind kind,
      List<StepResult> steps,
      Baselines.Machine machine,
      double ingestMBps,
      int cores) {
    if (steps.isEmpty()) {
      return "no step ran";
    }
    StepResult at =
        steps.stream().filter(s -> !s.sustainable()).findFirst().orElse(steps.getLast());
    double offered = at.offeredMBps();
    String store = kind == Backend.Kind.BEE ? "Bee" : "Bee test double";
    List<Candidate> all =
        new ArrayList<>(
            List.of(
                new Candidate("hashing", machine.hashMBps(), offered / machine.hashMBps()),
                new Candidate(store, ingestMBps, offered / ingestMBps),
                new Candidate("disk", machine.diskMBps(), offered / machine.diskMBps()),
                new Candidate(
                    "network", machine.loopbackMBps(), 2 * offered / machine.loopbackMBps())));
    Candidate top = all.stream().max(Comparator.comparingDouble(Candidate::ratio)).orElseThrow();
    StringBuilder b = new StringBuilder();
    if (at.sustainable()) {
      b.append(
          String.format(
              Locale.ROOT, "none up to %s (every step sustainable); closest: ", at.rung().label()));
    } else if (top.ratio() < NEAR) {
      b.append(
          String.format(
              Locale.ROOT,
              "not a throughput limit at %s (offered load below %.1f× of every"
                  + " capacity): %s; ",
              at.rung().label(),
              NEAR,
              String.join(", ", at.problems())));
    } else {
      b.append(String.format(Locale.ROOT, "%s at %s: ", top.name(), at.rung().label()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "offered %.2f MB/s = %.2f× %s's same-run capacity (%.1f MB/s)",
            offered,
            top.ratio(),
            top.name(),
            top.capacity()));
    b.append(" [");
    for (int i = 0; i < all.size(); i++) {
      Candidate c = all.get(i);
      b.append(i == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%s %.2f×", c.name(), c.ratio()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "; CPU cores used: swarmtee %.2f, %s, ramp JVM %.2f, of %d]",
            at.swarmteeCores(),
            Double.isNaN(at.storeCores())
                ? "Bee test double inside the ramp JVM"
                : String.format(Locale.ROOT, "Bee %.2f", at.storeCores()),
            at.driverCores(),
            cores));
    return b.toString();
  }
}
