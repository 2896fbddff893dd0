/**
 * Replaying a capture file onto an interface, like tcpreplay: the file is loaded whole, the `sendmmsg`
 * table's iovecs point straight into it (no copy per packet), and a schedule paces it at the original timing
 * scaled (`multiplier`), a packet rate (`pps`), a bit rate (`mbps`) or as fast as possible (`topspeed`),
 * `loop` times over. A filter expression selects the packets replayed.
 *
 * `threads` > 1 (with `topspeed` only) sends from that many Workers at once, each with its own socket: the
 * packets are shared out by flow ({@link ethernetFlowKey}: both directions of a TCP connection, or all the
 * traffic between two IP hosts otherwise, go to one thread), so each flow keeps the file's order while flows
 * interleave. One sending thread is bounded by the kernel's per-frame transmit path; on a 2-core machine two
 * of them nearly double the rate into a veth pair. tcpreplay has no such mode: its order is the file's.
 *
 * @module
 */
import { readPacketsSync } from "../pcap/reader.ts";
import { compileFilter, filterAccepts } from "../filter/compile.ts";
import { ethernetFlowKey } from "../wire/flow.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { Injector, type InjectStats, runSchedule } from "./injector.ts";
import type { FromReplayWorker, ReplayWorkerStart } from "./_replay_worker.ts";

/** Options of {@link replayCapture}. */
export interface ReplayOptions {
  /** the interface the frames go out of */
  interface: string;
  /** packets per second */
  pps?: number;
  /** megabits per second */
  mbps?: number;
  /** the original timing, this many times faster (default 1: as captured) */
  multiplier?: number;
  /** as fast as possible */
  topspeed?: boolean;
  /** passes over the file, default 1 */
  loop?: number;
  /** a filter expression: only matching packets are replayed */
  filter?: string;
  /** stop after this many ms */
  durationMs?: number;
  /** most packets per sendmmsg, default 256 */
  batch?: number;
  /** called about every `progressMs` */
  onProgress?: (s: InjectStats) => void;
  /** period of `onProgress`, default 1000 */
  progressMs?: number;
  /** aborting stops the replay */
  signal?: AbortSignal;
  /**
   * sending threads (default 1); more than 1 needs `topspeed` and keeps the order within each flow only
   */
  threads?: number;
}

/** A loaded capture: the file's bytes and where each selected packet sits in them. */
export interface LoadedCapture {
  /** the whole file */
  bytes: Uint8Array;
  /** offset of each selected packet's data in `bytes` */
  offsets: number[];
  /** captured length of each */
  lengths: number[];
  /** timestamp of each, ms since the epoch */
  timesMs: number[];
  /** packets in the file */
  total: number;
  /** LINKTYPE of the packets */
  linktype: number;
}

/** Statistics of a replay: the sending statistics plus what the file held. */
export interface ReplayStats extends InjectStats {
  /** packets in the file */
  filePackets: number;
  /** packets the filter selected (per pass) */
  selected: number;
  /** sending threads that had packets to send */
  threads: number;
}

/**
 * Loads a pcap or pcapng file's bytes and selects its packets.
 *
 * @param bytes the file
 * @param filter an optional filter expression
 * @returns the packets' places in the file
 * @throws {PcapError} for a file that is not a capture
 * @throws {FilterSyntaxError} for a bad filter
 * @throws {RangeError} when packets of different link types are mixed
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodePcap } from "../pcap/writer.ts";
 * import { loadCapture } from "./replay.ts";
 * const file = encodePcap([{ data: new Uint8Array(60) }, { data: new Uint8Array(70) }]);
 * const c = loadCapture(file);
 * assert(c.offsets.length === 2 && c.lengths[1] === 70 && c.bytes === file);
 * ```
 */
