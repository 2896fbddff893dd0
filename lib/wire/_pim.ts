/**
 * Private: PIM (IP protocol 103; RFC 7761, 3973, 5059, 5015, 2117) as tcpdump 4.99 prints it (print-pim.c),
 * over IPv4 and IPv6.
 *
 * ```text
 * version (4 bits) | type (4) | reserved: subtype (4) and RFC 2117 address length (4) | checksum (2) | body
 * encoded unicast: family (1: IPv4, 2: IPv6) | encoding (0) | address
 * encoded group:   family | encoding | flags | mask length | address
 * encoded source:  family | encoding | flags (S W R) | mask length | address
 * ```
 *
 * - Without `-v` one line: `PIMv2, Hello, length 34` (`Register Stop`, `Join / Prune`, `Bootstrap`,
 *   `Assert`, `Graft`, `Graft Acknowledgement`, `Candidate RP Advertisement`, `Prune Refresh` for the State
 *   Refresh type 9, `DF Election`, `ECMP Redirect`, `Unknown Type`). Any other version, v1 included (PIMv1
 *   proper travels in IGMP, `_igmp.ts`): `PIMv1, length 12`, at every verbosity.
 * - `-v`: `PIMv2, length 34\n\tHello, cksum 0x9a0b (correct)` then the body. The checksum note is
 *   `(correct)`/`(incorrect)` when the message is captured whole (IPv4: over the message alone; IPv6: with
 *   the pseudo-header of the final destination), `(unverified)` for a zero checksum or a cut message. A
 *   Register's sum covers its 8-byte header, or failing that the whole message. A non-zero RFC 2117 address
 *   length in the reserved byte adds `, RFC2117-encoding` and drops the family/encoding bytes from every
 *   encoded address.
 * - Hello options, one a line: `\n\t  Hold Time Option (1), length 2, Value: 1m45s`, LAN prune delay
 *   (`\n\t    T-bit=1, LAN delay 500ms, Override interval 2500ms`), DR priority (its old number 18 with no
 *   value reads `Bi-Directional Capability (Old)`), generation ID `0xdeadbeef`, state refresh `v1, interval
 *   1m`, bidir (nothing), address lists (their addresses only at `-vv`), unknown options as a hex dump. A
 *   wrong option length ends the text with `[option length 3 != 2] (invalid)`. `-vv` dumps every option's
 *   bytes after its value.
 * - Register: `, Flags [ Border ]` (`Null`, `none`), then on the next line the carried packet as tcpdump's
 *   ip_print/ip6_print writes it (see {@link PimContext.datagram}), a null-register's `IP-Null-header 10.1.1.1
 *   > 239.2.2.2`, or `IP ver 7`.
 * - Register-Stop ` group=239.1.1.0/24(0x81) source=10.0.0.1`; Join/Prune, Graft and Graft-ACK: upstream
 *   neighbour (not for Graft-ACK), `\n\t  2 group(s), holdtime: 3m30s` (`infinite`), each group and its joined
 *   and pruned sources with their flags (`10.0.0.0/8(SWR)`); Bootstrap ` tag=1234 hashmlen=30 BSRprio=100
 *   BSR=.. (group0: 224.0.0.0/4 RPcnt=2 FRPcnt=2 RP0=..,holdtime=2m30s,prio=1)`; Assert ` group=.. src=.. RPT
 *   pref=101 metric=20`; C-RP-Adv ` prefix-cnt=2 prio=192 holdtime=2m30s RP=.. Group0=..`; type 9 as tcpdump
 *   reads it (` src=.. grp=.. forwarder=.. TUNR 1m`, not RFC 3973's layout); DF Election's subtypes; other
 *   types ` [type 11]`.
 * - Truncation: tcpdump's own length checks end the text with ` [|pimv2]`; a read past the captured bytes is
 *   its long jump (same mark, ` [|pim]` for a message with no byte, `jump: true`). Lengths too short for the
 *   header print `[length 1 < 2] (invalid)`.
 *
 * Not covered: host names (netkit prints as `-n` does). A Register's packet is printed by the caller's
 * {@link PimContext.datagram} (summary.ts decodes it as raw IP and prints it with its own options); without
 * one, nothing is printed for it.
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { internetChecksum } from "./checksum.ts";
import { Cut, type Out, type Printed, relativeTime, u16, u8 } from "./_text.ts";
import { type PseudoHeader, pseudoSum } from "./_l4.ts";

/** What the text needs from the carrying IP header and the options. */
export interface PimContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
  /** The carrying header's addresses (4 bytes: IPv4, 16: IPv6; the final destination for IPv6). */
  ip: PseudoHeader;
  /**
   * Prints the IPv4 or IPv6 packet a Register carries as tcpdump's ip_print/ip6_print would on its own
   * (`IP (tos 0x0, ...)\n    10.1.1.1 > 239.1.1.1: ...`, no `IP ` with `-e`), given its captured bytes and
   * its length on the wire (what is left of the PIM message). Without it nothing is printed for the packet.
   */
  datagram?: (bytes: Uint8Array, length: number) => Printed;
}

