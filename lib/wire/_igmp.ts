/**
 * Private: tcpdump's text for IGMP (IP protocol 2, RFC 1112, 2236, 3376) as tcpdump 4.99 prints it, with the
 * two older protocols that ride on IGMP type codes: DVMRP (0x13, RFC 1075 and draft-ietf-idmr-dvmrp-v3) and
 * PIM version 1 (0x14).
 *
 * ```text
 * type (1) | max resp time or code (1) | checksum (2) | group address (4) | v3 query: resv, S, QRV (1) |
 *   QQIC (1) | number of sources (2) | sources (4 each)
 * v3 report: type 0x22 (1) | reserved (1) | checksum (2) | reserved (2) | number of group records (2) |
 *   records: record type (1) | aux data len (1) | number of sources (2) | group (4) | sources (4 each)
 * ```
 *
 * - Queries: `igmp query v1`, `igmp query v2 [max resp time 50] [gaddr 239.1.1.1]` (the time unless 100,
 *   the group unless 0.0.0.0, ` [len 10]` for any length but 8); a message of 12 bytes or more is a v3 query:
 *   `igmp query v3 [max resp time 12.5s] [gaddr 239.1.1.1, 2 source(s)]`, the sources themselves at `-vv`
 *   (`{ 10.0.0.1 10.0.0.2 }`), a time of 60 s or more as `1m8s`, and no group part at all for 0.0.0.0.
 *   tcpdump prints neither S, QRV nor QQIC.
 * - Reports: `igmp v1 report 239.1.1.1`, `igmp v2 report 239.1.1.1`, `igmp leave 239.1.1.1`,
 *   `igmp v3 report, 2 group record(s)`; `-v` adds each record (` [gaddr 239.1.1.1 is_ex, 1 source(s)]`),
 *   `-vv` its sources in braces.
 * - mtrace and its response: `mtrace 4660: 10.0.0.1 to 239.1.1.1 reply-to 224.0.0.2 with-ttl 32`, `mresp ...`
 *   (the TTL only for a multicast reply address).
 * - DVMRP: `igmp dvmrp Probe`, `Report`, `Ask-neighbors(old)`, `Neighbors(old)`, `Ask-neighbors2`,
 *   `Neighbors2 (v 3.255): [10.0.0.1 -> 10.0.0.2 (1/1/tunnel/querier)]`, `Prune src 10.0.0.1 grp 239.1.1.1
 *   timer 2h`, `Graft ...`, `Graft-ACK ...`; `-v` adds a probe's generation ID, `-vv` its neighbours and a
 *   report's routes (`\n\tMask 255.255.255.0\n\t  10.1.0.0 metric 1`).
 * - PIMv1: `igmp pimv1 Query Dense-mode`, `Register for 10.0.0.1 > 239.1.1.1`, `Register-Stop`, `Assert`,
 *   `RP-reachable`, `Join/Prune`, `Graft`, `Graft-ACK`; `-v` adds hold times and join/prune contents (one
 *   line for a single source, else an upstream neighbour and hold time, and at `-vv` every group and source),
 *   and ` [v2]` for a version other than 1.
 * - Unknown types: `igmp-35`. `-v` ends any message captured whole with ` bad igmp cksum 1234!` when its
 *   checksum is wrong. tcpdump 4.99 prints no `[ttl N]` for IGMP, whatever the TTL. With `-q`: `igmp` alone;
 *   over IPv6 (next header 2): `[IGMP requires IPv4] (invalid)`.
 * - Length checks print tcpdump's complaints (` [invalid len 13]`, ` [invalid number of sources]`, DVMRP's
 *   ` [length 5 < 7] (invalid)`) and are no truncation; a read past the captured bytes ends the text with
 *   ` [|igmp]` (` [|dvmrp]`, ` [|pimv1]` once in those printers) and is tcpdump's long jump. PIMv1's own
 *   length checks print ` [|pimv1]` without a jump.
 *
 * @module
 */
import { formatIpv4Address } from "./address.ts";
import { internetChecksum } from "./checksum.ts";
import { Cut, type Out, type Printed, relativeTime, u16, u8 } from "./_text.ts";

