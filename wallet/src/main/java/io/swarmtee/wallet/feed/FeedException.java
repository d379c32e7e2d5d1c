package io.swarmtee.wallet.feed;

/**
 * The feed state file cannot be read or written, or an update was refused; one line for the
 * operator.
 */
public final class FeedException extends RuntimeException {

  public FeedException(String message, Throwable cause) {
    super(message, cause);
  }
}
