/**
 * Private: DNS as tcpdump 4.99 prints it (print-domain.c's domain_print, ns_qprint, ns_rprint, fqdn_print),
 * over UDP (port 53, and multicast DNS on 5353) and TCP (port 53, after the 2-byte length of RFC 1035
 * section 4.2.2). The printer walks the raw message the way tcpdump does, so a malformed or cut message
 * prints what tcpdump prints for it.
 *
 * A query is `ID[op][+][%] [b2&3=0x..] [Na] [Nq] [Nn] [Nau] TYPE[ CLASS]? name` for each question; a
 * response is `ID[op][rcode][*][-][|][$] [Nq] AN/NS/AR` and its answers; then ` (LENGTH)`:
 *
 * ```text
 * 4660+ A? example.com. (29)
 * 4660* 2/0/0 A 93.184.216.34, A 93.184.216.35 (83)                         (default)
 * 4660* 1/0/0 example.com. SOA ns.example.com. admin.example.com. 1 2 3 4 5 (107)   (-v: owner, SOA)
 * 4660* q: NS? example.com. 2/0/1 example.com. NS ns1.example.com., ... ar: . OPT UDPsize=4096 DO (140)
 * 7+ [1au] A? example.com. ar: . OPT UDPsize=4096 DO [COOKIE 0101010101010101] (52)     (-vv)
 * 4660* q: A? example.com. 1/0/0 example.com. [5m] A 1.2.3.4 (45)               (-vvv: time to live)
 * 0*- [0q] 1/0/0 x.local. (Cache flush) A 10.0.0.9 (37)                        (mDNS at -v)
 * 0 [2q] PTR (QU)? _http._tcp.local. A (QM)? x.local. (53)                      (mDNS questions)
 * ```
 *
 * Rdata printed: A, AAAA, A6, NS/CNAME/PTR/DNAME (a name), MX, TXT, SRV, URI, UNSPECA, SOA and TSIG (with
 * `-v`), OPT (UDP size, DO, every EDNS option tcpdump names: ECS, NSID, COOKIE, KEEPALIVE, EXPIRE, PADDING,
 * KEY-TAG, DAU/DHU/N3U, CHAIN, the rest as hex); every other type is its name alone. Names print with
 * bit-string labels (`\[x../N]`), `<ELT N>`, `<BAD LABEL TYPE>`, `<BAD PTR>` (a pointer that does not move
 * back) and `<DOMAIN NAME TOO LONG>`. The extended rcode of an OPT record joins the header's (`BadVers`).
 *
 * tcpdump's two ways of stopping are kept apart: its own checks end the text with ` [|domain]`; a read past
 * the captured bytes (a bit-string label, A6, URI, the TCP length) is its long jump (`jump`).
 *
 * @module
 */
import { Cut, type Printed, relativeTime, textChar } from "./_text.ts";
import { DNS_OPCODES, DNS_RCODES, dnsClassText } from "./_dns_names.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { dnsTypeText } from "./dns.ts";

/** Where the message came from, and the options. */
export interface DnsTextContext {
  /** Port 5353: multicast DNS (QU/QM questions, cache-flush records). */
  mdns: boolean;
  /** Over TCP: the message follows a 2-byte length. */
  overTcp: boolean;
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
}

const EDNS_OPTIONS: Record<number, string> = {
  1: "LLQ",
  2: "UL",
  3: "NSID",
  5: "DAU",
  6: "DHU",
  7: "N3U",
  8: "ECS",
  9: "EXPIRE",
  10: "COOKIE",
  11: "KEEPALIVE",
  12: "PADDING",
  13: "CHAIN",
  14: "KEY-TAG",
  16: "CLIENT-TAG",
  17: "SERVER-TAG",
};
/** DNSSEC algorithms (DAU); tcpdump names algorithm 3 (DSA) "DS". */
const DAU: Record<number, string> = {
  0: "DELETE",
  1: "RSAMD5",
  2: "DH",
  3: "DS",
  5: "RSASHA1",
  6: "DSA-NSEC3-SHA1",
  7: "RSASHA1-NSEC3-SHA1",
  8: "RSASHA256",
  10: "RSASHA512",
  12: "ECC-GOST",
  13: "ECDSAP256SHA256",
  14: "ECDSAP384SHA384",
  15: "ED25519",
  16: "ED448",
  252: "INDIRECT",
  253: "PRIVATEDNS",
  254: "PRIVATEOID",
};
/** DS hash algorithms (DHU). */
const DHU: Record<number, string> = { 1: "SHA-1", 2: "SHA-256", 3: "GOST_R_34.11-94", 4: "SHA-384" };
/** NSEC3 hash algorithms (N3U). */
const N3U: Record<number, string> = { 1: "SHA-1" };

