/**
 * Test helpers: write frames to a classic pcap with lib/pcap (so tcpdump and tshark can read them) and split
 * tcpdump's output into one entry per packet.
 *
 * @module
 */

import { encodePcap } from "../../lib/pcap/mod.ts";

/** A frame for {@link pcapBytes}: its bytes and, when cut, the original length. */
export interface Frame {
  data: Uint8Array;
  len?: number;
}

/**
 * A little-endian microsecond pcap holding the frames, timestamps 1700000000 + i seconds (so every packet
 * has its own time in tcpdump's and tshark's output).
 *
 * @param linktype the file's link type
 * @param frames the frames
 * @returns the file's bytes
 */
export function pcapBytes(linktype: number, frames: Frame[]): Uint8Array {
  return encodePcap(frames.map((f, i) => ({ tsSec: 1700000000 + i, data: f.data, len: f.len })), {
    linktype,
  });
}

/**
 * Splits `tcpdump -r` output into packets: the first line without its timestamp, continuation lines
 * (starting with a tab or 4 spaces) appended with "\n".
 *
 * @param text tcpdump's stdout
 * @returns one string per packet
 */
export function tcpdumpPackets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("\t") || line.startsWith("    ")) {
      out[out.length - 1] += "\n" + line;
      continue;
    }
    out.push(line.replace(/^\d\d:\d\d:\d\d\.\d+ /, ""));
  }
  return out;
}
