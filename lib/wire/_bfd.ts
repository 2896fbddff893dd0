/**
 * Private: BFD (RFC 5880, RFC 5881, RFC 5883, RFC 7130; UDP destination ports 3784 control, 4784 multihop,
 * 6784 LAG, 3785 echo) as tcpdump 4.99 prints it (print-bfd.c).
 *
 * ```text
 * v1: | vers (3 bits) | diag (5) | state (2) | P F C A D M | detect mult (1) | length (1) |
 * v0: | vers (3 bits) | diag (5) | H D P F C A rsv (2)     | detect mult (1) | length (1) |
 *     | my discriminator (4) | your discriminator (4) | desired min TX (4) | required min RX (4) |
 *     | required min echo RX (4) | optional authentication: | type (1) | len (1) | key id (1) | ... |
 * ```
 *
 * tcpdump's text (what follows `sport > dport: `):
 * - Default: `BFDv1, Control, State Up, Flags: [Poll, Demand], length: 24` (`Multihop` and `Lag` for ports
 *   4784 and 6784, the UDP payload's length); version 0 has no state and its own flags:
 *   `BFDv0, Control, Flags: [I Hear You, Authentication Present], length: 24`; other versions
 *   `BFDv3, Control, length: 24`; the echo port `BFD, Echo, length: 24`.
 * - `-v`: `BFDv1, length: 24`, then on tabbed lines the port, state, flags and `Diagnostic: Path Down (0x05)`,
 *   `Detection Timer Multiplier: 3 (3000 ms Detection time), BFD Length: 24` (the multiplier times the
 *   desired TX interval, in 32-bit unsigned arithmetic as C does it), the discriminators in hex and the three
 *   intervals in ms (`%4u`); with the A flag the authentication section after the 24 bytes (whatever the
 *   length fields say): type, length, key ID, then a simple password (printed as text), or a keyed / meticulous
 *   MD5 or SHA1 sequence number and digest; a section length that does not fit its type is
 *   `[invalid length 5]`. Other versions and the echo port print a hex dump of the datagram.
 * - Truncation: the control text needs the 24-byte header captured, and reads past the captured bytes end the
 *   text with ` [|bfd]`; every one of them is a long jump (tcpdump's `-x` then dumps the whole frame). The
 *   hex dumps stop quietly at the captured end.
 *
 * Not covered: nothing of print-bfd.c is left out; its "unknown port" branch is kept though the UDP
 * dispatcher never reaches it.
 *
 * @module
 */
import { Cut, type Out, type Printed, textChar, u8 } from "./_text.ts";
import { hexLines } from "./_nd.ts";

const CUT = " [|bfd]";
/** The header's fields (from the start of the datagram) and the authentication section's. */
const F = {
  versionDiag: 0,
  flags: 1,
  mult: 2,
  length: 3,
  myDisc: 4,
  yourDisc: 8,
  minTx: 12,
  minRx: 16,
  minEcho: 20,
  end: 24,
  authType: 24,
  authLen: 25,
  authKeyId: 26,
  authPassword: 27,
  authSeq: 28,
  authDigest: 32,
} as const;

const CONTROL_PORT = 3784, MULTIHOP_PORT = 4784, LAG_PORT = 6784, ECHO_PORT = 3785;
const PORTS: Record<number, string> = {
  [CONTROL_PORT]: "Control",
  [MULTIHOP_PORT]: "Multihop",
  [LAG_PORT]: "Lag",
};
const FLAG_AUTH = 0x04;

const DIAG = [
  "No Diagnostic",
  "Control Detection Time Expired",
  "Echo Function Failed",
  "Neighbor Signaled Session Down",
  "Forwarding Plane Reset",
  "Path Down",
  "Concatenated Path Down",
  "Administratively Down",
  "Reverse Concatenated Path Down",
];
const STATE = ["AdminDown", "Down", "Init", "Up"];
const V0_FLAGS: [number, string][] = [
  [0x80, "I Hear You"],
  [0x40, "Demand"],
  [0x20, "Poll"],
  [0x10, "Final"],
  [0x08, "Control Plane Independent"],
  [FLAG_AUTH, "Authentication Present"],
  [0x02, "Reserved"],
  [0x01, "Reserved"],
];
const V1_FLAGS: [number, string][] = [
  [0x20, "Poll"],
  [0x10, "Final"],
  [0x08, "Control Plane Independent"],
  [FLAG_AUTH, "Authentication Present"],
  [0x02, "Demand"],
  [0x01, "Multipoint"],
];

const AUTH_PASSWORD = 1, AUTH_MD5 = 2, AUTH_MET_MD5 = 3, AUTH_SHA1 = 4, AUTH_MET_SHA1 = 5;
const AUTH = [
  "",
  "Simple Password",
  "Keyed MD5",
  "Meticulous Keyed MD5",
  "Keyed SHA1",
  "Meticulous Keyed SHA1",
];
/** Section lengths: a password of 1 to 16 bytes after 3 bytes of header; MD5 and SHA1 fixed. */
const PASSWORD_MIN = 4, PASSWORD_MAX = 19, MD5_LEN = 24, MD5_HASH = 16, SHA1_LEN = 28, SHA1_HASH = 20;

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hex8 = (x: number) => x.toString(16).padStart(8, "0");

function u32(p: Uint8Array, at: number): number {
  return ((u8(p, at) << 24) | (u8(p, at + 1) << 16) | (u8(p, at + 2) << 8) | u8(p, at + 3)) >>> 0;
}

