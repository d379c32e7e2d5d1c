package io.swarmtee.tee.bee;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** Bee answered with an error status; {@link #kind()} depends on the status and the endpoint. */
public final class BeeHttpException extends BeeException {

  private final int status;
  private final BeeError error;

  BeeHttpException(String op, BeeErrorKind kind, int status, BeeError error) {
    super(op, kind, op + ": Bee answered " + status + " (" + kind + "): " + error.message(), null);
    this.status = status;
    this.error = Objects.requireNonNull(error, "error");
  }

  @Override
  public OptionalInt status() {
    return OptionalInt.of(status);
  }

  @Override
  public Optional<BeeError> error() {
    return Optional.of(error);
  }
}
