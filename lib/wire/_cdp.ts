/**
 * Private: tcpdump's text for the Cisco Discovery Protocol (802.3 SNAP, OUI 0x00000c, PID 0x2000;
 * print-cdp.c as tcpdump 4.99.3 prints it).
 *
 * ```text
 * +-------------+---------+---------------+
 * | version (1) | ttl (1) | checksum (2)  |   then TLVs up to the end of the message:
 * +-------------+---------+---------------+
 * | type (2)    | length (2, header incl.) | value (length - 4 bytes) |
 * ```
 *
 * tcpdump's rules:
 * - `CDPv2, ttl: 180s`, then with `-v` `, checksum: 0x.... (unverified), length N` and one
 *   `\n\tName (0xtt), value length: n bytes: ` line per TLV with its value; without `-v` only the Device-ID
 *   (`, Device-ID 'sw1'`) and `, length N` at the end.
 * - A TLV it has no printer for (a type beyond 0x17, a malformed value, and without `-v` every TLV but the
 *   Device-ID) is followed by a hex dump of its value (`\n\t  0x0000:  ...`); a type named in its table
 *   without a printer (Protocol-Hello, System Object ID, and the unnamed 0x00, 0x0c, 0x0d) is not, with -v.
 * - A value whose length is outside the type's bounds reads ` (malformed TLV)`, with or without `-v`
 *   (Management Addresses needs 4 bytes; Address has no bound and says `(not enough space for num)`).
 * - `-vv` and more print nothing `-v` does not.
 * - Its own checks (a header or TLV longer than the message, a TLV length below 4, address and prefix
 *   values that do not add up) print a reason and ` (invalid)` and stop the message, or for an address or
 *   prefix value go on with the next TLV; either way only after checking that the bytes skipped were
 *   captured.
 * - A read past the captured bytes abandons the frame with ` [|cdp]`, text printed so far kept: a long
 *   jump, after which `-x` dumps the whole frame.
 * - Text values show each byte as tcpdump does (`^A`, `M-^?`), NULs included; the version string starts
 *   a new indented line at each newline.
 *
 * @module
 */
import { formatIpv4Address, formatIpv6Address } from "./address.ts";
import { hexLines } from "./_nd.ts";
import { Cut, fixedC, type Out, textChar, u16, u8 } from "./_text.ts";

const CUT = " [|cdp]";
const INVALID = " (invalid)";
const HEADER_LEN = 4;
const TLV_HEADER_LEN = 4;
const DEVICE_ID = 0x01;

/** NLPID of IPv4, and the LLC/SNAP header (EtherType IPv6) that names IPv6 in an address entry. */
const NLPID_IP = 0xcc;
const PT_NLPID = 1, PT_IEEE_802_2 = 2;
const PROT_IPV6 = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];

/** Bit tables: [bit value, name] in tcpdump's order. */
const CAPABILITIES: ReadonlyArray<readonly [number, string]> = [
  [0x01, "Router"],
  [0x02, "Transparent Bridge"],
  [0x04, "Source Route Bridge"],
  [0x08, "L2 Switch"],
  [0x10, "L3 capable"],
  [0x20, "IGMP snooping"],
  [0x40, "L1 capable"],
];

/** Appends a value's text; reads past the captured bytes throw {@link Cut}. */
type Printer = (p: Uint8Array, at: number, len: number, o: Out) => void;

/**
 * What tcpdump's table says of a type: a name (none: `unknown field type`), a printer (none: the value is
 * only checked to be captured), and the value lengths it accepts (0: no bound).
 */
interface TlvInfo {
  name: string | null;
  printer: Printer | null;
  min: number;
  max: number;
}

const hex = (v: number, digits: number) => v.toString(16).padStart(digits, "0");
const plural = (n: number) => (n === 1 ? "" : "s");

function u32(p: Uint8Array, at: number): number {
  return u16(p, at) * 0x10000 + u16(p, at + 2);
}

/** Throws {@link Cut} unless `n` bytes from `at` were captured (tcpdump's ND_TCHECK_LEN). */
function check(p: Uint8Array, at: number, n: number): void {
  if (n > 0) u8(p, at + n - 1);
}

/** Each byte as tcpdump shows text (nd_printjn), read one by one so that a cut keeps the bytes before. */
function chars(p: Uint8Array, at: number, len: number, o: Out): void {
  for (let k = 0; k < len; k++) o.s += textChar(u8(p, at + k));
}

const quoted: Printer = (p, at, len, o) => {
  o.s += "'";
  chars(p, at, len, o);
  o.s += "'";
};

const version: Printer = (p, at, len, o) => {
  o.s += "\n\t  ";
  for (let k = 0; k < len; k++) {
    const c = u8(p, at + k);
    o.s += c === 0x0a ? "\n\t  " : textChar(c);
  }
};

