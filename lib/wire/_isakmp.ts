/**
 * Private: ISAKMP/IKE (RFC 2408/2409 IKEv1 with the RFC 2407 IPsec DOI, RFC 7296 IKEv2) over UDP ports
 * 500, 7500 and 8500, and RFC 3948 NAT traversal on port 4500, as tcpdump 4.99 prints them
 * (print-isakmp.c).
 *
 * ```text
 * initiator cookie (8) | responder cookie (8) | next payload (1) | major.minor version (4+4 bits) |
 * exchange type (1) | flags (1) | message id (4) | length (4) | payloads: next (1) | critical (1) | length (2)
 * ```
 *
 * - Default: the version's summary only. IKEv1: `isakmp: phase 1 I ident`, `isakmp: phase 2/others R
 *   oakley-quick[E]` (phase 1 when the message id is 0; I/R/? from tcpdump's initiator-cookie cache;
 *   flags `[EC]`). IKEv2: `isakmp: parent_sa ikev2_init[I]`, `isakmp: child_sa  child_sa[IR]` (sic: two
 *   spaces). Another major version prints `isakmp:` and nothing more.
 * - `-v` adds ` 1.0 msgid 00000000` after `isakmp`, then `:` and one line per payload, indented four spaces a
 *   level: `(sa: doi=ipsec situation=identity`, `(p: #1 protoid=isakmp transform=1`, `(t: #1 id=ike
 *   (type=enc value=3des)(type=lifetype value=sec)...)`, `(ke: key len=128)`, `(nonce: n len=16)`,
 *   `(n: doi=ipsec proto=isakmp type=INITIAL-CONTACT ...)`, `(v2e: len=76)`, ... and ` (len mismatch:
 *   isakmp 300/ip 296)` when the header's length is not the UDP payload's. An encrypted IKEv1 message (flag
 *   E) prints ` [encrypted hash]` instead of its payloads. `-vv` adds the cookies (`cookie
 *   0102030405060708->0000000000000000`) and some data (nonces as ` data=(first 10 bytes...last 20)`);
 *   `-vvv` dumps key exchange, hash, signature, certificate, ID and vendor payloads in hex; `-vvvv` dumps
 *   IKEv1 and IKEv2 notification data whole.
 * - tcpdump's quirks are kept: the SA payload's `ident=` re-reads the DOI, an IKEv1 SA, notification and
 *   delete payload end where their fields end rather than at their length, an attribute longer than its
 *   transform prints `[|attr]` and moves one byte past the transform, IKEv2 proposal lengths are counted from
 *   4 bytes into the proposal, a nonce's `-vv` data and a notification's data run to the end of the capture,
 *   not of the payload, the SK payload ends the list (its contents are encrypted), and IKEv1 messages reach
 *   IKEv2 payload printers (and back) by payload number.
 * - Port 4500 (RFC 3948): a 1-byte 0xff datagram is `isakmp-nat-keep-alive`, four zero bytes announce an
 *   ISAKMP message (`NONESP-encap: isakmp: ...`), anything else is ESP (`UDP-encap: ESP(spi=0x00001000,
 *   seq=0x5), length 48`), and a datagram shorter than 4 bytes is ` [|isakmp_rfc3948]`.
 *
 * Truncation: a message with fewer than 28 bytes captured is ` [|isakmp]`; a payload or field checked by
 * tcpdump before reading ends the listing with ` [|sa]`, ` [|p]`, ` [|t]`, ` [|v2nonce]` ... (the rest of
 * the line, `len mismatch` included, is still printed); a read tcpdump does not check (an attribute's
 * header, a payload's next-payload byte, a replay status) long-jumps out with ` [|isakmp]`, and -x then
 * dumps the whole frame.
 *
 * The I/R/? of IKEv1 depends on earlier packets: tcpdump remembers the initiator cookie and addresses of
 * the last 20 exchanges it saw start. {@link IsakmpCookies} is that memory; without one (or without the IP
 * addresses) the text is what tcpdump prints for a cookie it sees for the first time. Not covered:
 * decryption of IKEv2 SK payloads with `-E` secrets (tcpdump without secrets prints the same as here), and
 * protocol names for ID payloads without `-n` (netkit's sniffer prints numbers, as `tcpdump -n` does).
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { Cut, type Out, type Printed, textChar, u16, u32, u8 } from "./_text.ts";

/** The IP header's addresses: 4 bytes each for IPv4, 16 for IPv6. */
export interface IsakmpIp {
  /** Source address. */
  src: Uint8Array;
  /** Destination address (as the IP header has it). */
  dst: Uint8Array;
}

/** What the ISAKMP text needs beyond the datagram: its IP header's addresses and the cookie memory. */
export interface IsakmpContext {
  /** The carrying IP header's addresses. */
  ip?: IsakmpIp;
  /** The summarizer's memory of IKEv1 initiators (one per stream of packets, as in one tcpdump run). */
  cookies?: IsakmpCookies;
}

const CACHE_SIZE = 20;

/** One remembered exchange: its initiator cookie, IP version (0: never recorded) and the two addresses. */
interface Initiator {
  cookie: Uint8Array;
  version: number;
  initiator: Uint8Array;
  responder: Uint8Array;
}

/**
 * tcpdump's cache of IKEv1 initiators (print-isakmp.c's cookiecache): the first message of an exchange
 * (responder cookie zero) records the initiator cookie and the addresses, in a ring of 20; a later message
 * with that cookie is `I` when it comes from the recorded initiator, `R` from the responder, else `?`.
 * The ring starts as 20 all-zero cookies of no IP version, so an all-zero initiator cookie prints `?`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IsakmpCookies } from "./_isakmp.ts";
 * const c = new IsakmpCookies();
 * const ck = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
 * const a = new Uint8Array([10, 0, 0, 1]), b = new Uint8Array([10, 0, 0, 2]);
 * assert.equal(c.side(ck, new Uint8Array(8), { src: a, dst: b }), "I");
 * assert.equal(c.side(ck, new Uint8Array(8).fill(9), { src: b, dst: a }), "R");
 * ```
 */
