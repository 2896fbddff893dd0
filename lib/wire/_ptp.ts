/**
 * Private: tcpdump's text for PTP, the Precision Time Protocol (IEEE 1588; EtherType 0x88f7, UDP ports 319
 * for event and 320 for general messages), as tcpdump 4.99.3's print-ptp.c prints it.
 *
 * ```text
 * | v1 compat bit, message type (1) | version (1) | length (2) | domain (1) | reserved (1) | flags (2) |
 * | correction: ns (6) sub-ns (2) | reserved (4) | clock identity (8) | port (2) | sequence (2) |
 * | control (1) | log message interval (1) | body: timestamps, port identities, Announce fields ... |
 * ```
 *
 * tcpdump's rules (the same text at every verbosity):
 * - A message shorter than the 34-byte header on the wire is ` [length N < 34] (invalid)`, whatever was
 *   captured. Otherwise `PTPv` and the whole version byte: version 1 adds ` (not implemented)`, any version
 *   but 1 and 2 nothing more.
 * - Version 2 prints every header field, one `, name : value` after the other:
 *   `PTPv2, v1 compat : yes, msg type : sync msg, length : 44, domain : 0, reserved1 : 0, Flags [two step],
 *   NS correction : 0, sub NS correction : 0, reserved2 : 0, clock identity : 0x1122334455667788,
 *   port id : 1, seq id : 7, control : 0 (Sync), log message interval : 253, originTimeStamp : 1 seconds,
 *   5 nanoseconds`; then the body of the known message types (Sync, Delay_Req, Follow_Up: a timestamp;
 *   Pdelay_Req/Resp/Resp_Follow_Up, Delay_Resp: a timestamp and a port identity; Announce; Signaling: the
 *   target port identity; Management: that and four byte fields); a reserved type prints no body.
 * - tcpdump's quirks are kept: the Announce timestamp has no comma before its nanoseconds, `origin cur utc
 *   :N` has no space, and the four Management fields (`, , start boundary hops  N`, ...) all read the first
 *   byte of the target port identity.
 * - The body is read whatever the header's length field says, as far as the bytes were captured; a read
 *   past them ends the text with ` [|ptp]` by a long jump (tcpdump's `-x` then dumps the whole frame).
 *
 * @module
 */
import { Cut, type Printed, u16, u8 } from "./_text.ts";

const CUT = " [|ptp]";

/** Offsets in the common header, and its length. */
const H = {
  type: 0,
  version: 1,
  length: 2,
  domain: 4,
  reserved1: 5,
  flags: 6,
  correction: 8,
  subNs: 14,
  reserved2: 16,
  clock: 20,
  port: 28,
  sequence: 30,
  control: 32,
  logInterval: 33,
  end: 34,
} as const;

/** The transportSpecific bit tcpdump names "v1 compat". */
const V1_COMPAT = 0x10;

const SYNC = 0x0, DELAY_REQ = 0x1, PDELAY_REQ = 0x2, PDELAY_RESP = 0x3, FOLLOW_UP = 0x8, DELAY_RESP = 0x9;
const PDELAY_RESP_FOLLOW_UP = 0xa, ANNOUNCE = 0xb, SIGNALING = 0xc, MANAGEMENT = 0xd;

const MESSAGE_TYPES: Record<number, string> = {
  [SYNC]: "sync msg",
  [DELAY_REQ]: "delay req msg",
  [PDELAY_REQ]: "peer delay req msg",
  [PDELAY_RESP]: "peer delay resp msg",
  [FOLLOW_UP]: "follow up msg",
  [DELAY_RESP]: "delay resp msg",
  [PDELAY_RESP_FOLLOW_UP]: "pdelay resp fup msg",
  [ANNOUNCE]: "announce msg",
  [SIGNALING]: "signalling msg",
  [MANAGEMENT]: "management msg",
};

const CONTROL: readonly string[] = ["Sync", "Delay_Req", "Follow_Up", "Delay_Resp", "Management", "Other"];

/** Flag masks in tcpdump's order; a name is printed when all bits of its mask are set. */
const FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, "l1 61"],
  [0x0002, "l1 59"],
  [0x0004, "utc reasonable"],
  [0x0008, "timescale"],
  [0x0010, "time tracable"],
  [0x0020, "frequency tracable"],
  [0x0100, "alternate master"],
  [0x0200, "two step"],
  [0x0400, "unicast"],
  [0x1000, "profile specific 1"],
  [0x2000, "profile specific 2"],
  [0x4000, "security mask"],
  [0x18c0, "unknown"],
];

/** Management's four byte fields: label, and whether tcpdump prints it in hex. */
const MANAGEMENT_FIELDS: ReadonlyArray<readonly [string, boolean]> = [
  ["start boundary hops", false],
  ["boundary hops", false],
  ["flags", true],
  ["reserved", true],
];

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
function u32(p: Uint8Array, at: number): number {
  return u16(p, at) * 0x10000 + u16(p, at + 2);
}

/** The big-endian 48-bit value at `at` (exact in a number), or a {@link Cut}. */
function u48(p: Uint8Array, at: number): number {
  return u16(p, at) * 0x100000000 + u32(p, at + 2);
}

/** The big-endian 64-bit value at `at` in hex without leading zeros (C's `%PRIx64`), or a {@link Cut}. */
function hex64(p: Uint8Array, at: number): string {
  const hi = u32(p, at), lo = u32(p, at + 4);
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");
}

