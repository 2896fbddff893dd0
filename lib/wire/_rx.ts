/**
 * Private: RX, the RPC transport of AFS (UDP ports 7000-7009), as tcpdump 4.99 prints it (print-rx.c).
 *
 * ```text
 * | epoch (4) | cid (4) | call number (4) | seq (4) | serial (4) | type (1) | flags (1) | user status (1) |
 * | security index (1) | spare (2) | service id (2) |  then the packet's body
 * ```
 *
 * tcpdump's text, after the ports:
 * - ` rx data (60)`: the packet type (`data`, `ack`, `busy`, `abort`, `ackall`, `challenge`, `response`,
 *   `debug`, `params`, `version`, else `type N`), then the UDP payload length in parentheses. A payload
 *   shorter than the header is ` [|rx] (N)`.
 * - `-v` adds ` seq N ser N`; `-vv` puts ` cid 0badf00d call# N` before them and the flags after them
 *   (` <client-init>,<req-ack>,...`; `<slow-start>` only on an ack, `<jumbogram>` only on data); `-vvv` adds
 *   ` secindex N serviceid N`.
 * - An ack packet adds ` first N serial N reason R` and the acked and nacked packet numbers as ranges
 *   (` acked 5-7,9 nacked 8`); `-vvv` puts ` bufspace N maxskew N` first; `-vv` adds the optional
 *   ` ifmtu N maxmtu N rwind N maxpackets N`. tcpdump reads the ack array after the whole 255-entry area of
 *   its structure, as AFS lays it out; a packet cut before then ends the ack's text with ` [|ack]`.
 *
 * Not decoded: the AFS calls inside the first data packet of a call (tcpdump names the fs, cb, pt, vldb, ka,
 * vol and bos services' operations and arguments, and the replies it matches to calls it saw); netkit prints
 * those packets' RX header only.
 *
 * @module
 */
import { type Printed, u32 } from "./_text.ts";

/** The RX header's length. */
const HEADER = 28;
/** tcpdump's `struct rx_ackPacket`: 18 bytes of fields and a 255-byte ack area. */
const ACK_PACKET = 18;

const TYPES: Record<number, string> = {
  1: "data",
  2: "ack",
  3: "busy",
  4: "abort",
  5: "ackall",
  6: "challenge",
  7: "response",
  8: "debug",
  9: "params",
  13: "version",
};
const DATA = 1, ACK = 2;

/** The flags tcpdump names, with the one packet type a flag is named on (0: any). */
const FLAGS: [number, number, string][] = [
  [1, 0, "client-init"],
  [2, 0, "req-ack"],
  [4, 0, "last-pckt"],
  [8, 0, "more-pckts"],
  [16, 0, "free-pckt"],
  [32, ACK, "slow-start"],
  [32, DATA, "jumbogram"],
];

const ACK_REASONS = [
  "",
  "ack requested",
  "duplicate packet",
  "out of sequence",
  "exceeds window",
  "no buffer space",
  "ping",
  "ping response",
  "delay",
  "idle",
];

/** Read past the captured bytes inside the ack: ` [|ack]`, after which the length is still printed. */
class AckCut extends Error {}

/**
 * tcpdump's text for an RX packet: what follows `sport > dport:`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text (it starts with a space), and whether tcpdump stopped by a long jump (never here)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rxText } from "./_rx.ts";
 * const busy = new Uint8Array(28);
 * busy[20] = 3;
 * assert.equal(rxText(busy, 28, 0).text, " rx busy (28)");
 * assert.equal(rxText(busy.subarray(0, 12), 12, 0).text, " [|rx] (12)");
 * ```
 */
export function rxText(p: Uint8Array, length: number, verbosity: number): Printed {
  if (p.length < HEADER) return { text: ` [|rx] (${length})`, jump: false };
  const type = p[20], flags = p[21];
  let s = ` rx ${TYPES[type] ?? `type ${type}`}`;
  if (verbosity > 0) {
    if (verbosity > 1) s += ` cid ${u32(p, 4).toString(16).padStart(8, "0")} call# ${u32(p, 8)}`;
    s += ` seq ${u32(p, 12)} ser ${u32(p, 16)}`;
    if (verbosity > 2) s += ` secindex ${p[23]} serviceid ${(p[26] << 8) | p[27]}`;
    if (verbosity > 1) {
      const names = FLAGS.filter(([bit, only]) => (flags & bit) !== 0 && (only === 0 || only === type));
      if (names.length) s += " " + names.map(([, , name]) => `<${name}>`).join(",");
    }
  }
  const call = type === DATA && u32(p, 12) === 1 && (flags & 1) !== 0;
  if (!call && type === ACK && length >= HEADER) s += ackText(p, verbosity);
  return { text: s + ` (${length})`, jump: false };
}

/** tcpdump's rx_ack_print: the ack's fields and its acked and nacked ranges. */
function ackText(p: Uint8Array, verbosity: number): string {
  let s = "";
  try {
    const at = HEADER;
    if (p.length < at + ACK_PACKET) throw new AckCut();
    if (verbosity > 2) s += ` bufspace ${(p[at] << 8) | p[at + 1]} maxskew ${(p[at + 2] << 8) | p[at + 3]}`;
    const first = u32(p, at + 4), reason = p[at + 16], nAcks = p[at + 17];
    s += ` first ${first} serial ${u32(p, at + 12)} reason ${ACK_REASONS[reason] || `#${reason}`}`;
    let bp = at + ACK_PACKET;
    if (nAcks !== 0) {
      if (p.length < bp + nAcks) throw new AckCut();
      s += ranges(p, bp, nAcks, first, 1, "acked") + ranges(p, bp, nAcks, first, 0, "nacked");
      bp += nAcks;
    }
    bp += 3; // padding
    if (verbosity > 1) {
      for (const name of ["ifmtu", "maxmtu", "rwind", "maxpackets"]) {
        if (p.length - bp < 4) return s;
        s += ` ${name} ${u32(p, bp)}`;
        bp += 4;
      }
    }
    return s;
  } catch (e) {
    if (e instanceof AckCut) return s + " [|ack]";
    throw e;
  }
}

/**
 * tcpdump's collapsing of the ack array: the packets whose entry is `want` (1 acked, 0 nacked), consecutive
 * ones as `a-b`, the others after commas, the whole after ` acked `/` nacked ` (nothing when none).
 */
function ranges(p: Uint8Array, at: number, n: number, first: number, want: number, label: string): string {
  let s = "", start = -2, last = -2, i = 0;
  for (; i < n; i++) {
    if (p[at + i] === want) {
      if (last === -2) {
        s += ` ${label} ${(first + i) >>> 0}`;
        start = i;
      } else if (last !== i - 1) {
        s += `,${(first + i) >>> 0}`;
        start = i;
      }
      last = i;
    } else if (last === i - 1 && start !== last) s += `-${(first + i - 1) >>> 0}`;
  }
  if (last === i - 1 && start !== last) s += `-${(first + i - 1) >>> 0}`;
  return s;
}
