/**
 * Private: Cisco's auto-RP (UDP port 496) as tcpdump 4.99 prints it (cisco_autorp_print in print-pim.c).
 *
 * ```text
 * | type (1) | RP count (1) | holdtime (2) | reserved (4) |
 * then for each RP: | address (4) | PIM versions (1) | group count (1) | groups: | flags (1) | mask (1) | group (4) |
 * ```
 *
 * tcpdump's text: ` auto-rp mapping Hold 3m RP 10.0.0.1 PIMv2 224.0.0.0/4,!239.0.0.0/8 bidir`: the type
 * (`candidate-advert`, `mapping`, else `type-0x13`), the holdtime (`FOREVER` for 0), each RP with the PIM
 * versions it supports (`PIMv?`, `PIMv1`, `PIMv2`, `PIMv1+2`) and its groups (`!` for a negative one,
 * ` bidir`, reserved bits as `[rsvd=0x..]`). A datagram shorter than its counts say, or cut by the capture,
 * ends the text with ` [|cisco_autorp]`.
 *
 * @module
 */
import { type Printed, relativeTime } from "./_text.ts";
import { formatIpv4Address } from "./address.ts";

const CUT = " [|cisco_autorp]";
const PIM_VERSIONS = ["PIMv?", "PIMv1", "PIMv2", "PIMv1+2"];
const hex2 = (x: number) => x.toString(16).padStart(2, "0");

/**
 * tcpdump's text for an auto-RP datagram: what follows `sport > dport:`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @returns the text (it starts with a space), and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { autoRpText } from "./_autorp.ts";
 * const p = new Uint8Array([0x12, 1, 0, 180, 0, 0, 0, 0, 10, 0, 0, 1, 2, 1, 0, 4, 224, 0, 0, 0]);
 * assert.equal(autoRpText(p, p.length).text, " auto-rp mapping Hold 3m RP 10.0.0.1 PIMv2 224.0.0.0/4");
 * ```
 */
export function autoRpText(p: Uint8Array, length: number): Printed {
  if (length < 8) return { text: CUT, jump: false };
  let s = " auto-rp ";
  // A read past the captured bytes (tcpdump's long jump prints the same mark as its length checks).
  const cut = (need: number) => p.length < need;
  if (cut(1)) return { text: s + CUT, jump: true };
  const type = p[0];
  s += type === 0x11 ? "candidate-advert" : type === 0x12 ? "mapping" : `type-0x${hex2(type)}`;
  if (cut(2)) return { text: s + CUT, jump: true };
  let rps = p[1];
  s += " Hold ";
  if (cut(4)) return { text: s + CUT, jump: true };
  const hold = (p[2] << 8) | p[3];
  s += hold ? relativeTime(hold) : "FOREVER";
  let at = 8, len = length - 8;
  for (; rps !== 0; rps--) {
    if (len < 4) return { text: s + CUT, jump: false };
    if (cut(at + 4)) return { text: s + CUT, jump: true };
    s += ` RP ${formatIpv4Address(p.subarray(at, at + 4))}`;
    at += 4;
    len -= 4;
    if (len < 1) return { text: s + CUT, jump: false };
    if (cut(at + 1)) return { text: s + CUT, jump: true };
    s += ` ${PIM_VERSIONS[p[at] & 3]}`;
    if (p[at] & 0xfc) s += ` [rsvd=0x${hex2(p[at] & 0xfc)}]`;
    at++;
    len--;
    if (len < 1) return { text: s + CUT, jump: false };
    if (cut(at + 1)) return { text: s + CUT, jump: true };
    let entries = p[at++];
    len--;
    let sep = " ";
    for (; entries !== 0; entries--) {
      if (len < 6) return { text: s + CUT, jump: false };
      if (cut(at + 6)) return { text: s + CUT, jump: true };
      const flags = p[at];
      s += `${sep}${flags & 1 ? "!" : ""}${formatIpv4Address(p.subarray(at + 2, at + 6))}/${p[at + 1]}`;
      if (flags & 2) s += " bidir";
      if (flags & 0xfc) s += `[rsvd=0x${hex2(flags & 0xfc)}]`;
      sep = ",";
      at += 6;
      len -= 6;
    }
  }
  return { text: s, jump: false };
}
