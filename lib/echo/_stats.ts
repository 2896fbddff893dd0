/**
 * A fixed-size latency histogram for the load client: log-linear buckets from 1 µs to about 16.8 s
 * (32 linear sub-buckets per power of two, so a reported percentile is within about 3% of the true sample),
 * one `Float64Array` of counts, no array of samples. Workers post a {@link HistogramSnapshot} back and the
 * runner merges them.
 *
 * @module
 */

/** Linear sub-buckets per power of two: the relative resolution is 1/SUB_BUCKETS. */
const SUB_BUCKETS = 32;
/** Powers of two covered above 1 µs: 2^24 µs is about 16.8 s. */
const OCTAVES = 24;
/** Bucket 0 holds values below 1 µs; the last bucket holds values of 2^OCTAVES µs and more. */
const BUCKETS = 1 + OCTAVES * SUB_BUCKETS + 1;
const OVERFLOW = BUCKETS - 1;

/** The percentiles and extremes of a histogram, in the histogram's unit (microseconds here). */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  min: number;
  max: number;
  mean: number;
}

/** A histogram as plain data, for `postMessage` (structured clone) and merging. */
export interface HistogramSnapshot {
  counts: Float64Array;
  count: number;
  min: number;
  max: number;
  sum: number;
}

/** Index of the bucket holding `v`. */
function bucketOf(v: number): number {
  if (!(v >= 1)) return 0; // below 1 µs, and NaN
  const e = Math.floor(Math.log2(v));
  if (e >= OCTAVES) return OVERFLOW;
  const base = 2 ** e;
  // Float rounding at an exact power of two can give sub = -1 or SUB_BUCKETS; clamp.
  const sub = Math.min(SUB_BUCKETS - 1, Math.max(0, Math.floor((v / base - 1) * SUB_BUCKETS)));
  return 1 + e * SUB_BUCKETS + sub;
}

/** Midpoint of a bucket's value range. */
function midpointOf(index: number): number {
  if (index === 0) return 0.5;
  if (index === OVERFLOW) return 2 ** OCTAVES;
  const e = Math.floor((index - 1) / SUB_BUCKETS);
  const sub = (index - 1) % SUB_BUCKETS;
  return 2 ** e * (1 + (sub + 0.5) / SUB_BUCKETS);
}

/**
 * Records values (microseconds) into fixed buckets; `record` allocates nothing.
 *
 * @example Record three latencies and read the median
 * ```ts
 * import { LatencyHistogram } from "./_stats.ts";
 * import { ok } from "node:assert/strict";
 * const h = new LatencyHistogram();
 * h.record(100);
 * h.record(200);
 * h.record(300);
 * const s = h.summary();
 * ok(Math.abs(s.p50 - 200) < 200 / 16);
 * ok(s.min === 100 && s.max === 300 && s.mean === 200);
 * ```
 */
export class LatencyHistogram {
  #counts = new Float64Array(BUCKETS);
  #count = 0;
  #min = Infinity;
  #max = -Infinity;
  #sum = 0;

  /** Number of values recorded. */
  get count(): number {
    return this.#count;
  }

  /**
   * Adds one value.
   *
   * @param us the value in microseconds; values below 1 share one bucket, values past ~16.8 s another
   */
  record(us: number): void {
    this.#counts[bucketOf(us)]++;
    this.#count++;
    this.#sum += us;
    if (us < this.#min) this.#min = us;
    if (us > this.#max) this.#max = us;
  }

  /**
   * Adds every value of another histogram's snapshot (a worker's).
   *
   * @param other a snapshot from {@link LatencyHistogram.snapshot}
   * @throws {RangeError} when the snapshot has a different bucket layout
   */
  merge(other: HistogramSnapshot): void {
    if (other.counts.length !== BUCKETS) {
      throw new RangeError(`histogram snapshot has ${other.counts.length} buckets, expected ${BUCKETS}`);
    }
    for (let i = 0; i < BUCKETS; i++) this.#counts[i] += other.counts[i];
    this.#count += other.count;
    this.#sum += other.sum;
    if (other.count > 0) {
      this.#min = Math.min(this.#min, other.min);
      this.#max = Math.max(this.#max, other.max);
    }
  }

  /** @returns a copy of the state as plain data, safe to post to another thread */
  snapshot(): HistogramSnapshot {
    return {
      counts: this.#counts.slice(),
      count: this.#count,
      min: this.#min,
      max: this.#max,
      sum: this.#sum,
    };
  }

  /**
   * The value below which a fraction `q` of the recorded values fall: the midpoint of the bucket holding
   * that rank, clamped to the exact minimum and maximum.
   *
   * @param q a fraction in [0, 1], e.g. 0.999
   * @returns the percentile, or 0 when nothing was recorded
   * @throws {RangeError} when q is outside [0, 1]
   */
  percentile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile fraction must be in [0, 1], got ${q}`);
    if (this.#count === 0) return 0;
    if (q === 0) return this.#min;
    if (q === 1) return this.#max;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i];
      if (seen >= rank) return Math.min(this.#max, Math.max(this.#min, midpointOf(i)));
    }
    return this.#max;
  }

  /** @returns p50, p90, p99, p99.9, min, max and mean; all 0 when nothing was recorded */
  summary(): LatencySummary {
    if (this.#count === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, min: 0, max: 0, mean: 0 };
    return {
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      p999: this.percentile(0.999),
      min: this.#min,
      max: this.#max,
      mean: this.#sum / this.#count,
    };
  }
}