const capability: Printer = (p, at, _len, o) => {
  const v = u32(p, at);
  const names = CAPABILITIES.filter(([bit]) => v & bit).map(([, n]) => n);
  o.s += `(0x${hex(v, 8)}): ${names.length ? names.join(", ") : "none"}`;
};

/** A value that does not add up: tcpdump checks that the rest was captured and goes on with the next TLV. */
function invalidValue(p: Uint8Array, at: number, rest: number, o: Out, why: string): void {
  o.s += why;
  check(p, at, rest);
}

/** The Address and Management Addresses values: a count, then (protocol type, protocol, address) entries. */
const addresses: Printer = (p, at, len, o) => {
  let l = len;
  if (l < 4) return invalidValue(p, at, l, o, " (not enough space for num)");
  let num = u32(p, at);
  at += 4, l -= 4;
  while (num) {
    if (l < 2) return invalidValue(p, at, l, o, " (not enough space for PT+PL)");
    const pt = u8(p, at), pl = u8(p, at + 1);
    at += 2, l -= 2;
    if (l < pl + 2) return invalidValue(p, at, l, o, " (not enough space for P+AL)");
    let al = u16(p, at + pl);
    // al follows the protocol bytes, so reading it proved them captured.
    if (pt === PT_NLPID && pl === 1 && p[at] === NLPID_IP && al === 4) {
      at += pl + 2, l -= pl + 2;
      if (l < al) return invalidValue(p, at, l, o, " (not enough space for A)");
      check(p, at, 4);
      o.s += `IPv4 (${num}) ${formatIpv4Address(p, at)}`;
      at += al, l -= al;
    } else if (pt === PT_IEEE_802_2 && pl === 8 && PROT_IPV6.every((x, k) => p[at + k] === x) && al === 16) {
      at += pl + 2, l -= pl + 2;
      if (l < al) return invalidValue(p, at, l, o, " (not enough space for A)");
      check(p, at, 16);
      o.s += `IPv6 (${num}) ${formatIpv6Address(p, at)}`;
      at += al, l -= al;
    } else {
      o.s += `pt=0x${hex(pt, 2)}, pl=${pl}, pb=`;
      for (let k = 0; k < pl; k++) o.s += ` ${hex(u8(p, at + k), 2)}`;
      at += pl + 2, l -= pl + 2;
      o.s += `, al=${al}, a=`;
      if (l < al) return invalidValue(p, at, l, o, " (not enough space for A)");
      for (; al > 0; al--, at++, l--) o.s += ` ${hex(u8(p, at), 2)}`;
    }
    num--;
    if (num) o.s += " ";
  }
  if (l) o.s += ` (${l} bytes of stray data)`;
};

const prefixes: Printer = (p, at, len, o) => {
  if (len % 5) return invalidValue(p, at, len, o, ` [length ${len} is not a multiple of 5]`);
  o.s += ` IPv4 Prefixes (${len / 5}):`;
  for (let k = 0; k < len; k += 5) {
    check(p, at + k, 5);
    o.s += ` ${formatIpv4Address(p, at + k)}/${p[at + k + 4]}`;
  }
};

const uint16: Printer = (p, at, _len, o) => {
  o.s += String(u16(p, at));
};

const duplex: Printer = (p, at, _len, o) => {
  o.s += u8(p, at) ? "full" : "half";
};

/** ATA-186 VoIP VLAN: 3 bytes are an application and a VLAN; tcpdump does not know what 2 bytes mean. */
const ata186: Printer = (p, at, len, o) => {
  if (len === 2) o.s += `unknown 0x${hex(u16(p, at), 4)}`;
  else {
    const vlan = u16(p, at + 1);
    o.s += `app ${u8(p, at)}, vlan ${vlan}`;
  }
};

/** Power consumption in mW, 1 to 3 bytes, printed as watts with two decimals (C rounds a tie such as 0.125 to even). */
const power: Printer = (p, at, len, o) => {
  let v = 0;
  for (let k = 0; k < len; k++) v = v * 256 + u8(p, at + k);
  o.s += `${fixedC(v / 1000, 2)}W`;
};

const mtu: Printer = (p, at, _len, o) => {
  o.s += `${u32(p, at)} bytes`;
};

const byteHex: Printer = (p, at, _len, o) => {
  o.s += `0x${hex(u8(p, at), 2)}`;
};

const location: Printer = (p, at, len, o) => {
  o.s += `0x${hex(u8(p, at), 2)}`;
  if (len > 1) {
    o.s += "/";
    chars(p, at + 1, len - 1, o);
  }
};

const tlv = (name: string | null, printer: Printer | null, min = 0, max = 0): TlvInfo => ({
  name,
  printer,
  min,
  max,
});

