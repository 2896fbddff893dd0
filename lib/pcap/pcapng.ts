/**
 * The pcapng file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html): a sequence of
 * blocks, each
 *
 * ```
 *  0 block type   4 block total length   8 body ...   (options)   total length again
 * ```
 *
 * padded to 4 bytes. A file is one or more sections; each starts with a section header block (SHB) whose
 * byte-order magic 1a2b3c4d says the byte order of the whole section (the SHB's type 0a0d0d0a reads the
 * same either way). Interface description blocks (IDB) number the interfaces of a section from 0; packet
 * blocks name their interface by that number. Options are `code(2) length(2) value` padded to 4, ended by
 * code 0; code 1 is a comment in every block.
 *
 * Timestamps are 64-bit counts of the interface's unit, `if_tsresol`: a byte whose top bit clear means
 * 10^-n seconds and set means 2^-n seconds (default 6, microseconds), plus `if_tsoffset` seconds.
 *
 * @module
 */

/** Block type numbers. */
export const BlockType = {
  /** Section header block. */
  SHB: 0x0a0d0d0a,
  /** Interface description block. */
  IDB: 0x00000001,
  /** Obsolete packet block. */
  OPB: 0x00000002,
  /** Simple packet block: no timestamp, interface 0. */
  SPB: 0x00000003,
  /** Name resolution block. */
  NRB: 0x00000004,
  /** Interface statistics block. */
  ISB: 0x00000005,
  /** Enhanced packet block. */
  EPB: 0x00000006,
  /** Decryption secrets block. */
  DSB: 0x0000000a,
  /** Custom block that may be copied. */
  CB_COPY: 0x00000bad,
  /** Custom block that must not be copied. */
  CB_NOCOPY: 0x40000bad,
} as const;

/** The section header's byte-order magic, as the writer's byte order reads it. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The format version writers put in the section header. */
export const PCAPNG_VERSION = { major: 1, minor: 0 } as const;

/** Option codes valid in every block. */
export const CommonOption = { END: 0, COMMENT: 1 } as const;
/** Section header block option codes. */
export const ShbOption = { HARDWARE: 2, OS: 3, USERAPPL: 4 } as const;
/** Interface description block option codes. */
export const IdbOption = {
  NAME: 2,
  DESCRIPTION: 3,
  IPV4ADDR: 4,
  IPV6ADDR: 5,
  MACADDR: 6,
  EUIADDR: 7,
  SPEED: 8,
  TSRESOL: 9,
  TZONE: 10,
  FILTER: 11,
  OS: 12,
  FCSLEN: 13,
  TSOFFSET: 14,
  HARDWARE: 15,
} as const;
/** Enhanced packet block option codes (the obsolete packet block's pack_flags is also 2). */
export const EpbOption = { FLAGS: 2, HASH: 3, DROPCOUNT: 4, PACKETID: 5, QUEUE: 6, VERDICT: 7 } as const;

/** The direction bits (0-1) of `epb_flags`. */
export const EpbDirection = { UNKNOWN: 0, INBOUND: 1, OUTBOUND: 2 } as const;

/** Length of the fixed part of each block (type, length, trailing length). */
export const BLOCK_OVERHEAD = 12;
/** Largest block a reader accepts: a 256 MiB packet plus room for options. */
export const MAX_BLOCK_LEN = 256 * 1024 * 1024 + 65536;

/**
 * Rounds a length up to the 4-byte alignment of pcapng bodies and options.
 *
 * @param n a length in bytes
 * @returns `n` rounded up to a multiple of 4
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pad4 } from "./pcapng.ts";
 * assert(pad4(5) === 8 && pad4(8) === 8);
 * ```
 */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Decodes an `if_tsresol` byte into ticks per second.
 *
 * @param resol the option byte: top bit clear means 10^-n s, set means 2^-(n & 0x7f) s
 * @returns the number of ticks per second (a bigint, since 10^19 and 2^64 do not fit a number exactly),
 *   and the power of ten when it is one (else -1)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tsResolution } from "./pcapng.ts";
 * assert(tsResolution(9).unitsPerSecond === 1_000_000_000n);
 * assert(tsResolution(0x8a).unitsPerSecond === 1024n && tsResolution(0x8a).pow10 === -1);
 * ```
 */
export function tsResolution(resol: number): { unitsPerSecond: bigint; pow10: number } {
  const n = resol & 0x7f;
  return (resol & 0x80) ? { unitsPerSecond: 1n << BigInt(n), pow10: -1 } : {
    unitsPerSecond: 10n ** BigInt(n),
    pow10: n,
  };
}
