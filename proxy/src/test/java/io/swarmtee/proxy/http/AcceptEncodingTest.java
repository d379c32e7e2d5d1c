package io.swarmtee.proxy.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one reading of Accept-Encoding that playlists (shield) and the web page's assets share. */
class AcceptEncodingTest {

  @Test
  void gzipOnlyWhenListedWithoutQZero() {
    assertTrue(AcceptEncoding.gzip("gzip, deflate, br"));
    assertTrue(AcceptEncoding.gzip("br;q=1.0, GZIP;q=0.5"));
    assertFalse(AcceptEncoding.gzip("gzip;q=0"));
    assertFalse(AcceptEncoding.gzip("gzip; q=0.000"));
    assertFalse(AcceptEncoding.gzip("identity"));
    assertFalse(AcceptEncoding.gzip(null));
    assertFalse(AcceptEncoding.gzip("gzip;level=9;q=0"), "q=0 after another parameter");
  }
}