export class IsakmpCookies {
  #ring: Initiator[] = [];
  #next = 0;

  constructor() {
    this.clear();
  }

  /** Forgets every exchange (a new tcpdump run). */
  clear(): void {
    this.#ring = Array.from({ length: CACHE_SIZE }, () => ({
      cookie: new Uint8Array(8),
      version: 0,
      initiator: new Uint8Array(16),
      responder: new Uint8Array(16),
    }));
    this.#next = 0;
  }

  /**
   * The letter tcpdump prints for an IKEv1 message, recording its exchange when it starts one.
   *
   * @param ick the initiator cookie (8 bytes)
   * @param rck the responder cookie (8 bytes)
   * @param ip the carrying header's addresses; without them nothing is recorded and a known cookie is `?`
   * @returns "I", "R" or "?"
   */
  side(ick: Uint8Array, rck: Uint8Array, ip?: IsakmpIp): "I" | "R" | "?" {
    const i = this.#ring.findIndex((e) => same(e.cookie, ick, 8));
    if (i < 0) {
      if (!rck.every((b) => b === 0)) return "?";
      if (ip) this.#record(ick, ip);
      return "I";
    }
    const e = this.#ring[i], v = versionOf(ip);
    if (!ip || v === 0 || e.version !== v) return "?";
    const n = v === 4 ? 4 : 16;
    if (same(ip.src, e.initiator, n)) return "I";
    if (same(ip.src, e.responder, n)) return "R";
    return "?";
  }

  #record(ick: Uint8Array, ip: IsakmpIp): void {
    const v = versionOf(ip);
    if (v === 0) return;
    const e = this.#ring[this.#next];
    e.version = v;
    e.initiator.set(ip.src.subarray(0, 16));
    e.responder.set(ip.dst.subarray(0, 16));
    e.cookie.set(ick.subarray(0, 8));
    this.#next = (this.#next + 1) % CACHE_SIZE;
  }
}

function versionOf(ip?: IsakmpIp): number {
  if (!ip) return 0;
  if (ip.src.length === 4 && ip.dst.length === 4) return 4;
  if (ip.src.length === 16 && ip.dst.length === 16) return 6;
  return 0;
}