/** What the text needs from the carrying IP header and the options. */
export interface IgmpContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** The IPv4 TTL (IPv6 hop limit) of the carrying header; tcpdump 4.99 does not print it for IGMP. */
  ttl: number;
  /** `-q`: tcpdump prints `igmp` alone. */
  quiet?: boolean;
  /** The carrying IP header's version (default 4): over IPv6 tcpdump refuses to dissect IGMP. */
  ipVersion?: 4 | 6;
}

/** The text so far and the name tcpdump's truncation mark carries (its `ndo_protocol`). */
interface State extends Out {
  proto: string;
}

const V3_REPORT_TYPES = ["", "is_in", "is_ex", "to_in", "to_ex", "allow", "block"];
const DVMRP_TYPES = [
  "",
  "Probe",
  "Report",
  "Ask-neighbors(old)",
  "Neighbors(old)",
  "Ask-neighbors2",
  "Neighbors2",
  "Prune",
  "Graft",
  "Graft-ACK",
];
const PIMV1_TYPES = [
  "Query",
  "Register",
  "Register-Stop",
  "Join/Prune",
  "RP-reachable",
  "Assert",
  "Graft",
  "Graft-ACK",
];
const PIM_MODES = [" Dense-mode", " Sparse-mode", " Sparse-Dense-mode"];

/**
 * tcpdump's text for an IGMP message: what follows `src > dst: `.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `igmp query v2`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { igmpText } from "./_igmp.ts";
 * const leave = new Uint8Array([0x17, 0, 0xf8, 0xfc, 239, 1, 1, 1]);
 * assert.deepEqual(igmpText(leave, 8, { verbosity: 1, ttl: 1 }), { text: "igmp leave 239.1.1.1", jump: false });
 * assert.deepEqual(igmpText(leave.subarray(0, 6), 8, { verbosity: 0, ttl: 1 }), { text: " [|igmp]", jump: true });
 * ```
 */
export function igmpText(p: Uint8Array, length: number, c: IgmpContext): Printed {
  if (c.ipVersion === 6) return { text: "[IGMP requires IPv4] (invalid)", jump: false };
  if (c.quiet) return { text: "igmp", jump: false };
  const o: State = { s: "", proto: "igmp" };
  try {
    message(o, p, length, c.verbosity);
    // tcpdump checks the sum only of a message captured whole, after whatever its printer wrote.
    if (
      c.verbosity > 0 && length >= 4 && p.length >= length && internetChecksum(p.subarray(0, length)) !== 0
    ) {
      o.s += ` bad igmp cksum ${u16(p, 2).toString(16)}!`;
    }
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: `${o.s} [|${o.proto}]`, jump: true };
    throw e;
  }
}

/** The four bytes at `at` as a dotted quad, or a {@link Cut}. */
function ip(p: Uint8Array, at: number): string {
  u8(p, at + 3);
  u8(p, at);
  return formatIpv4Address(p, at);
}

/** The big-endian 32-bit value at `at`, or a {@link Cut}. */
function u32(p: Uint8Array, at: number): number {
  return (u16(p, at) * 0x10000) + u16(p, at + 2);
}

function message(o: State, p: Uint8Array, len: number, v: number): void {
  const type = u8(p, 0);
  switch (type) {
    case 0x11:
      o.s += "igmp query";
      if (len >= 12) return v3Query(o, p, len, v);
      if (u8(p, 1)) {
        o.s += " v2";
        if (p[1] !== 100) o.s += ` [max resp time ${p[1]}]`;
      } else {
        o.s += " v1";
      }
      if (u32(p, 4)) o.s += ` [gaddr ${ip(p, 4)}]`;
      if (len !== 8) o.s += ` [len ${len}]`;
      return;
    case 0x12:
      o.s += `igmp v1 report ${ip(p, 4)}`;
      if (len !== 8) o.s += ` [len ${len}]`;
      return;
    case 0x16:
      o.s += `igmp v2 report ${ip(p, 4)}`;
      return;
    case 0x17:
      o.s += `igmp leave ${ip(p, 4)}`;
      return;
    case 0x22:
      o.s += "igmp v3 report";
      return v3Report(o, p, len, v);
    case 0x13:
      o.s += "igmp dvmrp";
      if (len < 8) o.s += ` [len ${len}]`;
      else dvmrp(o, p, len, v);
      return;
    case 0x14:
      o.s += "igmp pimv1";
      return pimv1(o, p, len, v);
    case 0x1e:
      return mtrace(o, "mresp", p, len);
    case 0x1f:
      return mtrace(o, "mtrace", p, len);
    default:
      o.s += `igmp-${type}`;
  }
}

