package io.swarmtee.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.ProxyFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the guard accepts and refuses, and why; end to end in {@code HostilePathTest}. */
class PathGuardTest {

  @Test
  void acceptedTargetsGiveTheirDecodedPathWithoutTheQuery() {
    Map<String, String> accepted =
        Map.of(
            "/", "/",
            "/stream/abc.m3u8", "/stream/abc.m3u8",
            "/stream/abc.m3u8?t=1&x=%41", "/stream/abc.m3u8",
            "/stream/dir/", "/stream/dir/",
            "/stream/.hidden/a...ts", "/stream/.hidden/a...ts",
            "/stream/..x/x..", "/stream/..x/x..",
            "/stream/caf%C3%A9.ts", "/stream/café.ts",
            "/stream/a%20b.ts", "/stream/a b.ts");
    accepted.forEach((uri, path) -> assertEquals(path, PathGuard.check(uri), uri));
  }

  @Test
  void plainPathsAreReturnedAsTheyAreNotCopied() {
    String uri = "/stream/bench/source/1.ts";
    assertSame(uri, PathGuard.check(uri));
    assertSame(uri, PathGuard.encode(uri));
  }

  @Test
  void refusedTargetsSayWhy() {
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("", "empty request target"),
            Map.entry("stream/a.ts", "origin-form"),
            Map.entry("/stream/../etc/passwd", "dot segment"),
            Map.entry("/stream/.", "dot segment"),
            Map.entry("/stream/..", "dot segment"),
            Map.entry("/./a", "dot segment"),
            Map.entry("/stream/%2e%2E/x", "dot segment"),
            Map.entry("/stream//a.ts", "empty segment"),
            Map.entry("//", "empty segment"),
            Map.entry("/stream/a%2Fb", "encoded slash"),
            Map.entry("/stream/a%00", "encoded control"),
            Map.entry("/stream/a%c3.ts", "not UTF-8"),
            Map.entry("/stream/a%z1", "malformed percent escape"),
            Map.entry("/stream/a%4", "truncated percent escape"),
            Map.entry("/stream/a\\b", "backslash"),
            Map.entry("/stream/a b", "control, space or non-ASCII"),
            Map.entry("/" + "a".repeat(PathGuard.MAX_PATH), "longer than"));
    refused.forEach(
        (uri, why) -> {
          ProxyFailure e = assertThrows(ProxyFailure.class, () -> PathGuard.check(uri), uri);
          assertEquals(400, e.code(), uri);
          assertTrue(e.getMessage().contains(why), uri + ": " + e.getMessage());
        });
  }

  @Test
  void encodingEscapesWhatARequestLineCannotCarry() {
    assertEquals("/stream/caf%C3%A9%20x%25.ts", PathGuard.encode("/stream/café x%.ts"));
    assertEquals("/a-._~!$&'()*+,;=:@/b", PathGuard.encode("/a-._~!$&'()*+,;=:@/b"));
    assertEquals("/%3F%23%5B%5D", PathGuard.encode("/?#[]"));
  }
}
