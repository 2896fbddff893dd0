/**
 * Private: what the application dissectors (`_tftp.ts`, `_syslog.ts`, `_vrrp.ts`, `_snmp.ts`) share to
 * read like tcpdump: a bounds-checked byte reader whose failure stands for tcpdump's jump to its truncation
 * mark, and tcpdump's way of showing a byte of text.
 *
 * tcpdump prints as it reads: when a read falls past the captured bytes it abandons the packet and appends
 * ` [|name]` to whatever it had printed. The dissectors here build their text in an {@link Out} and throw
 * {@link Cut} from a read; the exported function of each catches it and appends the mark, so nothing
 * escapes to the caller.
 *
 * @module
 */

/** Thrown by {@link u8} for a byte past the captured data: tcpdump's truncation jump. Caught in-module. */
export class Cut {}

/** The text printed so far; kept outside the `try` so that a {@link Cut} keeps it. */
export interface Out {
  /** The text. */
  s: string;
}

/** A printer's text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the frame). */
export interface Printed {
  /** The text. */
  text: string;
  /** Stopped by a long jump on running off the captured bytes. */
  jump: boolean;
}

/**
 * The byte at `at`, or a {@link Cut} when it was not captured.
 *
 * @param p the captured bytes
 * @param at the offset
 * @returns the byte
 */
export function u8(p: Uint8Array, at: number): number {
  if (at >= p.length || at < 0) throw new Cut();
  return p[at];
}

/**
 * The big-endian 16-bit value at `at`, or a {@link Cut}.
 *
 * @param p the captured bytes
 * @param at the offset
 * @returns the value
 */
export function u16(p: Uint8Array, at: number): number {
  return (u8(p, at) << 8) | u8(p, at + 1);
}

/**
 * The big-endian unsigned 32-bit value at `at`, or a {@link Cut}.
 *
 * @param p the captured bytes
 * @param at the offset
 * @returns the value
 */
export function u32(p: Uint8Array, at: number): number {
  return ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
}

/**
 * One byte as tcpdump shows text (its `fn_print_char`): a byte with the top bit set as `M-` and the low
 * seven bits, a control character as `^` and the character 0x40 away (`^A`, `^?`), the rest as itself.
 *
 * @param c the byte
 * @returns its text
 */
export function textChar(c: number): string {
  let s = "";
  if (c & 0x80) {
    c &= 0x7f;
    s = "M-";
  }
  if (c < 0x20 || c === 0x7f) {
    c ^= 0x40;
    s += "^";
  }
  return s + String.fromCharCode(c);
}

/**
 * A NUL-terminated string inside `n` bytes of the datagram from `at` (tcpdump's `nd_printztn`): its text and
 * the bytes it took, NUL included; `bytes` is 0 when no NUL came before `n` bytes or the captured end.
 *
 * @param p the captured bytes
 * @param at where the string starts
 * @param n the bytes the datagram has left from `at`
 * @returns the text and the bytes consumed
 */
export function zeroTerminated(p: Uint8Array, at: number, n: number): { text: string; bytes: number } {
  let text = "";
  for (let k = 0; k < n && at + k < p.length; k++) {
    const c = p[at + k];
    if (c === 0) return { text, bytes: k + 1 };
    text += textChar(c);
  }
  return { text, bytes: 0 };
}

/**
 * C's `%.Nf` of a double (glibc rounds the exact binary value, a tie to even), where JavaScript's `toFixed`
 * takes a tie up: `fixedC(0.125, 2)` is `0.12`, `(0.125).toFixed(2)` is `0.13`.
 *
 * @param x a finite number, or an infinity (`inf`, `-inf`)
 * @param places digits after the point, 1 or more
 * @returns the text
 */
export function fixedC(x: number, places: number): string {
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const neg = (hi >>> 31) === 1;
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  let q: bigint;
  const num = mant * 10n ** BigInt(places);
  if (e >= 0) q = num << BigInt(e);
  else {
    const den = 1n << BigInt(-e);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(places + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

const TIME_UNITS: [string, number][] = [
  ["y", 31536000],
  ["w", 604800],
  ["d", 86400],
  ["h", 3600],
  ["m", 60],
  [
    "s",
    1,
  ],
];

/**
 * Seconds as tcpdump's unsigned_relts_print writes them: `1h1m1s`, `0s`.
 *
 * @param sec a number of seconds, 0 or more
 * @returns e.g. `2m30s`
 */
export function relativeTime(sec: number): string {
  if (sec === 0) return "0s";
  let s = "";
  for (const [unit, n] of TIME_UNITS) {
    if (sec >= n) {
      s += `${Math.floor(sec / n)}${unit}`;
      sec %= n;
    }
  }
  return s;
}