const PROTO = 103;

const TYPES = [
  "Hello",
  "Register",
  "Register Stop",
  "Join / Prune",
  "Bootstrap",
  "Assert",
  "Graft",
  "Graft Acknowledgement",
  "Candidate RP Advertisement",
  "Prune Refresh",
  "DF Election",
  "ECMP Redirect",
];

const HELLO_OPTIONS: Record<number, string> = {
  1: "Hold Time",
  2: "LAN Prune Delay",
  18: "DR Priority (Old)",
  19: "DR Priority",
  20: "Generation ID",
  21: "State Refresh Capability",
  22: "Bi-Directional Capability",
  24: "Address List",
  65001: "Address List (Old)",
};

const DF_SUBTYPES = ["Unknown", "Offer", "Winner", "Backoff", "Pass"];

/** tcpdump's own length check failed: its ` [|pimv2]` without a long jump. */
class Trunc {}

/** The kinds of encoded address (tcpdump's `pimv2_addrtype`). */
const Kind = { Unicast: 0, Group: 1, Source: 2 } as const;
type Kind = typeof Kind[keyof typeof Kind];

/** The text so far and the name tcpdump's truncation mark carries (its `ndo_protocol`). */
interface State extends Out {
  proto: string;
  jump: boolean;
}

/**
 * tcpdump's text for a PIM message: what follows `src > dst: `.
 *
 * @param p the IP payload's captured bytes (no more than `length`)
 * @param length the IP payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `PIMv2, Hello, length 10`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pimText } from "./_pim.ts";
 * const ip = { src: new Uint8Array([10, 0, 0, 1]), dst: new Uint8Array([224, 0, 0, 13]) };
 * // A Hello with a hold time of 105 s.
 * const hello = new Uint8Array([0x20, 0, 0xdf, 0x93, 0, 1, 0, 2, 0, 105]);
 * assert.deepEqual(pimText(hello, 10, { verbosity: 0, ip }), { text: "PIMv2, Hello, length 10", jump: false });
 * assert.equal(
 *   pimText(hello, 10, { verbosity: 1, ip }).text,
 *   "PIMv2, length 10\n\tHello, cksum 0xdf93 (correct)\n\t  Hold Time Option (1), length 2, Value: 1m45s",
 * );
 * assert.deepEqual(pimText(hello.subarray(0, 3), 10, { verbosity: 1, ip }), {
 *   text: "PIMv2, length 10\n\tHello [|pimv2]",
 *   jump: true,
 * });
 * ```
 */
export function pimText(p: Uint8Array, length: number, c: PimContext): Printed {
  const o: State = { s: "", proto: "pim", jump: false };
  try {
    message(o, p, length, c);
    return { text: o.s, jump: o.jump };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + ` [|${o.proto}]`, jump: true };
    if (e instanceof Trunc) return { text: o.s + ` [|${o.proto}]`, jump: o.jump };
    throw e;
  }
}

