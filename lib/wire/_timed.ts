/**
 * Private: the Berkeley UNIX time synchronization protocol (timed, UDP port 525) as tcpdump 4.99 prints it
 * (print-timed.c).
 *
 * ```text
 * | type (1) | version (1) | seq (2) | time: seconds (4) and microseconds (4), or hop count (1) | name (256) |
 * ```
 *
 * tcpdump's text: `TSP_MASTERREQ vers 1 seq 7 name "host"`: the type's name (`TSP_ANY` ... `TSP_LOOP`, else
 * `(tsp_type 0x63)`), the version and the sequence number; a loop packet's ` hopcnt N`; the time of
 * `TSP_ADJTIME`, `TSP_SETTIME`, `TSP_SETDATE` and `TSP_SETDATEREQ` as ` time 12.000345` (seconds can be
 * negative); then ` name ` and the name up to its NUL, as tcpdump shows text. A read past the captured bytes
 * ends the text with ` [|timed]`.
 *
 * @module
 */
import { type Printed, textChar } from "./_text.ts";

const TYPES = [
  "TSP_ANY",
  "TSP_ADJTIME",
  "TSP_ACK",
  "TSP_MASTERREQ",
  "TSP_MASTERACK",
  "TSP_SETTIME",
  "TSP_MASTERUP",
  "TSP_SLAVEUP",
  "TSP_ELECTION",
  "TSP_ACCEPT",
  "TSP_REFUSE",
  "TSP_CONFLICT",
  "TSP_RESOLVE",
  "TSP_QUIT",
  "TSP_DATE",
  "TSP_DATEREQ",
  "TSP_DATEACK",
  "TSP_TRACEON",
  "TSP_TRACEOFF",
  "TSP_MSITE",
  "TSP_MSITEREQ",
  "TSP_TEST",
  "TSP_SETDATE",
  "TSP_SETDATEREQ",
  "TSP_LOOP",
];
const ADJTIME = 1, SETTIME = 5, SETDATE = 22, SETDATEREQ = 23, LOOP = 24;
const NAME_AT = 12, NAME_LEN = 256;
const CUT = " [|timed]";

/**
 * tcpdump's text for a timed datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @returns the text, and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timedText } from "./_timed.ts";
 * const p = new Uint8Array(16);
 * p.set([3, 1, 0, 7]);
 * p.set([104, 111, 115, 116], 12);
 * assert.deepEqual(timedText(p), { text: "TSP_MASTERREQ vers 1 seq 7 name host [|timed]", jump: true });
 * ```
 */
export function timedText(p: Uint8Array): Printed {
  if (p.length < 1) return { text: CUT, jump: true };
  const type = p[0];
  let s = TYPES[type] ?? `(tsp_type 0x${type.toString(16)})`;
  if (p.length < 2) return { text: s + CUT, jump: true };
  s += ` vers ${p[1]}`;
  if (p.length < 4) return { text: s + CUT, jump: true };
  s += ` seq ${(p[2] << 8) | p[3]}`;
  if (type === LOOP) {
    if (p.length < 5) return { text: s + CUT, jump: true };
    s += ` hopcnt ${p[4]}`;
  } else if (type === ADJTIME || type === SETTIME || type === SETDATE || type === SETDATEREQ) {
    if (p.length < 12) return { text: s + CUT, jump: true };
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    let sec = dv.getInt32(4), usec = dv.getInt32(8);
    if (usec < 0) return { text: s, jump: false };
    s += " time ";
    if (sec < 0 && usec !== 0) {
      sec++;
      if (sec === 0) s += "-";
      usec = 1000000 - usec;
    }
    // C's %06d: a negative value keeps its sign before the zeros.
    s += `${sec}.${usec < 0 ? "-" + String(-usec).padStart(5, "0") : String(usec).padStart(6, "0")}`;
  }
  s += " name ";
  for (let k = 0; k < NAME_LEN; k++) {
    if (NAME_AT + k >= p.length) return { text: s + CUT, jump: true };
    const c = p[NAME_AT + k];
    if (c === 0) break;
    s += textChar(c);
  }
  return { text: s, jump: false };
}
