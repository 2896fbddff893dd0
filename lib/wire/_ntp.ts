/**
 * Private: NTP (RFC 5905, UDP port 123) as tcpdump 4.99's print-ntp.c writes it. The default line is
 * `NTPv4, Client, length 48`; `-v` adds the leap indicator and, for the time modes (0 to 5), the header's
 * fields on tab-indented lines:
 *
 * ```text
 * NTPv4, Server, length 48
 * 	Leap indicator:  (0), Stratum 2 (secondary reference), poll 6 (64s), precision -23
 * 	Root Delay: 0.015625, Root dispersion: 0.030517, Reference-ID: 0xc0a80001
 * 	  Reference Timestamp:  3913056000.000000000 (2024-01-01T00:00:00Z)
 * 	  Originator Timestamp: ...
 * 	  Receive Timestamp:    ...
 * 	  Transmit Timestamp:   ...
 * 	    Originator - Receive Timestamp:  +0.000000000
 * 	    Originator - Transmit Timestamp: ...
 * ```
 *
 * A control message (mode 6) gets its R/E/M bits, opcode, sequence, status, association, offset and count.
 * A message shorter than its mode's header reads ` (invalid)`; a field past the captured bytes ends the
 * text with ` [|ntp]`. tcpdump's fractions are computed in binary floating point and truncated: the same
 * arithmetic here gives the same digits.
 *
 * @module
 */
import { formatIpv4Address } from "./address.ts";
import { Cut, textChar, u16, u32, u8 } from "./_text.ts";

const MODE = [
  "unspecified",
  "symmetric active",
  "symmetric passive",
  "Client",
  "Server",
  "Broadcast",
  "Control Message",
  "Reserved",
];
const LEAP: Record<number, string> = { 0: "", 0x40: "+1s", 0x80: "-1s", 0xc0: "clock unsynchronized" };
/** The fixed part of a time message and of a control message. */
const TIME_LEN = 48;
const CONTROL_LEN = 12;
/** Seconds from 1900 (NTP's era 0) to 1970 (the Unix epoch). */
const JAN_1970 = 2208988800;
const TRUNC = " [|ntp]";

const s8 = (x: number) => (x << 24) >> 24;
const pad = (x: number, n: number) => `${x}`.padStart(n, "0");

/**
 * tcpdump's NTP text.
 *
 * @param p the captured bytes of the UDP payload (to the IP payload's end)
 * @param length the UDP payload length
 * @param verbosity the number of `-v` flags
 * @returns the text after the ports
 */
export function ntpText(p: Uint8Array, length: number, verbosity = 0): string {
  if (p.length < 1) return TRUNC;
  const status = p[0];
  const mode = status & 7;
  let s = `NTPv${(status >> 3) & 7}, ${MODE[mode]}, length ${length}`;
  if (verbosity < 1) return s;
  s += `\n\tLeap indicator: ${LEAP[status & 0xc0]} (${status & 0xc0})`;
  const out = { s };
  try {
    if (mode <= 5) timeMessage(p, length, out);
    else if (mode === 6) controlMessage(p, length, out);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    out.s += TRUNC;
  }
  return out.s;
}

/** The message is shorter than its header: tcpdump says so, and marks a capture cut inside it. */
function invalid(p: Uint8Array, length: number, out: { s: string }): void {
  out.s += " (invalid)";
  if (p.length < length) throw new Cut();
}

/** Throws {@link Cut} unless `n` bytes from `at` were captured (tcpdump's ND_TCHECK_LEN). */
function need(p: Uint8Array, at: number, n: number): void {
  if (at + n > p.length) throw new Cut();
}

