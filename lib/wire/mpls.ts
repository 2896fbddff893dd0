/**
 * MPLS label stack encoding (RFC 3032), EtherTypes 0x8847 (unicast) and 0x8848 (multicast).
 *
 * ```text
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Label                  | TC  |S|      TTL      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * Rules that are easy to miss: entries repeat until one has S (bottom of stack) set; nothing in the stack
 * names what follows it. Labels 0 and 2 (IPv4 and IPv6 explicit NULL) do (and 3 for tcpdump); otherwise a reader guesses from
 * the payload's first byte, as tcpdump does: 0x45-0x4f IPv4, 0x60-0x6f IPv6 (0x81-0x83, OSI, is not read
 * here). TC was called EXP before RFC 5462.
 *
 * @module
 */
import { shortError, type WireError } from "./errors.ts";

/** One label stack entry. */
export interface MplsEntry {
  /** The 20-bit label. */
  readonly label: number;
  /** Traffic class (3 bits). */
  readonly tc: number;
  /** S: the bottom of the stack. */
  readonly bottom: boolean;
  /** Time to live. */
  readonly ttl: number;
}

/** tcpdump 4.99's names of the reserved labels 0-15 (its `-v`; later IANA assignments are still "rsvd"). */
export const MPLS_LABEL_NAMES: readonly string[] = [
  "IPv4 explicit NULL",
  "router alert",
  "IPv6 explicit NULL",
  "implicit NULL",
  ...Array<string>(12).fill("rsvd"),
];

/**
 * Reads the label stack entry at `at`.
 *
 * @param b the bytes of the label stack
 * @param at the entry's offset
 * @returns the entry, or a {@link WireError} when fewer than 4 bytes are there
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readMplsEntry } from "./mpls.ts";
 * assert.deepEqual(readMplsEntry(new Uint8Array([0, 0x06, 0x41, 0x40]), 0), { label: 100, tc: 0, bottom: true, ttl: 64 });
 * ```
 */
export function readMplsEntry(b: Uint8Array, at: number): MplsEntry | WireError {
  if (b.length - at < 4) return shortError("mpls", at + 4, b.length);
  const w = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  return { label: w >>> 12, tc: (w >>> 9) & 7, bottom: (w & 0x100) !== 0, ttl: w & 0xff };
}

/**
 * Builds a label stack (S set on the last entry unless given) followed by `payload`, in one buffer.
 *
 * @param entries the stack, top first
 * @param payload what it carries
 * @returns the bytes
 * @throws {RangeError} for a label, TC or TTL out of range, or an empty stack
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitMpls } from "./mpls.ts";
 * assert.deepEqual([...emitMpls([{ label: 100, ttl: 64 }])], [0, 0x06, 0x41, 0x40]);
 * ```
 */
export function emitMpls(
  entries: readonly { label: number; tc?: number; bottom?: boolean; ttl?: number }[],
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (entries.length === 0) throw new RangeError("an MPLS stack needs an entry");
  const out = new Uint8Array(entries.length * 4 + payload.length);
  entries.forEach((e, i) => {
    const tc = e.tc ?? 0, ttl = e.ttl ?? 64, bottom = e.bottom ?? i === entries.length - 1;
    if (!Number.isInteger(e.label) || e.label < 0 || e.label > 0xfffff) {
      throw new RangeError(`label ${e.label}`);
    }
    if (!Number.isInteger(tc) || tc < 0 || tc > 7) throw new RangeError(`TC ${tc}`);
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 255) throw new RangeError(`TTL ${ttl}`);
    const w = e.label * 4096 + tc * 512 + (bottom ? 256 : 0) + ttl;
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = (w >>> 16) & 0xff;
    out[i * 4 + 2] = (w >>> 8) & 0xff;
    out[i * 4 + 3] = w & 0xff;
  });
  out.set(payload, entries.length * 4);
  return out;
}

/**
 * What the bottom of a stack carries, as tcpdump guesses it: 4 (IPv4), 6 (IPv6) or 0 (unknown).
 *
 * @param label the bottom entry's label
 * @param payload the bytes after the stack
 * @returns the IP version, or 0
 */
export function mplsPayloadGuess(label: number, payload: Uint8Array): 0 | 4 | 6 {
  // tcpdump takes label 3 (implicit NULL, which should never be seen on the wire) for IPv4 too.
  if (label === 0 || label === 3) return 4;
  if (label === 2) return 6;
  if (payload.length < 1) return 0;
  const v = payload[0];
  if (v >= 0x45 && v <= 0x4f) return 4;
  if (v >= 0x60 && v <= 0x6f) return 6;
  return 0;
}
