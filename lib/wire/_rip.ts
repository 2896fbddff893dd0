/**
 * Private: RIP (RFC 1058, RFC 2453, RFC 4822; UDP 520) and RIPng (RFC 2080; UDP 521) as tcpdump 4.99 prints
 * them (print-rip.c, print-ripng.c).
 *
 * ```text
 * RIP:   | command (1) | version (1) | unused (2) | entries of 20 bytes ...
 *        v1 entry: | AFI (2) | 0 (2) | address (4) | 0 (4) | 0 (4) | metric (4) |
 *        v2 entry: | AFI (2) | route tag (2) | address (4) | mask (4) | next hop (4) | metric (4) |
 *        v2 auth:  | 0xffff | type (2) | 16 bytes: a password (2), an RFC 4822 header (3) ... |
 * RIPng: | command (1) | version (1) | 0 (2) | entries: | prefix (16) | route tag (2) | length (1) | metric (1) |
 * ```
 *
 * RIP, tcpdump's text:
 * - `RIPv2, Response, length: 44`: the version, the command (`Request`, `Response`, `Trace on`, `Trace off`,
 *   `Poll`, `Poll Entry`, `unknown command (9)`) and the UDP payload length. Version 0 is a hex dump at any
 *   verbosity (`RIPv0` then `\n\t0x0000:  ...`).
 * - With `-v` the text starts on its own line (`\n\tRIPv2, ...`); requests and responses add `, routes: 1`
 *   (v1) or `, routes: 2 or less` (v2) and one line per entry: v1 `10.1.0.0, metric: 1` (`AFI 0, ...` for
 *   family 0; another family `AFI ISO, ` and a hex dump; non-zero must-be-zero fields a hex dump), v2
 *   `AFI IPv4,        10.1.0.0/16, tag 0x1234, metric: 1, next-hop: self` (the address right-aligned in 15
 *   columns, `/-1` for a mask that is no prefix), `Simple Text Authentication data: secret`, `Auth header:
 *   Packet Len 44, Key-ID 1, Auth Data Len 16, SeqNo 7, MBZ 0, MBZ 0`, `Auth trailer:` and a hex dump to the
 *   end. Another version of a request or response is `, unknown version`; `Trace on` and unknown commands
 *   get a hex dump of the datagram at `-v`, and everything gets it at `-vv`.
 * - Truncation: tcpdump counts only what was captured (and no more than the UDP length): less than the 4-byte
 *   header is ` [|rip]`; an entry that is not whole ends the entries with ` [|rip]`. Those are its own checks,
 *   not long jumps; only a simple password not ended by a NUL inside the captured bytes runs off them.
 *
 * RIPng, tcpdump's text (after a space: ` ripng-req 2: ...`):
 * - A version other than 1: ` [vers 2] (invalid)`.
 * - ` ripng-req dump` for one entry `::` with metric 16; else ` ripng-req 2: 2001:db8::/64 [5] ...` (the tag in
 *   brackets when not zero) and ` ripng-resp 3: 2001:db8::/64 [5] (1) ...` (the metric in parentheses when not
 *   zero); the count becomes `1[27]` when the length is not a whole number of entries, which also ends the
 *   text with ` (invalid)`. With `-vv` each entry is on its own line (`\n\t`).
 * - Another command: ` ripng-3 ?? 24 (invalid)`; less than the 4-byte header: ` (invalid)`.
 * - Entries are walked by the UDP length and read with checked reads: a cut packet ends in ` [|ripng]` after
 *   a long jump, as does one without its version byte.
 *
 * @module
 */
import { Cut, type Out, type Printed, textChar, u16, u32, u8 } from "./_text.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";

const RIP_CUT = " [|rip]";
const RIPNG_CUT = " [|ripng]";
const INVALID = " (invalid)";