function message(o: State, p: Uint8Array, length: number, c: PimContext): void {
  const first = u8(p, 0);
  const version = first >> 4, type = first & 0x0f;
  const name = TYPES[type] ?? "Unknown Type";
  if (version !== 2) {
    o.s += `PIMv${version}, length ${length}`;
    return;
  }
  if (c.verbosity === 0) {
    o.s += `PIMv2, ${name}, length ${length}`;
    return;
  }
  o.s += `PIMv2, length ${length}\n\t${name}`;
  o.proto = "pimv2";
  if (length < 2) {
    o.s += `[length ${length} < 2] (invalid)`;
    return;
  }
  const reserved = u8(p, 1);
  // RFC 5015 took the high nibble for a subtype; the low one is RFC 2117's address length.
  const addrLen = reserved & 0x0f;
  if (addrLen !== 0) o.s += ", RFC2117-encoding";
  if (length < 4) {
    o.s += `[length ${length} < 4] (invalid)`;
    return;
  }
  const sum = u16(p, 2);
  o.s += `, cksum 0x${hex(sum, 4)} (${sum === 0 ? "unverified" : checksumNote(p, length, type, c.ip)})`;
  const m = new Body(o, p, 4, length - 4, addrLen, c);
  switch (type) {
    case 0:
      return m.hello();
    case 1:
      return m.register();
    case 2:
      o.s += " group=";
      m.addr(Kind.Group);
      o.s += " source=";
      m.addr(Kind.Unicast);
      return;
    case 3:
    case 6:
    case 7:
      return m.joinPrune(type === 7);
    case 4:
      return m.bootstrap();
    case 5:
      o.s += " group=";
      m.addr(Kind.Group);
      o.s += " src=";
      m.addr(Kind.Unicast);
      m.need(8);
      if (u8(p, m.at) & 0x80) o.s += " RPT";
      o.s += ` pref=${m.u32(0) & 0x7fffffff} metric=${m.u32(4)}`;
      return;
    case 8:
      return m.candidateRp();
    case 9:
      o.s += " src=";
      m.addr(Kind.Unicast);
      o.s += " grp=";
      m.addr(Kind.Group);
      o.s += " forwarder=";
      m.addr(Kind.Unicast);
      if (m.len < 2) throw new Trunc();
      o.s += " TUNR ";
      o.s += relativeTime(u16(p, m.at));
      return;
    case 10:
      return m.dfElection(reserved >> 4);
    default:
      o.s += ` [type ${type}]`;
  }
}

/** `correct`, `incorrect` or `unverified` for a message whose checksum field is not zero. */
function checksumNote(p: Uint8Array, length: number, type: number, ip: PseudoHeader): string {
  // A Register's sum covers its header only; RFC 4601 asks to accept one over the whole message too.
  let note = sumNote(p, type === 1 ? 8 : length, ip);
  if (type === 1 && note === "incorrect") note = sumNote(p, length, ip);
  return note;
}

function sumNote(p: Uint8Array, n: number, ip: PseudoHeader): string {
  if (p.length < n) return "unverified";
  const v6 = typeof ip.src === "string" ? ip.src.includes(":") : ip.src.length === 16;
  // IPv4 PIM has no pseudo-header; IPv6's counts `n` as the upper-layer length.
  const initial = v6 ? pseudoSum(ip, PROTO, n) : 0;
  return internetChecksum(p.subarray(0, n), initial) === 0 ? "correct" : "incorrect";
}

/** The message body after the 4-byte header: a cursor and what remains of the message on the wire. */
class Body {
  /** Bytes of the message left on the wire, kept in C's unsigned arithmetic. */
  len: number;

  constructor(
    readonly o: State,
    readonly p: Uint8Array,
    public at: number,
    len: number,
    readonly addrLen: number,
    readonly c: PimContext,
  ) {
    this.len = len >>> 0;
  }

  /** Moves on `n` bytes. */
  skip(n: number): void {
    this.at += n;
    this.len = (this.len - n) >>> 0;
  }

  /** tcpdump's `if (len < n) goto trunc` with its `ND_TCHECK_LEN`: both its own checks, no long jump. */
  need(n: number): void {
    if (this.len < n || this.at + n > this.p.length) throw new Trunc();
  }

  u32(off: number): number {
    return ((u16(this.p, this.at + off) << 16) | u16(this.p, this.at + off + 2)) >>> 0;
  }

  /** Prints one encoded address and moves past it; tcpdump's `goto trunc` when it cannot. */
  addr(kind: Kind): void {
    const n = this.encoded(this.at, this.len, kind);
    if (n < 0) throw new Trunc();
    this.skip(n);
  }

  /**
   * tcpdump's pimv2_addr_print: prints the address at `at` and returns its size, or -1 for a family it
   * does not know, a non-zero encoding or too few bytes (by the length `len`, or not captured).
   */
  encoded(at: number, len: number, kind: Kind): number {
    const { o, p } = this;
    let size = this.addrLen, head = 0;
    if (size === 0) {
      if (len < 2) return -1;
      const family = u8(p, at);
      if (family !== 1 && family !== 2) return -1;
      if (u8(p, at + 1) !== 0) return -1;
      size = family === 1 ? 4 : 16;
      head = 2;
    } else if (size !== 4 && size !== 16) {
      return -1;
    }
    at += head;
    len -= head;
    const text = (b: number) => size === 4 ? formatIpv4Address(p, b) : formatIpv6Address(p, b);
    if (kind === Kind.Unicast) {
      if (len < size || at + size > p.length) return -1;
      o.s += text(at);
      return head + size;
    }
    if (len < size + 2 || at + size + 2 > p.length) return -1;
    o.s += text(at + 2);
    if (p[at + 1] !== size * 8) o.s += `/${p[at + 1]}`;
    const flags = p[at];
    if (flags !== 0) {
      if (kind === Kind.Group) {
        o.s += `(0x${hex(flags, 2)})`;
      } else {
        o.s += `(${flags & 4 ? "S" : ""}${flags & 2 ? "W" : ""}${flags & 1 ? "R" : ""}`;
        if (flags & 0xf8) o.s += `+0x${hex(flags & 0xf8, 2)}`;
        o.s += ")";
      }
    }
    return head + 2 + size;
  }

