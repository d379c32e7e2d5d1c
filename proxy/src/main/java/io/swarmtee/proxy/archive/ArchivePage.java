package io.swarmtee.proxy.archive;

import io.vertx.core.json.JsonArray;
import java.util.Objects;
import java.util.Optional;

/** One page of {@code GET /api/archives}: the archives, and the id to continue after. */
public record ArchivePage(JsonArray archives, Optional<String> next) {
  public ArchivePage {
    Objects.requireNonNull(archives, "archives");
    Objects.requireNonNull(next, "next");
  }
}
