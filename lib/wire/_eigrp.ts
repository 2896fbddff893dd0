/**
 * Private: EIGRP (RFC 7868; IP protocol 88) as tcpdump 4.99 prints it (print-eigrp.c).
 *
 * ```text
 * header: | version (1) | opcode (1) | checksum (2) | flags (4) | seq (4) | ack (4) | VRID (2) | AS (2) |
 * TLVs:   | type (2) | length (2, header included) | value ... |
 * IP internal (0x0102): | next hop (4) | delay (4) | bandwidth (4) | MTU (3) | hops (1) | reliability (1) |
 *                       | load (1) | reserved (2) | prefix length (1) | prefix: (length + 7) / 8 bytes |
 * IP external (0x0103): | next hop | origin router (4) | origin AS (4) | tag (4) | metric (4) | reserved (2) |
 *                       | protocol (1) | flags (1) | then as internal from the delay |
 * ```
 *
 * tcpdump's text (what follows `src > dst: `):
 * - Default: `EIGRP Hello, length: 40` (the opcode: `Update`, `Query`, `Reply`, `Hello`, `IPX SAP`, `Probe`,
 *   `unknown (9)`; the IP payload's length). A version other than 2, at any verbosity:
 *   `EIGRP version 3 packet not supported`.
 * - `-v`: on tabbed lines `EIGRP v2, opcode: Hello (5), chksum: 0x1234, Flags: [Init, End-of-Table]` and
 *   `seq: 0x00000007, ack: 0x00000000, VRID: 0, AS: 100, length: 20` (the length after the header), then each
 *   TLV: `General Parameters TLV (0x0001), length: 12` and its decoding: `holdtime: 15s, k1 1, k2 0, ...`,
 *   `IOS version: 12.4, EIGRP version 1.2`, `IPv4 prefix:     192.168.1.0/24, nexthop: self` (right-aligned in
 *   15 columns) with `delay 256 ms, bandwidth 1000 Kbps, mtu 1500, hop 1, reliability 255, load 1` and for
 *   external routes `origin-router 10.0.0.9, origin-as 65000, origin-proto OSPF, flags [0x40], tag 0x...,
 *   metric 0`; AppleTalk cable setup, internal and external routes likewise. A value shorter than its decoding
 *   needs is ` (too short, < 26)`; a prefix length over 32 is `illegal prefix length 33`. TLVs without a
 *   decoding (authentication, sequence, next multicast sequence, IPX, unknown types) are a hex dump.
 * - `-vv` adds a hex dump of every TLV's value after its decoding (the undecoded ones are dumped once).
 * - A TLV length under 4 or past the message ends the walk with a hex dump of the rest (from 4 bytes into the
 *   TLV, no further than the captured bytes).
 * - Truncation: less than the 20-byte header, a TLV header or a TLV not wholly captured end the text with
 *   ` [|eigrp]` (tcpdump's own checks); only a route prefix that runs past the TLV and the captured bytes is
 *   a long jump.
 *
 * Not covered: nothing of print-eigrp.c is left out.
 *
 * @module
 */
import { Cut, type Out, type Printed, u8 } from "./_text.ts";
import { formatIpv4Address } from "./address.ts";
import { hexLines } from "./_nd.ts";

const CUT = " [|eigrp]";
const VERSION = 2;
/** The common header's fields. */
const H = {
  version: 0,
  opcode: 1,
  checksum: 2,
  flags: 4,
  seq: 8,
  ack: 12,
  vrid: 16,
  asn: 18,
  end: 20,
} as const;
const TLV_HEADER = 4;

const OPCODES: Record<number, string> = {
  1: "Update",
  3: "Query",
  4: "Reply",
  5: "Hello",
  6: "IPX SAP",
  7: "Probe",
};
const FLAGS: [number, string][] = [[1, "Init"], [2, "Conditionally Received"], [4, "Restart"], [
  8,
  "End-of-Table",
]];

