/**
 * A small seeded PRNG (mulberry32) for the random round-trip and fuzz tests: same seed, same bytes.
 *
 * @module
 */

/** A seeded random source. */
export class Rng {
  #s: number;
  /** @param seed any 32-bit integer */
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** @returns a uniform 32-bit unsigned integer */
  u32(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** @returns an integer in [0, n) */
  int(n: number): number {
    return this.u32() % n;
  }
  /** @returns a random boolean */
  bool(): boolean {
    return (this.u32() & 1) === 1;
  }
  /** @returns n random bytes */
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
  /** @returns one element */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}
