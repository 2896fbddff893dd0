/**
 * Sending crafted packets: layer 2 through an AF_PACKET socket bound to an interface (the frame goes out as
 * given), layer 3 through a raw IPv4/IPv6 socket (the kernel routes and adds the link header).
 *
 * Every send path is batched: the packets sit in one long-lived buffer (or the loaded capture file), a
 * `sendmmsg` table prebuilt once points an iovec at each, and one synchronous `sendmmsg` sends every packet
 * that is due. Pacing is a schedule: packet k is due at `due(k)` ms after the start (k / rate, k * interval,
 * the original timestamps scaled, cumulative bytes over a bit rate, or 0 for a flood), so an early or late
 * wake-up never drifts the average rate. Every run is bounded by a packet count and optionally a duration.
 *
 * No TX ring: a TPACKET_V2 `PACKET_TX_RING` probe (4096 frames, a `send()` kick per 256 or 1024 frames)
 * reached 545-560k pps of 64-byte frames into a veth pair where this `sendmmsg` path and a C `sendmmsg` loop
 * reached 610-650k, so the ring is not used.
 *
 * @module
 */
import { PacketSocket } from "../../ffi/packet_socket.ts";
import { RawIpSocket, sockaddrForPacket } from "../../ffi/raw_socket.ts";
import { MmsgTable } from "../../ffi/mmsg.ts";
import { Errno, SyscallError } from "../../ffi/errno.ts";
import { requireInterface } from "../../ffi/interfaces.ts";

/** Where packets go: a link-layer interface, or the kernel's IPv4/IPv6 routing. */
export type InjectTarget = { layer: 2; interface: string } | { layer: 3; family: 4 | 6 };

/** Statistics of one sending run. */
export interface InjectStats {
  /** packets the kernel accepted */
  sent: number;
  /** packets it refused (e.g. ENOBUFS), each skipped */
  failed: number;
  /** bytes of the packets sent */
  bytes: number;
  /** ms from the first send to the last */
  elapsedMs: number;
  /** the rate asked for, packets per second, when the schedule has one */
  requestedPps?: number;
  /** sent packets per second over `elapsedMs` */
  achievedPps: number;
  /** sent megabits per second over `elapsedMs` */
  achievedMbps: number;
  /** the errno name of the last failure, if any */
  lastError?: string;
}

/** Pacing of {@link Injector.sendFrames}; without `rate`, `interval` or `flood`, one packet per second. */
export interface PacingOptions {
  /** packets to send in total (the frames are cycled); default: each frame once */
  count?: number;
  /** packets per second */
  rate?: number;
  /** seconds between packets */
  interval?: number;
  /** as fast as possible (still bounded by `count` or `durationMs`) */
  flood?: boolean;
  /** stop after this many ms even if `count` is not reached */
  durationMs?: number;
  /** most packets per `sendmmsg` (1..1024, default 256) */
  batch?: number;
  /** aborting stops the run at the next batch */
  signal?: AbortSignal;
  /** called about every `progressMs` with the running statistics */
  onProgress?: (stats: InjectStats) => void;
  /** period of `onProgress`, default 1000 ms */
  progressMs?: number;
  /**
   * called after each packet is handed to the kernel, with its index and the wall-clock ms just before the
   * send (a loopback reply can be timestamped before the send call returns); sends one packet per call
   */
  onSent?: (index: number, timeMs: number) => void;
}

/** A schedule over `total` packets whose bytes the table's entries point at. */
export interface Schedule {
  /** packets to send (entries are reused cyclically when it exceeds the number of distinct packets) */
  total: number;
  /** ms after the start at which packet k is due; 0 for "now" */
  due: (k: number) => number;
  /** the byte length of packet k */
  length: (k: number) => number;
  /** the rate asked for, for the report */
  requestedPps?: number;
}

