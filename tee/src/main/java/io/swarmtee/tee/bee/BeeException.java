package io.swarmtee.tee.bee;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one failure type of {@link BeeClient}: every failed future carries a subclass of this.
 *
 * <ul>
 *   <li>{@link BeeHttpException}: Bee answered with an error status (and usually its JSON error
 *       body);
 *   <li>{@link BeeTransportException}: no usable answer — timeout, connection refused, reset or
 *       closed;
 *   <li>{@link ReferenceMismatchException}: Bee accepted an upload under another reference than the
 *       one computed locally.
 * </ul>
 *
 * <p>Callers switch on {@link #kind()} or use {@link #retryable()}; they never parse messages.
 */
public abstract sealed class BeeException extends RuntimeException
    permits BeeHttpException, BeeTransportException, ReferenceMismatchException {

  private final String op;
  private final BeeErrorKind kind;

  BeeException(String op, BeeErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.op = Objects.requireNonNull(op, "op");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * @return the client operation that failed, as in the {@code op} metric tag (e.g. {@code
   *     upload_bytes})
   */
  public String op() {
    return op;
  }

  /**
   * @return what went wrong, coarse enough to decide retry vs. give up
   */
  public BeeErrorKind kind() {
    return kind;
  }

  /**
   * @return true when the same request may succeed later (see {@link BeeErrorKind#retryable()})
   */
  public boolean retryable() {
    return kind.retryable();
  }

  /**
   * @return the HTTP status Bee answered with, empty when there was no answer
   */
  public OptionalInt status() {
    return OptionalInt.empty();
  }

  /**
   * @return Bee's error body, empty when there was none
   */
  public Optional<BeeError> error() {
    return Optional.empty();
  }
}
