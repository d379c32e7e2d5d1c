package io.swarmtee.proxy.bytes;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content opened by a {@link ContentSource}.
 *
 * @param status 200, 206 (a range) or 416 (range not satisfiable)
 * @param length bytes in {@code body} ({@code Content-Length}), when known
 * @param contentRange the {@code Content-Range} value for 206 and 416
 * @param body the bytes, paused; empty for HEAD and 416
 */
public record Content(
    int status,
    OptionalLong length,
    Optional<String> contentRange,
    Optional<ReadStream<Buffer>> body) {

  public Content {
    if (status != 200 && status != 206 && status != 416) {
      throw new IllegalArgumentException("content status is 200, 206 or 416, not " + status);
    }
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(contentRange, "contentRange");
    Objects.requireNonNull(body, "body");
  }
}
