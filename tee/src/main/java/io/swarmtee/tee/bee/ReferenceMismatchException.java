package io.swarmtee.tee.bee;

import io.swarmtee.tee.SwarmReference;
import java.util.Objects;

/**
 * Bee stored an upload under a reference other than the one computed locally, so the locally known
 * reference would not resolve to these bytes. Not retryable; the caller must not record the upload
 * as archived. Counted in {@code swarmtee_reference_mismatches_total}.
 */
public final class ReferenceMismatchException extends BeeException {

  private final SwarmReference expected;
  private final SwarmReference actual;

  ReferenceMismatchException(String op, SwarmReference expected, SwarmReference actual) {
    super(
        op,
        BeeErrorKind.REFERENCE_MISMATCH,
        op + ": Bee returned reference " + actual + " but " + expected + " was computed locally",
        null);
    this.expected = Objects.requireNonNull(expected, "expected");
    this.actual = Objects.requireNonNull(actual, "actual");
  }

  /**
   * @return the reference computed locally
   */
  public SwarmReference expected() {
    return expected;
  }

  /**
   * @return the reference Bee returned
   */
  public SwarmReference actual() {
    return actual;
  }
}