/** The RIP header and its entries' fields, from the start of the header or of an entry. */
const R = {
  command: 0,
  version: 1,
  header: 4,
  family: 0,
  tag: 2,
  address: 4,
  mask: 8,
  nextHop: 12,
  metric: 16,
  entry: 20,
  /** RFC 4822's authentication header, after the family and type. */
  packetLen: 0,
  keyId: 2,
  authDataLen: 3,
  seqNo: 4,
  mbz1: 8,
  mbz2: 12,
  cryptoHeader: 16,
  password: 16,
} as const;

const COMMANDS: Record<number, string> = {
  1: "Request",
  2: "Response",
  3: "Trace on",
  4: "Trace off",
  5: "Poll",
  6: "Poll Entry",
};
const REQUEST = 1, RESPONSE = 2, TRACE_OFF = 4, POLL = 5, POLL_ENTRY = 6;

/** BSD AF_ values (tcpdump's bsd_af_values): the BSDs disagree on AF_INET6, so all three are named. */
const BSD_FAMILIES: Record<number, string> = {
  2: "IPv4",
  6: "NS",
  7: "ISO",
  16: "Appletalk",
  23: "IPX",
  24: "IPv6",
  28: "IPv6",
  30: "IPv6",
};
const AF_INET = 2;
const AUTH_FAMILY = 0xffff;
const AUTH_TRAILER = 1, AUTH_PASSWORD = 2, AUTH_CRYPTO = 3;

/** RIPng's header and entry fields. */
const N = {
  command: 0,
  version: 1,
  header: 4,
  prefix: 0,
  tag: 16,
  prefixLen: 18,
  metric: 19,
  entry: 20,
} as const;
const RIPNG_VERSION = 1;
const HOPCNT_INFINITY6 = 16;

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hex4 = (x: number) => x.toString(16).padStart(4, "0");

/**
 * tcpdump's text for a RIP datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ripText } from "./_rip.ts";
 * const v1 = new Uint8Array([2, 1, 0, 0, 0, 2, 0, 0, 10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
 * assert.equal(ripText(v1, 24, 0)?.text, "RIPv1, Response, length: 24");
 * assert.equal(ripText(v1, 24, 1)?.text, "\n\tRIPv1, Response, length: 24, routes: 1\n\t  10.1.0.0, metric: 1");
 * assert.deepEqual(ripText(v1.subarray(0, 3), 24, 0), { text: " [|rip]", jump: false });
 * ```
 */
export function ripText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  const o: Out = { s: "" };
  try {
    rip(o, p, length, verbosity);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + RIP_CUT, jump: true };
    throw e;
  }
}

function rip(o: Out, p: Uint8Array, length: number, verbosity: number): void {
  // What tcpdump will look at: the captured bytes, no more than the UDP length.
  let len = Math.min(p.length, length);
  if (len < R.header) {
    o.s += RIP_CUT;
    return;
  }
  len -= R.header;
  const version = p[R.version];
  o.s += `${verbosity >= 1 ? "\n\t" : ""}RIPv${version}`;
  if (version === 0) {
    // RFC 1058: version 0 is to be ignored; tcpdump dumps it, at any verbosity.
    unknownData(o, p, 0, "\n\t", length);
    return;
  }
  const cmd = p[R.command];
  o.s += `, ${COMMANDS[cmd] ?? `unknown command (${cmd})`}, length: ${length}`;
  if (verbosity < 1) return;
  switch (cmd) {
    case REQUEST:
    case RESPONSE:
      if (version === 1 || version === 2) {
        o.s += `, routes: ${Math.floor(length / R.entry)}${version === 2 ? " or less" : ""}`;
        entries(o, p, len, version === 1 ? entryV1 : entryV2);
      } else {
        o.s += ", unknown version";
      }
      break;
    case TRACE_OFF:
    case POLL:
    case POLL_ENTRY:
      break;
    default:
      // Trace on (whose file name tcpdump does not print) and unknown commands.
      if (verbosity <= 1) unknownData(o, p, 0, "\n\t", length);
  }
  if (verbosity > 1) unknownData(o, p, 0, "\n\t", length);
}

