/**
 * Private: tcpdump's text for the IEEE 802.3 Slow Protocols (EtherType 0x8809): LACP and Marker (802.3ad,
 * now 802.1AX) and Ethernet OAM (802.3ah), as tcpdump 4.99.3's print-slow.c prints them.
 *
 * ```text
 * LACP, Marker: | subtype (1) | version (1) | TLV: type (1) | length (1, header included) | value ... |
 * OAM:          | subtype 3 (1) | flags (2) | code (1) | code data: TLVs, a sequence number and TLVs, ...
 * ```
 *
 * tcpdump's rules:
 * - The first line is `LACPv1, length N` / `MARKERv1, length N` / `OAM, length N` with N the on-wire length
 *   after the link header (padding included); another LACP or Marker version is `... version V packet not
 *   supported`; an unknown subtype is `unknown (S), length N` and a dump of the whole PDU at any verbosity.
 * - Only `-v` prints the TLVs: for each `\n\tName TLV (0xTT), length L` and its fields; one it does not
 *   know is dumped; with `-vv` every TLV is dumped (OAM TLVs with their header, LACP and Marker without).
 * - The walk ends at a terminator (type 0); a TLV length below its own header is an ERROR and ends it; a
 *   TLV of the wrong length for its type says so and is dumped instead; a TLV longer than the PDU, or a PDU
 *   too short for a header, ends in `packet is too short`.
 * - Every read past the captured bytes, and every TLV not wholly captured, ends the text with ` [|slow]`
 *   by a long jump (tcpdump's `-x` then dumps the whole frame). Dumps show only what was captured.
 *
 * @module
 */
import { formatMac } from "./address.ts";
import { hexLines } from "./_nd.ts";
import { Cut, type Out, u16, u8 } from "./_text.ts";
import { OUI_NAMES } from "./_oui.ts";

const CUT = " [|slow]";
const TOO_SHORT = "\n\t\t packet is too short";

const LACP = 1, MARKER = 2, OAM = 3;
const PROTOCOLS: Record<number, string> = { [LACP]: "LACP", [MARKER]: "MARKER", [OAM]: "OAM" };
/** The one LACP and Marker version tcpdump prints. */
const VERSION = 1;
const LACP_HEADER_LEN = 2;
const OAM_SUBTYPE_LEN = 1;

/** A TLV's header: type and length (the length counts the header). */
const TLV_HEADER_LEN = 2;
const TERMINATOR = 0;

/** LACP and Marker TLV names, keyed by (subtype << 8) + type. */
const TLV_NAMES: Record<number, string> = {
  [(LACP << 8) + 0]: "Terminator",
  [(LACP << 8) + 1]: "Actor Information",
  [(LACP << 8) + 2]: "Partner Information",
  [(LACP << 8) + 3]: "Collector Information",
  [(MARKER << 8) + 0]: "Terminator",
  [(MARKER << 8) + 1]: "Marker Information",
};
const ACTOR = (LACP << 8) + 1, PARTNER = (LACP << 8) + 2, COLLECTOR = (LACP << 8) + 3;
const MARKER_INFO = (MARKER << 8) + 1;

/** Offsets in an Actor/Partner Information value (after the TLV header), and its length. */
const AP = { systemPriority: 0, system: 2, key: 8, portPriority: 10, port: 12, state: 14, end: 18 } as const;
/** Collector Information: the maximum delay, then 12 reserved bytes. */
const COLLECTOR_LEN = 14;
/** Marker Information: requester port, system, transaction id, 2 pad bytes. */
const MI = { port: 0, system: 2, transaction: 8, end: 14 } as const;

/** Bit tables: [bit, name] in tcpdump's order. */
type Bits = ReadonlyArray<readonly [number, string]>;
const LACP_STATE: Bits = [
  [0x01, "Activity"],
  [0x02, "Timeout"],
  [0x04, "Aggregation"],
  [0x08, "Synchronization"],
  [0x10, "Collecting"],
  [0x20, "Distributing"],
  [0x40, "Default"],
  [0x80, "Expired"],
];

const OAM_FLAGS: Bits = [
  [0x0001, "Link Fault"],
  [0x0002, "Dying Gasp"],
  [0x0004, "Critical Event"],
  [0x0008, "Local Evaluating"],
  [0x0010, "Local Stable"],
  [0x0020, "Remote Evaluating"],
  [0x0040, "Remote Stable"],
];
/** The OAM header after the subtype: flags (2), code (1). */
const OAM_HEADER_LEN = 3;
const OAM_CODES: Record<number, string> = {
  0x00: "Information",
  0x01: "Event Notification",
  0x02: "Variable Request",
  0x03: "Variable Response",
  0x04: "Loopback Control",
  0xfe: "Vendor Private",
};
const CODE_INFO = 0x00, CODE_EVENT = 0x01, CODE_LOOPBACK = 0x04;