function mtrace(o: State, name: string, p: Uint8Array, len: number): void {
  if (len < 24) {
    o.s += ` [invalid len ${len}]`;
    return;
  }
  const qid = (u8(p, 21) << 16) | u16(p, 22);
  o.s += `${name} ${qid}: ${ip(p, 8)} to ${ip(p, 12)} reply-to ${ip(p, 16)}`;
  if ((u8(p, 16) & 0xf0) === 0xe0) o.s += ` with-ttl ${u8(p, 20)}`;
}

function v3Report(o: State, p: Uint8Array, len: number, v: number): void {
  if (len < 16 || len & 3) {
    o.s += ` [invalid len ${len}]`;
    return;
  }
  const ngroups = u16(p, 6);
  o.s += `, ${ngroups} group record(s)`;
  if (v === 0) return;
  let at = 8;
  for (let i = 0; i < ngroups; i++) {
    if (len < at + 8) {
      o.s += " [invalid number of groups]";
      return;
    }
    o.s += ` [gaddr ${ip(p, at + 4)}`;
    const rtype = u8(p, at);
    o.s += ` ${V3_REPORT_TYPES[rtype] || ` [v3-report-#${rtype}]`}`;
    const nsrcs = u16(p, at + 2);
    if (len < at + 8 + nsrcs * 4) {
      o.s += ` [invalid number of sources ${nsrcs}]`;
      return;
    }
    if (v === 1) {
      o.s += `, ${nsrcs} source(s)`;
    } else {
      o.s += " {";
      for (let j = 0; j < nsrcs; j++) o.s += ` ${ip(p, at + 8 + j * 4)}`;
      o.s += " }";
    }
    at += 8 + nsrcs * 4;
    o.s += "]";
  }
}

function v3Query(o: State, p: Uint8Array, len: number, v: number): void {
  o.s += " v3";
  if (len < 12 || len & 3) {
    o.s += ` [invalid len ${len}]`;
    return;
  }
  const mrc = u8(p, 1);
  // RFC 3376 4.1.1: from 128 on, a 3-bit exponent and a 4-bit mantissa, in tenths of a second.
  const mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc !== 100) {
    o.s += " [max resp time ";
    o.s += mrt < 600 ? `${Math.floor(mrt / 10)}.${mrt % 10}s` : relativeTime(Math.floor(mrt / 10));
    o.s += "]";
  }
  if (u32(p, 4) === 0) return;
  o.s += ` [gaddr ${ip(p, 4)}`;
  const nsrcs = u16(p, 10);
  if (nsrcs > 0) {
    if (len < 12 + nsrcs * 4) {
      o.s += " [invalid number of sources]";
    } else if (v > 1) {
      o.s += " {";
      for (let i = 0; i < nsrcs; i++) o.s += ` ${ip(p, 12 + i * 4)}`;
      o.s += " }";
    } else {
      o.s += `, ${nsrcs} source(s)`;
    }
  }
  o.s += "]";
}

/** DVMRP after the IGMP header: `len` is at least 8 (the IGMP printer checks). */
function dvmrp(o: State, p: Uint8Array, len: number, v: number): void {
  o.proto = "dvmrp";
  const type = u8(p, 1);
  const b = p.subarray(8);
  len -= 8;
  o.s += ` ${DVMRP_TYPES[type] || `[type ${type}]`}`;
  switch (type) {
    case 1:
      if (v > 0) dvmrpProbe(o, b, len, v);
      return;
    case 2:
      if (v > 1) dvmrpReport(o, b, len);
      return;
    case 4:
      return dvmrpNeighbors(o, b, len);
    case 6:
      // The version rides in the IGMP group address field: minor, then major.
      return dvmrpNeighbors2(o, b, len, u8(p, 7), u8(p, 6));
    case 7:
      o.s += ` src ${ip(b, 0)} grp ${ip(b, 4)} timer `;
      o.s += relativeTime(u32(b, 8));
      return;
    case 8:
    case 9:
      o.s += ` src ${ip(b, 0)} grp ${ip(b, 4)}`;
  }
}