function same(a: Uint8Array, b: Uint8Array, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** A cache nothing is recorded in (no addresses are ever given to it): a cookie seen for the first time. */
const FIRST_SIGHT = new IsakmpCookies();

// Payload numbers (RFC 2408 section 3.1, RFC 7296 section 3.2).
const NP_SA = 1, NP_P = 2, NP_T = 3, NP_KE = 4, NP_ID = 5, NP_CERT = 6, NP_CR = 7, NP_HASH = 8;
const NP_SIG = 9, NP_NONCE = 10, NP_N = 11, NP_D = 12, NP_VID = 13, NP_V2E = 46;

const NP_NAMES = [
  ..."none sa p t ke id cert cr hash sig nonce n d vid".split(" "),
  ...Array.from({ length: 19 }, (_, k) => `pay${k + 14}`),
  ..."v2sa v2ke v2IDi v2IDr v2cert v2cr v2auth v2nonce v2n v2d v2vid v2TSi v2TSr v2e v2cp v2eap".split(" "),
];

/** Exchange types: IKEv1's 0-5 and 32-33, IKEv2's 34-37. */
const ETYPES: Record<number, string> = {
  0: "none",
  1: "base",
  2: "ident",
  3: "auth",
  4: "agg",
  5: "inf",
  32: "oakley-quick",
  33: "oakley-newgroup",
  34: "ikev2_init",
  35: "ikev2_auth",
  36: "child_sa",
  37: "inf2",
};

const PROTO_IDS = [undefined, "isakmp", "ipsec-ah", "ipsec-esp", "ipcomp"];

/** A name from a table, else `#n` (tcpdump's STR_OR_ID). */
function strOrId(x: number, table: readonly (string | undefined)[] | Record<number, string>): string {
  return (table as Record<number, string | undefined>)[x] ?? `#${x}`;
}
const npName = (np: number) => strOrId(np, NP_NAMES);

/** A transform attribute's name and its value names (tcpdump's struct attrmap). */
interface AttrMap {
  type?: string;
  /** Values below this are looked up in `values`. */
  nvalue: number;
  values: readonly (string | undefined)[];
}
const attr = (type?: string, nvalue = 0, values: (string | undefined)[] = []): AttrMap => ({
  type,
  nvalue,
  values,
});

const GROUPS = [
  undefined,
  "modp768",
  "modp1024",
  "EC2N 2^155",
  "EC2N 2^185",
  "modp1536",
  ...Array.from({ length: 8 }, (_, k) => `iana-grp${String(k + 6).padStart(2, "0")}`),
  "modp2048",
  "modp3072",
  "modp4096",
  "modp6144",
  "modp8192",
];
const LIFETYPES = [undefined, "sec", "kb"];

/** IPsec DOI SA attributes (RFC 2407 section 4.5); tcpdump's table stops before group 18's name. */
const IPSEC_ATTRS = [
  attr(),
  attr("lifetype", 3, LIFETYPES),
  attr("life"),
  attr("group desc", 18, GROUPS),
  attr("enc mode", 3, [undefined, "tunnel", "transport"]),
  attr("auth", 5, [undefined, "hmac-md5", "hmac-sha1", "1des-mac", "keyed"]),
  attr("keylen"),
  attr("rounds"),
  attr("dictsize"),
  attr("privalg"),
];

/** IKE (Oakley) attributes (RFC 2409 appendix A). */
const OAKLEY_ATTRS = [
  attr(),
  attr("enc", 8, [undefined, "1des", "idea", "blowfish", "rc5", "3des", "cast", "aes"]),
  attr("hash", 7, [undefined, "md5", "sha1", "tiger", "sha2-256", "sha2-384", "sha2-512"]),
  attr("auth", 6, [undefined, "preshared", "dss", "rsa sig", "rsa enc", "rsa enc revised"]),
  attr("group desc", 18, GROUPS),
  attr("group type", 4, [undefined, "MODP", "ECP", "EC2N"]),
  attr("group prime"),
  attr("group gen1"),
  attr("group gen2"),
  attr("group curve A"),
  attr("group curve B"),
  attr("lifetype", 3, LIFETYPES),
  attr("lifeduration"),
  attr("prf"),
  attr("keylen"),
  attr("field"),
  attr("order"),
];

/** IKEv2 encryption transform attributes: only 14, the key length. */
const ENCR_ATTRS = [...Array.from({ length: 14 }, () => attr()), attr("keylen", 14)];

const AH_IDS = [undefined, "(reserved)", "md5", "sha", "1des", "sha2-256", "sha2-384", "sha2-512"];
const ESP_IDS = [
  undefined,
  ..."1des-iv64 1des 3des rc5 idea cast blowfish 3idea 1des-iv32 rc4 null aes".split(" "),
];
const IPCOMP_IDS = [undefined, "oui", "deflate", "lzs"];
const V2_TYPES = [undefined, "encr", "prf", "integ", "dh", "esn"];
const V2_IDS: Record<number, readonly (string | undefined)[]> = {
  1: ESP_IDS,
  2: [undefined, "hmac-md5", "hmac-sha", "hmac-tiger", "aes128_xcbc"],
  3: [undefined, "hmac-md5", "hmac-sha", "dec-mac", "kpdk-md5", "aes-xcbc"],
  4: GROUPS,
  5: ["no-esn", "esn"],
};

const CERT_TYPES = "none pkcs7 pgp dns x509sign x509ke kerberos crl arl spki x509attr".split(" ");
const ID_TYPES = [
  undefined,
  ..."IPv4,FQDN,user FQDN,IPv4net,IPv6,IPv6net,IPv4range,IPv6range,ASN1 DN,ASN1 GN,keyid".split(","),
];

/** RFC 2408 notify message types 0-30 (error types). */
const NOTIFY_ERRORS = [
  undefined,
  ...("INVALID-PAYLOAD-TYPE DOI-NOT-SUPPORTED SITUATION-NOT-SUPPORTED INVALID-COOKIE INVALID-MAJOR-VERSION " +
    "INVALID-MINOR-VERSION INVALID-EXCHANGE-TYPE INVALID-FLAGS INVALID-MESSAGE-ID INVALID-PROTOCOL-ID " +
    "INVALID-SPI INVALID-TRANSFORM-ID ATTRIBUTES-NOT-SUPPORTED NO-PROPOSAL-CHOSEN BAD-PROPOSAL-SYNTAX " +
    "PAYLOAD-MALFORMED INVALID-KEY-INFORMATION INVALID-ID-INFORMATION INVALID-CERT-ENCODING " +
    "INVALID-CERTIFICATE CERT-TYPE-UNSUPPORTED INVALID-CERT-AUTHORITY INVALID-HASH-INFORMATION " +
    "AUTHENTICATION-FAILED INVALID-SIGNATURE ADDRESS-NOTIFICATION NOTIFY-SA-LIFETIME " +
    "CERTIFICATE-UNAVAILABLE UNSUPPORTED-EXCHANGE-TYPE UNEQUAL-PAYLOAD-LENGTHS").split(" "),
];
const IPSEC_STATUS = ["RESPONDER-LIFETIME", "REPLAY-STATUS", "INITIAL-CONTACT"];
const RESPONDER_LIFETIME = 24576, REPLAY_STATUS = 24577;

/** IKEv2 notify types tcpdump names, and whether it prints their SPI. */
const V2_NOTIFY: Record<number, [string, boolean]> = {
  1: ["unsupported_critical_payload", false],
  4: ["invalid_ike_spi", true],
  5: ["invalid_major_version", false],
  7: ["invalid_syntax", true],
  9: ["invalid_message_id", true],
  11: ["invalid_spi", true],
  14: ["no_protocol_chosen", true],
  17: ["invalid_ke_payload", true],
  24: ["authentication_failed", true],
  34: ["single_pair_required", true],
  35: ["no_additional_sas", false],
  36: ["internal_address_failure", false],
  37: ["failed:cp_required", false],
  39: ["invalid_selectors", false],
  16384: ["initial_contact", false],
  16385: ["set_window_size", false],
  16386: ["additional_ts_possible", false],
  16387: ["ipcomp_supported", false],
  16388: ["nat_detection_source_ip", true],
  16389: ["nat_detection_destination_ip", true],
  16390: ["cookie", true],
  16391: ["use_transport_mode", false],
  16392: ["http_cert_lookup_supported", false],
  16393: ["rekey_sa", true],
  16394: ["tfc_padding_not_supported", false],
  16395: ["non_first_fragment_also", false],
};
const V2_COOKIE = 16390;

const V2_AUTH = ["invalid", "rsasig", "shared-secret", "dsssig"];

const HEADER_LEN = 28;
const FLAG_E = 0x01, FLAG_C = 0x02, FLAG_I = 0x08, FLAG_V = 0x10, FLAG_R = 0x20;

/** One message being printed: the bytes (their end is tcpdump's snapend), -v level, the text. */
interface Msg {
  p: Uint8Array;
  v: number;
  o: Out;
}

/** A payload printer: returns where the next payload starts, or null (tcpdump's NULL: stop the list). */
type PayloadPrinter = (
  m: Msg,
  tpay: number,
  ext: number,
  itemLen: number,
  phase: number,
  doi: number,
  proto: number,
  depth: number,
) => number | null;

const hex2 = (x: number) => x.toString(16).padStart(2, "0");

/** Whether `len` bytes from `at` were captured (ND_TTEST_LEN; a negative length, an unsigned wrap, fails). */
const captured = (m: Msg, at: number, len: number) => len >= 0 && at >= 0 && at + len <= m.p.length;

/** tcpdump's rawprint: the bytes in hex, or false (nothing printed) when they were not all captured. */
function rawprint(m: Msg, at: number, len: number): boolean {
  if (!captured(m, at, len)) return false;
  for (let k = 0; k < len; k++) m.o.s += hex2(m.p[at + k]);
  return true;
}

/** ike_show_somedata: the first 10 bytes from `at` and the last 20 of the capture (not of the payload). */
function someData(m: Msg, at: number): boolean {
  const ep = m.p.length;
  let end = ep - 20, elen = 20;
  const len = Math.min(ep - at, 10);
  if (end < at + len) {
    end = at + len;
    elen = ep - end;
  }
  m.o.s += " data=(";
  if (!rawprint(m, at, len)) return false;
  m.o.s += "...";
  if (elen && !rawprint(m, end, elen)) return false;
  m.o.s += ")";
  return true;
}

/** ` [|name]` and NULL: a printer's own truncation exit. */
function trunc(m: Msg, np: number): null {
  m.o.s += ` [|${npName(np)}]`;
  return null;
}

/**
 * One data attribute (RFC 2408 section 3.3) with names from `map` (ikev1_attrmap_print) or without
 * (ikev1_attr_print): `(type=enc value=3des)`, `(type=#16 len=2 value=0102)`. Returns where the next one
 * starts: one byte past `ep2` when it is longer than its transform.
 */
function attribute(m: Msg, at: number, ep2: number, map: readonly AttrMap[] | null): number {
  const p = m.p;
  const tv = (u8(p, at) & 0x80) !== 0;
  const totlen = tv ? 4 : 4 + u16(p, at + 2);
  if (ep2 < at + totlen) {
    m.o.s += "[|attr]";
    return ep2 + 1;
  }
  const t = u16(p, at) & 0x7fff;
  const a = map?.[t];
  m.o.s += a?.type ? `(type=${a.type} ` : `(type=#${t} `;
  if (tv) {
    m.o.s += "value=";
    const v = u16(p, at + 2);
    const name = a && v < a.nvalue ? a.values[v] : undefined;
    if (name) m.o.s += name;
    else m.o.s += hex2(p[at + 2]) + hex2(p[at + 3]);
  } else {
    m.o.s += `len=${totlen - 4} value=`;
    rawprint(m, at + 4, totlen - 4);
  }
  m.o.s += ")";
  return at + totlen;
}

/** The attributes of a transform from `cp` to its end (`ep2`) or the capture's: `...` when cut. */
function attributes(m: Msg, cp: number, ep2: number, map: readonly AttrMap[] | null): number {
  const ep = m.p.length;
  while (cp < ep && cp < ep2) cp = attribute(m, cp, ep2, map);
  if (ep < ep2) m.o.s += "...";
  return cp;
}

// IKEv1 payloads.

const v1Sa: PayloadPrinter = (m, _tpay, ext, _len, phase, _doi, proto, depth) => {
  const p = m.p;
  m.o.s += "sa:";
  if (!captured(m, ext, 12)) return trunc(m, NP_SA);
  const doi = u32(p, ext + 4), sit = u32(p, ext + 8);
  if (doi !== 1) {
    m.o.s += ` doi=${doi} situation=${sit}`;
    return ext + 12;
  }
  m.o.s += " doi=ipsec situation=";
  const parts = [];
  if (sit & 1) parts.push("identity");
  if (sit & 2) parts.push("secrecy");
  if (sit & 4) parts.push("integrity");
  m.o.s += parts.join("+");
  let np = ext + 12;
  if (sit !== 1) {
    // tcpdump reads the "labeled domain identifier" 4 bytes into the payload: the DOI again.
    m.o.s += ` ident=${u32(p, ext + 4)}`;
    np += 4;
  }
  if (!captured(m, np, 4)) return trunc(m, NP_SA);
  return v1List(m, NP_P, np, phase, doi, proto, depth);
};

const v1Proposal: PayloadPrinter = (m, _tpay, ext, _len, phase, doi, _proto, depth) => {
  const p = m.p;
  m.o.s += "p:";
  if (!captured(m, ext, 8)) return trunc(m, NP_P);
  m.o.s += ` #${p[ext + 4]} protoid=${strOrId(p[ext + 5], PROTO_IDS)} transform=${p[ext + 7]}`;
  const spiSize = p[ext + 6];
  if (spiSize) {
    m.o.s += " spi=";
    if (!rawprint(m, ext + 8, spiSize)) return trunc(m, NP_P);
  }
  const next = ext + 8 + spiSize;
  if (!captured(m, next, 4)) return trunc(m, NP_P);
  return v1List(m, NP_T, next, phase, doi, p[ext + 5], depth);
};

const v1Transform: PayloadPrinter = (m, _tpay, ext, itemLen, _phase, _doi, proto, _depth) => {
  const p = m.p;
  m.o.s += "t:";
  if (!captured(m, ext, 8)) return trunc(m, NP_T);
  const id = p[ext + 5];
  const ids = [undefined, [undefined, "ike"], AH_IDS, ESP_IDS, IPCOMP_IDS][proto];
  const map = proto === 1 ? OAKLEY_ATTRS : proto >= 2 && proto <= 4 ? IPSEC_ATTRS : null;
  m.o.s += ` #${p[ext + 4]} id=${ids ? strOrId(id, ids) : id} `;
  return attributes(m, ext + 8, ext + itemLen, map);
};

/** Key exchange, hash, signature and vendor ID: the length, and with -vvv the data in hex. */
function v1Data(name: string, np: number): PayloadPrinter {
  return (m, _tpay, ext, itemLen) => {
    m.o.s += `${npName(np)}:`;
    if (!captured(m, ext, 4)) return trunc(m, np);
    m.o.s += ` ${name}len=${itemLen - 4}`;
    if (m.v > 2 && itemLen > 4) {
      m.o.s += " ";
      if (!rawprint(m, ext + 4, itemLen - 4)) return trunc(m, np);
    }
    return ext + itemLen;
  };
}

const v1Id: PayloadPrinter = (m, _tpay, ext, itemLen) => {
  const p = m.p;
  m.o.s += "id:";
  if (!captured(m, ext, 8)) return trunc(m, NP_ID);
  const data = itemLen > 8 ? ext + 8 : -1;
  let len = itemLen > 8 ? itemLen - 8 : 0;
  // tcpdump prints phase 1 and phase 2 IDs alike, with the IPsec DOI's types.
  const type = p[ext + 4];
  m.o.s += ` idtype=${strOrId(type, ID_TYPES)} protoid=${p[ext + 5]} port=${u16(p, ext + 6)}`;
  if (len) {
    if (!captured(m, data, len)) return trunc(m, NP_ID);
    const v4 = (at: number) => formatIpv4Address(p, at), v6 = (at: number) => formatIpv6Address(p, at);
    const bad = (min: number) => (len < min ? ` len=${len} [bad: < ${min}]` : null);
    switch (type) {
      case 1:
        m.o.s += bad(4) ?? ` len=${len} ${v4(data)}`;
        len = 0;
        break;
      case 2:
      case 3:
        m.o.s += ` len=${len} `;
        for (let k = 0; k < len; k++) m.o.s += textChar(p[data + k]);
        len = 0;
        break;
      case 4:
        m.o.s += bad(8) ?? ` len=${len} ${v4(data)}/${p.subarray(data + 4, data + 8).join(".")}`;
        len = 0;
        break;
      case 5:
        m.o.s += bad(16) ?? ` len=${len} ${v6(data)}`;
        len = 0;
        break;
      case 6: {
        const mask = Array.from(p.subarray(data + 16, data + 32), hex2).join("");
        m.o.s += bad(32) ?? ` len=${len} ${v6(data)}/0x${mask}`;
        len = 0;
        break;
      }
      case 7:
        m.o.s += bad(8) ?? ` len=${len} ${v4(data)}-${v4(data + 4)}`;
        len = 0;
        break;
      case 8:
        m.o.s += bad(32) ?? ` len=${len} ${v6(data)}-${v6(data + 16)}`;
        len = 0;
        break;
    }
  }
  if (data >= 0 && len) {
    m.o.s += ` len=${len}`;
    if (m.v > 2) {
      m.o.s += " ";
      if (!rawprint(m, data, len)) return trunc(m, NP_ID);
    }
  }
  return ext + itemLen;
};

/** Certificate and certificate request: the length, the encoding, with -vvv the data. */
function v1Cert(np: number): PayloadPrinter {
  return (m, _tpay, ext, itemLen) => {
    m.o.s += `${npName(np)}:`;
    if (!captured(m, ext, 6)) return trunc(m, np);
    m.o.s += ` len=${itemLen - 4} type=${strOrId(m.p[ext + 4], CERT_TYPES)}`;
    if (m.v > 2 && itemLen > 4) {
      m.o.s += " ";
      if (!rawprint(m, ext + 4, itemLen - 4)) return trunc(m, np);
    }
    return ext + itemLen;
  };
}

const v1Nonce: PayloadPrinter = (m, _tpay, ext, itemLen) => {
  m.o.s += "nonce:";
  if (!captured(m, ext, 4)) return trunc(m, NP_NONCE);
  m.o.s += ` n len=${itemLen - 4}`;
  if (itemLen > 4) {
    if (m.v > 2) {
      m.o.s += " ";
      if (!rawprint(m, ext + 4, itemLen - 4)) return trunc(m, NP_NONCE);
    } else if (m.v > 1) {
      m.o.s += " ";
      if (!someData(m, ext + 4)) return trunc(m, NP_NONCE);
    }
  }
  return ext + itemLen;
};

/** An IKEv1 notify type's name (RFC 2408 3.14.1, RFC 2407 4.6.3); out of the IPsec DOI fewer are named. */
function v1NotifyType(type: number, ipsec: boolean): string {
  if (type < 8192) return strOrId(type, NOTIFY_ERRORS);
  if (type < 16384) return ipsec ? strOrId(type - 8192, ["RESERVED"]) : `#${type}`;
  if (type < 24576) return strOrId(type - 16384, ["CONNECTED"]);
  if (type < 32768 && ipsec) return strOrId(type - 24576, IPSEC_STATUS);
  return `#${type}`;
}

const v1Notify: PayloadPrinter = (m, _tpay, ext, itemLen) => {
  const p = m.p, ep = p.length;
  m.o.s += "n:";
  if (!captured(m, ext, 12)) return trunc(m, NP_N);
  const doi = u32(p, ext + 4), proto = p[ext + 8], type = u16(p, ext + 10), spiSize = p[ext + 9];
  const ipsec = doi === 1;
  m.o.s += ipsec ? ` doi=ipsec proto=${strOrId(proto, PROTO_IDS)}` : ` doi=${doi} proto=${proto}`;
  m.o.s += ` type=${v1NotifyType(type, ipsec)}`;
  if (spiSize) {
    m.o.s += " spi=";
    if (!rawprint(m, ext + 12, spiSize)) return trunc(m, NP_N);
  }
  let cp = ext + 12 + spiSize;
  if (!ipsec) return cp;
  const ep2 = ext + itemLen;
  if (cp < ep) {
    if (type === RESPONDER_LIFETIME) {
      m.o.s += " attrs=(";
      while (cp < ep && cp < ep2) cp = attribute(m, cp, ep2, OAKLEY_ATTRS);
      m.o.s += ")";
    } else if (type === REPLAY_STATUS) {
      m.o.s += " status=(";
      m.o.s += `replay detection ${u32(p, cp) ? "en" : "dis"}abled)`;
    } else if (m.v > 3) {
      m.o.s += " data=(";
      rawprint(m, cp, ep - cp);
      m.o.s += ")";
    } else if (!someData(m, cp)) return trunc(m, NP_N);
  }
  return ext + itemLen;
};

const v1Delete: PayloadPrinter = (m, _tpay, ext) => {
  const p = m.p;
  m.o.s += "d:";
  if (!captured(m, ext, 12)) return trunc(m, NP_D);
  const doi = u32(p, ext + 4), proto = p[ext + 8], spiSize = p[ext + 9], n = u16(p, ext + 10);
  m.o.s += doi === 1 ? ` doi=ipsec proto=${strOrId(proto, PROTO_IDS)}` : ` doi=${doi} proto=${proto}`;
  m.o.s += ` spilen=${spiSize} nspi=${n} spi=`;
  let q = ext + 12;
  for (let k = 0; k < n; k++) {
    if (k) m.o.s += ",";
    if (!rawprint(m, q, spiSize)) return trunc(m, NP_D);
    q += spiSize;
  }
  return q;
};

// IKEv2 payloads.

/** The payload's name, `[C]` when its critical bit is set, and a colon. */
function v2Name(m: Msg, name: string, ext: number): void {
  m.o.s += `${name}${m.p[ext + 1] & 0x80 ? "[C]" : ""}:`;
}

/** Certificates, requests, deletes, traffic selectors, configuration, EAP: the length, -vvv the data. */
const v2Generic: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 4)) return trunc(m, tpay);
  v2Name(m, npName(tpay), ext);
  m.o.s += ` len=${itemLen - 4}`;
  if (m.v > 2 && itemLen > 4) {
    m.o.s += " ";
    if (!rawprint(m, ext + 4, itemLen - 4)) return trunc(m, tpay);
  }
  return ext + itemLen;
};