const INFO_TYPES: Record<number, string> = {
  0x00: "End of TLV marker",
  0x01: "Local",
  0x02: "Remote",
  0xfe: "Organization specific",
};
const INFO_LOCAL = 0x01, INFO_REMOTE = 0x02;
/** A Local/Remote Information TLV, header included: its offsets and its one valid length. */
const INFO = {
  length: 1,
  version: 2,
  revision: 3,
  state: 5,
  config: 6,
  pduConfig: 7,
  oui: 9,
  vendor: 12,
} as const;
const INFO_LEN = 16;
const PARSER_ACTIONS = ["forwarding", "looping back", "discarding", "reserved"];
const PARSER_MASK = 0x03, MUX_MASK = 0x04;
const OAM_CONFIG: Bits = [
  [0x01, "Active"],
  [0x02, "Unidirectional"],
  [0x04, "Remote-Loopback"],
  [0x08, "Link-Events"],
  [0x10, "Variable-Retrieval"],
];
/** The maximum OAMPDU size takes the low 11 bits of its field. */
const PDU_SIZE_MASK = 0x7ff;

const EVENT_TYPES: Record<number, string> = {
  0x00: "End of TLV marker",
  0x01: "Errored Symbol Period Event",
  0x02: "Errored Frame Event",
  0x03: "Errored Frame Period Event",
  0x04: "Errored Frame Seconds Summary Event",
  0xfe: "Organization specific",
};
/** An event TLV of types 1-4, header included: its offsets and its one valid length. */
const EVENT = {
  length: 1,
  timestamp: 2,
  window: 4,
  threshold: 12,
  errors: 20,
  errorTotal: 28,
  eventTotal: 36,
} as const;
const EVENT_LEN = 40;
/** The Event Notification's sequence number before its TLVs. */
const SEQUENCE_LEN = 2;
/** Event timestamps count 100 ms. */
const TIMESTAMP_UNIT_MS = 100;

const LOOPBACK_COMMANDS: Record<number, string> = {
  0x01: "Enable OAM Remote Loopback",
  0x02: "Disable OAM Remote Loopback",
};

const hex = (x: number, digits: number) => x.toString(16).padStart(digits, "0");
const bits = (table: Bits, v: number) => table.filter(([b]) => v & b).map(([, n]) => n).join(", ") || "none";

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
function u32(p: Uint8Array, at: number): number {
  return ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
}

/** The big-endian 64-bit value at `at` in decimal, or a {@link Cut}. */
function u64(p: Uint8Array, at: number): string {
  return ((BigInt(u32(p, at)) << 32n) | BigInt(u32(p, at + 4))).toString();
}

/** A {@link Cut} unless `n` bytes from `at` were captured (tcpdump's ND_TCHECK_LEN). */
function captured(p: Uint8Array, at: number, n: number): void {
  if (at + n > p.length) throw new Cut();
}

/** Appends to the text (so that a check that ends the PDU can `return add(...)`). */
function add(o: Out, text: string): void {
  o.s += text;
}

/** A dump of `n` bytes from `at`, as much of it as was captured (tcpdump's print_unknown_data). */
const dump = (p: Uint8Array, at: number, n: number, indent: string) => hexLines(p, at, n, indent);

/**
 * tcpdump's text for a Slow Protocols frame.
 *
 * @param b the captured bytes after the link header
 * @param length their length on the wire
 * @param verbosity how many -v (0 for none)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the whole
 *   frame); null to print it as an undecoded EtherType
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slowText } from "./_slow.ts";
 * const lacp = new Uint8Array(110);
 * lacp.set([1, 1]); // subtype LACP, version 1, then only terminators
 * assert.equal(slowText(lacp, 110, 0)?.text, "LACPv1, length 110");
 * assert.equal(slowText(lacp, 110, 1)?.text, "LACPv1, length 110\n\tTerminator TLV (0x00), length 0");
 * assert.deepEqual(slowText(lacp.subarray(0, 1), 110, 0), { text: " [|slow]", jump: true });
 * ```
 */
