/**
 * LISP control messages (RFC 6830/9301) on UDP port 4342, as tcpdump 4.99.3's lisp_print shows them: the
 * message type for every message, and the records of Map-Register (type 3) and Map-Notify (type 4).
 *
 * ```
 * |Type=3 |P|S|I|R|      Reserved               |M| Record Count  |   Map-Notify: |Type=4 |I|R| ...
 * |                         Nonce (8 bytes)                       |
 * |            Key ID             |  Authentication Data Length   |
 * ~                     Authentication Data                       ~
 * records: |TTL (4)|Locator Count|EID mask-len|ACT|A|Rsvd|Rsvd|Rsvd Map-Version|EID-AFI| EID (4 or 16)
 *   locators: |Priority|Weight|M Priority|M Weight|Unused Flags L p R|Loc-AFI| Locator (4 or 16)
 * xTR-ID (16 bytes) and Site-ID (8 bytes) when the I bit is set
 * ```
 *
 * tcpdump's text (after `src.sport > dst.dport: `):
 *
 * - `LISP-Map-Request,` and the like: the type alone for every type but 3 and 4 (`unknown-type-9,`).
 * - `LISP-Map-Register, 1 record(s),` then per record `\n EID 10.1.0.0/16, 1 locator(s)` and per locator
 *   ` LOC 192.0.2.1`; IPv6 EIDs and locators alike. An EID of another AFI (LCAF) ends the text there; a
 *   locator of another AFI prints nothing and takes no bytes.
 * - `-v`: the header's flags (`flags [P-Proxy-Map-Reply, M-Want-Map-Notify],`), the key id as
 *   `Authentication SHA1,`, the authentication data as hex lines, per record `Record TTL 1440,
 *   Authoritative, No-Action, Map Version: 0,`, per locator its priorities and flags. `-vv` adds nothing.
 * - After the records: the xTR-ID in hex and the Site-ID when the I bit is set (` (invalid)` when the 24
 *   bytes are not captured), else any bytes left as `Data:` hex lines.
 * - A record count of 0 is ` (invalid)`. A header, record or locator not captured whole is ` [|lisp]`
 *   (tcpdump's check); an EID cut short, or authentication data or an xTR-ID beyond the capture, is a long
 *   jump (` [|lisp]` too, after what was captured of the hex).
 *
 * tcpdump keeps the offset in 16 bits: authentication data of nearly 64 KiB wraps it (kept here).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { Cut, type Out, type Printed, u16, u8 } from "./_text.ts";

/** Offsets in the fixed header; the authentication data follows it. */
const HDR = { typeFlags: 0, recordCount: 3, keyId: 12, authLen: 14 } as const;
const HDR_LEN = 16;
/** Offsets in an EID record's fixed part; the EID prefix follows it. */
const REC = { ttl: 0, locatorCount: 4, maskLen: 5, actAuth: 6, version: 8, afi: 10 } as const;
const REC_LEN = 12;
/** Offsets in a locator's fixed part; the locator address follows it. */
const LOC = { priority: 0, weight: 1, mPriority: 2, mWeight: 3, flags: 4, afi: 6 } as const;
const LOC_LEN = 8;
const XTR_LEN = 24;

const MAP_REGISTER = 3, MAP_NOTIFY = 4;
const AFI_IPV4 = 1, AFI_IPV6 = 2;

const TYPES: Record<number, string> = {
  0: "LISP-Reserved",
  1: "LISP-Map-Request",
  2: "LISP-Map-Reply",
  3: "LISP-Map-Register",
  4: "LISP-Map-Notify",
  8: "LISP-Encapsulated-Contol-Message",
};
const REGISTER_FLAGS: [number, string][] = [
  [0x08000000, "P-Proxy-Map-Reply"],
  [0x04000000, "S-LISP-SEC-Capable"],
  [0x02000000, "I-xTR-ID-Present"],
  [0x01000000, "R-Build-For-RTR"],
  [0x00000100, "M-Want-Map-Notify"],
];
const NOTIFY_FLAGS: [number, string][] = [[0x08000000, "I-xTR-ID-Present"], [0x04000000, "R-Build-For-RTR"]];
const LOCATOR_FLAGS: [number, string][] = [[0x4, "Local-Locator"], [0x2, "RLoc-Probed"], [0x1, "Reachable"]];
const AUTH: Record<number, string> = { 0: "None", 1: "SHA1", 2: "SHA256" };
const ACTIONS = ["No-Action", "Natively-Forward", "Send-Map-Request", "Drop"];