/** One IKEv2 transform: `t: #1 type=encr id=aes (type=keylen value=0080)`. */
function v2Transform(m: Msg, tcount: number, ext: number, itemLen: number): number | null {
  const p = m.p;
  if (!captured(m, ext, 8)) return trunc(m, NP_T);
  v2Name(m, "t", ext);
  const id = u16(p, ext + 6), type = p[ext + 4];
  const ids = V2_IDS[type];
  m.o.s += ` #${tcount} type=${strOrId(type, V2_TYPES)} id=${ids ? strOrId(id, ids) : id} `;
  return attributes(m, ext + 8, ext + itemLen, type === 1 ? ENCR_ATTRS : null);
}

/**
 * The substructures of an IKEv2 SA (proposals) or proposal (transforms): a line each, one level deeper.
 * `room` is what the container's length leaves (tcpdump's count, 4 bytes too many for a proposal); one
 * that does not fit ends the list with ` [|mark]` and skips the rest.
 */
function v2Items(
  m: Msg,
  cp: number,
  room: number,
  first: number,
  mark: number,
  depth: number,
  item: (n: number, ext: number, len: number, depth: number) => number | null,
): number | null {
  const p = m.p;
  let count = 0, np = first;
  while (np !== 0) {
    count++;
    const ext = cp;
    if (room < 4 || !captured(m, ext, 4)) {
      if (room < 4) {
        m.o.s += ` [|${npName(mark)}]`;
        return cp + room;
      }
      return trunc(m, mark);
    }
    const itemLen = u16(p, ext + 2);
    if (itemLen <= 4) return trunc(m, mark);
    if (room < itemLen) {
      m.o.s += ` [|${npName(mark)}]`;
      return cp + room;
    }
    if (!captured(m, cp, itemLen)) return trunc(m, mark);
    m.o.s += `\n${"    ".repeat(depth + 1)}(`;
    if (np === first) {
      const next = item(count, ext, itemLen, depth + 1);
      if (next === null) return null;
      cp = next;
    } else {
      m.o.s += npName(np);
      cp += itemLen;
    }
    m.o.s += ")";
    room -= itemLen;
    np = u8(p, ext);
  }
  return cp;
}