/** The entries after the header, `len` bytes of them captured and within the UDP length. */
function entries(o: Out, p: Uint8Array, len: number, entry: typeof entryV1): void {
  let at = R.header;
  while (len !== 0) {
    const size = entry(o, p, at, len);
    if (size === 0) {
      o.s += RIP_CUT;
      return;
    }
    if (len < size) {
      o.s += ` [remaining entries length ${len} < ${size}]${INVALID}`;
      return;
    }
    at += size;
    len -= size;
  }
}

/** An RFC 1058 entry: its size, or 0 when it is not whole. */
function entryV1(o: Out, p: Uint8Array, at: number, remaining: number): number {
  if (remaining < R.entry || at + R.entry > p.length) return 0;
  const family = u16(p, at + R.family);
  if (family !== AF_INET && family !== 0) {
    o.s += `\n\t AFI ${BSD_FAMILIES[family] ?? `Unknown (${family})`}, `;
    unknownData(o, p, at + R.address, "\n\t  ", R.entry - R.address);
    return R.entry;
  }
  // The must-be-zero fields: the tag's place, the mask's and the next hop's.
  if (u16(p, at + R.tag) || u32(p, at + R.mask) || u32(p, at + R.nextHop)) {
    unknownData(o, p, at, "\n\t  ", R.entry);
    return R.entry;
  }
  const dest = formatIpv4Address(p, at + R.address);
  o.s += `\n\t  ${family === 0 ? "AFI 0, " : ""}${dest}, metric: ${u32(p, at + R.metric)}`;
  return R.entry;
}

/** An RFC 2453 entry or authentication entry: its size, or 0 when it is not whole. */
function entryV2(o: Out, p: Uint8Array, at: number, remaining: number): number {
  if (remaining < R.address) return 0;
  const family = u16(p, at + R.family);
  if (family === AUTH_FAMILY) {
    const type = u16(p, at + R.tag);
    const data = at + R.address;
    remaining -= R.address;
    if (type === AUTH_PASSWORD) {
      o.s += "\n\t  Simple Text Authentication data: ";
      // Read byte by byte up to a NUL, past the captured bytes if need be (a long jump).
      for (let k = 0; k < R.password; k++) {
        const c = u8(p, data + k);
        if (c === 0) break;
        o.s += textChar(c);
      }
    } else if (type === AUTH_CRYPTO) {
      if (data + R.cryptoHeader > p.length || remaining < R.cryptoHeader) return 0;
      const packetLen = u16(p, data + R.packetLen), seq = u32(p, data + R.seqNo);
      o.s += `\n\t  Auth header: Packet Len ${packetLen}, Key-ID ${p[data + R.keyId]}`;
      o.s += `, Auth Data Len ${p[data + R.authDataLen]}, SeqNo ${seq}`;
      o.s += `, MBZ ${u32(p, data + R.mbz1)}, MBZ ${u32(p, data + R.mbz2)}`;
    } else {
      // The trailer (and an authentication tcpdump does not know) runs to the end of the datagram.
      o.s += type === AUTH_TRAILER ? "\n\t  Auth trailer:" : `\n\t  Unknown (${type}) Authentication data:`;
      unknownData(o, p, data, "\n\t  ", remaining);
      return R.address + remaining;
    }
  } else if (family !== AF_INET && family !== 0) {
    o.s += `\n\t  AFI ${BSD_FAMILIES[family] ?? `Unknown (${family})`}`;
    unknownData(o, p, at + R.address, "\n\t  ", R.entry - R.address);
  } else {
    if (at + R.entry > p.length || remaining < R.entry) return 0;
    const dest = formatIpv4Address(p, at + R.address).padStart(15);
    const plen = String(prefixLength(u32(p, at + R.mask))).padEnd(2);
    const tag = hex4(u16(p, at + R.tag)), metric = u32(p, at + R.metric);
    const hop = u32(p, at + R.nextHop) ? formatIpv4Address(p, at + R.nextHop) : "self";
    o.s += `\n\t  AFI ${BSD_FAMILIES[family] ?? family}, ${dest}/${plen}, tag 0x${tag}, metric: ${metric}`;
    o.s += `, next-hop: ${hop}`;
  }
  return R.entry;
}

