package io.swarmtee.tee.bee;

/**
 * No usable answer from Bee: a timeout, a refused, reset or closed connection, or a body that could
 * not be read. Always {@link BeeErrorKind#TRANSIENT}; the cause is the underlying Vert.x/Netty
 * failure.
 */
public final class BeeTransportException extends BeeException {

  BeeTransportException(String op, String message, Throwable cause) {
    super(op, BeeErrorKind.TRANSIENT, op + ": " + message, cause);
  }
}