const T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15, T_TXT = 16, T_AAAA = 28, T_SRV = 33;
const T_A6 = 38, T_DNAME = 39, T_OPT = 41, T_UNSPECA = 104, T_TSIG = 250, T_URI = 256;
/** tcpdump's MAXCDNAME: the characters of a name it prints. */
const MAX_NAME = 255;

const typeName = (t: number) => t === T_UNSPECA ? "UNSPECA" : dnsTypeText(t);
const hex2 = (b: number) => b.toString(16).padStart(2, "0");

/** Thrown for tcpdump's `goto trunc`: its own check failed (no long jump). */
class Trunc {}

/**
 * The walk over one message. Offsets index `p`, whose end is tcpdump's snapend; a name's pointers count
 * from `bp` (the message's first byte, or for an EDNS CHAIN option, the option's end, as tcpdump has it).
 * A `null` offset is tcpdump's NULL pointer.
 */
class Walk {
  s = "";
  readonly end: number;
  constructor(readonly p: Uint8Array, readonly v: number, readonly mdns: boolean) {
    this.end = p.length;
  }

  /** ND_TTEST_LEN. */
  has(at: number, n: number): boolean {
    return at >= 0 && n >= 0 && at + n <= this.end;
  }
  /** GET_U_1: a byte, or the long jump. */
  u8(at: number): number {
    if (!this.has(at, 1)) throw new Cut();
    return this.p[at];
  }
  u16(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }
  u32(at: number): number {
    return this.u16(at) * 65536 + this.u16(at + 2);
  }

  /** nd_printn: up to `n` bytes as text, stopping at the captured end; true when it stopped short. */
  printn(at: number, n: number): boolean {
    for (; n > 0 && at < this.end; n--, at++) this.s += textChar(this.p[at]);
    return n !== 0;
  }

  /** ns_nskip: the offset after a name, not following pointers; null when it cannot tell. */
  skip(cp: number): number | null {
    if (!this.has(cp, 1)) return null;
    let i = this.p[cp++];
    while (i) {
      switch (i & 0xc0) {
        case 0xc0:
          return cp + 1;
        case 0x40: {
          if ((i & 0x3f) !== 1) return null;
          if (!this.has(cp, 1)) return null;
          const bits = this.p[cp++] || 256;
          cp += (bits + 7) >> 3;
          break;
        }
        case 0x80:
          return null;
        default:
          cp += i;
      }
      if (!this.has(cp, 1)) return null;
      i = this.p[cp++];
    }
    return cp;
  }

  /** labellen: the bytes after a label's first byte (a pointer's: the byte itself); -1 after printing why. */
  labelLen(cp: number): number {
    if (!this.has(cp, 1)) return -1;
    const i = this.p[cp];
    switch (i & 0xc0) {
      case 0x40: {
        const elt = i & 0x3f;
        if (elt !== 1) {
          this.s += `<ELT ${elt}>`;
          return -1;
        }
        if (!this.has(cp + 1, 1)) return -1;
        return (((this.p[cp + 1] || 256) + 7) >> 3) + 1;
      }
      case 0x80:
        this.s += "<BAD LABEL TYPE>";
        return -1;
      default:
        return i;
    }
  }

  /** blabel_print: a bit-string label from its length byte, `\[xHEX/BITS]`; its reads may jump. */
  bitLabel(cp: number): void {
    const bits = this.u8(cp) || 256;
    const lim = cp + 1 + ((bits + 3) >> 2);
    this.s += "\\[x";
    let at = cp + 1, b = bits;
    for (; at < lim && b > 7; b -= 8, at++) this.s += hex2(this.u8(at));
    if (b > 4) this.s += hex2(this.u8(at) & (0xff << (8 - b)) & 0xff);
    else if (b > 0) this.s += (((this.u8(at) >> 4) & 0x0f) & (0x0f << (4 - b))).toString(16);
    this.s += `/${bits}]`;
  }

