package io.swarmtee.tee.net;

import java.net.URI;

/**
 * The TCP port an http(s) URL connects to: its explicit port, else the scheme's default. One place
 * for the 80/443 rule, so the Bee client, the origin shield and the archiver cannot disagree on
 * whether {@code https://host/} and {@code https://host:443/} are the same origin.
 *
 * <p>Stateless; safe from any thread.
 */
public final class HttpPorts {

  /** Port of {@code http} URLs without one. */
  public static final int HTTP = 80;

  /** Port of {@code https} URLs without one. */
  public static final int HTTPS = 443;

  private HttpPorts() {}

  /**
   * @param scheme a URL scheme, compared case-insensitively; may be null
   * @return {@value #HTTPS} for {@code https}, {@value #HTTP} for anything else (callers that
   *     accept only http(s) check the scheme first)
   */
  public static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? HTTPS : HTTP;
  }

  /**
   * @param uri a URL, not null
   * @return its explicit port, or {@link #defaultPort(String)} of its scheme when it has none
   */
  public static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
  }
}