function dvmrpProbe(o: State, b: Uint8Array, len: number, v: number): void {
  if (len < 4) {
    o.s += ` [full length ${len} < 4] (invalid)`;
    return;
  }
  o.s += v > 1 ? "\n\t" : " ";
  o.s += `genid ${u32(b, 0)}`;
  if (v < 2) return;
  for (let at = 4; len - at > 0; at += 4) {
    if (len - at < 4) {
      o.s += `[remaining length ${len - at} < 4] (invalid)`;
      return;
    }
    o.s += `\n\tneighbor ${ip(b, at)}`;
  }
}

function dvmrpReport(o: State, b: Uint8Array, len: number): void {
  let at = 0;
  while (len > 0) {
    if (len < 3) {
      o.s += ` [length ${len} < 3] (invalid)`;
      return;
    }
    const m0 = u8(b, at), m1 = u8(b, at + 1), m2 = u8(b, at + 2);
    // The mask's leading 255 is implied; the origin takes as many bytes as the mask has non-zero ones.
    const width = m2 ? 4 : m1 ? 3 : m0 ? 2 : 1;
    o.s += `\n\tMask 255.${m0}.${m1}.${m2}`;
    at += 3;
    len -= 3;
    let done = 0;
    do {
      if (len < width + 1) {
        o.s += "\n\t  [Truncated Report] (invalid)";
        return;
      }
      const origin = [0, 0, 0, 0];
      for (let i = 0; i < width; i++) origin[i] = u8(b, at++);
      const metric = u8(b, at++);
      done = metric & 0x80;
      o.s += `\n\t  ${origin.join(".")} metric ${metric & 0x7f}`;
      len -= width + 1;
    } while (!done);
  }
}

function dvmrpNeighbors(o: State, b: Uint8Array, len: number): void {
  let at = 0;
  while (len > 0) {
    if (len < 7) {
      o.s += ` [length ${len} < 7] (invalid)`;
      return;
    }
    const local = at;
    const metric = u8(b, at + 4), thresh = u8(b, at + 5);
    let ncount = u8(b, at + 6);
    at += 7;
    len -= 7;
    while (--ncount >= 0) {
      if (len < 4) {
        o.s += ` [length ${len} < 4] (invalid)`;
        return;
      }
      o.s += ` [${ip(b, local)} ->`;
      o.s += ` ${ip(b, at)}, (${metric}/${thresh})]`;
      at += 4;
      len -= 4;
    }
  }
}

function dvmrpNeighbors2(o: State, b: Uint8Array, len: number, major: number, minor: number): void {
  o.s += ` (v ${major}.${minor}):`;
  let at = 0;
  while (len > 0) {
    if (len < 8) {
      o.s += ` [length ${len} < 8] (invalid)`;
      return;
    }
    const local = at;
    const metric = u8(b, at + 4), thresh = u8(b, at + 5), flags = u8(b, at + 6);
    let ncount = u8(b, at + 7);
    at += 8;
    len -= 8;
    while (--ncount >= 0 && len > 0) {
      if (len < 4) {
        o.s += ` [length ${len} < 4] (invalid)`;
        return;
      }
      o.s += ` [${ip(b, local)} -> `;
      o.s += `${ip(b, at)} (${metric}/${thresh}`;
      if (flags & 0x01) o.s += "/tunnel";
      if (flags & 0x02) o.s += "/srcrt";
      if (flags & 0x40) o.s += "/querier";
      if (flags & 0x20) o.s += "/disabled";
      if (flags & 0x10) o.s += "/down";
      o.s += ")]";
      at += 4;
      len -= 4;
    }
    if (ncount !== -1) {
      o.s += " [invalid ncount] (invalid)";
      return;
    }
  }
}

/** A group or source with its mask: `/mask` unless the mask is all ones. */
function masked(p: Uint8Array, at: number): string {
  return u32(p, at) !== 0xffffffff ? `/${ip(p, at)}` : "";
}

