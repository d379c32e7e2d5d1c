package io.swarmtee.proxy.webhook;

import io.swarmtee.tee.store.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The archive facts (a session started, a session's final master, a lost segment) whose webhook
 * events were queued, so that at start-up the journal can be compared with what was queued and what
 * a crash left out between the two writes is raised then ({@link WebhookEvents#reconcile}).
 *
 * <p>File {@code webhooks/ledger}: a first line {@code since <epoch ms>} (when the ledger was
 * created: older facts are never raised again, so turning webhooks on does not replay history),
 * then one line {@code <epoch ms> <fact>} per queued fact, appended and {@code fsync}'d after the
 * event's deliveries are on disk. Lines older than the retention are dropped when the ledger is
 * opened, and facts older than the retention are not raised again: that bounds the file. Blocking;
 * the {@link Outbox} calls it on its worker queue.
 *
 * @param since facts from before this are never raised by reconciliation
 * @param facts the facts queued since then
 */
record Ledger(Instant since, Set<String> facts) {

  /** How long a queued fact is remembered (far longer than the 24 h a delivery is retried). */
  static final Duration RETENTION = Duration.ofDays(7);

  private static final String SINCE = "since ";

  Ledger {
    Objects.requireNonNull(since, "since");
    facts = Set.copyOf(facts);
  }

  /**
   * @return the ledger in {@code file}, created (since {@code now}) if absent; rewritten without
   *     the lines older than {@link #RETENTION} and without a torn last line
   */
  static Ledger open(Path file, Instant now) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      AtomicFiles.write(file, (SINCE + now.toEpochMilli() + "\n").getBytes(StandardCharsets.UTF_8));
      return new Ledger(now, new HashSet<>());
    }
    Instant since = now;
    if (!lines.isEmpty() && lines.get(0).startsWith(SINCE)) {
      since = Instant.ofEpochMilli(Long.parseLong(lines.get(0).substring(SINCE.length()).trim()));
    }
    Instant oldest = now.minus(RETENTION);
    Set<String> facts = new HashSet<>();
    StringBuilder kept = new StringBuilder(SINCE + since.toEpochMilli() + "\n");
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      int space = line.indexOf(' ');
      if (space <= 0) {
        continue; // torn by a crash mid-append
      }
      try {
        if (!Instant.ofEpochMilli(Long.parseLong(line.substring(0, space))).isBefore(oldest)) {
          facts.add(line.substring(space + 1));
          kept.append(line).append('\n');
        }
      } catch (NumberFormatException e) {
        // torn: the rest of a line whose start was lost; its fact may be raised again (same id)
      }
    }
    AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    return new Ledger(since, facts);
  }

  /**
   * @return the earliest time a fact may have to be raised again: facts before it are not
   */
  Instant horizon(Instant now) {
    Instant oldest = now.minus(RETENTION);
    return since.isAfter(oldest) ? since : oldest;
  }

  /** Appends {@code queued} (at {@code at}) to {@code file} and syncs it. */
  static void append(Path file, Collection<String> queued, Instant at) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String fact : queued) {
      lines.append(at.toEpochMilli()).append(' ').append(fact.replace('\n', ' ')).append('\n');
    }
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    }
  }
}
