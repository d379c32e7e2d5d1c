package io.swarmtee.wallet.chain;

/**
 * A chain call failed and its outcome is unknown (the RPC endpoint did not answer, or a sent
 * transaction was not mined before the deadline): it may still take effect. A refusal that
 * certainly spent nothing is a {@link io.swarmtee.wallet.postage.PostageRejected} instead. The
 * message is one line for the operator.
 */
public final class ChainException extends RuntimeException {

  public ChainException(String message) {
    super(message);
  }

  public ChainException(String message, Throwable cause) {
    super(message, cause);
  }
}