  /** fqdn_print: prints the name at `cp`; the offset after it in place (null: stopped, what was printed stays). */
  name(cp: number, bp: number): number | null {
    let l = this.labelLen(cp);
    if (l < 0 || !this.has(cp, 1)) return null;
    let maxOffset = (cp - bp) >>> 0;
    let i = this.p[cp++];
    let rp = -1, compress = false, chars = 0;
    if ((i & 0xc0) !== 0xc0) rp = cp + l;
    if (i === 0) {
      this.s += ".";
      return rp;
    }
    while (i && cp < this.end) {
      switch (i & 0xc0) {
        case 0xc0: {
          if (!compress) {
            rp = cp + 1;
            compress = true;
          }
          if (!this.has(cp, 1)) return null;
          const offset = ((i << 8) | this.p[cp]) & 0x3fff;
          // A pointer must move back: this ends loops.
          if (offset >= maxOffset) {
            this.s += "<BAD PTR>";
            return null;
          }
          maxOffset = offset;
          cp = bp + offset;
          if (!this.has(cp, 1)) return null;
          i = this.p[cp];
          l = this.labelLen(cp);
          if (l < 0) return null;
          cp++;
          continue;
        }
        case 0x40:
          if (!this.has(cp, 1)) return null;
          this.bitLabel(cp);
          break;
        case 0x80:
          this.s += "<BAD LABEL TYPE>";
          return null;
        default:
          if (chars + l <= MAX_NAME) {
            if (this.printn(cp, l)) return null;
          } else if (chars < MAX_NAME && this.printn(cp, MAX_NAME - chars)) return null;
          chars += l;
      }
      cp += l;
      if (chars <= MAX_NAME) this.s += ".";
      chars++;
      if (!this.has(cp, 1)) return null;
      i = this.p[cp];
      l = this.labelLen(cp);
      if (l < 0) return null;
      cp++;
      if (!compress) rp += l + 1;
    }
    if (chars > MAX_NAME) this.s += "<DOMAIN NAME TOO LONG>";
    return rp < 0 ? null : rp;
  }

  /** ns_cprint: a character-string (length byte, then text); null when cut. */
  charString(cp: number): number | null {
    if (!this.has(cp, 1)) return null;
    const n = this.p[cp];
    return this.printn(cp + 1, n) ? null : cp + 1 + n;
  }

  /** ns_qprint: ` TYPE[ CLASS][ (QU)|(QM)]? name`; the offset after the question, or null. */
  question(cp: number, bp: number): number | null {
    const np = cp;
    const at = this.skip(cp);
    if (at === null || !this.has(at, 4)) return null;
    this.s += ` ${typeName(this.u16(at))}`;
    const i = this.u16(at + 2);
    const cls = this.mdns ? i & 0x7fff : i;
    if (cls !== 1) this.s += ` ${dnsClassText(cls)}`;
    if (this.mdns) this.s += i & 0x8000 ? " (QU)" : " (QM)";
    this.s += "? ";
    const rp = this.name(np, bp);
    return rp === null ? null : rp + 4;
  }