/** tcpdump's table, indexed by type: 0x00 to 0x17; a type beyond has no entry at all. */
const TLVS: readonly TlvInfo[] = [
  tlv(null, null),
  tlv("Device-ID", quoted),
  tlv("Address", addresses),
  tlv("Port-ID", quoted),
  tlv("Capability", capability, 4, 4),
  tlv("Version String", version),
  tlv("Platform", quoted),
  tlv("Prefixes", prefixes),
  tlv("Protocol-Hello option", null),
  tlv("VTP Management Domain", quoted),
  tlv("Native VLAN ID", uint16, 2, 2),
  tlv("Duplex", duplex, 1, 1),
  tlv(null, null),
  tlv(null, null),
  tlv("ATA-186 VoIP VLAN assignment", ata186, 3, 3),
  tlv("ATA-186 VoIP VLAN request", ata186, 2, 3),
  tlv("power consumption", power, 1, 3),
  tlv("MTU", mtu, 4, 4),
  tlv("AVVID trust bitmap", byteHex, 1, 1),
  tlv("AVVID untrusted ports CoS", byteHex, 1, 1),
  tlv("System Name", quoted),
  tlv("System Object ID (not decoded)", null),
  tlv("Management Addresses", addresses, 4),
  tlv("Physical Location", location, 1),
];

/** The message; returns normally where tcpdump returns, throws {@link Cut} where it jumps. */
function message(p: Uint8Array, length: number, verbose: boolean, o: Out): void {
  const origLength = length;
  let at = 0;
  const invalid = (why: string) => {
    o.s += why + INVALID;
    check(p, at, length);
  };
  if (length < HEADER_LEN) return invalid(` (packet length ${length} < ${HEADER_LEN})`);
  const ttl = u8(p, 1);
  o.s += `CDPv${u8(p, 0)}, ttl: ${ttl}s`;
  const checksum = u16(p, 2);
  if (verbose) o.s += `, checksum: 0x${hex(checksum, 4)} (unverified), length ${origLength}`;
  at += HEADER_LEN, length -= HEADER_LEN;
  while (length) {
    if (length < TLV_HEADER_LEN) {
      return invalid(` (remaining packet length ${length} < ${TLV_HEADER_LEN})`);
    }
    const type = u16(p, at);
    let len = u16(p, at + 2);
    const info = type < TLVS.length ? TLVS[type] : null;
    const name = info?.name ?? "unknown field type";
    // Only the Device-ID is printed without -v.
    const always = type === DEVICE_ID;
    if (len < TLV_HEADER_LEN) {
      return invalid(
        verbose
          ? `\n\t${name} (0x${hex(type, 2)}), TLV length: ${len} byte${plural(len)} (too short)`
          : `, ${name} TLV length ${len} too short`,
      );
    }
    if (len > length) return invalid(` (TLV length ${len} > ${length})`);
    at += TLV_HEADER_LEN, length -= TLV_HEADER_LEN, len -= TLV_HEADER_LEN;
    if (verbose) o.s += `\n\t${name} (0x${hex(type, 2)}), value length: ${len} byte${plural(len)}: `;
    else if (always) o.s += `, ${name} `;
    let covered = false;
    if (info) {
      if ((info.min > 0 && len < info.min) || (info.max > 0 && len > info.max)) o.s += " (malformed TLV)";
      else if (verbose || always) {
        if (info.printer) info.printer(p, at, len, o);
        else check(p, at, len);
        covered = true;
      }
    }
    if (!covered) {
      check(p, at, len);
      o.s += hexLines(p, at, len, "\n\t  ");
    }
    at += len, length -= len;
  }
  if (!verbose) o.s += `, length ${origLength}`;
}

/**
 * tcpdump's text for a CDP message.
 *
 * @param b the captured bytes after the SNAP header
 * @param length their length on the wire (the 802.3 length less the LLC and SNAP headers)
 * @param verbosity how many -v (0 for none)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the whole
 *   frame); null to print it as an undissected SNAP frame
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cdpText } from "./_cdp.ts";
 * const cdp = new Uint8Array([2, 180, 0, 0, 0, 1, 0, 7, 0x73, 0x77, 0x31]);
 * assert.deepEqual(cdpText(cdp, 11, 0), { text: "CDPv2, ttl: 180s, Device-ID 'sw1', length 11", jump: false });
 * assert.deepEqual(cdpText(cdp.subarray(0, 9), 11, 0), { text: "CDPv2, ttl: 180s, Device-ID 's [|cdp]", jump: true });
 * ```
 */
export function cdpText(
  b: Uint8Array,
  length: number,
  verbosity: number,
): { text: string; jump: boolean } | null {
  const o: Out = { s: "" };
  try {
    message(b, Math.max(0, length), verbosity > 0, o);
    return { text: o.s, jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: o.s + CUT, jump: true };
  }
}
