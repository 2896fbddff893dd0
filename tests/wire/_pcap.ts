/**
 * Test helpers: write frames to a classic pcap (so tcpdump and tshark can read them) and split tcpdump's
 * output into one entry per packet.
 *
 * @module
 */

/** A frame for {@link pcapBytes}: its bytes and, when cut, the original length. */
export interface Frame {
  data: Uint8Array;
  len?: number;
}

/**
 * A little-endian microsecond pcap holding the frames, timestamps 1700000000 + i seconds.
 *
 * @param linktype the file's link type
 * @param frames the frames
 * @returns the file's bytes
 */
export function pcapBytes(linktype: number, frames: Frame[]): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true);
  v.setUint32(20, linktype, true);
  let at = 24;
  frames.forEach((f, i) => {
    v.setUint32(at, 1700000000 + i, true);
    v.setUint32(at + 8, f.data.length, true);
    v.setUint32(at + 12, f.len ?? f.data.length, true);
    out.set(f.data, at + 16);
    at += 16 + f.data.length;
  });
  return out;
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