function v2Proposal(m: Msg, ext: number, propLen: number, depth: number): number | null {
  const p = m.p;
  if (!captured(m, ext, 8)) return trunc(m, NP_P);
  v2Name(m, "p", ext);
  let room = propLen - 4;
  m.o.s += ` #${p[ext + 4]} protoid=${strOrId(p[ext + 5], PROTO_IDS)} transform=${p[ext + 7]} len=${propLen}`;
  let cp = ext + 8;
  const spiSize = p[ext + 6];
  if (spiSize) {
    if (room < spiSize) {
      m.o.s += ` [|${npName(NP_P)}]`;
      return cp + room;
    }
    m.o.s += " spi=";
    if (!rawprint(m, cp, spiSize)) return trunc(m, NP_P);
    cp += spiSize;
    room -= spiSize;
  }
  return v2Items(m, cp, room, NP_T, NP_P, depth, (n, e, len) => v2Transform(m, n, e, len));
}

const v2Sa: PayloadPrinter = (m, tpay, ext, _len, _phase, _doi, _proto, depth) => {
  if (!captured(m, ext, 4)) return trunc(m, tpay);
  v2Name(m, "sa", ext);
  const room = u16(m.p, ext + 2) - 4;
  m.o.s += ` len=${room}`;
  return v2Items(m, ext + 4, room, NP_P, tpay, depth, (_n, e, len, d) => v2Proposal(m, e, len, d));
};