  hello(): void {
    const { o, p } = this;
    const v = this.c.verbosity;
    while (this.len > 0) {
      if (this.len < 4) throw new Trunc();
      const type = u16(p, this.at), olen = u16(p, this.at + 2);
      o.s += `\n\t  ${HELLO_OPTIONS[type] ?? "Unknown"} Option (${type}), length ${olen}, Value: `;
      this.skip(4);
      this.need(olen);
      const at = this.at;
      const wrong = (want: number) => {
        o.s += `[option length ${olen} != ${want}] (invalid)`;
      };
      switch (type) {
        case 1:
          if (olen !== 2) return wrong(2);
          o.s += relativeTime(u16(p, at));
          break;
        case 2: {
          if (olen !== 4) return wrong(4);
          const delay = u16(p, at);
          o.s += `\n\t    T-bit=${delay >> 15}, LAN delay ${delay & 0x7fff}ms, Override interval ${
            u16(p, at + 2)
          }ms`;
          break;
        }
        case 18:
        case 19:
          if (olen === 0) o.s += "Bi-Directional Capability (Old)";
          else if (olen === 4) o.s += `${this.u32(0)}`;
          else return wrong(4);
          break;
        case 20:
          if (olen !== 4) return wrong(4);
          o.s += `0x${hex(this.u32(0), 8)}`;
          break;
        case 21:
          if (olen !== 4) return wrong(4);
          o.s += `v${p[at]}`;
          if (p[at + 1] !== 0) o.s += `, interval ${relativeTime(p[at + 1])}`;
          if (u16(p, at + 2) !== 0) o.s += ` ?0x${hex(u16(p, at + 2), 4)}?`;
          break;
        case 22:
          break;
        case 24:
        case 65001:
          if (v > 1) {
            // Each address may run past the option into the rest of the message: tcpdump bounds it only
            // by the message's length.
            let ptr = at, left = this.len;
            while (ptr < at + olen) {
              o.s += "\n\t    ";
              const n = this.encoded(ptr, left, Kind.Unicast);
              if (n < 0) throw new Trunc();
              ptr += n;
              left -= n;
            }
          }
          break;
        default:
          if (v <= 1) o.s += dump(p.subarray(at, at + olen));
      }
      if (v > 1) o.s += dump(p.subarray(at, at + olen));
      this.skip(olen);
    }
  }

  register(): void {
    const { o, p } = this;
    this.need(4);
    const flags = this.u32(0);
    o.s += `, Flags [ ${flags === 0x80000000 ? "Border" : flags === 0x40000000 ? "Null" : "none"} ]\n\t`;
    this.skip(4);
    if (this.len === 0) throw new Trunc();
    const at = this.at;
    const version = u8(p, at) >> 4;
    if (version === 0) {
      // A null-register's dummy header: only its addresses.
      u8(p, at + 19);
      o.s += `IP-Null-header ${formatIpv4Address(p, at + 12)} > ${formatIpv4Address(p, at + 16)}`;
    } else if (version === 4 || version === 6) {
      const inner = this.c.datagram?.(p.subarray(at), this.len) ?? { text: "", jump: false };
      o.s += inner.text;
      if (inner.jump) o.jump = true;
    } else {
      o.s += `IP ver ${version}`;
    }
  }

