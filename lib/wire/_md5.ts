/**
 * MD5 (RFC 1321), for the TCP-MD5 signature check (RFC 2385) of `-M`. Written here so that lib/wire stays
 * free of runtime modules; MD5 is broken for security and is used only because the protocol uses it.
 *
 * @module
 */

/** Per-round shift amounts (RFC 1321 section 3.4). */
const S = [
  7,
  12,
  17,
  22,
  7,
  12,
  17,
  22,
  7,
  12,
  17,
  22,
  7,
  12,
  17,
  22,
  5,
  9,
  14,
  20,
  5,
  9,
  14,
  20,
  5,
  9,
  14,
  20,
  5,
  9,
  14,
  20,
  4,
  11,
  16,
  23,
  4,
  11,
  16,
  23,
  4,
  11,
  16,
  23,
  4,
  11,
  16,
  23,
  6,
  10,
  15,
  21,
  6,
  10,
  15,
  21,
  6,
  10,
  15,
  21,
  6,
  10,
  15,
  21,
];

/** T[i] = floor(abs(sin(i + 1)) * 2^32). */
const T = Uint32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));

/** An incremental MD5 hash. */
export class Md5 {
  #h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  #block = new Uint8Array(64);
  #fill = 0;
  #bytes = 0;
  #x = new Uint32Array(16);

  /**
   * Adds bytes.
   *
   * @param data the bytes
   * @returns this hash
   */
  update(data: Uint8Array): this {
    this.#bytes += data.length;
    for (const b of data) {
      this.#block[this.#fill++] = b;
      if (this.#fill === 64) {
        this.#compress();
        this.#fill = 0;
      }
    }
    return this;
  }

  /**
   * Ends the hash.
   *
   * @returns the 16-byte digest
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Md5 } from "./_md5.ts";
   * const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
   * assert.equal(hex(new Md5().update(new TextEncoder().encode("abc")).digest()), "900150983cd24fb0d6963f7d28e17f72");
   * ```
   */
  digest(): Uint8Array {
    const bits = this.#bytes * 8;
    const pad = new Uint8Array(((this.#fill < 56 ? 56 : 120) - this.#fill) + 8);
    pad[0] = 0x80;
    // The message length in bits, little-endian, 64 bits.
    const n = pad.length - 8;
    for (let k = 0; k < 8; k++) pad[n + k] = Math.floor(bits / 2 ** (8 * k)) & 0xff;
    const saved = this.#bytes;
    this.update(pad);
    this.#bytes = saved;
    const out = new Uint8Array(16);
    for (let k = 0; k < 16; k++) out[k] = (this.#h[k >> 2] >>> (8 * (k & 3))) & 0xff;
    return out;
  }

  #compress(): void {
    const x = this.#x, b8 = this.#block;
    for (let k = 0; k < 16; k++) {
      x[k] = b8[4 * k] | (b8[4 * k + 1] << 8) | (b8[4 * k + 2] << 16) | (b8[4 * k + 3] << 24);
    }
    let [a, b, c, d] = this.#h;
    for (let i = 0; i < 64; i++) {
      let f: number, g: number;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) & 15;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) & 15;
      else f = c ^ (b | ~d), g = (7 * i) & 15;
      const sum = (a + f + T[i] + x[g]) | 0;
      a = d, d = c, c = b;
      b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) | 0;
    }
    this.#h[0] += a, this.#h[1] += b, this.#h[2] += c, this.#h[3] += d;
  }
}