const GENERAL_PARM = 0x0001, SW_VERSION = 0x0004, IP_INT = 0x0102, IP_EXT = 0x0103;
const AT_INT = 0x0202, AT_EXT = 0x0203, AT_CABLE_SETUP = 0x0204;
const TLVS: Record<number, string> = {
  0x0001: "General Parameters",
  0x0002: "Authentication",
  0x0003: "Sequence",
  0x0004: "Software Version",
  0x0005: "Next Multicast Sequence",
  0x0102: "IP Internal routes",
  0x0103: "IP External routes",
  0x0202: "AppleTalk Internal routes",
  0x0203: "AppleTalk External routes",
  0x0204: "AppleTalk Cable setup",
  0x0302: "IPX Internal routes",
  0x0303: "IPX External routes",
};
/** The value sizes tcpdump requires of the TLVs it decodes (a route: up to its prefix length and one byte more). */
const VALUE_SIZE: Record<number, number> = {
  [GENERAL_PARM]: 8,
  [SW_VERSION]: 4,
  [IP_INT]: 22,
  [IP_EXT]: 42,
  [AT_CABLE_SETUP]: 8,
  [AT_INT]: 24,
  [AT_EXT]: 40,
};
const PROTOCOLS = [
  "",
  "IGRP",
  "EIGRP",
  "Static",
  "RIP",
  "Hello",
  "OSPF",
  "IS-IS",
  "EGP",
  "BGP",
  "IDRP",
  "Connected",
];

/** Metric fields from the delay on, as offsets into a route's value for internal and external routes. */
const IP_INT_METRIC = 4, IP_EXT_METRIC = 24, AT_INT_METRIC = 4, AT_EXT_METRIC = 20;

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hex4 = (x: number) => x.toString(16).padStart(4, "0");
const hex8 = (x: number) => x.toString(16).padStart(8, "0");