export function slowText(
  b: Uint8Array,
  length: number,
  verbosity: number,
): { text: string; jump: boolean } | null {
  const o: Out = { s: "" };
  try {
    pdu(b, length, verbosity, o);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

/** The PDU (tcpdump's slow_print); `o.s` grows as tcpdump prints so that a {@link Cut} keeps the text. */
function pdu(p: Uint8Array, len: number, verbosity: number, o: Out): void {
  const tooShort = () => add(o, verbosity ? TOO_SHORT : " (packet is too short)");
  if (len < 1) return tooShort();
  const subtype = u8(p, 0);
  const name = PROTOCOLS[subtype] ?? `unknown (${subtype})`;
  if (subtype === LACP || subtype === MARKER) {
    if (len < LACP_HEADER_LEN) return tooShort();
    const version = u8(p, 1);
    if (version !== VERSION) {
      o.s += `${name} version ${version} packet not supported`;
      return;
    }
    o.s += `${name}v${version}, length ${len}`;
  } else {
    o.s += `${name}, length ${len}`;
  }
  if (subtype !== LACP && subtype !== MARKER && subtype !== OAM) {
    o.s += dump(p, 0, len, "\n\t");
    return;
  }
  if (!verbosity) return;
  if (subtype === OAM) oam(p, OAM_SUBTYPE_LEN, len - OAM_SUBTYPE_LEN, verbosity, o);
  else lacpMarker(p, LACP_HEADER_LEN, len - LACP_HEADER_LEN, subtype, verbosity, o);
}

/** The TLVs of an LACP or Marker PDU from `at`, `left` bytes of it on the wire. */
function lacpMarker(
  p: Uint8Array,
  at: number,
  left: number,
  subtype: number,
  verbosity: number,
  o: Out,
): void {
  while (left !== 0) {
    if (left < TLV_HEADER_LEN) return add(o, TOO_SHORT);
    const type = u8(p, at), tlvLen = u8(p, at + 1);
    const key = (subtype << 8) + type;
    o.s += `\n\t${TLV_NAMES[key] ?? "Unknown"} TLV (0x${hex(type, 2)}), length ${tlvLen}`;
    if (type === TERMINATOR) return;
    if (tlvLen < TLV_HEADER_LEN) {
      return add(o, `\n\t    ERROR: illegal length - should be >= ${TLV_HEADER_LEN}`);
    }
    if (left < tlvLen) return add(o, TOO_SHORT);
    captured(p, at, tlvLen);
    const v = at + TLV_HEADER_LEN, vLen = tlvLen - TLV_HEADER_LEN;
    const wrongLength = (want: number) =>
      o.s += `\n\t    ERROR: illegal length - should be ${TLV_HEADER_LEN + want}`;
    if (key === ACTOR || key === PARTNER) {
      if (vLen !== AP.end) wrongLength(AP.end);
      else {
        o.s +=
          `\n\t  System ${formatMac(p, v + AP.system)}, System Priority ${u16(p, v + AP.systemPriority)}` +
          `, Key ${u16(p, v + AP.key)}, Port ${u16(p, v + AP.port)}, Port Priority ${
            u16(p, v + AP.portPriority)
          }` +
          `\n\t  State Flags [${bits(LACP_STATE, u8(p, v + AP.state))}]`;
      }
    } else if (key === COLLECTOR) {
      if (vLen !== COLLECTOR_LEN) wrongLength(COLLECTOR_LEN);
      else o.s += `\n\t  Max Delay ${u16(p, v)}`;
    } else if (key === MARKER_INFO) {
      if (vLen !== MI.end) wrongLength(MI.end);
      else {
        o.s += `\n\t  Request System ${formatMac(p, v + MI.system)}, Request Port ${u16(p, v + MI.port)}` +
          `, Request Transaction ID 0x${hex(u32(p, v + MI.transaction), 8)}`;
      }
    } else if (verbosity <= 1) {
      o.s += dump(p, v, vLen, "\n\t  ");
    }
    if (verbosity > 1) o.s += dump(p, v, vLen, "\n\t  ");
    at += tlvLen;
    left -= tlvLen;
  }
}

/** An OAM PDU after its subtype, `left` bytes of it on the wire. */
function oam(p: Uint8Array, at: number, left: number, verbosity: number, o: Out): void {
  if (left < OAM_HEADER_LEN) return add(o, TOO_SHORT);
  captured(p, at, OAM_HEADER_LEN);
  const flags = u16(p, at), code = u8(p, at + 2);
  at += OAM_HEADER_LEN;
  left -= OAM_HEADER_LEN;
  o.s += `\n\tCode ${OAM_CODES[code] ?? `Unknown (${code})`} OAM PDU, Flags [${bits(OAM_FLAGS, flags)}]`;
  switch (code) {
    case CODE_INFO:
      return oamTlvs(p, at, left, verbosity, o, "Information", INFO_TYPES, information);
    case CODE_EVENT:
      if (left < SEQUENCE_LEN) return add(o, TOO_SHORT);
      o.s += `\n\t  Sequence Number ${u16(p, at)}`;
      return oamTlvs(
        p,
        at + SEQUENCE_LEN,
        left - SEQUENCE_LEN,
        verbosity,
        o,
        "Link Event",
        EVENT_TYPES,
        event,
      );
    case CODE_LOOPBACK: {
      if (left < 1) return add(o, TOO_SHORT);
      const command = u8(p, at);
      o.s += `\n\t  Command ${LOOPBACK_COMMANDS[command] ?? "Unknown"} (${command})`;
      return;
    }
    default:
      // Variable Request/Response, Vendor Private and unknown codes: tcpdump has no decoder for them.
      if (verbosity <= 1) o.s += dump(p, at, left, "\n\t  ");
  }
}

/**
 * The TLVs of an Information or Event Notification OAMPDU. `fields` prints the TLV at `at` (wholly captured)
 * and returns false where tcpdump dumps it instead; with `-vv` every TLV is dumped, header included.
 */
function oamTlvs(
  p: Uint8Array,
  at: number,
  left: number,
  verbosity: number,
  o: Out,
  what: string,
  names: Record<number, string>,
  fields: (p: Uint8Array, at: number, o: Out) => boolean,
): void {
  while (left !== 0) {
    if (left < TLV_HEADER_LEN) return add(o, TOO_SHORT);
    const type = u8(p, at), tlvLen = u8(p, at + 1);
    o.s += `\n\t  ${names[type] ?? "Reserved"} ${what} Type (${type}), length ${tlvLen}`;
    // The End of TLV marker's length and value "can be ignored" (IEEE 802.3-2015).
    if (type === TERMINATOR) return;
    if (tlvLen < TLV_HEADER_LEN) {
      return add(o, `\n\t    ERROR: illegal length - should be >= ${TLV_HEADER_LEN}`);
    }
    if (left < tlvLen) return add(o, TOO_SHORT);
    captured(p, at, tlvLen);
    if (!fields(p, at, o) || verbosity > 1) o.s += dump(p, at, tlvLen, "\n\t  ");
    at += tlvLen;
    left -= tlvLen;
  }
}

/** A Local or Remote Information TLV's fields; false for other types and a wrong length (dumped). */
function information(p: Uint8Array, at: number, o: Out): boolean {
  const type = u8(p, at);
  if (type !== INFO_LOCAL && type !== INFO_REMOTE) return false;
  if (u8(p, at + INFO.length) !== INFO_LEN) {
    o.s += `\n\t    ERROR: illegal length - should be ${INFO_LEN}`;
    return false;
  }
  const state = u8(p, at + INFO.state);
  const oui = (u8(p, at + INFO.oui) << 16) | u16(p, at + INFO.oui + 1);
  o.s += `\n\t    OAM-Version ${u8(p, at + INFO.version)}, Revision ${u16(p, at + INFO.revision)}` +
    `\n\t    State-Parser-Action ${PARSER_ACTIONS[state & PARSER_MASK]}, State-MUX-Action ${
      state & MUX_MASK ? "discarding" : "forwarding"
    }` +
    `\n\t    OAM-Config Flags [${bits(OAM_CONFIG, u8(p, at + INFO.config))}], OAM-PDU-Config max-PDU size ${
      u16(p, at + INFO.pduConfig) & PDU_SIZE_MASK
    }` +
    `\n\t    OUI ${OUI_NAMES[oui] ?? "Unknown"} (0x${hex(oui, 6)}), Vendor-Private 0x${
      hex(u32(p, at + INFO.vendor), 8)
    }`;
  return true;
}

/** An errored-symbol/frame event TLV's fields; false for other types and a wrong length (dumped). */
function event(p: Uint8Array, at: number, o: Out): boolean {
  const type = u8(p, at);
  if (type < 0x01 || type > 0x04) return false;
  if (u8(p, at + EVENT.length) !== EVENT_LEN) {
    o.s += `\n\t    ERROR: illegal length - should be ${EVENT_LEN}`;
    return false;
  }
  o.s +=
    `\n\t    Timestamp ${u16(p, at + EVENT.timestamp) * TIMESTAMP_UNIT_MS} ms, Errored Window ${
      u64(p, at + EVENT.window)
    }` +
    `\n\t    Errored Threshold ${u64(p, at + EVENT.threshold)}` +
    `\n\t    Errors ${u64(p, at + EVENT.errors)}` +
    `\n\t    Error Running Total ${u64(p, at + EVENT.errorTotal)}` +
    `\n\t    Event Running Total ${u32(p, at + EVENT.eventTotal)}`;
  return true;
}