  /** ns_rprint: one resource record; the offset after it (the captured end when its header was cut), or null. */
  record(cp: number, bp: number): number | null {
    let at: number | null;
    if (this.v) {
      this.s += " ";
      at = this.name(cp, bp);
      if (at === null) return null;
    } else at = this.skip(cp);
    if (at === null || !this.has(at, 10)) return this.end;
    cp = at;
    const typ = this.u16(cp);
    const i = this.u16(cp + 2);
    const cls = this.mdns ? i & 0x7fff : i;
    if (cls !== 1 && typ !== T_OPT) this.s += ` ${dnsClassText(cls)}`;
    if (this.mdns && (i & 0x8000)) this.s += " (Cache flush)";
    const optFlags = this.u16(cp + 6);
    if (typ !== T_OPT && this.v > 2) this.s += ` [${relativeTime(this.u32(cp + 4))}]`;
    const len = this.u16(cp + 8);
    cp += 10;
    const rp = cp + len;
    this.s += ` ${typeName(typ)}`;
    if (rp > this.end) return null;
    switch (typ) {
      case T_A:
        if (!this.has(cp, 4)) return null;
        this.s += ` ${formatIpv4Address(this.p, cp)}`;
        break;
      case T_NS:
      case T_CNAME:
      case T_PTR:
      case T_DNAME:
        this.s += " ";
        if (this.name(cp, bp) === null) return null;
        break;
      case T_SOA: {
        if (!this.v) break;
        this.s += " ";
        let n = this.name(cp, bp);
        if (n === null) return null;
        this.s += " ";
        n = this.name(n, bp);
        if (n === null || !this.has(n, 20)) return null;
        for (let k = 0; k < 5; k++) this.s += ` ${this.u32(n + 4 * k)}`;
        break;
      }
      case T_MX:
        this.s += " ";
        if (!this.has(cp, 2) || this.name(cp + 2, bp) === null) return null;
        this.s += ` ${this.u16(cp)}`;
        break;
      case T_TXT:
        while (cp < rp) {
          this.s += ' "';
          const n = this.charString(cp);
          if (n === null) return null;
          cp = n;
          this.s += '"';
        }
        break;
      case T_SRV:
        this.s += " ";
        if (!this.has(cp, 6) || this.name(cp + 6, bp) === null) return null;
        this.s += `:${this.u16(cp + 4)} ${this.u16(cp)} ${this.u16(cp + 2)}`;
        break;
      case T_AAAA:
        if (!this.has(cp, 16)) return null;
        this.s += ` ${formatIpv6Address(this.p, cp)}`;
        break;
      case T_A6:
        if (!this.a6(cp, bp)) return null;
        break;
      case T_URI:
        if (!this.has(cp, len)) return null;
        this.s += ` ${this.u16(cp)} ${this.u16(cp + 2)} `;
        // tcpdump's `len - 4` goes negative for a short record: the text runs to the captured end.
        if (this.printn(cp + 4, len >= 4 ? len - 4 : Infinity)) return null;
        break;
      case T_OPT:
        this.s += ` UDPsize=${cls}`;
        if (optFlags & 0x8000) this.s += " DO";
        if (cp < rp) {
          this.s += " [";
          while (cp < rp) {
            const n = this.ednsOption(cp);
            if (n === null) return null;
            cp = n;
            if (cp < rp) this.s += ",";
          }
          this.s += "]";
        }
        break;
      case T_UNSPECA:
        // One string, right after the type.
        if (!this.has(cp, len) || this.printn(cp, len)) return null;
        break;
      case T_TSIG:
        if (!this.v) break;
        if (!this.tsig(cp, bp)) return null;
        break;
    }
    return rp;
  }

  /** An A6 record: prefix length, address suffix, prefix name; false when cut by a check. */
  a6(cp: number, bp: number): boolean {
    if (!this.has(cp, 1)) return false;
    const pbit = this.p[cp];
    const pbyte = pbit >> 3;
    if (pbit > 128) {
      this.s += ` ${pbit}(bad plen)`;
      return true;
    }
    if (pbit < 128) {
      const a = new Uint8Array(16);
      for (let k = pbyte; k < 16; k++) this.u8(cp + 1 + k - pbyte);
      a.set(this.p.subarray(cp + 1, cp + 1 + 16 - pbyte), pbyte);
      this.s += ` ${pbit} ${formatIpv6Address(a)}`;
    }
    if (pbit > 0) {
      this.s += " ";
      if (this.name(cp + 1 + 16 - pbyte, bp) === null) return false;
    }
    return true;
  }

  /** A TSIG record (`-v`): algorithm name, fudge, MAC length, original id, error, other length. */
  tsig(cp: number, bp: number): boolean {
    this.s += " ";
    const n = this.name(cp, bp);
    if (n === null) return false;
    cp = n + 6;
    if (!this.has(cp, 2)) return false;
    this.s += ` fudge=${this.u16(cp)}`;
    cp += 2;
    if (!this.has(cp, 2)) return false;
    this.s += ` maclen=${this.u16(cp)}`;
    cp += 2 + this.u16(cp);
    for (const label of ["origid", "error", "otherlen"]) {
      if (!this.has(cp, 2)) return false;
      this.s += ` ${label}=${this.u16(cp)}`;
      cp += 2;
    }
    return true;
  }

