/**
 * The echo load client: opens `conns` connections (spread over `threads` workers), sends seeded patterns,
 * verifies every echoed byte and reports rates, latency percentiles and errors.
 *
 * Modes:
 * - `pingpong` (TCP or UDP): each connection sends one message of `size` bytes, reads exactly its echo,
 *   compares it, records the round trip, repeats. Over UDP each datagram carries a sequence number and a
 *   datagram with no reply within `timeoutMs` counts as lost.
 * - `stream` (TCP): each connection writes `size`-byte chunks continuously while a reader checks the echoed
 *   stream; `bytes`/`mbPerSec` count echoed bytes received and `latencyUs` is all 0.
 *
 * Each connection's pattern is seeded by its id, so an echo delivered on the wrong connection is a mismatch.
 *
 * @module
 */
import { type EchoBenchErrors, runBenchShard, type ShardDone, type ShardOptions } from "./_bench_worker.ts";
import { LatencyHistogram, type LatencySummary } from "./_stats.ts";

export type { EchoBenchErrors } from "./_bench_worker.ts";
export type { LatencySummary } from "./_stats.ts";

/** Options of {@link runEchoBench}. */
export interface EchoBenchOptions {
  /** Server host; default `"127.0.0.1"`. IPv6 literals (`"::1"`) work. */
  hostname?: string;
  /** Server port (1-65535). */
  port: number;
  /** `"tcp"` (default) or `"udp"` (pingpong only). */
  transport?: "tcp" | "udp";
  /** `"pingpong"` (default) or `"stream"` (TCP only). */
  mode?: "pingpong" | "stream";
  /** Connections (UDP: sockets) at once; default 1. */
  conns?: number;
  /** Bytes per message; default 64 in pingpong and 65536 in stream mode. UDP needs 4..65507. */
  size?: number;
  /** Run this many seconds. With neither this nor `messages`, 5 s. */
  durationSec?: number;
  /** Messages per connection; with `durationSec` too, whichever ends first. */
  messages?: number;
  /** Worker threads the connections are spread over; default 1 (the calling thread). Capped at `conns`. */
  threads?: number;
  /** How long to wait for an echo (TCP: the connection is then dropped as a timeout; UDP: lost); 2000 ms. */
  timeoutMs?: number;
  /** Seed of the patterns; default 1. */
  seed?: number;
  /** Ends the run early; the loops finish their current message and the report covers what was done. */
  signal?: AbortSignal;
  /** Called every `progressIntervalMs` (default 500) with running totals. */
  onProgress?: (progress: EchoBenchProgress) => void;
  /** Interval of `onProgress` calls in ms; default 500. */
  progressIntervalMs?: number;
  /**
   * Called at the end with the first error each thread saw, as a phrase such as
   * `connection refused: 127.0.0.1:9` (the report itself only counts errors).
   */
  onError?: (message: string) => void;
}

/** Running totals passed to `onProgress`. */
export interface EchoBenchProgress {
  elapsedSec: number;
  messages: number;
  bytes: number;
  errors: EchoBenchErrors;
}

/** The result of a run; `JSON.stringify` of it is the CLI's `--json` output, field for field. */
export interface EchoBenchReport {
  transport: "tcp" | "udp";
  mode: "pingpong" | "stream";
  conns: number;
  threads: number;
  size: number;
  /** Seconds from the first connect to the last connection's end (the longest thread). */
  durationSec: number;
  /** Echoed messages received (stream: echoed bytes / size). */
  messages: number;
  /** Echoed payload bytes received. */
  bytes: number;
  msgsPerSec: number;
  /** Echoed payload megabytes (1e6 bytes) per second. */
  mbPerSec: number;
  /** Round-trip latency in microseconds; all 0 in stream mode. */
  latencyUs: LatencySummary;
  errors: EchoBenchErrors;
}

const MAX_UDP_PAYLOAD = 65507;

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return n;
}

function positiveNumber(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (typeof n !== "number" || !(n > 0) || !Number.isFinite(n)) {
    throw new RangeError(`${name} must be a positive number, got ${v}`);
  }
  return n;
}