/** `, name : S seconds, N nanoseconds` (tcpdump's ptp_print_timestamp); returns the bytes read. */
function timestamp(p: Uint8Array, at: number, name: string, o: { s: string }, comma = ","): number {
  o.s += `, ${name} :`;
  o.s += ` ${u48(p, at)} seconds${comma}`;
  o.s += ` ${u32(p, at + 6)} nanoseconds`;
  return 10;
}

/** `, port identity : 0x..., port id : N` (tcpdump's ptp_print_port_id). */
function portIdentity(p: Uint8Array, at: number, o: { s: string }): void {
  o.s += `, port identity : 0x${hex64(p, at)}`;
  o.s += `, port id : ${u16(p, at + 8)}`;
}

/** The Announce body. */
function announce(p: Uint8Array, at: number, o: { s: string }): void {
  at += timestamp(p, at, "originTimeStamp", o, "");
  o.s += `, origin cur utc :${u16(p, at)}`;
  o.s += `, rsvd : ${u8(p, at + 2)}`;
  o.s += `, gm priority_1 : ${u8(p, at + 3)}`;
  o.s += `, gm clock class : ${u8(p, at + 4)}`;
  o.s += `, gm clock accuracy : ${u8(p, at + 5)}`;
  o.s += `, gm clock variance : ${u16(p, at + 6)}`;
  o.s += `, gm priority_2 : ${u8(p, at + 8)}`;
  o.s += `, gm clock id : 0x${hex64(p, at + 9)}`;
  o.s += `, steps removed : ${u16(p, at + 17)}`;
  o.s += `, time source : 0x${u8(p, at + 19).toString(16)}`;
}

/** Version 2: the common header, then the body of the known message types. */
function version2(p: Uint8Array, o: { s: string }): void {
  const first = u8(p, H.type), type = first & 0x0f;
  o.s += `, v1 compat : ${first & V1_COMPAT ? "yes" : "no"}`;
  o.s += `, msg type : ${MESSAGE_TYPES[type] ?? "Reserved"}`;
  o.s += `, length : ${u16(p, H.length)}`;
  o.s += `, domain : ${u16(p, H.domain) >> 8}`;
  o.s += `, reserved1 : ${u16(p, H.domain) & 0xff}`;
  const flags = u16(p, H.flags);
  const names = FLAGS.filter(([m]) => (flags & m) === m).map(([, n]) => n);
  o.s += `, Flags [${names.length ? names.join(", ") : "none"}]`;
  o.s += `, NS correction : ${u48(p, H.correction)}`;
  o.s += `, sub NS correction : ${u16(p, H.subNs)}`;
  o.s += `, reserved2 : ${u32(p, H.reserved2)}`;
  o.s += `, clock identity : 0x${hex64(p, H.clock)}`;
  o.s += `, port id : ${u16(p, H.port)}`;
  o.s += `, seq id : ${u16(p, H.sequence)}`;
  const control = u8(p, H.control);
  o.s += `, control : ${control} (${CONTROL[control] ?? "Reserved"})`;
  o.s += `, log message interval : ${u16(p, H.control) & 0xff}`;
  const b = H.end;
  switch (type) {
    case SYNC:
    case DELAY_REQ:
      timestamp(p, b, "originTimeStamp", o);
      break;
    case FOLLOW_UP:
      timestamp(p, b, "preciseOriginTimeStamp", o);
      break;
    case PDELAY_REQ:
    case PDELAY_RESP_FOLLOW_UP:
      portIdentity(p, b + timestamp(p, b, "preciseOriginTimeStamp", o), o);
      break;
    case PDELAY_RESP:
    case DELAY_RESP:
      portIdentity(p, b + timestamp(p, b, "receiveTimeStamp", o), o);
      break;
    case ANNOUNCE:
      announce(p, b, o);
      break;
    case SIGNALING:
      portIdentity(p, b, o);
      break;
    case MANAGEMENT: {
      portIdentity(p, b, o);
      // tcpdump's print_field reads at the start of the body each time, and its labels repeat the comma.
      for (const [label, hex] of MANAGEMENT_FIELDS) {
        const v = u8(p, b);
        o.s += `, , ${label}  ${hex ? "0x" + v.toString(16) : v}`;
      }
      break;
    }
  }
}

/**
 * tcpdump's text for a PTP message: what follows `sport > dport: ` over UDP, or the link header
 * (if any) over Ethernet; null where netkit falls back to its plain line.
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s (tcpdump prints PTP alike at every verbosity)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ptpText } from "./_ptp.ts";
 *
 * const sync = new Uint8Array(44);
 * sync.set([0x10, 2, 0, 44]);
 * assert.match(ptpText(sync, 44, 0)!.text, /^PTPv2, v1 compat : yes, msg type : sync msg, length : 44, /);
 * assert.deepEqual(ptpText(sync, 20, 0), { text: " [length 20 < 34] (invalid)", jump: false });
 * assert.deepEqual(ptpText(sync.subarray(0, 1), 44, 0), { text: " [|ptp]", jump: true });
 * ```
 */
export function ptpText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  void verbosity;
  if (length < H.end) return { text: ` [length ${length} < ${H.end}] (invalid)`, jump: false };
  const o = { s: "" };
  try {
    u16(p, H.type);
    const version = u8(p, H.version);
    o.s += `PTPv${version}`;
    if (version === 1) o.s += " (not implemented)";
    else if (version === 2) version2(p, o);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}
