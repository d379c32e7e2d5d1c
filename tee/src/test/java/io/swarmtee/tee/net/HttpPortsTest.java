package io.swarmtee.tee.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The 80/443 rule shared by the Bee client, the origin shield and the archiver. */
class HttpPortsTest {

  @Test
  void explicitPortWins() {
    assertEquals(8080, HttpPorts.port(URI.create("https://example.com:8080/x")));
    assertEquals(443, HttpPorts.port(URI.create("http://example.com:443/")));
  }

  @Test
  void schemeDefaultWhenAbsent() {
    assertEquals(80, HttpPorts.port(URI.create("http://example.com/")));
    assertEquals(443, HttpPorts.port(URI.create("https://example.com")));
    assertEquals(443, HttpPorts.port(URI.create("HTTPS://example.com/")), "scheme case");
    assertEquals(443, HttpPorts.port(URI.create("https://[::1]/")), "IPv6 literal");
  }

  @Test
  void anythingElseDefaultsTo80() {
    assertEquals(80, HttpPorts.defaultPort(null));
    assertEquals(80, HttpPorts.defaultPort("ftp"));
    assertEquals(80, HttpPorts.port(URI.create("/relative/path")));
  }
}