const v2Ke: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 8)) return trunc(m, tpay);
  v2Name(m, npName(tpay), ext);
  if (itemLen < 8) {
    m.o.s += ` len=${itemLen} < 8`;
    return ext + itemLen;
  }
  m.o.s += ` len=${itemLen - 8} group=${strOrId(u16(m.p, ext + 4), GROUPS)}`;
  if (m.v > 2 && itemLen > 8) {
    m.o.s += " ";
    if (!rawprint(m, ext + 8, itemLen - 8)) return trunc(m, tpay);
  }
  return ext + itemLen;
};

/** Printable ASCII as itself, anything else as a dot. */
function ascii(m: Msg, at: number, n: number): void {
  for (let k = 0; k < n; k++) {
    const c = m.p[at + k];
    m.o.s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
}

const V2_ID_TYPES: Record<number, [string, boolean]> = {
  1: ["ipv4", false],
  2: ["fqdn", true],
  3: ["rfc822", true],
  5: ["ipv6", false],
  9: ["dn", false],
  10: ["gn", false],
  11: ["keyid", false],
};

const v2Id: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 8)) return trunc(m, tpay);
  v2Name(m, npName(tpay), ext);
  m.o.s += ` len=${itemLen - 4}`;
  if (m.v > 2 && itemLen > 4) {
    m.o.s += " ";
    if (!rawprint(m, ext + 4, itemLen - 4)) return trunc(m, tpay);
  }
  // An unsigned count in tcpdump: a payload shorter than 8 bytes has a huge one, never captured.
  const n = itemLen - 8;
  const t = V2_ID_TYPES[m.p[ext + 4]];
  if (t) {
    m.o.s += ` ${t[0]}:`;
    if (!captured(m, ext + 8, n)) return trunc(m, tpay);
    if (t[1]) ascii(m, ext + 8, n);
    else rawprint(m, ext + 8, n);
  }
  return ext + itemLen;
};

