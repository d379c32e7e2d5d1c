package io.swarmtee.proxy;

import java.util.Objects;

/**
 * A failure that carries the HTTP status it should be answered with. Thrown or used to fail futures
 * anywhere in the server; the router's failure handler ({@link
 * io.swarmtee.proxy.http.ErrorResponses}) turns it into a one-line JSON body {@code
 * {"code":502,"message":"..."}}. Anything else becomes 500.
 */
public final class ProxyFailure extends RuntimeException {

  private final int code;

  /**
   * @param code HTTP status, 400..599
   * @param message one line for the client; no secrets, no stack traces
   */
  public ProxyFailure(int code, String message) {
    this(code, message, null);
  }

  public ProxyFailure(int code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, false);
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("not an error status: " + code);
    }
    this.code = code;
  }

  /**
   * @return the HTTP status
   */
  public int code() {
    return code;
  }

  public static ProxyFailure badRequest(String message) {
    return new ProxyFailure(400, message);
  }

  public static ProxyFailure notFound(String message) {
    return new ProxyFailure(404, message);
  }

  public static ProxyFailure badGateway(String message, Throwable cause) {
    return new ProxyFailure(502, message, cause);
  }

  public static ProxyFailure gatewayTimeout(String message) {
    return new ProxyFailure(504, message);
  }
}
