package io.swarmtee.proxy.cluster;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream's archive journal as the cluster holds it (a value of the journals map, with one
 * backup): the events as JSON lines, in the order the owners appended them, and the newest grant
 * that wrote (epoch and owner), below which every write is refused. {@code generation} counts
 * rewrites (compactions), so that a reader that applied a prefix knows when to start over. Mutated
 * only inside {@link JournalProcessor}, on the partition's owner and, the same way, on its backup.
 */
final class JournalLog implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  final ArrayList<String> events = new ArrayList<>();
  long epoch;
  String owner = "";
  long generation;

  /**
   * @return whether a write under grant ({@code epoch}, {@code owner}) may go in: not older than
   *     the newest that wrote, and not a second owner of the same epoch (two sides of a partition)
   */
  boolean admits(long epoch, String owner) {
    return this.epoch == 0
        || epoch > this.epoch
        || (epoch == this.epoch && owner.equals(this.owner));
  }

  List<String> events() {
    return events;
  }
}
