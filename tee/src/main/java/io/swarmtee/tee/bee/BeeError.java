package io.swarmtee.tee.bee;

import java.util.List;
import java.util.Objects;

/**
 * Bee's error body, {@code {"code":int,"message":"..","reasons":[..]}}. When Bee answered with
 * something that is not this JSON, {@code message} holds the start of the raw body and {@code code}
 * the HTTP status.
 *
 * @param code the code Bee wrote (normally the HTTP status)
 * @param message Bee's message, possibly empty
 * @param reasons extra detail, often empty
 */
public record BeeError(int code, String message, List<String> reasons) {

  public BeeError {
    Objects.requireNonNull(message, "message");
    reasons = List.copyOf(reasons);
  }
}