  joinPrune(ack: boolean): void {
    const { o, p } = this;
    if (!ack) {
      o.s += ", upstream-neighbor: ";
      this.addr(Kind.Unicast);
    }
    this.need(4);
    const groups = p[this.at + 1], hold = u16(p, this.at + 2);
    o.s += `\n\t  ${groups} group(s)`;
    if (!ack) o.s += `, holdtime: ${hold === 0xffff ? "infinite" : relativeTime(hold)}`;
    this.skip(4);
    for (let i = 1; i <= groups; i++) {
      o.s += `\n\t    group #${i}: `;
      this.addr(Kind.Group);
      this.need(4);
      const joined = u16(p, this.at), pruned = u16(p, this.at + 2);
      o.s += `, joined sources: ${joined}, pruned sources: ${pruned}`;
      this.skip(4);
      for (let j = 1; j <= joined; j++) {
        o.s += `\n\t      joined source #${j}: `;
        this.addr(Kind.Source);
      }
      for (let j = 1; j <= pruned; j++) {
        o.s += `\n\t      pruned source #${j}: `;
        this.addr(Kind.Source);
      }
    }
  }

  bootstrap(): void {
    const { o, p } = this;
    if (this.len < 2) throw new Trunc();
    o.s += ` tag=${u16(p, this.at).toString(16)}`;
    this.skip(2);
    if (this.len < 1) throw new Trunc();
    o.s += ` hashmlen=${u8(p, this.at)}`;
    if (this.len < 2) throw new Trunc();
    // tcpdump checks for the byte after the priority before printing it.
    if (this.at + 2 >= p.length) throw new Trunc();
    o.s += ` BSRprio=${p[this.at + 1]}`;
    this.skip(2);
    o.s += " BSR=";
    this.addr(Kind.Unicast);
    for (let i = 0; this.len > 0; i++) {
      o.s += ` (group${i}: `;
      this.addr(Kind.Group);
      if (this.len < 1) throw new Trunc();
      o.s += ` RPcnt=${u8(p, this.at)}`;
      if (this.len < 2) throw new Trunc();
      const fragRps = u8(p, this.at + 1);
      o.s += ` FRPcnt=${fragRps}`;
      if (this.len < 4) throw new Trunc();
      this.skip(4);
      for (let j = 0; j < fragRps && this.len > 0; j++) {
        o.s += ` RP${j}=`;
        this.addr(Kind.Unicast);
        if (this.len < 2) throw new Trunc();
        o.s += ",holdtime=";
        o.s += relativeTime(u16(p, this.at));
        if (this.len < 3) throw new Trunc();
        o.s += `,prio=${u8(p, this.at + 2)}`;
        if (this.len < 4) throw new Trunc();
        this.skip(4);
      }
      o.s += ")";
    }
  }

  candidateRp(): void {
    const { o, p } = this;
    if (this.len < 1) throw new Trunc();
    const prefixes = u8(p, this.at);
    o.s += ` prefix-cnt=${prefixes}`;
    if (this.len < 2) throw new Trunc();
    o.s += ` prio=${u8(p, this.at + 1)}`;
    if (this.len < 4) throw new Trunc();
    o.s += " holdtime=";
    o.s += relativeTime(u16(p, this.at + 2));
    this.skip(4);
    o.s += " RP=";
    this.addr(Kind.Unicast);
    for (let i = 0; i < prefixes && this.len > 0; i++) {
      o.s += ` Group${i}=`;
      this.addr(Kind.Group);
    }
  }

  /** RFC 5015's DF Election; tcpdump reads its metrics with no length check (a long jump when cut). */
  dfElection(subtype: number): void {
    const { o } = this;
    o.s += `\n\t  ${DF_SUBTYPES[subtype] ?? "Unknown"}, rpa=`;
    this.addr(Kind.Unicast);
    o.s += ` sender pref=${this.u32(0)}`;
    o.s += ` sender metric=${this.u32(4)}`;
    this.skip(8);
    if (subtype !== 3 && subtype !== 4) return;
    const who = subtype === 3 ? "offer" : "new winner";
    o.s += `\n\t  ${who} addr=`;
    this.addr(Kind.Unicast);
    o.s += ` ${who} pref=${this.u32(0)}`;
    o.s += ` ${who} metric=${this.u32(4)}`;
    this.skip(8);
    if (subtype === 3) o.s += ` interval ${u16(this.p, this.at)}ms`;
  }
}

/** tcpdump's print_unknown_data with the indent `\n\t    `: 16 bytes a line in 2-byte groups. */
function dump(b: Uint8Array): string {
  let s = "";
  for (let off = 0; off < b.length; off += 16) {
    s += `\n\t    0x${hex(off, 4)}: `;
    for (let i = off; i < Math.min(off + 16, b.length); i += 2) {
      s += " " + hex(b[i], 2) + (i + 1 < b.length ? hex(b[i + 1], 2) : "");
    }
  }
  return s;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