  /** eopt_print: one EDNS option, `NAME DATA`; the offset after it, or null. */
  ednsOption(cp: number): number | null {
    if (!this.has(cp, 2)) return null;
    const opt = this.u16(cp);
    cp += 2;
    this.s += EDNS_OPTIONS[opt] ?? `Opt${opt}`;
    if (!this.has(cp, 2)) return null;
    const n = this.u16(cp);
    cp += 2;
    if (!this.has(cp, n)) return null;
    if (n === 0) return cp;
    this.s += " ";
    const bad = () => this.s += " (invalid)";
    const list = (names: Record<number, string>) => {
      const out: string[] = [];
      for (let k = 0; k < n; k++) out.push(names[this.p[cp + k]] ?? `Alg_${this.p[cp + k]}`);
      this.s += out.join(" ");
    };
    switch (opt) {
      case 8:
        this.clientSubnet(cp, n);
        break;
      case 10:
        if (n < 8 || (n > 8 && n < 16) || n > 40) bad();
        else {
          for (let k = 0; k < n; k++) this.s += (k === 8 ? " " : "") + hex2(this.p[cp + k]);
        }
        break;
      case 11: {
        // In units of 100 ms.
        const t = n === 2 ? this.u16(cp) : 0;
        if (n !== 2) bad();
        else this.s += `${Math.floor(t / 10)}.${t % 10} sec`;
        break;
      }
      case 9:
        if (n !== 4) bad();
        else this.s += `${this.u32(cp)} sec`;
        break;
      case 12:
        this.s += `(${n})`;
        break;
      case 14:
        if (n % 2) bad();
        else {
          const tags: number[] = [];
          for (let k = 0; k < n; k += 2) tags.push(this.u16(cp + k));
          this.s += tags.join(" ");
        }
        break;
      case 5:
        list(DAU);
        break;
      case 6:
        list(DHU);
        break;
      case 7:
        list(N3U);
        break;
      case 13:
        // The name's pointers count from the option's end; what it returns is ignored.
        this.name(cp, cp + n);
        break;
      default:
        for (let k = 0; k < n; k++) this.s += hex2(this.p[cp + k]);
    }
    return cp + n;
  }

  /** The client subnet option (RFC 7871): `ADDRESS/SOURCE/SCOPE`. */
  clientSubnet(cp: number, n: number): void {
    if (n < 4) {
      this.s += " (invalid)";
      return;
    }
    const family = this.u16(cp), src = this.p[cp + 2], scope = this.p[cp + 3];
    const bits = family === 1 ? 32 : family === 2 ? 128 : 0;
    if (!bits || n - 4 > bits / 8 || src > bits || scope > bits || ((src + 7) >> 3) !== n - 4) {
      this.s += " (invalid)";
      return;
    }
    const a = new Uint8Array(16);
    a.set(this.p.subarray(cp + 4, cp + n));
    this.s += `${bits === 32 ? formatIpv4Address(a) : formatIpv6Address(a)}/${src}/${scope}`;
  }

  /**
   * A section of `count` records from `cp`, with `tag` before the first; the offset after it. tcpdump checks
   * that bytes are left before the first record of the authority and additional sections (`checked`), not
   * before the first answer.
   */
  section(cp: number, bp: number, count: number, tag: string, checked = true): number {
    if (count && (!checked || cp < this.end)) {
      this.s += tag;
      for (let k = 0; k < count; k++) {
        if (k > 0) {
          if (cp >= this.end) throw new Trunc();
          this.s += ",";
        }
        const n = this.record(cp, bp);
        if (n === null) throw new Trunc();
        cp = n;
      }
    } else if (count) throw new Trunc();
    return cp;
  }

  /** domain_print's header check and body; `bp` is where the message starts. */
  message(bp: number, length: number): void {
    if (length < 12) {
      this.s += `domain [length ${length} < 12] (invalid)`;
      return;
    }
    if (!this.has(bp, 12)) throw new Trunc();
    const flags = this.u16(bp + 2);
    const qd = this.u16(bp + 4), an = this.u16(bp + 6), ns = this.u16(bp + 8), ar = this.u16(bp + 10);
    const op = DNS_OPCODES[(flags >> 11) & 0xf];
    const id = this.u16(bp);
    let cp = bp + 12;
    if (flags & 0x8000) {
      const rcode = this.rcode(bp, flags, qd, an + ns, ar);
      this.s += `${id}${op}${rcode < DNS_RCODES.length ? DNS_RCODES[rcode] : ` Resp${rcode & 0xfff}`}` +
        `${flags & 0x400 ? "*" : ""}${flags & 0x80 ? "" : "-"}${flags & 0x200 ? "|" : ""}${
          flags & 0x20 ? "$" : ""
        }`;
      if (qd !== 1) this.s += ` [${qd}q]`;
      for (let k = 0; k < qd; k++) {
        if (k) this.s += ",";
        let n: number | null;
        if (this.v > 1) {
          this.s += " q:";
          n = this.question(cp, bp);
        } else {
          n = this.skip(cp);
          if (n !== null) n += 4;
        }
        if (n === null) throw new Trunc();
        cp = n;
      }
      this.s += ` ${an}/${ns}/${ar}`;
      cp = this.section(cp, bp, an, "", false);
    } else {
      this.s += `${id}${op}${flags & 0x100 ? "+" : ""}${flags & 0x10 ? "%" : ""}`;
      if (flags & 0x6cf) this.s += ` [b2&3=0x${flags.toString(16)}]`;
      if (((flags >> 11) & 0xf) === 1) {
        if (qd) this.s += ` [${qd}q]`;
        if (an !== 1) this.s += ` [${an}a]`;
      } else {
        if (an) this.s += ` [${an}a]`;
        if (qd !== 1) this.s += ` [${qd}q]`;
      }
      if (ns) this.s += ` [${ns}n]`;
      if (ar) this.s += ` [${ar}au]`;
      for (let k = 0; k < qd; k++) {
        if (k > 0 && cp >= this.end) throw new Trunc();
        const n = this.question(cp, bp);
        if (n === null) throw new Trunc();
        cp = n;
      }
      // -vv: the answers of a query, right after its questions.
      if (this.v > 1) cp = this.section(cp, bp, an, "", false);
    }
    if (this.v > 1) {
      cp = this.section(cp, bp, ns, " ns:");
      this.section(cp, bp, ar, " ar:");
    }
    this.s += ` (${length})`;
  }

