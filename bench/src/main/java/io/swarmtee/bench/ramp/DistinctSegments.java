package io.swarmtee.bench.ramp;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes one recording serve as N different streams: concurrent streams replaying the same bytes
 * would be deduplicated by swarmtee (same content, one upload) and by Bee (same chunks), so each
 * stream's copy of a segment gets {@code index + 1} MPEG-TS null packets (PID 0x1FFF, payload
 * ignored by every demuxer; it carries the stream's index) right after the leading tables (ffmpeg
 * writes SDT, PAT, PMT). That shifts every later 4 KiB chunk boundary by 188 bytes per packet, so
 * no chunk of one stream's segment equals another's, while the segment still starts with its PAT
 * and PMT and plays the same.
 */
final class DistinctSegments {

  static final int PACKET = 188;
  static final int NULL_PID = 0x1FFF;
  private static final int PAT_PID = 0;
  private static final int NIT_PID = 0x10;
  private static final int SDT_PID = 0x11;

  private DistinctSegments() {}

  /**
   * @param segment an MPEG-TS segment (a whole number of 188-byte packets) that starts with its
   *     tables (PAT, PMT, optionally SDT/NIT)
   * @param index the stream's index, from 0
   * @return a copy with {@code index + 1} null packets inserted after the leading table packets
   * @throws IllegalArgumentException if {@code segment} is not packet-aligned MPEG-TS with a
   *     leading PAT
   */
  static Buffer forStream(Buffer segment, int index) {
    byte[] in = segment.getBytes();
    if (in.length == 0 || in.length % PACKET != 0) {
      throw new IllegalArgumentException("not packet-aligned MPEG-TS (" + in.length + " bytes)");
    }
    int pat = -1;
    int pmtPid = -1;
    int at = 0;
    while (at < in.length && in[at] == 0x47) {
      int pid = pid(in, at);
      if (pid == PAT_PID && pat < 0) {
        pat = at;
        pmtPid = pmtPid(in, at);
      } else if (pid != PAT_PID && pid != NIT_PID && pid != SDT_PID && pid != pmtPid) {
        break;
      }
      at += PACKET;
    }
    if (pat < 0) {
      throw new IllegalArgumentException(
          "the segment does not start with its tables (no PAT before the first"
              + " other packet; "
              + in.length
              + " bytes)");
    }
    int count = index + 1;
    byte[] out = new byte[in.length + count * PACKET];
    System.arraycopy(in, 0, out, 0, at);
    for (int i = 0; i < count; i++) {
      writeNullPacket(out, at + i * PACKET, index);
    }
    System.arraycopy(in, at, out, at + count * PACKET, in.length - at);
    return Buffer.buffer(out);
  }

  static int pid(byte[] ts, int offset) {
    return ((ts[offset + 1] & 0x1F) << 8) | (ts[offset + 2] & 0xFF);
  }

  /** The program_map_PID of the first program of the PAT packet at {@code offset}. */
  private static int pmtPid(byte[] ts, int offset) {
    int payload = offset + 4;
    int adaptation = (ts[offset + 3] >> 4) & 0x3;
    if (adaptation == 2 || adaptation == 3) {
      payload += 1 + (ts[offset + 4] & 0xFF);
    }
    int section = payload + 1 + (ts[payload] & 0xFF); // skip the pointer field
    // table_id(1) section_length(2) transport_stream_id(2) version(1) section_number(1)
    // last_section(1) = 8
    for (int program = section + 8; program + 4 <= offset + PACKET; program += 4) {
      int number = ((ts[program] & 0xFF) << 8) | (ts[program + 1] & 0xFF);
      if (number != 0) {
        return ((ts[program + 2] & 0x1F) << 8) | (ts[program + 3] & 0xFF);
      }
    }
    throw new IllegalArgumentException("the PAT lists no program");
  }

  private static void writeNullPacket(byte[] out, int offset, int index) {
    out[offset] = 0x47;
    out[offset + 1] = (byte) (NULL_PID >> 8);
    out[offset + 2] = (byte) NULL_PID;
    out[offset + 3] = 0x10; // payload only, continuity counter 0 (ignored for null packets)
    Arrays.fill(out, offset + 4, offset + PACKET, (byte) 0xFF);
    byte[] tag = ("swarmtee ramp stream " + index).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, out, offset + 4, Math.min(tag.length, PACKET - 4));
  }
}