/** tcpdump's bittok2str: the names of the bits set, comma-separated, or `none`. */
function bitNames(table: [number, string][], value: number): string {
  const names = table.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
  return names.length ? names.join(", ") : "none";
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** tcpdump's hex_print: `ident0x0000: ` then ` abcd` per 2 bytes, 16 a line; past the capture, a jump. */
function hexPrint(out: Out, p: Uint8Array, ident: string, at: number, len: number): void {
  const n = Math.min(len, Math.max(0, p.length - at));
  let i = 0;
  for (; i + 1 < n; i += 2) {
    if (i % 16 === 0) out.s += `${ident}0x${i.toString(16).padStart(4, "0")}: `;
    out.s += ` ${hex2(p[at + i])}${hex2(p[at + i + 1])}`;
  }
  if (n & 1) {
    if (i % 16 === 0) out.s += `${ident}0x${i.toString(16).padStart(4, "0")}: `;
    out.s += ` ${hex2(p[at + i])}`;
  }
  if (len > n) throw new Cut();
}

/** The address at `at`: 4 or 16 bytes, or a {@link Cut}. */
function address(p: Uint8Array, at: number, size: 4 | 16): string {
  u8(p, at + size - 1);
  return size === 4 ? formatIpv4Address(p, at) : formatIpv6Address(p, at);
}

/** Thrown for tcpdump's own truncation check (` [|lisp]` without a long jump). */
class Short {}

/**
 * LISP control: the text after `src.sport > dst.dport: `.
 *
 * @param data the datagram's captured data (bounded by the IP payload end)
 * @param length the data length tcpdump uses (the UDP length less 8, at most what the IP header leaves)
 * @param verbosity how many `-v` were given (0 for none)
 * @returns the text, or null to keep the caller's plain `UDP, length N`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lispText } from "./_lisp.ts";
 *
 * const request = new Uint8Array(24);
 * request[0] = 0x10;
 * assert.deepEqual(lispText(request, 24, 0), { text: "LISP-Map-Request,", jump: false });
 * ```
 */
export function lispText(data: Uint8Array, length: number, verbosity: number): Printed | null {
  const out: Out = { s: "" };
  try {
    message(data, length, verbosity, out);
    return { text: out.s, jump: false };
  } catch (e) {
    if (e instanceof Short) return { text: out.s + " [|lisp]", jump: false };
    if (e instanceof Cut) return { text: out.s + " [|lisp]", jump: true };
    throw e;
  }
}

/** The message into `out`; {@link Short} for tcpdump's checks, {@link Cut} for its long jumps. */
function message(p: Uint8Array, length: number, v: number, out: Out): void {
  const need = (at: number, n: number) => {
    if (at + n > p.length) throw new Short();
  };
  need(0, HDR_LEN);
  const first = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
  const type = p[HDR.typeFlags] >> 4;
  out.s += `${TYPES[type] ?? `unknown-type-${type}`},`;
  if (type !== MAP_REGISTER && type !== MAP_NOTIFY) return;
  if (v) out.s += ` flags [${bitNames(type === MAP_REGISTER ? REGISTER_FLAGS : NOTIFY_FLAGS, first)}],`;
  // The I bit: 0x02 of the first byte in a Map-Register, 0x08 in a Map-Notify.
  const xtr = (p[HDR.typeFlags] & (type === MAP_REGISTER ? 0x02 : 0x08)) !== 0;
  const authLen = u16(p, HDR.authLen);
  let records = p[HDR.recordCount];
  if (v) {
    out.s += `\n    ${records} record(s), Authentication ${AUTH[u16(p, HDR.keyId)] ?? "unknown-type"},`;
    hexPrint(out, p, "\n    Authentication-Data: ", HDR_LEN, authLen);
  } else out.s += ` ${records} record(s),`;
  // tcpdump's offset is 16 bits wide.
  let off = (HDR_LEN + authLen) & 0xffff;
  if (records === 0) {
    out.s += " (invalid)";
    return;
  }
  while (length > off && records-- > 0) {
    need(off, REC_LEN);
    out.s += "\n";
    const rec = off;
    off = (off + REC_LEN) & 0xffff;
    const afi = u16(p, rec + REC.afi);
    let locators = p[rec + REC.locatorCount];
    if (v) {
      const ttl = ((u16(p, rec + REC.ttl) << 16) | u16(p, rec + REC.ttl + 2)) >>> 0;
      const act = p[rec + REC.actAuth];
      out.s += `      Record TTL ${ttl},${act & 0x10 ? " Authoritative," : " Non-Authoritative,"}`;
      out.s += ` ${ACTIONS[act >> 5] ?? "unknown"}, Map Version: ${u16(p, rec + REC.version) & 0x0fff},`;
    }
    if (afi !== AFI_IPV4 && afi !== AFI_IPV6) return; // LCAF and the rest: tcpdump stops silently
    const size = afi === AFI_IPV4 ? 4 : 16;
    out.s += ` EID ${address(p, off, size)}/${p[rec + REC.maskLen]},`;
    off = (off + size) & 0xffff;
    out.s += ` ${locators} locator(s)`;
    while (locators-- > 0) {
      need(off, LOC_LEN);
      const loc = off;
      off = (off + LOC_LEN) & 0xffff;
      const locAfi = u16(p, loc + LOC.afi);
      if (v) out.s += "\n       ";
      if (locAfi === AFI_IPV4 || locAfi === AFI_IPV6) {
        const n = locAfi === AFI_IPV4 ? 4 : 16;
        need(off, n);
        out.s += ` LOC ${address(p, loc + LOC_LEN, n)}`;
        off = (off + n) & 0xffff;
      }
      if (v) {
        out.s += `\n          Priority/Weight ${p[loc + LOC.priority]}/${p[loc + LOC.weight]},` +
          ` Multicast Priority/Weight ${p[loc + LOC.mPriority]}/${p[loc + LOC.mWeight]},` +
          ` flags [${bitNames(LOCATOR_FLAGS, u16(p, loc + LOC.flags))}],`;
      }
    }
  }
  if (xtr) {
    if (off + XTR_LEN > p.length) {
      out.s += " (invalid)";
      return;
    }
    hexPrint(out, p, "\n    xTR-ID: ", off, 16);
    let site = 0n;
    for (let k = 16; k < XTR_LEN; k++) site = (site << 8n) | BigInt(p[off + k]);
    out.s += `\n    SITE-ID: ${site}`;
  } else if (off < p.length) {
    hexPrint(out, p, "\n    Data: ", off, p.length - off);
  }
}