/** Validates options and fills defaults; throws RangeError naming the bad value. */
function resolve(options: EchoBenchOptions): { shard: ShardOptions; conns: number; threads: number } {
  const transport = options.transport ?? "tcp";
  const mode = options.mode ?? "pingpong";
  if (transport !== "tcp" && transport !== "udp") throw new RangeError(`unknown transport: ${transport}`);
  if (mode !== "pingpong" && mode !== "stream") throw new RangeError(`unknown mode: ${mode}`);
  if (transport === "udp" && mode === "stream") throw new RangeError("stream mode needs TCP");
  const port = options.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`bad port: ${port}`);
  const size = positiveInt("size", options.size, mode === "stream" ? 65536 : 64);
  if (transport === "udp" && (size < 4 || size > MAX_UDP_PAYLOAD)) {
    throw new RangeError(`UDP size must be 4..${MAX_UDP_PAYLOAD}, got ${size}`);
  }
  const conns = positiveInt("conns", options.conns, 1);
  const threads = Math.min(conns, positiveInt("threads", options.threads, 1));
  const bothUnset = options.durationSec === undefined && options.messages === undefined;
  const durationSec = options.durationSec === undefined
    ? (bothUnset ? 5 : Infinity)
    : positiveNumber("durationSec", options.durationSec, 5);
  const messages = options.messages === undefined ? Infinity : positiveInt("messages", options.messages, 1);
  const shard: ShardOptions = {
    hostname: options.hostname ?? "127.0.0.1",
    port,
    transport,
    mode,
    size,
    durationSec,
    messages,
    timeoutMs: positiveNumber("timeoutMs", options.timeoutMs, 2000),
    seed: (options.seed ?? 1) | 0,
    progressIntervalMs: positiveNumber("progressIntervalMs", options.progressIntervalMs, 500),
  };
  return { shard, conns, threads };
}

function addErrors(into: EchoBenchErrors, e: EchoBenchErrors): void {
  into.connect += e.connect;
  into.reset += e.reset;
  into.mismatch += e.mismatch;
  into.lost += e.lost;
  into.timeout += e.timeout;
}

function zeroErrors(): EchoBenchErrors {
  return { connect: 0, reset: 0, mismatch: 0, lost: 0, timeout: 0 };
}

/** Runs shards in workers, one per thread, and collects their results. */
async function runInWorkers(
  shard: ShardOptions,
  shards: number[][],
  signal: AbortSignal | undefined,
  onProgress: ((messages: number, bytes: number, errors: EchoBenchErrors) => void) | undefined,
): Promise<ShardDone[]> {
  const latest = shards.map(() => ({ messages: 0, bytes: 0, errors: zeroErrors() }));
  const workers: Worker[] = [];
  const stopAll = () => workers.forEach((w) => w.postMessage({ type: "stop" }));
  signal?.addEventListener("abort", stopAll);
  const ticker = onProgress
    ? setInterval(() => {
      const errors = zeroErrors();
      latest.forEach((l) => addErrors(errors, l.errors));
      onProgress(
        latest.reduce((a, l) => a + l.messages, 0),
        latest.reduce((a, l) => a + l.bytes, 0),
        errors,
      );
    }, shard.progressIntervalMs)
    : undefined;
  try {
    return await Promise.all(shards.map((connIds, i) => {
      const w = new Worker(new URL("./_bench_worker.ts", import.meta.url), { type: "module" });
      workers.push(w);
      return new Promise<ShardDone>((resolve, reject) => {
        w.onmessage = (e: MessageEvent) => {
          const m = e.data;
          if (m.type === "progress") latest[i] = m;
          else if (m.type === "done") resolve(m as ShardDone);
          else reject(Object.assign(new Error(`bench worker ${i}: ${m.message}`), { code: m.code }));
        };
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          reject(new Error(`bench worker ${i}: ${e.message}`));
        };
        w.postMessage({ type: "run", options: shard, connIds });
        if (signal?.aborted) w.postMessage({ type: "stop" });
      });
    }));
  } finally {
    clearInterval(ticker);
    signal?.removeEventListener("abort", stopAll);
    for (const w of workers) w.terminate();
  }
}

/**
 * Runs the load and returns its report.
 *
 * @param options where to connect and how hard; see {@link EchoBenchOptions}
 * @returns the report; check `errors.mismatch` (any wrong byte) and `errors.connect`
 * @throws {RangeError} for a bad option (port, size, counts, UDP with stream mode)
 *
 * @example Ten pingpong messages against an echo listener started inside the example
 * ```ts
 * import { runEchoBench } from "./bench.ts";
 * import { ok } from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = (async () => {
 *   for await (const conn of listener) {
 *     const buf = new Uint8Array(4096);
 *     for (let n; (n = await conn.read(buf)) !== null;) await conn.write(buf.subarray(0, n));
 *     conn.close();
 *   }
 * })();
 * const report = await runEchoBench({ port: listener.addr.port, messages: 10, size: 32 });
 * listener.close();
 * await serving;
 * ok(report.messages === 10 && report.bytes === 320);
 * ok(report.errors.mismatch === 0 && report.latencyUs.p50 > 0);
 * ```
 */
