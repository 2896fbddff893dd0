/**
 * Replaying a capture file onto an interface, like tcpreplay: the file is loaded whole, the `sendmmsg`
 * table's iovecs point straight into it (no copy per packet), and a schedule paces it at the original timing
 * scaled (`multiplier`), a packet rate (`pps`), a bit rate (`mbps`) or as fast as possible (`topspeed`),
 * `loop` times over. A filter expression selects the packets replayed.
 *
 * @module
 */
import { readPacketsSync } from "../pcap/reader.ts";
import { compileFilter, filterAccepts } from "../filter/compile.ts";
import { Injector, type InjectStats, runSchedule } from "./injector.ts";

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
  };
  if (n === 0) return base;
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
  return { ...stats, filePackets: c.total, selected: n };
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
