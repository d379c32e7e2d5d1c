package io.swarmtee.proxy.http;

import io.swarmtee.tee.net.HttpPorts;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs swarmtee may fetch: the upstream's origin, and the hosts of {@code --allowed-hosts}
 * (object stores a playlist may point segments to). One rule for the origin shield's {@code
 * fetch(URI)} and the archiver, so a playlist cannot make one of them reach a host the other
 * refuses.
 *
 * <p>The contract:
 *
 * <ul>
 *   <li>Only absolute {@code http} and {@code https} URLs with a server host are allowed; relative
 *       URIs, opaque ones ({@code http:x}), other schemes and hostless ones never are. The scheme
 *       is compared case-insensitively.
 *   <li>The upstream's origin matches when scheme, host and port are all the same. Hosts compare
 *       case-insensitively; a missing port is the scheme's default ({@link HttpPorts#port(URI)}),
 *       so {@code https://h/} and {@code https://h:443/} are one origin. {@code https://h/} is not
 *       the origin {@code http://h/}.
 *   <li>Any other URL is allowed when its host, or its {@code host:port} (port as above, always
 *       written out), is an entry of the list. Entries are compared in lower case, so a listed
 *       {@code host} allows every port and scheme of it, a listed {@code host:port} that port only.
 *   <li>The decision is about the host Java's {@link URI} parses: userinfo is ignored ({@code
 *       http://upstream@evil/} is host {@code evil}).
 *   <li>IPv6 literals are compared as {@link URI#getHost()} gives them, with brackets: list them as
 *       {@code [::1]} or {@code [::1]:8080}. They are not normalised: {@code [0:0:0:0:0:0:0:1]} is
 *       not {@code [::1]}.
 * </ul>
 *
 * <p>Immutable; safe from any thread.
 */
public final class UpstreamAllowList {

  private final String upstreamScheme;
  private final String upstreamHost;
  private final int upstreamPort;
  private final Set<String> allowedHosts;

  private UpstreamAllowList(URI upstream, Set<String> allowedHosts) {
    this.upstreamScheme = lower(upstream.getScheme());
    this.upstreamHost = lower(upstream.getHost());
    this.upstreamPort = HttpPorts.port(upstream);
    this.allowedHosts = allowedHosts;
  }

  /**
   * @param upstream the upstream's origin (scheme, host, port); an upstream without a host matches
   *     no URL, so only listed hosts are allowed
   * @param allowedHosts entries {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port},
   *     any case
   * @return the allow-list
   * @throws NullPointerException if an argument or an entry is null
   */
  public static UpstreamAllowList create(URI upstream, Collection<String> allowedHosts) {
    Objects.requireNonNull(upstream, "upstream");
    return new UpstreamAllowList(
        upstream,
        allowedHosts.stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet()));
  }

  /**
   * @param url any URI, not null
   * @return true if {@code url} is an absolute http(s) URL with a server host (the first condition
   *     of {@link #allows(URI)})
   */
  public static boolean absoluteHttp(URI url) {
    String scheme = lower(url.getScheme());
    return ("http".equals(scheme) || "https".equals(scheme)) && url.getHost() != null;
  }

  /**
   * @param url any URI, not null
   * @return true if {@code url} is on the upstream's origin (same scheme, host and port)
   */
  public boolean isUpstream(URI url) {
    return absoluteHttp(url)
        && upstreamHost != null
        && lower(url.getScheme()).equals(upstreamScheme)
        && lower(url.getHost()).equals(upstreamHost)
        && HttpPorts.port(url) == upstreamPort;
  }

  /**
   * @param url any URI, not null
   * @return true if swarmtee may fetch {@code url}: on the upstream's origin, or on a listed host
   */
  public boolean allows(URI url) {
    if (isUpstream(url)) {
      return true;
    }
    if (!absoluteHttp(url)) {
      return false;
    }
    String host = lower(url.getHost());
    return allowedHosts.contains(host) || allowedHosts.contains(host + ":" + HttpPorts.port(url));
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