/** The prefix length of a contiguous mask, or -1 (tcpdump's mask2plen). */
function prefixLength(mask: number): number {
  for (let n = 32; n >= 0; n--) {
    if ((n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0) === mask) return n;
  }
  return -1;
}

/**
 * tcpdump's print_unknown_data: a hex dump of `n` bytes from `at`, no further than the captured bytes, 16 a
 * line in 2-byte groups, each line after `indent`; false (with tcpdump's complaint) when `at` is past them.
 */
function unknownData(o: Out, p: Uint8Array, at: number, indent: string, n: number): boolean {
  if (at > p.length) {
    o.s += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
    return false;
  }
  n = Math.max(0, Math.min(n, p.length - at));
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    if (k % 16 === 0) o.s += `${indent}0x${hex4(k)}: `;
    o.s += ` ${hex2(p[at + k])}${hex2(p[at + k + 1])}`;
  }
  if (n & 1) {
    if (k % 16 === 0) o.s += `${indent}0x${hex4(k)}: `;
    o.s += ` ${hex2(p[at + k])}`;
  }
  return true;
}

/**
 * tcpdump's text for a RIPng datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ripngText } from "./_rip.ts";
 * const dump = new Uint8Array(24);
 * dump.set([1, 1], 0);
 * dump[23] = 16; // one entry, ::/0 with metric 16: the whole table
 * assert.deepEqual(ripngText(dump, 24, 0), { text: " ripng-req dump", jump: false });
 * assert.deepEqual(ripngText(dump.subarray(0, 20), 24, 0), { text: " [|ripng]", jump: true });
 * ```
 */
export function ripngText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  const o: Out = { s: "" };
  try {
    ripng(o, p, length, verbosity);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + RIPNG_CUT, jump: true };
    throw e;
  }
}

function ripng(o: Out, p: Uint8Array, length: number, verbosity: number): void {
  const version = u8(p, N.version);
  if (version !== RIPNG_VERSION) {
    o.s += ` [vers ${version}]${INVALID}`;
    return;
  }
  const cmd = u8(p, N.command);
  if (cmd !== REQUEST && cmd !== RESPONSE) {
    o.s += ` ripng-${cmd} ?? ${length}${INVALID}`;
    return;
  }
  if (length < N.header) {
    o.s += INVALID;
    return;
  }
  let left = length - N.header;
  const count = Math.floor(left / N.entry);
  // One entry for the unspecified prefix with an infinite metric asks for the whole table.
  if (cmd === REQUEST && count === 1 && u8(p, N.header + N.metric) === HOPCNT_INFINITY6) {
    let any = 0;
    for (let k = 0; k < N.tag; k++) any |= p[N.header + k];
    if (any === 0) {
      o.s += " ripng-req dump";
      return;
    }
  }
  const name = cmd === REQUEST ? "req" : "resp";
  o.s += ` ripng-${name} ${count}${count * N.entry !== left ? `[${length}]` : ""}:`;
  for (let at = N.header; left >= N.entry; left -= N.entry, at += N.entry) {
    o.s += verbosity > 1 ? "\n\t" : " ";
    // The prefix and its length are read before either is printed; the metric is read even for a request.
    u8(p, at + N.prefixLen);
    o.s += `${formatIpv6Address(p, at + N.prefix)}/${p[at + N.prefixLen]}`;
    const tag = u16(p, at + N.tag);
    if (tag) o.s += ` [${tag}]`;
    const metric = u8(p, at + N.metric);
    if (metric && cmd === RESPONSE) o.s += ` (${metric})`;
  }
  if (left !== 0) o.s += INVALID;
}