export function loadCapture(bytes: Uint8Array, filter?: string): LoadedCapture {
  const offsets: number[] = [];
  const lengths: number[] = [];
  const timesMs: number[] = [];
  let total = 0;
  let linktype = -1;
  let compiled: ReturnType<typeof compileFilter> | undefined;
  for (const rec of readPacketsSync(bytes)) {
    total++;
    if (linktype === -1) {
      linktype = rec.linktype;
      if (filter !== undefined) compiled = compileFilter(filter, { linktype });
    } else if (rec.linktype !== linktype) {
      throw new RangeError(`mixed link types in one file (${linktype} and ${rec.linktype})`);
    }
    if (compiled && !filterAccepts(compiled, rec.data, rec.len)) continue;
    // Over a Uint8Array source the reader's records view the source: the iovecs can point into the file.
    if (rec.data.buffer !== bytes.buffer) throw new Error("pcap reader returned a copy, not a view");
    offsets.push(rec.data.byteOffset - bytes.byteOffset);
    lengths.push(rec.data.length);
    timesMs.push(rec.tsSec * 1000 + rec.tsNsec / 1e6);
  }
  return { bytes, offsets, lengths, timesMs, total, linktype };
}

/**
 * Replays a loaded capture out of an interface (layer 2: the file must hold Ethernet frames).
 *
 * @param c the loaded capture
 * @param o interface, speed, loops, bounds
 * @returns the statistics
 * @throws {SyscallError} "EPERM" without CAP_NET_RAW, "ENODEV" for an unknown interface
 * @throws {RangeError} for a file that is not Ethernet or conflicting speeds
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodePcap } from "../pcap/writer.ts";
 * import { loadCapture, replayCapture } from "./replay.ts";
 * // A filter that selects nothing: nothing is sent and no socket is opened.
 * const c = loadCapture(encodePcap([{ data: new Uint8Array(60) }]), "tcp");
 * const s = await replayCapture(c, { interface: "lo", topspeed: true });
 * assert(s.sent === 0 && s.filePackets === 1 && s.selected === 0);
 * ```
 */
export async function replayCapture(c: LoadedCapture, o: ReplayOptions): Promise<ReplayStats> {
  if (c.linktype !== 1 && c.offsets.length > 0) {
    throw new RangeError(`replay sends Ethernet frames (link type 1), this file has link type ${c.linktype}`);
  }
  const speeds = [o.pps, o.mbps, o.multiplier, o.topspeed || undefined].filter((x) => x !== undefined);
  if (speeds.length > 1) throw new RangeError("pps, mbps, multiplier and topspeed exclude each other");
  const n = c.offsets.length;
  const loop = o.loop ?? 1;
  const base: ReplayStats = {
    sent: 0,
    failed: 0,
    bytes: 0,
    elapsedMs: 0,
    achievedPps: 0,
    achievedMbps: 0,
    filePackets: c.total,
    selected: n,
    threads: 0,
  };
  const threads = o.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_REPLAY_THREADS) {
    throw new RangeError(`threads must be 1..${MAX_REPLAY_THREADS}, not ${threads}`);
  }
  if (threads > 1 && !o.topspeed) throw new RangeError("several sending threads need topspeed");
  if (n === 0) return base;
  if (threads > 1) return { ...base, ...await replayParallel(c, o, threads) };
  using inj = Injector.open({ layer: 2, interface: o.interface });
  const batch = Math.min(o.batch ?? 256, 1024);
  const table = inj.createTable(n + batch - 1);
  const addr = table.attach(c.bytes);
  for (let e = 0; e < table.capacity; e++) {
    const i = e % n;
    table.setEntryAddress(e, addr + c.offsets[i], c.lengths[i]);
  }
  const { due, requestedPps } = replayDue(c, o);
  const stats = await runSchedule(inj.fd, table, n, batch, {
    total: n * loop,
    due,
    length: (k) => c.lengths[k % n],
    requestedPps,
  }, o);
  return { ...stats, filePackets: c.total, selected: n, threads: 1 };
}

/** The most sending threads {@link replayCapture} starts. */
export const MAX_REPLAY_THREADS = 64;

