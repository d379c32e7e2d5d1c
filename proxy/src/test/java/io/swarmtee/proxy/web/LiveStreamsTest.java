package io.swarmtee.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.web.LiveStreams.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveStreamsTest {

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private Instant now = Instant.parse("2026-11-25T15:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void streamIdsComeFromMasterMediaAndSegmentPaths() {
    assertEquals(Optional.of("abc"), LiveStreams.streamOf("/stream/", "/stream/abc.m3u8"));
    assertEquals(Optional.of("abc"), LiveStreams.streamOf("/stream/", "/stream/abc/source.m3u8"));
    assertEquals(Optional.of("abc"), LiveStreams.streamOf("/stream/", "/stream/abc/source/7.ts"));
    assertEquals(
        Optional.of("<img src=x>"), LiveStreams.streamOf("/stream/", "/stream/<img src=x>.m3u8"));
    assertEquals(Optional.empty(), LiveStreams.streamOf("/stream/", "/stream/"));
    assertEquals(Optional.empty(), LiveStreams.streamOf("/stream/", "/stream/.m3u8"));
    assertEquals(Optional.empty(), LiveStreams.streamOf("/stream/", "/stream/abc.ts"));
    assertEquals(Optional.empty(), LiveStreams.streamOf("/stream/", "/other/abc.m3u8"));
  }

  @Test
  void aStreamIsListedWhileSeenWithinTheWindowBySomeSource() {
    HandClock clock = new HandClock();
    LiveStreams live = new LiveStreams(clock, Duration.ofSeconds(30), 10);
    live.saw("a", Source.VIEWERS);
    clock.advance(Duration.ofSeconds(10));
    live.listed(List.of("b", "a"));
    List<LiveStreams.Stream> now = live.current();
    assertEquals(
        List.of("b", "a"), now.stream().map(LiveStreams.Stream::id).toList(), "newest first");
    assertEquals(Set.of(Source.VIEWERS, Source.STATUS), now.get(1).sources());
    assertEquals(clock.instant().minusSeconds(10), now.get(1).firstSeen());
    assertEquals(clock.instant(), now.get(1).lastSeen());

    clock.advance(Duration.ofSeconds(25)); // viewers saw "a" 35 s ago, the status 25 s ago
    assertEquals(Set.of(Source.STATUS), live.current().get(1).sources());
    clock.advance(Duration.ofSeconds(6));
    assertEquals(List.of(), live.current(), "nothing seen for 31 s");
  }

  @Test
  void theLeastRecentlySeenAreForgottenBeyondCapacity() {
    HandClock clock = new HandClock();
    LiveStreams live = new LiveStreams(clock, Duration.ofSeconds(30), 2);
    live.saw("a", Source.VIEWERS);
    live.saw("b", Source.VIEWERS);
    live.saw("a", Source.VIEWERS);
    live.saw("c", Source.VIEWERS);
    assertEquals(
        Set.of("a", "c"), Set.copyOf(live.current().stream().map(LiveStreams.Stream::id).toList()));
    assertThrows(
        IllegalArgumentException.class, () -> new LiveStreams(clock, Duration.ofSeconds(1), 0));
    assertTrue(live.window().equals(Duration.ofSeconds(30)));
  }
}
