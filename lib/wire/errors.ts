/**
 * The one error type of the packet codecs. A {@link WireError} names the layer, a stable `code`, a readable
 * reason and the byte offset (within the layer's bytes) where decoding stopped.
 *
 * Codecs throw it only at API edges (checked constructors, `parseX`); the hot path returns it from `check()`.
 *
 * @module
 */

/** Stable machine-readable codes of {@link WireError}. */
export const WireErrorCode = {
  /** The buffer is too short for the fixed header. */
  SHORT: "WIRE_SHORT",
  /** The header is complete but a length field claims more bytes than the buffer holds. */
  TRUNCATED: "WIRE_TRUNCATED",
  /** A length field is impossible (smaller than the header, not a multiple, ...). */
  BAD_LENGTH: "WIRE_BAD_LENGTH",
  /** The version field is not the one this codec reads. */
  BAD_VERSION: "WIRE_BAD_VERSION",
  /** An option or extension header is malformed. */
  BAD_OPTION: "WIRE_BAD_OPTION",
  /** A compression pointer loops or points forward/outside. */
  BAD_POINTER: "WIRE_BAD_POINTER",
  /** A textual address or value cannot be parsed. */
  BAD_VALUE: "WIRE_BAD_VALUE",
} as const;

/** One of the {@link WireErrorCode} values. */
export type WireErrorCode = typeof WireErrorCode[keyof typeof WireErrorCode];

/**
 * A decoding or encoding failure in one layer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WireError } from "./errors.ts";
 * const e = new WireError("udp", "WIRE_SHORT", "need 8 bytes, have 3", 3);
 * assert(e.message === "udp: need 8 bytes, have 3 (at offset 3)");
 * assert(e.code === "WIRE_SHORT");
 * ```
 */
export class WireError extends Error {
  /** The layer that failed, e.g. "ipv4". */
  readonly layer: string;
  /** Stable code, one of {@link WireErrorCode}. */
  readonly code: WireErrorCode;
  /** The reason without the layer prefix. */
  readonly reason: string;
  /** Byte offset inside the layer's bytes where the problem lies. */
  readonly offset: number;

  /**
   * Wraps the bytes, validating every length field first unless `checked` is false.
   *
   * @param layer the layer name
   * @param code a stable code
   * @param reason readable reason
   * @param offset offset within the layer
   */
  constructor(layer: string, code: WireErrorCode, reason: string, offset: number) {
    super(`${layer}: ${reason} (at offset ${offset})`);
    this.name = "WireError";
    this.layer = layer;
    this.code = code;
    this.reason = reason;
    this.offset = offset;
  }
}

/**
 * Builds the usual "buffer too short" error.
 *
 * @param layer the layer name
 * @param need bytes needed
 * @param have bytes available
 * @returns a WireError with code WIRE_SHORT
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shortError } from "./errors.ts";
 * assert(shortError("tcp", 20, 4).code === "WIRE_SHORT");
 * ```
 */
export function shortError(layer: string, need: number, have: number): WireError {
  return new WireError(layer, WireErrorCode.SHORT, `need ${need} bytes, have ${have}`, have);
}

/**
 * Builds the "length field exceeds the buffer" error (the header itself is readable).
 *
 * @param layer the layer name
 * @param claimed bytes the header claims
 * @param have bytes available
 * @returns a WireError with code WIRE_TRUNCATED
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncatedError } from "./errors.ts";
 * assert(truncatedError("ipv4", 60, 40).code === "WIRE_TRUNCATED");
 * ```
 */
export function truncatedError(layer: string, claimed: number, have: number): WireError {
  return new WireError(
    layer,
    WireErrorCode.TRUNCATED,
    `length ${claimed} exceeds the ${have} bytes captured`,
    have,
  );
}