/**
 * Shares the selected packets out by flow: packet i goes to thread `key % threads`.
 *
 * @param c the loaded capture
 * @param threads how many shares
 * @returns for each share, the indexes of its packets in file order
 */
export function shareByFlow(c: LoadedCapture, threads: number): number[][] {
  const shares: number[][] = Array.from({ length: threads }, () => []);
  for (let i = 0; i < c.offsets.length; i++) {
    const at = c.offsets[i];
    shares[ethernetFlowKey(c.bytes.subarray(at, at + c.lengths[i])) % threads].push(i);
  }
  return shares;
}

/** The topspeed replay from several Workers; the statistics sum theirs over the span of all of them. */
async function replayParallel(
  c: LoadedCapture,
  o: ReplayOptions,
  threads: number,
): Promise<InjectStats & { threads: number }> {
  // Open once here first: no root or no such interface is the same error as with one thread.
  Injector.open({ layer: 2, interface: o.interface }).close();
  const shares = shareByFlow(c, threads).filter((s) => s.length > 0);
  const stop = new SharedArrayBuffer(4);
  const stopWord = new Int32Array(stop);
  const workers: Worker[] = [];
  const latest: InjectStats[] = [];
  const sum = (list: InjectStats[], spanMs: number): InjectStats => {
    const s: InjectStats = {
      sent: 0,
      failed: 0,
      bytes: 0,
      elapsedMs: spanMs,
      achievedPps: 0,
      achievedMbps: 0,
    };
    for (const x of list) {
      s.sent += x.sent, s.failed += x.failed, s.bytes += x.bytes;
      if (x.lastError) s.lastError = x.lastError;
    }
    const sec = spanMs / 1000;
    s.achievedPps = sec > 0 ? s.sent / sec : 0;
    s.achievedMbps = sec > 0 ? (s.bytes * 8) / sec / 1e6 : 0;
    return s;
  };
  const onAbort = () => Atomics.store(stopWord, 0, 1);
  o.signal?.addEventListener("abort", onAbort);
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  try {
    const ready: Promise<void>[] = [];
    const done: Promise<{ stats: InjectStats; startMs: number; endMs: number }>[] = [];
    shares.forEach((share, w) => {
      const len = share.reduce((n, i) => n + c.lengths[i], 0);
      const bytes = new Uint8Array(len);
      const lengths = new Uint32Array(share.length);
      let at = 0;
      share.forEach((i, j) => {
        bytes.set(c.bytes.subarray(c.offsets[i], c.offsets[i] + c.lengths[i]), at);
        lengths[j] = c.lengths[i];
        at += c.lengths[i];
      });
      const worker = new Worker(new URL("./_replay_worker.ts", import.meta.url), { type: "module" });
      workers.push(worker);
      latest.push({ sent: 0, failed: 0, bytes: 0, elapsedMs: 0, achievedPps: 0, achievedMbps: 0 });
      const ready1 = Promise.withResolvers<void>();
      const done1 = Promise.withResolvers<{ stats: InjectStats; startMs: number; endMs: number }>();
      done1.promise.catch(() => {}); // a failure before the start is reported through `ready`
      const reject = (e: Error) => (ready1.reject(e), done1.reject(e));
      ready.push(ready1.promise);
      done.push(done1.promise);
      const readyResolve = ready1.resolve, doneResolve = done1.resolve;
      worker.onmessage = (e: MessageEvent<FromReplayWorker>) => {
        const m = e.data;
        if (m.type === "ready") readyResolve();
        else if (m.type === "progress") latest[w] = m.stats;
        else if (m.type === "done") latest[w] = m.stats, doneResolve(m);
        else if (m.type === "error") {
          reject(
            m.errno !== undefined ? new SyscallError(m.syscall ?? "send", m.errno) : new Error(m.message),
          );
        }
      };
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`sending thread ${w + 1}: ${e.message}`));
      };
      const start: ReplayWorkerStart = {
        type: "start",
        iface: o.interface,
        bytes: bytes.buffer,
        lengths,
        loop: o.loop ?? 1,
        batch: o.batch ?? 256,
        durationMs: o.durationMs,
        progressMs: Math.min(o.progressMs ?? 1000, 250),
        stop,
      };
      worker.postMessage(start, [bytes.buffer]);
    });
    await Promise.all(ready);
    const t0 = performance.timeOrigin + performance.now();
    for (const w of workers) w.postMessage({ type: "go" });
    if (o.onProgress) {
      const cb = o.onProgress;
      progressTimer = setInterval(
        () => cb(sum(latest, performance.timeOrigin + performance.now() - t0)),
        o.progressMs ?? 1000,
      );
    }
    const results = await Promise.all(done);
    const span = Math.max(...results.map((r) => r.endMs)) - Math.min(...results.map((r) => r.startMs));
    return { ...sum(results.map((r) => r.stats), span), threads: shares.length };
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
    o.signal?.removeEventListener("abort", onAbort);
    Atomics.store(stopWord, 0, 1);
    for (const w of workers) w.terminate();
  }
}