const v2Auth: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 8)) return trunc(m, tpay);
  v2Name(m, npName(tpay), ext);
  m.o.s += ` len=${itemLen - 4} method=${strOrId(m.p[ext + 4], V2_AUTH)}`;
  if (itemLen > 4) {
    if (m.v > 1) {
      m.o.s += " authdata=(";
      if (!rawprint(m, ext + 8, itemLen - 8)) return trunc(m, tpay);
      m.o.s += ") ";
    } else if (m.v && !someData(m, ext + 8)) return trunc(m, tpay);
  }
  return ext + itemLen;
};

const v2Nonce: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 4)) return trunc(m, tpay);
  v2Name(m, "nonce", ext);
  m.o.s += ` len=${itemLen - 4}`;
  if (m.v > 1 && itemLen > 4) {
    m.o.s += " nonce=(";
    if (!rawprint(m, ext + 4, itemLen - 4)) return trunc(m, tpay);
    m.o.s += ") ";
  } else if (m.v && itemLen > 4 && !someData(m, ext + 4)) return trunc(m, tpay);
  return ext + itemLen;
};

const v2Notify: PayloadPrinter = (m, _tpay, ext, itemLen) => {
  const p = m.p, ep = p.length;
  if (!captured(m, ext, 8)) return trunc(m, NP_N);
  v2Name(m, "n", ext);
  m.o.s += ` prot_id=${strOrId(p[ext + 4], PROTO_IDS)}`;
  const type = u16(p, ext + 6);
  const known = V2_NOTIFY[type];
  const name = known?.[0] ??
    (type < 8192 ? "error" : type < 16384 ? "private-error" : type < 40960 ? "status" : "private-status");
  const showSpi = known ? known[1] : true;
  const some = type === V2_COOKIE;
  m.o.s += ` type=${type}(${name})`;
  const spiSize = p[ext + 5];
  if (showSpi && spiSize) {
    m.o.s += " spi=";
    if (!rawprint(m, ext + 8, spiSize)) return trunc(m, NP_N);
  }
  const cp = ext + 8 + spiSize;
  if (cp < ep) {
    if (m.v > 3 || (some && ep - cp < 30)) {
      m.o.s += " data=(";
      rawprint(m, cp, ep - cp);
      m.o.s += ")";
    } else if (some && !someData(m, cp)) return trunc(m, NP_N);
  }
  return ext + itemLen;
};

const v2Vid: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 4)) return trunc(m, tpay);
  v2Name(m, npName(tpay), ext);
  const len = itemLen - 4;
  m.o.s += ` len=${len} vid=`;
  if (!captured(m, ext + 4, len)) return trunc(m, tpay);
  ascii(m, ext + 4, len);
  if (m.v > 2 && len > 4) {
    m.o.s += " ";
    rawprint(m, ext + 4, len);
  }
  return ext + itemLen;
};

/** The encrypted payload (SK): its length; always the last, since its contents cannot be read. */
const v2Encrypted: PayloadPrinter = (m, tpay, ext, itemLen) => {
  if (!captured(m, ext, 4)) return trunc(m, tpay);
  v2Name(m, npName(tpay), ext);
  const len = itemLen - 4;
  m.o.s += ` len=${len}`;
  if (m.v > 2 && len > 4) {
    m.o.s += " ";
    if (!rawprint(m, ext + 4, len)) return trunc(m, tpay);
  }
  if (!captured(m, ext + 4, len)) return trunc(m, tpay);
  return null;
};

/** tcpdump's table of payload printers by number, shared by IKEv1 and IKEv2 (46, SK, is IKEv2's alone). */
const PRINTERS: Record<number, PayloadPrinter> = {
  [NP_SA]: v1Sa,
  [NP_P]: v1Proposal,
  [NP_T]: v1Transform,
  [NP_KE]: v1Data("key ", NP_KE),
  [NP_ID]: v1Id,
  [NP_CERT]: v1Cert(NP_CERT),
  [NP_CR]: v1Cert(NP_CR),
  [NP_HASH]: v1Data("", NP_HASH),
  [NP_SIG]: v1Data("", NP_SIG),
  [NP_NONCE]: v1Nonce,
  [NP_N]: v1Notify,
  [NP_D]: v1Delete,
  [NP_VID]: v1Data("", NP_VID),
  33: v2Sa,
  34: v2Ke,
  35: v2Id,
  36: v2Id,
  37: v2Generic,
  38: v2Generic,
  39: v2Auth,
  40: v2Nonce,
  41: v2Notify,
  42: v2Generic,
  43: v2Vid,
  44: v2Generic,
  45: v2Generic,
  47: v2Generic,
  48: v2Generic,
};

/**
 * A chain of payloads from `ext`, the first of type `np` (ikev1_sub_print and ikev2_sub_print): each on a
 * new line in parentheses, `depth + 1` levels in; a payload of 4 bytes or fewer, or a printer's NULL, ends
 * it.
 */
function payloads(
  m: Msg,
  v2: boolean,
  np: number,
  ext: number,
  phase: number,
  doi: number,
  proto: number,
  depth: number,
): number | null {
  const p = m.p;
  let cp: number | null = ext;
  while (np) {
    if (!captured(m, ext, 4)) return trunc(m, np);
    const itemLen = u16(p, ext + 2);
    if (!captured(m, ext, itemLen)) return trunc(m, np);
    m.o.s += `\n${"    ".repeat(depth + 1)}(`;
    cp = null;
    if (itemLen > 4) {
      const f = v2 && np === NP_V2E ? v2Encrypted : PRINTERS[np];
      if (f) cp = f(m, np, ext, itemLen, phase, doi, proto, depth + 1);
      else {
        m.o.s += npName(np);
        cp = ext + itemLen;
      }
    }
    m.o.s += ")";
    if (cp === null) return null;
    np = u8(p, ext);
    ext = cp;
  }
  return cp;
}
const v1List = (m: Msg, np: number, ext: number, phase: number, doi: number, proto: number, depth: number) =>
  payloads(m, false, np, ext, phase, doi, proto, depth);