function pimv1(o: State, p: Uint8Array, len: number, v: number): void {
  o.proto = "pimv1";
  const type = u8(p, 1);
  o.s += ` ${PIMV1_TYPES[type] ?? `[type ${type}]`}`;
  switch (type) {
    case 0:
      if (p.length > 8) o.s += PIM_MODES[p[8] >> 4] ?? ` mode-${p[8] >> 4}`;
      if (v > 0) {
        o.s += " (Hold-time ";
        o.s += `${relativeTime(u16(p, 10))})`;
      }
      break;
    case 1:
      // tcpdump checks the inner IP header as a whole first: its own check, no long jump.
      if (p.length < 28) {
        o.s += " [|pimv1]";
        return;
      }
      o.s += ` for ${ip(p, 20)} > ${ip(p, 24)}`;
      break;
    case 2:
      o.s += ` for ${ip(p, 8)} > ${ip(p, 12)}`;
      break;
    case 4:
      if (v > 0) {
        o.s += ` group ${ip(p, 8)}`;
        o.s += masked(p, 12);
        o.s += ` RP ${ip(p, 16)} hold `;
        o.s += relativeTime(u16(p, 22));
      }
      break;
    case 5: {
      o.s += ` for ${ip(p, 16)} > ${ip(p, 8)}`;
      o.s += masked(p, 12);
      const pref = u32(p, 20), metric = u32(p, 24);
      o.s += ` ${pref >= 0x80000000 ? "RP-tree" : "SPT"} pref ${pref & 0x7fffffff} metric ${metric}`;
      break;
    }
    case 3:
    case 6:
    case 7:
      if (v > 0) {
        if (len < 8) {
          o.s += " [|pimv1]";
          return;
        }
        pimv1JoinPrune(o, p.subarray(8), len - 8, v);
      }
      break;
  }
  const version = u8(p, 4) >> 4;
  if (version !== 1) o.s += ` [v${version}]`;
}

/** A flag byte and a mask-length byte as tcpdump writes a PIMv1 join or prune entry. */
function pimv1JoinPrune(o: State, b: Uint8Array, len: number, v: number): void {
  // A single group with a single source reads as one line.
  if (b.length >= 30 && b[11] === 1 && ((b[20] << 8) | b[21]) + ((b[22] << 8) | b[23]) === 1) {
    const njoin = (b[20] << 8) | b[21];
    o.s += ` RPF ${ip(b, 0)} `;
    const hold = u16(b, 6);
    if (hold !== 180) o.s += `Hold ${relativeTime(hold)}`;
    o.s += `${njoin ? "Join" : "Prune"} (${ip(b, 26)}/${b[25] & 0x3f}, ${ip(b, 12)}`;
    o.s += masked(b, 16);
    o.s += `) ${b[24] & 1 ? "Sparse" : "Dense"}${b[25] & 0x80 ? " WC" : ""} ${b[25] & 0x40 ? "RP" : "SPT"}`;
    return;
  }
  const trunc = (): void => {
    o.s += " [|pimv1]";
  };
  if (len < 4) return trunc();
  if (v > 1) o.s += "\n";
  o.s += ` Upstream Nbr: ${ip(b, 0)}`;
  let at = 4;
  len -= 4;
  if (len < 4) return trunc();
  if (v > 1) o.s += "\n";
  o.s += " Hold time: ";
  o.s += relativeTime(u16(b, at + 2));
  if (v < 2) return;
  at += 4;
  len -= 4;
  if (len < 4) return trunc();
  let ngroups = u8(b, at + 3);
  at += 4;
  len -= 4;
  for (; ngroups !== 0; ngroups--) {
    if (len < 4) return trunc();
    o.s += `\n\tGroup: ${ip(b, at)}`;
    at += 4;
    len -= 4;
    if (len < 4) return trunc();
    o.s += masked(b, at);
    at += 4;
    len -= 4;
    if (len < 4) return trunc();
    const njoin = u16(b, at), nprune = u16(b, at + 2);
    o.s += ` joined: ${njoin} pruned: ${nprune}`;
    at += 4;
    len -= 4;
    for (let k = 0; k < njoin + nprune; k++) {
      if (len < 6) return trunc();
      const f = u8(b, at), m = u8(b, at + 1), source = ip(b, at + 2);
      o.s += `\n\t${k < njoin ? "Join " : "Prune"} ${f & 1 ? "Sparse " : "Dense "}${m & 0x80 ? "WC " : ""}`;
      o.s += `${m & 0x40 ? "RP " : "SPT "}${source}/${m & 0x3f}`;
      at += 6;
      len -= 6;
    }
  }
}
