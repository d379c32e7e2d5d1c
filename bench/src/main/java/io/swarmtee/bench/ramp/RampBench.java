package io.swarmtee.bench.ramp;

import java.nio.file.Path;

/**
 * {@code bench/ramp.sh}: runs the load ramp ({@link LoadRamp}), prints a table per setup and writes
 * {@code <out>.csv} and {@code <out>.json}. Options: {@link RampOptions#USAGE}.
 */
public final class RampBench {

  private RampBench() {}

  public static void main(String[] args) throws Exception {
    String cache = System.getenv("SWARMTEE_CACHE");
    Path cacheRoot =
        cache == null || cache.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "swarmtee")
            : Path.of(cache);
    RampOptions options =
        RampOptions.parse(args, cacheRoot.resolve("ramp"), Path.of("bench/target/ramp-work"));
    RampResult result = LoadRamp.run(options);
    System.out.print(RampReport.text(result));
    for (Path p : RampReport.write(result, options.out())) {
      System.out.println("wrote " + p);
    }
  }
}