const MAX_BATCH = 1024; // UIO_MAXIOV: the kernel's cap on one sendmmsg
/** How often a synchronous flood yields to the event loop: a yield costs about 2 ms here (NOTES.md). */
const YIELD_MS = 200;
const FATAL = new Set<number>([
  Errno.EPERM,
  13, /* EACCES */
  Errno.ENODEV,
  6, /* ENXIO */
  Errno.ENETDOWN,
  Errno.EBADF,
]);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Builds the pacing schedule's due time for a request.
 *
 * @param p the pacing options
 * @returns ms after the start for packet k, and the requested rate
 * @throws {RangeError} for a rate or interval that is not a positive number
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pacingDue } from "./injector.ts";
 * assert(pacingDue({ rate: 1000 }).due(10) === 10);
 * assert(pacingDue({ flood: true }).due(99) === 0);
 * ```
 */
export function pacingDue(p: PacingOptions): { due: (k: number) => number; requestedPps?: number } {
  if (p.flood) return { due: () => 0 };
  if (p.rate !== undefined) {
    if (!(p.rate > 0) || !Number.isFinite(p.rate)) throw new RangeError(`rate must be > 0, not ${p.rate}`);
    const r = p.rate;
    return { due: (k) => (k * 1000) / r, requestedPps: r };
  }
  const interval = p.interval ?? 1;
  if (!(interval >= 0) || !Number.isFinite(interval)) {
    throw new RangeError(`interval must be >= 0 seconds, not ${interval}`);
  }
  return { due: (k) => k * interval * 1000, requestedPps: interval > 0 ? 1 / interval : undefined };
}

/** An open sending socket of either layer. */
export class Injector {
  readonly #sock: PacketSocket | RawIpSocket;
  /** The target given to {@link Injector.open}. */
  readonly target: InjectTarget;
  /** The interface index for layer 2, 0 for layer 3. */
  readonly ifIndex: number;

  private constructor(sock: PacketSocket | RawIpSocket, target: InjectTarget, ifIndex: number) {
    this.#sock = sock;
    this.target = target;
    this.ifIndex = ifIndex;
  }

  /**
   * Opens the socket for a target: an AF_PACKET socket bound to the interface (it receives nothing: bound
   * to protocol 0), or a raw IP socket.
   *
   * @param target layer 2 with an interface name, or layer 3 with a family
   * @returns the injector
   * @throws {SyscallError} "EPERM" without CAP_NET_RAW, "ENODEV" for an unknown interface
   * @example
   * ```ts
   * import { Injector } from "./injector.ts";
   * try {
   *   using inj = Injector.open({ layer: 3, family: 4 });
   *   if (inj.fd < 0) throw new Error("open");
   * } catch (e) {
   *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root: fine for an example
   * }
   * ```
   */
  static open(target: InjectTarget): Injector {
    if (target.layer === 3) return new Injector(RawIpSocket.open(target.family), target, 0);
    const ifIndex = requireInterface(target.interface);
    const sock = PacketSocket.open();
    try {
      // Protocol 0: bound to the interface for sending, while nothing is queued for reception.
      sock.bind(ifIndex, 0);
      return new Injector(sock, target, ifIndex);
    } catch (e) {
      sock.close();
      throw e;
    }
  }

  /** The socket's file descriptor, -1 once closed. */
  get fd(): number {
    return this.#sock.fd;
  }

  /**
   * Sends one packet now (one syscall), e.g. a probe whose send time matters.
   *
   * @param frame an Ethernet frame (layer 2) or an IP packet (layer 3)
   * @returns bytes sent
   * @throws {SyscallError} when the kernel refuses it
   */
  sendOne(frame: Uint8Array): number {
    return this.#sock.send(frame);
  }

  /**
   * Sends frames with pacing: the frames are packed into one buffer, a `sendmmsg` table is prebuilt over
   * them, and each due batch is one synchronous `sendmmsg`. At layer 3 every frame goes to the destination of
   * the first one.
   *
   * @param frames the distinct packets, sent in order and cycled up to `count`
   * @param pacing count, rate/interval/flood, duration bound, progress
   * @returns the statistics
   * @throws {SyscallError} for a fatal error (EPERM, ENETDOWN, ...); transient ones are counted as failures
   * @throws {RangeError} for no frames or bad pacing values
   * @example
   * ```ts
   * import { Injector } from "./injector.ts";
   * import { buildPacket } from "../craft/build.ts";
   * const udp = buildPacket([
   *   { layer: "ipv4", src: "127.0.0.1", dst: "127.0.0.1" },
   *   { layer: "udp", srcPort: 40000, dstPort: 9 },
   * ]);
   * try {
   *   using inj = Injector.open({ layer: 3, family: 4 });
   *   const s = await inj.sendFrames([udp], { count: 10, rate: 1000 });
   *   if (s.sent + s.failed !== 10) throw new Error("every packet accounted for");
   * } catch (e) {
   *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root: fine for an example
   * }
   * ```
   */
  sendFrames(frames: readonly Uint8Array[], pacing: PacingOptions = {}): Promise<InjectStats> {
    if (frames.length === 0) throw new RangeError("no frames to send");
    const count = pacing.count ?? frames.length;
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be >= 0, not ${count}`);
    const batch = pacing.onSent ? 1 : Math.min(pacing.batch ?? 256, count || 1, MAX_BATCH);
    const { due, requestedPps } = pacingDue(pacing);
    const total = frames.reduce((n, f) => n + f.length, 0);
    const mem = new Uint8Array(total);
    const offsets: number[] = [];
    let at = 0;
    for (const f of frames) {
      offsets.push(at);
      mem.set(f, at);
      at += f.length;
    }
    const table = this.#table(frames.length + batch - 1, frames[0]);
    const addr = table.attach(mem);
    for (let e = 0; e < table.capacity; e++) {
      const i = e % frames.length;
      table.setEntryAddress(e, addr + offsets[i], frames[i].length);
    }
    const n = frames.length;
    return runSchedule(this.fd, table, n, batch, {
      total: count,
      due,
      length: (k) => frames[k % n].length,
      requestedPps,
    }, pacing);
  }

  /**
   * A table for `entries` packets, with the destination sockaddr of `first` at layer 3.
   *
   * @param entries the number of entries
   * @param first a packet whose destination the layer 3 entries use
   * @returns the table
   */
  #table(entries: number, first: Uint8Array): MmsgTable {
    if (this.target.layer === 2) return new MmsgTable(entries);
    const sa = new Uint8Array(28);
    const len = sockaddrForPacket(first, sa);
    return new MmsgTable(entries, sa.subarray(0, len));
  }

  /**
   * A table the caller fills (replay points it into a loaded file).
   *
   * @param entries the number of entries
   * @param first for layer 3, a packet whose destination every entry uses
   * @returns an empty table
   */
  createTable(entries: number, first?: Uint8Array): MmsgTable {
    if (this.target.layer === 3 && !first) {
      throw new RangeError("a layer 3 table needs a packet for its destination");
    }
    return this.#table(entries, first ?? new Uint8Array(0));
  }

  /** Closes the socket; a second call does nothing. */
  close(): void {
    this.#sock.close();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Runs a schedule over a prebuilt table whose entries `[0, distinct + batch - 1)` point at packets
 * `k % distinct`, so any run of up to `batch` consecutive packets is contiguous in the table.
 *
 * @param fd the sending socket
 * @param table the prebuilt entries
 * @param distinct the number of distinct packets
 * @param batch most packets per sendmmsg
 * @param s the schedule
 * @param pacing bounds, progress, and a stop signal (an AbortSignal, or anything whose `aborted` turns true)
 * @returns the statistics
 * @throws {SyscallError} on a fatal errno
 */
export async function runSchedule(
  fd: number,
  table: MmsgTable,
  distinct: number,
  batch: number,
  s: Schedule,
  pacing: Pick<PacingOptions, "durationMs" | "onProgress" | "progressMs" | "onSent"> & {
    signal?: { readonly aborted: boolean };
  } = {},
): Promise<InjectStats> {
  if (table.capacity < distinct + batch - 1) {
    throw new RangeError(`table of ${table.capacity} entries < ${distinct} packets + batch ${batch} - 1`);
  }
  const limit = pacing.durationMs ?? Infinity;
  const progressMs = pacing.progressMs ?? 1000;
  const stats: InjectStats = { sent: 0, failed: 0, bytes: 0, elapsedMs: 0, achievedPps: 0, achievedMbps: 0 };
  if (s.requestedPps !== undefined) stats.requestedPps = s.requestedPps;
  const t0 = performance.now();
  let nextProgress = progressMs;
  let nextYield = YIELD_MS;
  let k = 0;
  const finish = (now: number): InjectStats => {
    stats.elapsedMs = now - t0;
    const sec = stats.elapsedMs / 1000;
    // A paced run of n packets spans n - 1 intervals; a flood's rate is simply packets over time.
    const intervals = s.requestedPps !== undefined ? Math.max(stats.sent - 1, 0) : stats.sent;
    stats.achievedPps = sec > 0 ? intervals / sec : 0;
    stats.achievedMbps = sec > 0 ? (stats.bytes * 8) / sec / 1e6 : 0;
    return stats;
  };
  while (k < s.total) {
    let now = performance.now() - t0;
    if (now >= limit || pacing.signal?.aborted) break;
    if (now >= nextProgress && pacing.onProgress) {
      pacing.onProgress({ ...finish(now + t0) });
      nextProgress += progressMs;
    }
    const wait = s.due(k) - now;
    if (wait > 0) {
      // Sleep most of a long gap on a timer (which lets signals and other tasks run), spin the last ms.
      if (wait > 2) await sleep(Math.min(wait - 1.5, limit - now, 250));
      else while (performance.now() - t0 < s.due(k));
      continue;
    }
    let n = 1;
    const cap = Math.min(batch, s.total - k);
    while (n < cap && s.due(k + n) <= now) n++;
    const first = k % distinct;
    const before = pacing.onSent ? performance.timeOrigin + performance.now() : 0;
    const r = table.send(fd, first, n);
    if (r < 0) {
      const e = table.lastErrno;
      if (FATAL.has(e)) throw new SyscallError("sendmmsg", e, `fd ${fd}`);
      if (e === Errno.EINTR) continue;
      stats.failed++;
      stats.lastError = new SyscallError("sendmmsg", e).code;
      k++;
      continue;
    }
    for (let j = 0; j < r; j++) stats.bytes += s.length(k + j);
    stats.sent += r;
    if (pacing.onSent) pacing.onSent(k, before);
    k += r;
    now = performance.now() - t0;
    if (now >= nextYield) {
      // A flood is synchronous; yield now and then so timers, signals and the abort signal get a turn.
      await sleep(0);
      nextYield = performance.now() - t0 + YIELD_MS;
    }
  }
  return finish(performance.now());
}
