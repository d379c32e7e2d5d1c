package io.swarmtee.tee.bee;

import java.util.Objects;

/**
 * {@code GET /health}: the node process is up; says nothing about readiness.
 *
 * @param status {@code ok}, {@code nok} or {@code unknown}
 * @param version the Bee version, e.g. {@code 2.8.0-…}
 * @param apiVersion the API version, e.g. {@code 8.0.0}
 */
public record BeeHealth(String status, String version, String apiVersion) {

  public BeeHealth {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(apiVersion, "apiVersion");
  }

  /**
   * @return true when Bee reports {@code ok}
   */
  public boolean ok() {
    return "ok".equals(status);
  }
}
