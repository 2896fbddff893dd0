/**
 * Private helpers shared by the codecs: the byte-view base class and enum name lookup.
 *
 * @module
 */
import type { WireError } from "./errors.ts";

/**
 * Base of every codec view: the layer's bytes, big-endian readers, and a DataView over exactly the same
 * bytes made on first use.
 */
export abstract class WireView {
  /** The layer's bytes (from its first header byte to the end of the buffer given). */
  protected b: Uint8Array;
  #dv: DataView | null = null;

  /**
   * Wraps the bytes; subclasses validate them.
   *
   * @param bytes the layer's bytes
   */
  constructor(bytes: Uint8Array) {
    this.b = bytes;
  }

  /**
   * A DataView over the same bytes (respecting the subarray's offset), made on first use: getters read
   * bytes directly, so the per-packet decode path never allocates one.
   */
  protected get v(): DataView {
    return this.#dv ??= new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
  }

  /**
   * Returns the big-endian 16-bit value at `at` (0 past the end: check() first).
   *
   * @returns the big-endian 16-bit value at `at` (0 past the end: check() first)
   */
  protected u16(at: number): number {
    return (this.b[at] << 8) | this.b[at + 1];
  }

  /**
   * Returns the big-endian 32-bit value at `at` (0 past the end: check() first).
   *
   * @returns the big-endian 32-bit value at `at` (0 past the end: check() first)
   */
  protected u32(at: number): number {
    return ((this.b[at] << 24) | (this.b[at + 1] << 16) | (this.b[at + 2] << 8) | this.b[at + 3]) >>> 0;
  }

  /**
   * Points the view at new bytes without validating them; call {@link check} before reading.
   *
   * @param bytes the new bytes
   * @returns this view
   */
  reset(bytes: Uint8Array): this {
    this.b = bytes;
    this.#dv = null;
    return this;
  }

  /**
   * Returns the bytes under the view (not a copy).
   *
   * @returns the bytes under the view (not a copy)
   */
  get bytes(): Uint8Array {
    return this.b;
  }

  /**
   * Validates the length fields against the buffer without throwing.
   *
   * @returns null when every getter is safe; a WIRE_TRUNCATED error when the header is readable but the
   *   claimed length exceeds the buffer (getters are safe, `payload()` is clamped); any other error when the
   *   header itself cannot be read
   */
  abstract check(): WireError | null;
}

/**
 * Looks a value up in a const enum object and returns its key, or `unknown(0x..)` when absent.
 *
 * @param table the enum object
 * @param value the value
 * @param digits hex digits of the unknown form
 * @returns the name
 */
export function enumName(table: Readonly<Record<string, number>>, value: number, digits = 2): string {
  for (const k in table) if (table[k] === value) return k;
  return `unknown(0x${value.toString(16).padStart(digits, "0")})`;
}

/** Throws the error when present: the checked constructors and parse functions use it. */
export function throwIf(e: WireError | null): void {
  if (e) throw e;
}