/** A 32-bit value the caller has checked was captured. */
const be32 = (p: Uint8Array, at: number) =>
  ((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0;
const be16 = (p: Uint8Array, at: number) => (p[at] << 8) | p[at + 1];

/** The end of tcpdump's text short of a TLV or header it did not capture: its own check, no long jump. */
class Short {}

/**
 * tcpdump's text for an EIGRP packet: what follows `src > dst: `.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eigrpText } from "./_eigrp.ts";
 * const hello = new Uint8Array(20);
 * hello[0] = 2, hello[1] = 5, hello[19] = 100;
 * assert.deepEqual(eigrpText(hello, 20, 0), { text: "EIGRP Hello, length: 20", jump: false });
 * assert.equal(
 *   eigrpText(hello, 20, 1).text,
 *   "\n\tEIGRP v2, opcode: Hello (5), chksum: 0x0000, Flags: [none]" +
 *     "\n\tseq: 0x00000000, ack: 0x00000000, VRID: 0, AS: 100, length: 0",
 * );
 * assert.deepEqual(eigrpText(hello.subarray(0, 10), 20, 0), { text: " [|eigrp]", jump: false });
 * ```
 */
export function eigrpText(p: Uint8Array, length: number, verbosity: number): Printed {
  const o: Out = { s: "" };
  try {
    body(o, p, length, verbosity);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Short) return { text: o.s + CUT, jump: false };
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

/** tcpdump's ND_TCHECK: `n` bytes from `at` captured, else its truncation mark without a long jump. */
function check(p: Uint8Array, at: number, n: number): void {
  if (at + n > p.length) throw new Short();
}

function body(o: Out, p: Uint8Array, len: number, verbosity: number): void {
  check(p, 0, H.end);
  const version = p[H.version], opcode = p[H.opcode];
  if (version !== VERSION) {
    o.s += `EIGRP version ${version} packet not supported`;
    return;
  }
  if (verbosity < 1) {
    o.s += `EIGRP ${OPCODES[opcode] ?? `unknown (${opcode})`}, length: ${len}`;
    return;
  }
  if (len < H.end) {
    o.s += `EIGRP ${OPCODES[opcode] ?? `unknown (${opcode})`}, length: ${len} (too short, < ${H.end})`;
    return;
  }
  let tlen = len - H.end;
  const flags = be32(p, H.flags);
  const names = FLAGS.filter(([bit]) => flags & bit).map(([, n]) => n);
  o.s += `\n\tEIGRP v${version}, opcode: ${OPCODES[opcode] ?? `unknown, type: ${opcode}`} (${opcode}), ` +
    `chksum: 0x${hex4(be16(p, H.checksum))}, Flags: [${names.length ? names.join(", ") : "none"}]` +
    `\n\tseq: 0x${hex8(be32(p, H.seq))}, ack: 0x${hex8(be32(p, H.ack))}, VRID: ${be16(p, H.vrid)}, ` +
    `AS: ${be16(p, H.asn)}, length: ${tlen}`;
  let at = H.end;
  while (tlen > 0) {
    check(p, at, TLV_HEADER);
    const type = be16(p, at), tlvLen = be16(p, at + 2);
    if (tlvLen < TLV_HEADER || tlvLen > tlen) {
      o.s += hexLines(p, at + TLV_HEADER, tlen, "\n\t    ");
      return;
    }
    o.s += `\n\t  ${TLVS[type] ?? "Unknown"} TLV (0x${hex4(type)}), length: ${tlvLen}`;
    check(p, at, tlvLen);
    value(o, p, type, at + TLV_HEADER, tlvLen - TLV_HEADER, verbosity);
    if (verbosity > 1) o.s += hexLines(p, at + TLV_HEADER, tlvLen - TLV_HEADER, "\n\t    ");
    at += tlvLen;
    tlen -= tlvLen;
  }
}

/** One TLV's value, from `v`, `n` bytes long (all captured). */
function value(o: Out, p: Uint8Array, type: number, v: number, n: number, verbosity: number): void {
  const size = VALUE_SIZE[type];
  if (size === undefined) {
    // No decoding: the dump, which -vv prints anyway.
    if (verbosity <= 1) o.s += hexLines(p, v, n, "\n\t    ");
    return;
  }
  if (n < size) {
    o.s += ` (too short, < ${TLV_HEADER + size})`;
    return;
  }
  switch (type) {
    case GENERAL_PARM:
      o.s += `\n\t    holdtime: ${be16(p, v + 6)}s, k1 ${p[v]}, k2 ${p[v + 1]}, k3 ${p[v + 2]}, ` +
        `k4 ${p[v + 3]}, k5 ${p[v + 4]}`;
      return;
    case SW_VERSION:
      o.s += `\n\t    IOS version: ${p[v]}.${p[v + 1]}, EIGRP version ${p[v + 2]}.${p[v + 3]}`;
      return;
    case IP_INT:
    case IP_EXT: {
      const plenAt = v + size - 2, bits = p[plenAt];
      if (bits > 32) {
        o.s += `\n\t    illegal prefix length ${bits}`;
        return;
      }
      // The prefix bytes may run past the TLV: tcpdump copies them from the packet all the same.
      const prefix = new Uint8Array(4);
      for (let k = 0; k < (bits + 7) >> 3; k++) prefix[k] = u8(p, plenAt + 1 + k);
      o.s += `\n\t    IPv4 prefix: ${formatIpv4Address(prefix).padStart(15, " ")}/${bits}, nexthop: ` +
        (be32(p, v) === 0 ? "self" : formatIpv4Address(p, v));
      if (type === IP_EXT) {
        o.s += `\n\t      origin-router ${formatIpv4Address(p, v + 4)}, origin-as ${be32(p, v + 8)}, ` +
          `origin-proto ${PROTOCOLS[p[v + 22]] || "unknown"}, flags [0x${hex2(p[v + 23])}], ` +
          `tag 0x${hex8(be32(p, v + 12))}, metric ${be32(p, v + 16)}`;
      }
      metric(o, p, v + (type === IP_INT ? IP_INT_METRIC : IP_EXT_METRIC));
      return;
    }
    case AT_CABLE_SETUP:
      o.s += `\n\t    Cable-range: ${be16(p, v)}-${be16(p, v + 2)}, Router-ID ${be32(p, v + 4)}`;
      return;
    case AT_INT:
    case AT_EXT: {
      const cable = v + size - 4;
      o.s += `\n\t     Cable-Range: ${be16(p, cable)}-${be16(p, cable + 2)}, nexthop: ` +
        (be32(p, v) === 0 ? "self" : `${be16(p, v)}.${be16(p, v + 2)}`);
      if (type === AT_EXT) {
        o.s += `\n\t      origin-router ${be32(p, v + 4)}, origin-as ${be32(p, v + 8)}, ` +
          `origin-proto ${PROTOCOLS[p[v + 16]] || "unknown"}, flags [0x${hex2(p[v + 17])}], ` +
          `tag 0x${hex8(be32(p, v + 12))}, metric ${be16(p, v + 18)}`;
      }
      metric(o, p, v + (type === AT_INT ? AT_INT_METRIC : AT_EXT_METRIC));
    }
  }
}

/** The composite metric line shared by every route: delay (tens of microseconds), bandwidth, MTU, ... */
function metric(o: Out, p: Uint8Array, at: number): void {
  const mtu = (p[at + 8] << 16) | (p[at + 9] << 8) | p[at + 10];
  o.s +=
    `\n\t      delay ${Math.floor(be32(p, at) / 100)} ms, bandwidth ${be32(p, at + 4)} Kbps, mtu ${mtu}, ` +
    `hop ${p[at + 11]}, reliability ${p[at + 12]}, load ${p[at + 13]}`;
}