function timeMessage(p: Uint8Array, length: number, out: { s: string }): void {
  if (length < TIME_LEN) return invalid(p, length, out);
  const stratum = u8(p, 1);
  const kind = stratum === 0
    ? "unspecified"
    : stratum === 1
    ? "primary reference"
    : stratum <= 15
    ? "secondary reference"
    : "reserved";
  out.s += `, Stratum ${stratum} (${kind})`;
  const poll = s8(u8(p, 2));
  out.s += `, poll ${poll}`;
  if (poll > -32 && poll < 32) out.s += poll >= 0 ? ` (${2 ** poll}s)` : ` (1/${2 ** -poll}s)`;
  out.s += `, precision ${s8(u8(p, 3))}`;
  need(p, 4, 4);
  out.s += `\n\tRoot Delay: ${shortFixed(p, 4)}`;
  need(p, 8, 4);
  out.s += `, Root dispersion: ${shortFixed(p, 8)}`;
  need(p, 12, 4);
  out.s += ", Reference-ID: ";
  switch (stratum) {
    case 0:
      out.s += "(unspec)";
      break;
    case 1:
      for (let k = 12; k < 16; k++) out.s += textChar(p[k]);
      break;
    case 62:
      // tcpdump prints the address and stops: nothing else of such a message is read.
      out.s += `${formatIpv4Address(p, 12)} INFO_QUERY`;
      return;
    case 63:
      out.s += `${formatIpv4Address(p, 12)} INFO_REPLY`;
      return;
    default:
      out.s += `0x${u32(p, 12).toString(16).padStart(8, "0")}`;
  }
  const names = [
    "Reference Timestamp:  ",
    "Originator Timestamp: ",
    "Receive Timestamp:    ",
    "Transmit Timestamp:   ",
  ];
  names.forEach((name, k) => {
    need(p, 16 + 8 * k, 8);
    out.s += `\n\t  ${name}${timestamp(p, 16 + 8 * k)}`;
  });
  out.s += `\n\t    Originator - Receive Timestamp:  ${delta(p, 24, 32)}`;
  out.s += `\n\t    Originator - Transmit Timestamp: ${delta(p, 24, 40)}`;
  // Key identifier and digest (RFC 5905 section 7.3): tcpdump knows them only by the message's length.
  if (length === TIME_LEN + 4) out.s += `\n\tKey id: ${u32(p, 48)}`;
  else if (length === TIME_LEN + 20 || length === TIME_LEN + 24) {
    out.s += `\n\tKey id: ${u32(p, 48)}`;
    const words = (length - TIME_LEN - 4) / 4;
    need(p, 52, words * 4);
    out.s += "\n\tAuthentication: ";
    for (let k = 0; k < words; k++) out.s += u32(p, 52 + 4 * k).toString(16).padStart(8, "0");
  } else if (length > TIME_LEN) out.s += `\n\t(${length - TIME_LEN} more bytes after the header)`;
}

function controlMessage(p: Uint8Array, length: number, out: { s: string }): void {
  if (length < CONTROL_LEN) return invalid(p, length, out);
  const control = u8(p, 1);
  out.s += `, ${control & 0x80 ? "Response" : "Request"}, ${control & 0x40 ? "Error" : "OK"}, ${
    control & 0x20 ? "More" : "Last"
  }, OpCode=${control & 0x1f}\n`;
  out.s += `\tSequence=${u16(p, 2)}`;
  const status = u16(p, 4);
  out.s += `, Status=${status ? `0x${status.toString(16)}` : "0"}`;
  out.s += `, Assoc.=${u16(p, 6)}`;
  out.s += `, Offset=${u16(p, 8)}`;
  const count = u16(p, 10);
  out.s += `, Count=${count}`;
  if (CONTROL_LEN + count > length) return invalid(p, length, out);
  if (count !== 0) {
    need(p, CONTROL_LEN, count);
    out.s += "\n\tTO-BE-DONE: data not interpreted";
  }
}

/** A 16.16 fixed-point value: the fraction in millionths, truncated (tcpdump's p_sfix). */
function shortFixed(p: Uint8Array, at: number): string {
  return `${u16(p, at)}.${pad(Math.trunc((u16(p, at + 2) / 65536) * 1000000), 6)}`;
}

/** Billionths of a 32-bit binary fraction, truncated. */
const billionths = (f: number) => Math.trunc((f / 4294967296) * 1000000000);

/** A 32.32 timestamp and, when not zero, its UTC date (tcpdump's p_ntp_time). */
function timestamp(p: Uint8Array, at: number): string {
  const i = u32(p, at);
  let s = `${i}.${pad(billionths(u32(p, at + 4)), 9)}`;
  if (i !== 0) {
    const d = new Date((i - JAN_1970) * 1000);
    s += ` (${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${
      pad(d.getUTCHours(), 2)
    }:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}Z)`;
  }
  return s;
}

/** The signed difference of two timestamps, or the second one when the first is zero (p_ntp_delta). */
function delta(p: Uint8Array, from: number, to: number): string {
  const ou = u32(p, from), ouf = u32(p, from + 4);
  const u = u32(p, to), uf = u32(p, to + 4);
  if (ou === 0 && ouf === 0) return timestamp(p, to);
  let sign: string, i: number, f: number;
  // tcpdump works in unsigned 32-bit arithmetic; a borrow from the seconds wraps like it.
  if (u > ou) {
    sign = "+";
    i = u - ou;
    f = (uf - ouf) >>> 0;
    if (ouf > uf) i = (i - 1) >>> 0;
  } else if (u < ou) {
    sign = "-";
    i = ou - u;
    f = (ouf - uf) >>> 0;
    if (uf > ouf) i = (i - 1) >>> 0;
  } else {
    i = 0;
    [sign, f] = uf > ouf ? ["+", uf - ouf] : ["-", ouf - uf];
  }
  return `${sign}${i}.${pad(billionths(f), 9)}`;
}
