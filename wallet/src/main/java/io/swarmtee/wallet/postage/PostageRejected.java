package io.swarmtee.wallet.postage;

/** Bee refused a spending request (HTTP 4xx): nothing was spent. See {@link PostageApi}. */
public final class PostageRejected extends RuntimeException {

  public PostageRejected(String message, Throwable cause) {
    super(message, cause);
  }
}
