/**
 * Private: Cisco's Hot Standby Router Protocol (RFC 2281; UDP destination port 1985) as tcpdump 4.99
 * prints it (print-hsrp.c).
 *
 * ```text
 * | version (1) | op code (1) | state (1) | hellotime (1) | holdtime (1) | priority (1) | group (1) |
 * | reserved (1) | authentication data (8) | virtual IP address (4) |
 * ```
 *
 * tcpdump's text:
 * - `HSRPv0-hello 20: state=active group=1 addr=10.0.0.254`: the op code (`hello`, `coup`, `resign`,
 *   `unknown (3)`), the UDP payload length, the state (`initial`, `learn`, `listen`, `speak`, `standby`,
 *   `active`, `Unknown (3)`), the group, `[reserved=5!] ` when the reserved byte is not zero, the virtual
 *   address.
 * - With `-v`: ` hellotime=3s holdtime=10s priority=100 auth="cisco"` (times as `4m15s`; the authentication
 *   data stops at a NUL, other bytes as tcpdump shows them, `^A`, `M-^@`).
 * - Any other version is only named: `HSRPv1`, `HSRPv2`. tcpdump does not decode HSRPv2's TLVs: an HSRPv2
 *   packet starts with TLV type 1, so it prints as `HSRPv1`.
 *
 * Truncation: every field is read with tcpdump's checked reads, so a cut packet ends in ` [|hsrp]` after a
 * long jump, after whatever was printed (`HSRPv0- [|hsrp]`; nothing for an empty payload).
 *
 * @module
 */
import { Cut, type Out, type Printed, textChar, u8 } from "./_text.ts";
import { formatIpv4Address } from "./address.ts";

const CUT = " [|hsrp]";

/** Field offsets (RFC 2281 section 5.1). */
const F = {
  version: 0,
  opCode: 1,
  state: 2,
  hellotime: 3,
  holdtime: 4,
  priority: 5,
  group: 6,
  reserved: 7,
  auth: 8,
  virtualAddress: 16,
} as const;
const AUTH_LEN = F.virtualAddress - F.auth;
const ADDRESS_LEN = 4;

const OP_CODES = ["hello", "coup", "resign"];
const STATES: Record<number, string> = {
  0: "initial",
  1: "learn",
  2: "listen",
  4: "speak",
  8: "standby",
  16: "active",
};

/**
 * tcpdump's text for an HSRP datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hsrpText } from "./_hsrp.ts";
 * const hello = new Uint8Array([0, 0, 16, 3, 10, 100, 1, 0, 99, 105, 115, 99, 111, 0, 0, 0, 10, 0, 0, 254]);
 * assert.deepEqual(hsrpText(hello, 20, 0), {
 *   text: "HSRPv0-hello 20: state=active group=1 addr=10.0.0.254",
 *   jump: false,
 * });
 * assert.equal(
 *   hsrpText(hello, 20, 1)?.text,
 *   'HSRPv0-hello 20: state=active group=1 addr=10.0.0.254 hellotime=3s holdtime=10s priority=100 auth="cisco"',
 * );
 * assert.deepEqual(hsrpText(hello.subarray(0, 1), 20, 0), { text: "HSRPv0- [|hsrp]", jump: true });
 * ```
 */
export function hsrpText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  const o: Out = { s: "" };
  try {
    hsrp(o, p, length, verbosity);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

function hsrp(o: Out, p: Uint8Array, length: number, verbosity: number): void {
  const version = u8(p, F.version);
  o.s += `HSRPv${version}`;
  if (version !== 0) return;
  o.s += "-";
  const op = u8(p, F.opCode);
  o.s += `${OP_CODES[op] ?? `unknown (${op})`} ${length}: `;
  const state = u8(p, F.state);
  o.s += `state=${STATES[state] ?? `Unknown (${state})`} `;
  o.s += `group=${u8(p, F.group)} `;
  const reserved = u8(p, F.reserved);
  if (reserved !== 0) o.s += `[reserved=${reserved}!] `;
  // The address is read whole before any of it is printed.
  u8(p, F.virtualAddress + ADDRESS_LEN - 1);
  o.s += `addr=${formatIpv4Address(p, F.virtualAddress)}`;
  if (verbosity < 1) return;
  o.s += ` hellotime=${relTime(u8(p, F.hellotime))} holdtime=${relTime(u8(p, F.holdtime))}`;
  o.s += ` priority=${u8(p, F.priority)} auth="`;
  for (let k = 0; k < AUTH_LEN; k++) {
    const c = u8(p, F.auth + k);
    if (c === 0) break;
    o.s += textChar(c);
  }
  o.s += '"';
}

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [31536000, "y"],
  [604800, "w"],
  [86400, "d"],
  [3600, "h"],
  [60, "m"],
  [1, "s"],
];

/** Seconds as tcpdump's unsigned_relts_print shows them: `0s`, `10s`, `4m15s`. */
function relTime(secs: number): string {
  if (secs === 0) return "0s";
  let s = "";
  for (const [n, unit] of UNITS) {
    if (secs >= n) {
      s += `${Math.floor(secs / n)}${unit}`;
      secs %= n;
    }
  }
  return s;
}
