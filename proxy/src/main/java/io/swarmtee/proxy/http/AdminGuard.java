package io.swarmtee.proxy.http;

import io.swarmtee.proxy.ProxyFailure;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Guards admin routes with {@code Authorization: Bearer <admin-token>}. Without a configured token
 * every request is refused with 403; a missing or wrong token gets 401. The comparison takes the
 * same time whatever the token's content ({@link MessageDigest#isEqual} over SHA-256 digests, so
 * length too).
 */
public final class AdminGuard implements Handler<RoutingContext> {

  private final Optional<byte[]> tokenDigest;

  private AdminGuard(Optional<String> token) {
    this.tokenDigest = Objects.requireNonNull(token, "token").map(AdminGuard::sha256);
  }

  /**
   * @return a guard accepting {@code token}; an empty token refuses everything
   */
  public static AdminGuard create(Optional<String> token) {
    return new AdminGuard(token);
  }

  /** Passes the request on ({@code ctx.next()}) or fails it with a {@link ProxyFailure} 401/403. */
  @Override
  public void handle(RoutingContext ctx) {
    Optional<ProxyFailure> refusal = check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (refusal.isPresent()) {
      ctx.fail(refusal.get());
    } else {
      ctx.next();
    }
  }

  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @return empty when authorised, otherwise the failure to answer with
   */
  public Optional<ProxyFailure> check(String authorization) {
    if (tokenDigest.isEmpty()) {
      return Optional.of(
          new ProxyFailure(403, "admin endpoints are disabled: no --admin-token configured"));
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(
          new ProxyFailure(401, "admin endpoint: send Authorization: Bearer <admin-token>"));
    }
    byte[] given = sha256(authorization.substring(7).trim());
    if (!MessageDigest.isEqual(given, tokenDigest.get())) {
      return Optional.of(new ProxyFailure(401, "admin endpoint: wrong token"));
    }
    return Optional.empty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