/** The ISAKMP header and, with -v, the payloads (isakmp_print). */
function message(m: Msg, length: number, ctx: IsakmpContext): void {
  const p = m.p, o = m.o;
  o.s += "isakmp";
  const major = p[17] >> 4, minor = p[17] & 15;
  if (m.v) o.s += ` ${major}.${minor} msgid ${Array.from(p.subarray(20, 24), hex2).join("")}`;
  if (m.v > 1) {
    o.s += ` cookie ${Array.from(p.subarray(0, 8), hex2).join("")}->${
      Array.from(p.subarray(8, 16), hex2).join("")
    }`;
  }
  o.s += ":";
  if (major !== 1 && major !== 2) return;
  const v2 = major === 2;
  const phase = u32(p, 20) === 0 ? 1 : 2;
  if (v2) o.s += phase === 1 ? " parent_sa" : " child_sa ";
  else {
    o.s += phase === 1 ? " phase 1" : " phase 2/others";
    const ick = p.subarray(0, 8), rck = p.subarray(8, 16);
    o.s += ` ${ctx.cookies ? ctx.cookies.side(ick, rck, ctx.ip) : FIRST_SIGHT.side(ick, rck)}`;
  }
  o.s += ` ${strOrId(p[18], ETYPES)}`;
  const flags = p[19];
  if (flags) {
    o.s += v2
      ? `[${flags & FLAG_I ? "I" : ""}${flags & FLAG_V ? "V" : ""}${flags & FLAG_R ? "R" : ""}]`
      : `[${flags & FLAG_E ? "E" : ""}${flags & FLAG_C ? "C" : ""}]`;
  }
  if (!m.v) return;
  o.s += ":";
  const np = p[16];
  if (flags & FLAG_E) o.s += ` [encrypted ${npName(np)}]`;
  else payloads(m, v2, np, HEADER_LEN, phase, 0, 0, 0);
  const len = u32(p, 24);
  if (len !== length) o.s += ` (len mismatch: isakmp ${len}/ip ${length})`;
}

/** isakmp_print: ` [|isakmp]` alone when the header was not captured; a long jump keeps what was printed. */
function isakmp(p: Uint8Array, length: number, verbosity: number, ctx: IsakmpContext, lead: string): Printed {
  if (p.length < HEADER_LEN) return { text: `${lead} [|isakmp]`, jump: false };
  const m: Msg = { p, v: verbosity, o: { s: lead } };
  try {
    message(m, length, ctx);
    return { text: m.o.s, jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: `${m.o.s} [|isakmp]`, jump: true };
  }
}

/**
 * tcpdump's text for an ISAKMP datagram (ports 500, 7500, 8500): what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @param ctx the IP header's addresses and the summarizer's {@link IsakmpCookies}, for IKEv1's I/R/?
 *   (without them: what tcpdump prints for a cookie it has not seen before)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); never null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isakmpText } from "./_isakmp.ts";
 * const msg = new Uint8Array(28);
 * msg.set([1, 2, 3, 4, 5, 6, 7, 8]); // initiator cookie; responder cookie zero: a first message
 * msg[17] = 0x10, msg[18] = 2, msg[27] = 28; // IKEv1, identity protection, length 28
 * assert.deepEqual(isakmpText(msg, 28, 0), { text: "isakmp: phase 1 I ident", jump: false });
 * assert.equal(isakmpText(msg, 28, 1)?.text, "isakmp 1.0 msgid 00000000: phase 1 I ident:");
 * assert.equal(isakmpText(msg.subarray(0, 20), 28, 0)?.text, " [|isakmp]");
 * ```
 */
export function isakmpText(
  p: Uint8Array,
  length: number,
  verbosity: number,
  ctx: IsakmpContext = {},
): Printed | null {
  return isakmp(p, length, verbosity, ctx, "");
}

/**
 * tcpdump's text for a datagram to or from UDP port 4500 (RFC 3948: NAT keep-alive, ISAKMP after a non-ESP
 * marker, or ESP): what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @param ctx as for {@link isakmpText}
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); never null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { natTraversalText } from "./_isakmp.ts";
 * assert.equal(natTraversalText(new Uint8Array([0xff]), 1, 0)?.text, "isakmp-nat-keep-alive");
 * const esp = new Uint8Array([0, 0, 0x10, 0, 0, 0, 0, 5, 0xaa, 0xbb]);
 * assert.equal(natTraversalText(esp, 10, 0)?.text, "UDP-encap: ESP(spi=0x00001000,seq=0x5), length 10");
 * ```
 */
export function natTraversalText(
  p: Uint8Array,
  length: number,
  verbosity: number,
  ctx: IsakmpContext = {},
): Printed | null {
  if (length === 1) {
    if (p.length < 1) return { text: " [|isakmp_rfc3948]", jump: true };
    if (p[0] === 0xff) return { text: "isakmp-nat-keep-alive", jump: false };
  }
  if (length < 4) return { text: " [|isakmp_rfc3948]", jump: false };
  if (p.length < 4) return { text: " [|isakmp_rfc3948]", jump: true };
  if (p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0) {
    return isakmp(p.subarray(4), length - 4, verbosity, ctx, "NONESP-encap: ");
  }
  // esp_print without secrets: it checks for the byte after the sequence number before printing.
  if (p.length < 9) return { text: "UDP-encap:  [|esp]", jump: false };
  const spi = u32(p, 0).toString(16).padStart(8, "0");
  return {
    text: `UDP-encap: ESP(spi=0x${spi},seq=0x${u32(p, 4).toString(16)}), length ${length}`,
    jump: false,
  };
}
