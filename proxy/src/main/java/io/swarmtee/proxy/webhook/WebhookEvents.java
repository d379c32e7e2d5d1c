package io.swarmtee.proxy.webhook;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the archive's journal events into webhook events:
 *
 * <ul>
 *   <li>{@code archive.started} for a {@link SessionStarted}, raised a turn of the archiver's
 *       context later so that the session's renditions (recorded right after) are known;
 *   <li>{@code archive.ready} for a final {@link MasterUploaded} (again if a later final copy
 *       replaces it: the id carries the master reference);
 *   <li>{@code archive.segments_lost} for the {@link SegmentLost} entries one turn of the context
 *       recorded, per stream and session, with their count and time range.
 * </ul>
 *
 * Each event names the archive facts it announces ({@link #started}, {@link #ready}, {@link
 * #lost}); when an archive is read from its journal, {@link #reconcile} raises the events of the
 * facts that were never queued: a crash between the journal's write and the outbox's loses none.
 * Confined to the archiver's context (where {@link io.swarmtee.proxy.archive.ArchiveHooks#recorded}
 * is called).
 */
final class WebhookEvents {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookEvents.class);

  private final BiConsumer<WebhookEvent, List<String>> emit;
  private final Function<Map<String, Instant>, Future<Set<String>>> unqueued;
  private final Clock clock;
  private final Optional<String> gateway;

  /** Losses recorded in this turn of the context, per stream and session. */
  private final Map<String, Map<Integer, List<SegmentLost>>> lost = new HashMap<>();

  /**
   * @param emit queues an event and the facts it announces
   * @param unqueued of the facts given (with when each happened), those never queued
   * @param gateway base URL of a Bee gateway ({@code --gateway}), put before {@code /bzz} paths
   */
  WebhookEvents(
      BiConsumer<WebhookEvent, List<String>> emit,
      Function<Map<String, Instant>, Future<Set<String>>> unqueued,
      Clock clock,
      Optional<String> gateway) {
    this.emit = emit;
    this.unqueued = unqueued;
    this.clock = clock;
    this.gateway = gateway;
  }

  void recorded(String stream, ArchiveEvent event, ArchiveView view) {
    switch (event) {
      case SessionStarted s -> later(() -> started(stream, s, view));
      case MasterUploaded m when m.finalCopy() -> ready(stream, m, view);
      case SegmentLost l -> {
        Map<Integer, List<SegmentLost>> byStream =
            lost.computeIfAbsent(stream, k -> new HashMap<>());
        boolean first = byStream.isEmpty();
        byStream.computeIfAbsent(l.session(), k -> new ArrayList<>()).add(l);
        if (first) {
          later(() -> flushLost(stream, view));
        }
      }
      default -> {
        // other events raise no webhook
      }
    }
  }

  /**
   * Raises the events of the facts in {@code journal} that were never queued (a crash came between
   * the journal's write and the outbox's), with the ids they would have had.
   *
   * @return completes once they are queued
   */
  Future<Void> reconcile(String stream, List<ArchiveEvent> journal, ArchiveView view) {
    Map<String, Instant> facts = new HashMap<>();
    Map<Integer, Instant> starts = new HashMap<>();
    for (ArchiveEvent e : journal) {
      switch (e) {
        case SessionStarted s -> {
          starts.put(s.session(), s.at());
          facts.put(started(stream, s.session()), s.at());
        }
        case MasterUploaded m when m.finalCopy() -> facts.put(ready(stream, m), m.at());
        case SegmentLost l ->
            facts.put(
                lost(stream, l),
                view.entryStart(l.session(), l.run(), l.rendition(), l.seq())
                    .orElse(starts.getOrDefault(l.session(), Instant.EPOCH)));
        default -> {
          // other events raise no webhook
        }
      }
    }
    if (facts.isEmpty()) {
      return Future.succeededFuture();
    }
    Context here = Vertx.currentContext();
    Promise<Void> done = Promise.promise();
    unqueued
        .apply(facts)
        .onFailure(done::fail)
        .onSuccess(
            missing -> {
              Runnable raise =
                  () -> {
                    raiseMissing(stream, journal, missing, view);
                    done.complete();
                  };
              if (here == null) {
                raise.run();
              } else {
                here.runOnContext(v -> raise.run());
              }
            });
    return done.future();
  }

  private void raiseMissing(
      String stream, List<ArchiveEvent> journal, Set<String> missing, ArchiveView view) {
    if (missing.isEmpty()) {
      return;
    }
    LOG.info(
        "webhooks: stream {}: raising {} event fact(s) a crash left out", stream, missing.size());
    Map<Integer, List<SegmentLost>> lostBySession = new TreeMap<>();
    for (ArchiveEvent e : journal) {
      switch (e) {
        case SessionStarted s when missing.contains(started(stream, s.session())) ->
            started(stream, s, view);
        case MasterUploaded m when m.finalCopy() && missing.contains(ready(stream, m)) ->
            ready(stream, m, view);
        case SegmentLost l when missing.contains(lost(stream, l)) ->
            lostBySession.computeIfAbsent(l.session(), k -> new ArrayList<>()).add(l);
        default -> {
          // covered, or no webhook
        }
      }
    }
    lostBySession.forEach((session, entries) -> raiseLost(stream, session, entries, view));
  }

  /** The fact of session {@code session}'s start (see {@link Ledger}). */
  static String started(String stream, int session) {
    return "started " + stream + " " + session;
  }

  /** The fact of a final master. */
  static String ready(String stream, MasterUploaded m) {
    return "ready " + stream + " " + m.session() + " " + m.master().hex();
  }

  /** The fact of a lost segment. */
  static String lost(String stream, SegmentLost l) {
    return "lost "
        + stream
        + " "
        + l.session()
        + "/"
        + l.run()
        + "/"
        + l.rendition()
        + "/"
        + l.seq();
  }

  private void started(String stream, SessionStarted s, ArchiveView view) {
    JsonObject session = view.session(s.session()).orElseGet(JsonObject::new);
    emit.accept(
        WebhookEvent.of(
            WebhookEvent.STARTED,
            stream,
            "session " + s.session() + " " + s.at(),
            s.at(),
            new JsonObject()
                .put("session", s.session())
                .put("renditions", session.getJsonArray("renditions", new JsonArray()))
                .put("start", s.at().toString())
                .put("url", archiveUrl(stream, s.session()))),
        List.of(started(stream, s.session())));
  }

  private void ready(String stream, MasterUploaded m, ArchiveView view) {
    JsonObject session = view.session(m.session()).orElseGet(JsonObject::new);
    JsonObject segments = session.getJsonObject("segments", new JsonObject());
    String bzz = session.getString("masterPath", "/bzz/" + m.master().hex() + "/");
    emit.accept(
        WebhookEvent.of(
            WebhookEvent.READY,
            stream,
            "session " + m.session() + " master " + m.master().hex(),
            m.at(),
            new JsonObject()
                .put("session", m.session())
                .put("master", m.master().hex())
                .put("duration", session.getDouble("duration", 0.0))
                .put("start", session.getString("start"))
                .put("end", session.getString("end"))
                .put("renditions", session.getJsonArray("renditions", new JsonArray()))
                .put(
                    "segments",
                    new JsonObject()
                        .put("archived", segments.getLong("archived", 0L))
                        .put("lost", segments.getLong("lost", 0L)))
                .put("url", archiveUrl(stream, m.session()))
                .put("bzz", gateway.orElse("") + bzz)),
        List.of(ready(stream, m)));
  }

  private void flushLost(String stream, ArchiveView view) {
    Map<Integer, List<SegmentLost>> byStream = lost.remove(stream);
    if (byStream != null) {
      byStream.forEach((session, entries) -> raiseLost(stream, session, entries, view));
    }
  }

  private void raiseLost(String stream, int session, List<SegmentLost> entries, ArchiveView view) {
    Instant from = null;
    Instant to = null;
    JsonArray renditions = new JsonArray();
    JsonArray segments = new JsonArray();
    List<String> facts = new ArrayList<>();
    StringBuilder about = new StringBuilder("session " + session);
    for (SegmentLost l : entries) {
      about
          .append(' ')
          .append(l.run())
          .append('/')
          .append(l.rendition())
          .append('/')
          .append(l.seq());
      facts.add(lost(stream, l));
      segments.add(
          new JsonObject().put("rendition", l.rendition()).put("run", l.run()).put("seq", l.seq()));
      if (!renditions.contains(l.rendition())) {
        renditions.add(l.rendition());
      }
      Optional<Instant> start = view.entryStart(session, l.run(), l.rendition(), l.seq());
      if (start.isPresent()) {
        Instant end = start.get().plusMillis(Math.round(l.duration() * 1000));
        from = from == null || start.get().isBefore(from) ? start.get() : from;
        to = to == null || end.isAfter(to) ? end : to;
      }
    }
    emit.accept(
        WebhookEvent.of(
            WebhookEvent.SEGMENTS_LOST,
            stream,
            about.toString(),
            clock.instant(),
            new JsonObject()
                .put("session", session)
                .put("count", entries.size())
                .put("renditions", renditions)
                .put("from", from == null ? null : from.toString())
                .put("to", to == null ? null : to.toString())
                .put("segments", segments)),
        facts);
  }

  private static String archiveUrl(String stream, int session) {
    return "/archive/" + stream + "/s/" + session + "/index.m3u8";
  }

  private static void later(Runnable task) {
    Context c = Vertx.currentContext();
    if (c == null) {
      task.run();
    } else {
      c.runOnContext(v -> task.run());
    }
  }
}
