package io.swarmtee.tee.store;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Walks a {@code /bytes} tree in order and yields the leaves that overlap a byte range, reading
 * (and verifying) only the intermediate chunks on the way to them. Blocking; not thread-safe.
 *
 * <p>An intermediate chunk of span {@code S} has children of capacity {@code c = 4096·128^k}, the
 * largest such that {@code c·128 >= S}; child {@code i} covers {@code [i·c, min(S, (i+1)·c))}. A
 * lone last reference carried up a level keeps exactly this layout, so offsets follow from spans
 * alone.
 */
final class LeafCursor {

  /** A leaf to read: its address, where its data starts in the content, and its length. */
  record Leaf(SwarmReference address, long base, int length) {}

  private record Frame(byte[] wire, long base, long span, long capacity, int end, int[] next) {}

  private final PackFile.Reader pack;
  private final long first;
  private final long last;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private Leaf rootLeaf;

  /**
   * @param rootWire the verified root chunk in wire form
   * @param first first byte wanted
   * @param last last byte wanted, {@code < size}
   */
  LeafCursor(PackFile.Reader pack, byte[] rootWire, long first, long last) {
    this.pack = pack;
    this.first = first;
    this.last = last;
    long span = Chunks.span(rootWire);
    if (span <= Chunks.CHUNK_SIZE) {
      checkLeaf(pack.root(), rootWire, span);
      rootLeaf = new Leaf(pack.root(), 0, (int) span);
    } else {
      push(pack.root(), rootWire, 0, span);
    }
  }

  /**
   * @return the next overlapping leaf, or null at the end
   */
  Leaf next() throws IOException {
    if (rootLeaf != null) {
      Leaf leaf = rootLeaf;
      rootLeaf = null;
      return leaf;
    }
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      int i = frame.next()[0];
      if (i > frame.end()) {
        stack.pop();
        continue;
      }
      frame.next()[0] = i + 1;
      SwarmReference child =
          new SwarmReference(
              Arrays.copyOfRange(
                  frame.wire(),
                  Chunks.SPAN_SIZE + i * SwarmReference.LENGTH,
                  Chunks.SPAN_SIZE + (i + 1) * SwarmReference.LENGTH));
      long childBase = frame.base() + i * frame.capacity();
      long childSpan = Math.min(frame.capacity(), frame.span() - i * frame.capacity());
      if (childSpan <= Chunks.CHUNK_SIZE) {
        return new Leaf(child, childBase, (int) childSpan);
      }
      byte[] wire = pack.chunks(child)[0];
      if (Chunks.span(wire) != childSpan) {
        throw new StoreException.Corrupted(
            pack.root(), child, "span " + Chunks.span(wire) + " where the tree needs " + childSpan);
      }
      push(child, wire, childBase, childSpan);
    }
    return null;
  }

  private void push(SwarmReference address, byte[] wire, long base, long span) {
    long capacity = Chunks.CHUNK_SIZE;
    while (capacity * Chunks.BRANCHES < span) {
      capacity *= Chunks.BRANCHES;
    }
    long children = (span + capacity - 1) / capacity;
    if (wire.length - Chunks.SPAN_SIZE != children * SwarmReference.LENGTH) {
      throw new StoreException.Corrupted(
          pack.root(),
          address,
          "an intermediate chunk of span "
              + span
              + " needs "
              + children
              + " references, holds "
              + (wire.length - Chunks.SPAN_SIZE)
              + " bytes");
    }
    int from = (int) Math.max(0, (first - base) / capacity);
    int to = (int) Math.min(children - 1, (last - base) / capacity);
    stack.push(new Frame(wire, base, span, capacity, to, new int[] {from}));
  }

  /** Checks a leaf read from the pack against what the tree says it is. */
  void checkLeaf(SwarmReference address, byte[] wire, long expectedLength) {
    if (Chunks.span(wire) != expectedLength || wire.length - Chunks.SPAN_SIZE != expectedLength) {
      throw new StoreException.Corrupted(
          pack.root(),
          address,
          "a leaf of "
              + expectedLength
              + " bytes has span "
              + Chunks.span(wire)
              + " and "
              + (wire.length - Chunks.SPAN_SIZE)
              + " bytes");
    }
  }
}