  /** The response code: the header's four bits, and the OPT record's eight above them when tcpdump finds it. */
  rcode(bp: number, flags: number, qd: number, anNs: number, ar: number): number {
    const rcode = flags & 0xf;
    let cp: number | null = bp + 12;
    for (let k = 0; k < qd; k++) {
      if ((cp = this.skip(cp)) === null) return rcode;
      cp += 4;
      if (cp >= this.end) return rcode;
    }
    for (let k = 0; k < anNs; k++) {
      if ((cp = this.skip(cp)) === null) return rcode;
      cp += 8;
      if (cp + 2 > this.end) return rcode;
      cp += 2 + this.u16(cp);
      if (cp >= this.end) return rcode;
    }
    for (let k = 0; k < ar; k++) {
      if ((cp = this.skip(cp)) === null || cp + 2 > this.end) return rcode;
      const type = this.u16(cp);
      cp += 4;
      if (cp + 1 > this.end) return rcode;
      if (type === T_OPT) return rcode | (this.p[cp] << 4);
      cp += 4;
      if (cp + 2 > this.end) return rcode;
      cp += 2 + this.u16(cp);
      if (cp >= this.end) return rcode;
    }
    return rcode;
  }
}

/**
 * tcpdump's text for a DNS message: what follows `src.port > dst.port: ` for UDP, and `length N` for TCP
 * (where it starts with a space).
 *
 * @param p the captured bytes from the UDP data or TCP payload on; tcpdump reads on to the IP payload's end
 *   (past a UDP length that says less), so `p` may be longer than `length`
 * @param length the payload's length on the wire (for UDP, no more than the UDP length says)
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `12345+ A? example.com. (29)`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitDns } from "./dns.ts";
 * import { dnsText } from "./_dns_text.ts";
 * const b = emitDns({ id: 12345, rd: true, question: { name: "example.com.", qtype: 1 } });
 * assert.equal(dnsText(b, b.length, { mdns: false, overTcp: false, verbosity: 0 }).text,
 *   "12345+ A? example.com. (29)");
 * assert.deepEqual(dnsText(b.subarray(0, 20), b.length, { mdns: false, overTcp: false, verbosity: 0 }),
 *   { text: "12345+ [|domain]", jump: false });
 * ```
 */
export function dnsText(p: Uint8Array, length: number, c: DnsTextContext): Printed {
  const w = new Walk(p, c.verbosity, c.mdns);
  try {
    let bp = 0;
    if (c.overTcp) {
      if (length < 2) return { text: ` [DNS over TCP: length ${length} < 2] (invalid)`, jump: false };
      length -= 2;
      const prefix = w.u16(0);
      if (prefix !== length) {
        return { text: ` [prefix length(${prefix}) != length(${length})] (invalid)`, jump: false };
      }
      w.s = " ";
      bp = 2;
    }
    w.message(bp, length);
    return { text: w.s, jump: false };
  } catch (e) {
    if (e instanceof Trunc) return { text: w.s + " [|domain]", jump: false };
    if (e instanceof Cut) return { text: w.s + " [|domain]", jump: true };
    throw e;
  }
}