/**
 * The replay schedule: when packet k (counted over every loop) is due, in ms after the start.
 *
 * @param c the loaded capture (its lengths and timestamps)
 * @param o the speed: `topspeed`, `pps`, `mbps`, or the original timing divided by `multiplier` (default 1)
 * @returns the due time of packet k and the requested packet rate, if any
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replayDue } from "./replay.ts";
 * const c = { bytes: new Uint8Array(0), offsets: [0, 0], lengths: [100, 100], timesMs: [1000, 1010], total: 2, linktype: 1 };
 * assert(replayDue(c, { multiplier: 2 }).due(1) === 5);
 * assert(replayDue(c, { mbps: 0.8 }).due(1) === 1); // 100 bytes at 0.8 Mbit/s take 1 ms
 * ```
 */
export function replayDue(
  c: LoadedCapture,
  o: Pick<ReplayOptions, "pps" | "mbps" | "multiplier" | "topspeed">,
): { due: (k: number) => number; requestedPps?: number } {
  const n = c.offsets.length;
  if (o.topspeed) return { due: () => 0 };
  if (o.pps !== undefined) {
    const pps = o.pps;
    return { due: (k) => (k * 1000) / pps, requestedPps: pps };
  }
  if (o.mbps !== undefined) {
    // Packet k is due when the bytes before it have taken their time at the bit rate.
    const before = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) before[i + 1] = before[i] + c.lengths[i];
    const perByteMs = 8 / (o.mbps * 1000);
    return { due: (k) => (Math.floor(k / n) * before[n] + before[k % n]) * perByteMs };
  }
  const m = o.multiplier ?? 1;
  const t0 = c.timesMs[0];
  // A further loop starts where the previous one ended (its span), as tcpreplay does.
  const span = c.timesMs[n - 1] - t0;
  return { due: (k) => (Math.floor(k / n) * span + (c.timesMs[k % n] - t0)) / m };
}

/**
 * tcpreplay-style statistics lines.
 *
 * @param s the statistics
 * @returns the lines
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatReplayStats } from "./replay.ts";
 * const lines = formatReplayStats({ sent: 10, failed: 0, bytes: 600, elapsedMs: 1000, achievedPps: 10,
 *   achievedMbps: 0.0048 });
 * assert(lines[0] === "Actual: 10 packets (600 bytes) sent in 1.000000 seconds");
 * ```
 */
export function formatReplayStats(s: InjectStats): string[] {
  const lines = [
    `Actual: ${s.sent} packets (${s.bytes} bytes) sent in ${(s.elapsedMs / 1000).toFixed(6)} seconds`,
    `Rated: ${Math.round(s.achievedPps)} pps, ${s.achievedMbps.toFixed(2)} Mbps` +
    (s.requestedPps !== undefined ? ` (requested ${s.requestedPps} pps)` : ""),
    `Failed packets: ${s.failed}${s.lastError ? ` (last ${s.lastError})` : ""}`,
  ];
  return lines;
}
