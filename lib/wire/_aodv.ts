/**
 * Private: AODV routing (RFC 3561, UDP port 654, and the IPv6 draft's messages) as tcpdump 4.99 prints it
 * (print-aodv.c).
 *
 * tcpdump's text, after ` aodv`:
 * - a route request: ` rreq 24  hops 1 id 0x00000007\n\tdst 10.0.0.9 seq 5 src 10.0.0.1 seq 3` (over IPv6,
 *   ` v6 rreq ...` with IPv6 addresses); a reply: ` rrep 20  prefix 0 hops 2\n\tdst ... dseq 5 src ... 3000
 *   ms`; an error: ` rerr [D] [items 1] [12]: {10.0.0.9}(5)`; ` rrep-ack 2`; the IPv6 draft's messages
 *   (types 16-19) with their own layout; any other type ` type 9 12`.
 * - tcpdump reads the request and reply flags from the type byte, not from the flags byte, and so does this
 *   printer (the IPv6 draft's request, type 16, shows `[D]`).
 * - After a request or a reply, an extension: `\n\text HELLO 1000 ms`, `\n\text 5 2`.
 * - A message shorter than its fixed part, or cut by the capture, ends the text with ` [|aodv]`.
 *
 * @module
 */
import { type Printed, u32 } from "./_text.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";

const CUT = " [|aodv]";

/** Where a request's or reply's fields are, for one of the layouts. */
interface Layout {
  size: number;
  v6: boolean;
  /** Request: id, destination, its seq, originator, its seq. Reply: destination, its seq, originator, lifetime. */
  at: number[];
}
const RREQ4: Layout = { size: 24, v6: false, at: [4, 8, 12, 16, 20] };
const RREQ6: Layout = { size: 48, v6: true, at: [4, 8, 24, 28, 44] };
const RREQ6_DRAFT: Layout = { size: 48, v6: true, at: [4, 16, 8, 32, 12] };
const RREP4: Layout = { size: 20, v6: false, at: [4, 8, 12, 16] };
const RREP6: Layout = { size: 44, v6: true, at: [4, 20, 24, 40] };
const RREP6_DRAFT: Layout = { size: 44, v6: true, at: [8, 4, 24, 40] };

/**
 * tcpdump's text for an AODV datagram: what follows `sport > dport:`.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param ip6 whether the datagram came over IPv6 (types 1-3 then have IPv6 addresses)
 * @returns the text (it starts with a space), and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aodvText } from "./_aodv.ts";
 * assert.equal(aodvText(new Uint8Array([4, 0]), 2, false).text, " aodv rrep-ack 2");
 * ```
 */
export function aodvText(p: Uint8Array, length: number, ip6: boolean): Printed {
  if (p.length < 1) return { text: CUT, jump: true };
  const type = p[0];
  let s = " aodv";
  const addr = (v6: boolean, at: number) =>
    v6 ? formatIpv6Address(p.subarray(at, at + 16)) : formatIpv4Address(p, at);
  const hexId = (x: number) => x.toString(16).padStart(8, "0");
  /** tcpdump's aodv_extension, after a request's or reply's fixed part. */
  const extension = (at: number, left: number) => {
    if (left < 2) return;
    if (p.length < at + 2) return void (s += CUT);
    if (p[at] === 1) {
      if (p.length < at + 6 || left < 6) return void (s += CUT);
      s += p[at + 1] < 4 ? `\n\text HELLO - bad length ${p[at + 1]}` : `\n\text HELLO ${u32(p, at + 2)} ms`;
    } else s += `\n\text ${p[at]} ${p[at + 1]}`;
  };
  const rreq = (l: Layout, label: string) => {
    if (p.length < l.size || length < l.size) return void (s += CUT);
    const [id, da, ds, oa, os] = l.at;
    const f = (bit: number, t: string) => (type & bit ? t : "");
    s += ` ${label} ${length} ${f(0x80, "[J]")}${f(0x40, "[R]")}${f(0x20, "[G]")}${f(0x10, "[D]")}${
      type & 0x08 ? "[U] " : " "
    }hops ${p[3]} id 0x${hexId(u32(p, id))}\n\tdst ${addr(l.v6, da)} seq ${u32(p, ds)} src ${
      addr(l.v6, oa)
    } seq ${u32(p, os)}`;
    extension(l.size, length - l.size);
  };
  const rrep = (l: Layout) => {
    if (p.length < l.size || length < l.size) return void (s += CUT);
    const [da, ds, oa, life] = l.at;
    s += ` rrep ${length} ${type & 0x80 ? "[R]" : ""}${type & 0x40 ? "[A] " : " "}prefix ${
      p[2] & 0x1f
    } hops ${p[3]}\n\tdst ${addr(l.v6, da)} dseq ${u32(p, ds)} src ${addr(l.v6, oa)} ${u32(p, life)} ms`;
    extension(l.size, length - l.size);
  };
  const rerr = (v6: boolean) => {
    if (p.length < 4 || length < 4) return void (s += CUT);
    s += ` rerr ${p[1] & 0x80 ? "[D]" : ""} [items ${p[3]}] [${length}]:`;
    const size = v6 ? 20 : 8;
    let at = 4, left = length - 4;
    for (let dc = p[3]; dc !== 0; dc--, at += size, left -= size) {
      if (p.length < at + size || left < size) return void (s += CUT);
      s += ` {${addr(v6, at)}}(${u32(p, at + size - 4)})`;
    }
  };
  switch (type) {
    case 1:
      rreq(ip6 ? RREQ6 : RREQ4, ip6 ? "v6 rreq" : "rreq");
      break;
    case 2:
      rrep(ip6 ? RREP6 : RREP4);
      break;
    case 3:
      rerr(ip6);
      break;
    case 4:
    case 19:
      s += ` rrep-ack ${length}`;
      break;
    case 16:
      rreq(RREQ6_DRAFT, "rreq");
      break;
    case 17:
      rrep(RREP6_DRAFT);
      break;
    case 18:
      rerr(true);
      break;
    default:
      s += ` type ${type} ${length}`;
  }
  return { text: s, jump: false };
}
