package io.swarmtee.proxy.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one rule for which URLs the origin shield and the archiver may fetch. */
class UpstreamAllowListTest {

  private final UpstreamAllowList list =
      UpstreamAllowList.create(
          URI.create("http://origin.example:8935"),
          List.of("cdn.example", "Store.Example:9000", "[::1]:8080"));

  private static URI u(String s) {
    return URI.create(s);
  }

  @Test
  void upstreamOriginIsAllowed() {
    assertTrue(list.isUpstream(u("http://origin.example:8935/stream/a.m3u8")));
    assertTrue(list.allows(u("http://origin.example:8935/stream/a.m3u8?x=1")));
    assertTrue(list.allows(u("HTTP://ORIGIN.example:8935/x")), "scheme and host case");
  }

  @Test
  void upstreamHostOnAnotherSchemeOrPortIsNot() {
    assertFalse(list.allows(u("https://origin.example:8935/x")), "other scheme");
    assertFalse(list.allows(u("http://origin.example/x")), "other (default) port");
    assertFalse(list.allows(u("http://origin.example:8936/x")), "other port");
    assertFalse(list.allows(u("ftp://origin.example:8935/x")), "not http(s)");
  }

  @Test
  void defaultPortsAreTheSameOrigin() {
    UpstreamAllowList tls = UpstreamAllowList.create(u("https://origin.example"), Set.of());
    assertTrue(tls.allows(u("https://origin.example:443/x")));
    assertTrue(tls.allows(u("https://origin.example/x")));
    assertFalse(tls.allows(u("http://origin.example:443/x")), "http on 443 is another origin");
    assertFalse(tls.allows(u("http://origin.example/x")));
    UpstreamAllowList plain = UpstreamAllowList.create(u("http://origin.example:80/"), Set.of());
    assertTrue(plain.allows(u("http://origin.example/x")));
  }

  @Test
  void userinfoDoesNotNameTheHost() {
    assertFalse(list.allows(u("http://origin.example:8935@evil.example/x")));
    assertFalse(list.allows(u("http://origin.example@evil.example:8935/x")));
    assertTrue(list.allows(u("http://evil@cdn.example/x")), "the host is what is listed");
    assertFalse(list.isUpstream(u("http://evil@cdn.example/x")));
  }

  @Test
  void listedHostsAnyPortListedHostPortThatPortOnly() {
    assertTrue(list.allows(u("https://cdn.example/seg.ts")));
    assertTrue(list.allows(u("http://CDN.example:1234/seg.ts")), "host case; any port");
    assertTrue(list.allows(u("http://store.example:9000/seg.ts")), "entries compare in lower case");
    assertFalse(list.allows(u("http://store.example/seg.ts")), "only port 9000 is listed");
    assertFalse(list.allows(u("http://store.example:9001/seg.ts")));
    assertFalse(list.allows(u("http://cdn.example.evil/seg.ts")), "no suffix matching");
    assertFalse(list.allows(u("http://sub.cdn.example/seg.ts")), "no subdomain matching");
  }

  @Test
  void ipv6LiteralsWithBrackets() {
    assertTrue(list.allows(u("http://[::1]:8080/seg.ts")));
    assertFalse(list.allows(u("http://[::1]/seg.ts")), "another port");
    assertFalse(list.allows(u("http://[0:0:0:0:0:0:0:1]:8080/seg.ts")), "not normalised");
    UpstreamAllowList v6 = UpstreamAllowList.create(u("http://[FE80::1]:8935"), Set.of());
    assertTrue(v6.isUpstream(u("http://[fe80::1]:8935/x")), "hex digits in any case");
  }

  @Test
  void relativeOpaqueAndHostlessUrisAreRefused() {
    assertFalse(list.allows(u("/stream/a.m3u8")));
    assertFalse(list.allows(u("//cdn.example/seg.ts")), "scheme-relative");
    assertFalse(list.allows(u("http:cdn.example")), "opaque");
    assertFalse(list.allows(u("http:///x")), "no host");
    assertFalse(list.allows(u("http://bad_host.example/x")), "registry authority, no host");
    assertFalse(list.allows(u("file:///etc/passwd")));
    assertFalse(UpstreamAllowList.absoluteHttp(u("/x")));
    assertTrue(UpstreamAllowList.absoluteHttp(u("https://cdn.example")));
  }

  @Test
  void upstreamWithoutHostMatchesNothingButListedHosts() {
    UpstreamAllowList hostless = UpstreamAllowList.create(u("http:///"), List.of("cdn.example"));
    assertFalse(hostless.allows(u("http://origin.example/x")));
    assertTrue(hostless.allows(u("http://cdn.example/x")));
  }
}