export async function runEchoBench(options: EchoBenchOptions): Promise<EchoBenchReport> {
  const { shard, conns, threads } = resolve(options);
  const started = performance.now();
  const progress = options.onProgress
    ? (messages: number, bytes: number, errors: EchoBenchErrors) =>
      options.onProgress!({ elapsedSec: (performance.now() - started) / 1000, messages, bytes, errors })
    : undefined;
  let results: ShardDone[];
  if (threads === 1) {
    const stop = { stopped: options.signal?.aborted ?? false };
    const onAbort = () => stop.stopped = true;
    options.signal?.addEventListener("abort", onAbort);
    try {
      const ids = Array.from({ length: conns }, (_, i) => i);
      results = [
        await runBenchShard(shard, ids, stop, progress && ((p) => progress(p.messages, p.bytes, p.errors))),
      ];
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  } else {
    // Connection i goes to thread i mod threads: shards differ in size by at most one.
    const shards: number[][] = Array.from({ length: threads }, () => []);
    for (let i = 0; i < conns; i++) shards[i % threads].push(i);
    results = await runInWorkers(shard, shards, options.signal, progress);
  }
  const hist = new LatencyHistogram();
  const errors = zeroErrors();
  let messages = 0;
  let bytes = 0;
  let durationSec = 0;
  for (const r of results) {
    if (r.firstError !== undefined) options.onError?.(r.firstError);
    hist.merge(r.histogram);
    addErrors(errors, r.errors);
    messages += r.messages;
    bytes += r.bytes;
    durationSec = Math.max(durationSec, r.durationSec);
  }
  const perSec = (x: number) => durationSec > 0 ? x / durationSec : 0;
  return {
    transport: shard.transport,
    mode: shard.mode,
    conns,
    threads,
    size: shard.size,
    durationSec,
    messages,
    bytes,
    msgsPerSec: perSec(messages),
    mbPerSec: perSec(bytes / 1e6),
    latencyUs: shard.mode === "stream"
      ? { p50: 0, p90: 0, p99: 0, p999: 0, min: 0, max: 0, mean: 0 }
      : hist.summary(),
    errors,
  };
}

function fmtUs(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(2)} ms`;
  return `${us.toFixed(1)} µs`;
}

/**
 * Formats a report as an aligned text table for a terminal.
 *
 * @param r the report
 * @returns several lines, no trailing newline
 *
 * @example
 * ```ts
 * import { formatEchoBenchReport } from "./bench.ts";
 * import { ok } from "node:assert/strict";
 * const zero = { connect: 0, reset: 0, mismatch: 0, lost: 0, timeout: 0 };
 * const text = formatEchoBenchReport({
 *   transport: "tcp", mode: "pingpong", conns: 1, threads: 1, size: 64, durationSec: 1, messages: 1000,
 *   bytes: 64000, msgsPerSec: 1000, mbPerSec: 0.064,
 *   latencyUs: { p50: 900, p90: 1000, p99: 1100, p999: 1200, min: 800, max: 1300, mean: 950 }, errors: zero,
 * });
 * ok(text.includes("1000 msgs/s") && text.includes("p99.9"));
 * ```
 */
export function formatEchoBenchReport(r: EchoBenchReport): string {
  const l = r.latencyUs;
  const e = r.errors;
  const lines = [
    `target     ${r.transport} ${r.mode}, ${r.conns} conn(s) on ${r.threads} thread(s), ${r.size} B messages`,
    `duration   ${r.durationSec.toFixed(2)} s`,
    `messages   ${r.messages} (${r.msgsPerSec.toFixed(0)} msgs/s)`,
    `bytes      ${r.bytes} (${r.mbPerSec.toFixed(2)} MB/s)`,
  ];
  if (r.mode === "pingpong") {
    lines.push(
      `latency    p50 ${fmtUs(l.p50)}  p90 ${fmtUs(l.p90)}  p99 ${fmtUs(l.p99)}  p99.9 ${fmtUs(l.p999)}`,
      `           min ${fmtUs(l.min)}  max ${fmtUs(l.max)}  mean ${fmtUs(l.mean)}`,
    );
  }
  lines.push(
    `errors     connect ${e.connect}  reset ${e.reset}  mismatch ${e.mismatch}  lost ${e.lost}  timeout ${e.timeout}`,
  );
  return lines.join("\n");
}