/** tcpdump's bittok2str: the names of the set bits, `none` for none. */
function flagNames(table: [number, string][], v: number): string {
  const names = table.filter(([bit]) => v & bit).map(([, name]) => name);
  return names.length ? names.join(", ") : "none";
}

/**
 * tcpdump's text for a BFD datagram: what follows `sport > dport: `; null where netkit prints the plain
 * `UDP, length N` (never: tcpdump hands every datagram to these ports to its BFD printer).
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @param port the destination port that selected BFD (the echo port's text differs)
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bfdText } from "./_bfd.ts";
 * const hello = new Uint8Array([0x20, 0xc0, 3, 24, ...new Array(20).fill(0)]);
 * assert.deepEqual(bfdText(hello, 24, 0, 3784), {
 *   text: "BFDv1, Control, State Up, Flags: [none], length: 24",
 *   jump: false,
 * });
 * assert.deepEqual(bfdText(hello.subarray(0, 8), 24, 0, 3784), { text: " [|bfd]", jump: true });
 * ```
 */
export function bfdText(p: Uint8Array, length: number, verbosity: number, port: number): Printed | null {
  const o: Out = { s: "" };
  try {
    if (port === CONTROL_PORT || port === MULTIHOP_PORT || port === LAG_PORT) {
      control(o, p, length, verbosity, port);
    } else {
      o.s += port === ECHO_PORT
        ? `BFD, Echo, length: ${length}`
        : `BFD, unknown (${port}), length: ${length}`;
      if (verbosity >= 1) o.s += hexLines(p, 0, length, "\n\t");
    }
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

function control(o: Out, p: Uint8Array, length: number, verbosity: number, port: number): void {
  // The whole fixed header must have been captured before anything is printed.
  u8(p, F.end - 1);
  const version = p[F.versionDiag] >> 5, diag = p[F.versionDiag] & 0x1f, flags = p[F.flags];
  const where = PORTS[port] ?? `unknown (${port})`;
  if (version > 1) {
    o.s += `BFDv${version}, Control, length: ${length}`;
    if (verbosity >= 1) o.s += hexLines(p, 0, length, "\n\t");
    return;
  }
  // Version 0 has no state bits: all eight are flags.
  const flagText = version === 0 ? flagNames(V0_FLAGS, flags) : flagNames(V1_FLAGS, flags & 0x3f);
  const head = version === 0 ? "Control" : `${where}, State ${STATE[flags >> 6]}`;
  if (verbosity < 1) {
    o.s += `BFDv${version}, ${head}, Flags: [${flagText}], length: ${length}`;
    return;
  }
  o.s += `BFDv${version}, length: ${length}\n\t${head}, Flags: [${flagText}], Diagnostic: ` +
    `${DIAG[diag] ?? "unknown"} (0x${hex2(diag)})`;
  const mult = p[F.mult], tx = u32(p, F.minTx);
  // C multiplies an unsigned int: the product wraps at 2^32 before the division.
  const detect = Math.floor(((mult * tx) % 0x100000000) / 1000);
  o.s += `\n\tDetection Timer Multiplier: ${mult} (${detect} ms Detection time), BFD Length: ${p[F.length]}`;
  o.s += `\n\tMy Discriminator: 0x${hex8(u32(p, F.myDisc))}, Your Discriminator: 0x${
    hex8(u32(p, F.yourDisc))
  }`;
  o.s += `\n\t  Desired min Tx Interval:    ${ms(tx)} ms`;
  o.s += `\n\t  Required min Rx Interval:   ${ms(u32(p, F.minRx))} ms`;
  o.s += `\n\t  Required min Echo Interval: ${ms(u32(p, F.minEcho))} ms`;
  if (flags & FLAG_AUTH) auth(o, p);
}

const ms = (us: number) => String(Math.floor(us / 1000)).padStart(4, " ");

/** The authentication section right after the fixed header (its 4 bytes checked first). */
function auth(o: Out, p: Uint8Array): void {
  u8(p, F.authType + 3);
  const type = p[F.authType], len = p[F.authLen];
  o.s += `\n\tAuthentication: ${AUTH[type] || "Unknown"} (${type}), length: ${len}`;
  o.s += `\n\t  Auth Key ID: ${p[F.authKeyId]}`;
  switch (type) {
    case AUTH_PASSWORD:
      if (len < PASSWORD_MIN || len > PASSWORD_MAX) {
        o.s += `[invalid length ${len}]`;
        return;
      }
      o.s += ", Password: ";
      for (let k = 0; k < len - 3; k++) o.s += textChar(u8(p, F.authPassword + k));
      return;
    case AUTH_MD5:
    case AUTH_MET_MD5:
      digest(o, p, len, MD5_LEN, MD5_HASH, "Digest");
      return;
    case AUTH_SHA1:
    case AUTH_MET_SHA1:
      digest(o, p, len, SHA1_LEN, SHA1_HASH, "Hash");
  }
}

function digest(o: Out, p: Uint8Array, len: number, want: number, n: number, name: string): void {
  if (len !== want) {
    o.s += `[invalid length ${len}]`;
    return;
  }
  o.s += `, Sequence Number: 0x${hex8(u32(p, F.authSeq))}`;
  // The whole digest is checked before any of it is printed.
  u8(p, F.authDigest + n - 1);
  o.s += `\n\t  ${name}: `;
  for (let k = 0; k < n; k++) o.s += hex2(p[F.authDigest + k]);
}
