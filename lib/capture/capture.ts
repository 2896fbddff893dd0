/**
 * The capture engine: a TPACKET_V3 ring on an AF_PACKET socket, read as an async iterator of raw frames with
 * their metadata. It never parses protocols; `lib/wire` decodes what it yields.
 *
 * What it does the way libpcap does (pcap-linux.c), so counts and bytes match tcpdump's:
 * - on a loopback interface every packet passes the socket twice (outgoing, then incoming): the outgoing copy
 *   is dropped, so each packet is reported once, as incoming. Unlike libpcap, which drops it in user space,
 *   the kernel rejects it in front of the filter, so it takes no room in the ring and is not counted in
 *   `received` (tcpdump's "received by filter" counts each packet of `lo` twice, netkit's once);
 * - `direction` works like `tcpdump -Q`; "in" also sets PACKET_IGNORE_OUTGOING so the kernel skips the copy;
 * - a VLAN tag the kernel stripped (TP_STATUS_VLAN_VALID) is put back into the frame after the MAC
 *   addresses, so decoders see the 802.1Q header and `len`/`caplen` grow by 4;
 * - `stats()` reads PACKET_STATISTICS: `received` counts packets that passed the filter, drops included, as
 *   pcap_stats' ps_recv; the kernel resets the counters on every read, so they are accumulated here.
 *
 * The filter is attached before the socket is bound, so no unfiltered packet is ever queued.
 *
 * @module
 */
import { PacketSocket, withLoopbackOutgoingGuard } from "../../ffi/packet_socket.ts";
import type { BpfInstruction } from "../../ffi/packet_socket.ts";
import { RING_HDR_WORD, ringGeometry, RxRing, WaitResult } from "../../ffi/ring.ts";
import type { RingPacket } from "../../ffi/ring.ts";
import { listInterfaces, requireInterface } from "../../ffi/interfaces.ts";
import type { NetInterface } from "../../ffi/interfaces.ts";
import { SyscallError } from "../../ffi/errno.ts";
import {
  ARPHRD_LOOPBACK,
  ETH_ALEN,
  ETH_P_8021Q,
  linktypeForHatype,
  PACKET_OUTGOING,
  TP_STATUS_VLAN_TPID_VALID,
  TP_STATUS_VLAN_VALID,
  VLAN_HLEN,
} from "../../ffi/constants.ts";

export type { BpfInstruction } from "../../ffi/packet_socket.ts";

/** Which packets to capture, like `tcpdump -Q`. */
export type CaptureDirection = "in" | "out" | "inout";

/** Options of {@link openCapture}. */
export interface CaptureOptions {
  /** Interface name; "any" or undefined captures on every interface. */
  interface?: string;
  /** Promiscuous mode; default true on a named interface (ignored for "any", as libpcap does). */
  promiscuous?: boolean;
  /** "in", "out" or "inout" (default). */
  direction?: CaptureDirection;
  /** Most bytes kept per packet; default 262144 (tcpdump's default). */
  snaplen?: number;
  /**
   * Bytes of ring; default 4 MiB, twice libpcap's 2 MiB: a JIT-compiled reader pauses now and then where
   * tcpdump would not, and at 300,000 packets/s the larger ring rides those pauses out (measured). `tcpdump
   * -B` counts KiB.
   */
  bufferSize?: number;
  /** Nanosecond timestamps; default false: `tsNsec` is then truncated to whole microseconds. */
  nanoseconds?: boolean;
  /** A classic BPF program to attach (an empty array or undefined: none). */
  filter?: readonly BpfInstruction[];
  /** Aborting ends the iteration quietly and closes the capture. */
  signal?: AbortSignal;
  /** How long the kernel holds a partly filled ring block before handing it over; default 10 ms. */
  blockTimeoutMs?: number;
  /**
   * An eventfd (a `Waker`'s, from `ffi/waker.ts`) that ends a wait when signalled, from any thread: how
   * another thread interrupts {@link Capture.forEachBlocking}. The capture polls it but never closes it.
   */
  wakeFd?: number;
}

/** Kernel and engine counters, cumulative since the capture opened. */
export interface CaptureStats {
  /**
   * packets the kernel queued for this socket after the filter, dropped ones included (ps_recv). With
   * direction "in" the kernel skips outgoing packets (PACKET_IGNORE_OUTGOING), so they are not counted here,
   * while `tcpdump -Q in` (libpcap 1.10) counts them before discarding them.
   */
  received: number;
  /** packets the kernel dropped because the ring was full (ps_drop) */
  dropped: number;
  /** times the ring froze because user space held every block */
  freezes: number;
  /** packets the engine took from the ring */
  taken: number;
  /** packets the engine yielded (taken minus the loopback duplicates and other directions) */
  yielded: number;
}

/**
 * One captured packet. The engine reuses one object for every packet: read what you need before taking
 * the next one, and copy `data` (`data.slice()`) to keep it.
 */
export class CapturedPacket {
  /** Memory that holds the frame (the whole ring); the frame is at `offset`, `caplen` bytes. */
  buffer: Uint8Array = new Uint8Array(0);
  /** Offset of the frame in `buffer`. */
  offset = 0;
  /** Bytes captured (at most the snaplen). */
  caplen = 0;
  /** Bytes on the wire. */
  len = 0;
  /** Timestamp, seconds since the epoch. */
  tsSec = 0;
  /** Timestamp, nanoseconds within the second (whole microseconds unless `nanoseconds` was asked for). */
  tsNsec = 0;
  /** Interface index the packet was seen on. */
  ifIndex = 0;
  /** Interface name ("" when the interface vanished before its name was learnt). */
  ifName = "";
  /** "in" or "out" (sent by this host). */
  direction: "in" | "out" = "in";
  /** pcap LINKTYPE of the frame (1 Ethernet, 101 raw IP, ...), -1 when libpcap has no raw mapping. */
  linktype = -1;
  /** ARPHRD_* hardware type of the interface. */
  hatype = -1;
  /** `sll_pkttype`: 0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing. */
  pkttype = 0;
  /** Ethertype the kernel saw (`sll_protocol`, host order). */
  protocol = 0;
  /** VLAN TCI the kernel had stripped and the engine re-inserted, or -1. */
  vlanTci = -1;
  #data: Uint8Array | undefined;

  /**
   * The frame bytes: a view into the ring, valid until the next packet is taken (the next iteration step)
   * and never after `close()`. Created on first access, so a consumer that only counts allocates nothing.
   */
  get data(): Uint8Array {
    return this.#data ??= this.buffer.subarray(this.offset, this.offset + this.caplen);
  }

  /** @internal drops the cached view (the engine calls it per packet) */
  _reset(): void {
    this.#data = undefined;
  }
}

const DEFAULT_SNAPLEN = 262144;
const DEFAULT_BUFFER = 4 * 1024 * 1024;
const POLL_BOUND_MS = 1000;

/** A live capture. Iterate it with `for await`; close it (or `using`) when done. */
export class Capture implements AsyncIterable<CapturedPacket> {
  readonly #sock: PacketSocket;
  readonly #ring: RxRing;
  readonly #loIndexes: Set<number>;
  readonly #names = new Map<number, string>();
  readonly #direction: CaptureDirection;
  readonly #snaplen: number;
  readonly #nanoseconds: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.close();
  readonly #packet = new CapturedPacket();
  #scratch: Uint8Array | undefined;
  #iterating = false;
  #closing = false;
  #stopping = false;
  #released = false;
  #resolveClosed!: () => void;
  /** Resolves once the socket and ring are released. */
  readonly closed: Promise<void>;
  readonly #stats: CaptureStats = { received: 0, dropped: 0, freezes: 0, taken: 0, yielded: 0 };
  /** The interface index captured on, 0 for all. */
  readonly ifIndex: number;
  /** The interface name captured on, "any" for all. */
  readonly interface: string;

  /** @internal use {@link openCapture} */
  constructor(
    sock: PacketSocket,
    ring: RxRing,
    ifIndex: number,
    ifName: string,
    options: Required<Pick<CaptureOptions, "direction" | "snaplen" | "nanoseconds">> & {
      signal?: AbortSignal;
      /** The interfaces at open (names and loopbacks are learnt from them). */
      interfaces: readonly NetInterface[];
    },
  ) {
    this.#sock = sock;
    this.#ring = ring;
    this.ifIndex = ifIndex;
    this.interface = ifName;
    this.#direction = options.direction;
    this.#snaplen = options.snaplen;
    this.#nanoseconds = options.nanoseconds;
    // The outgoing copy on a loopback device is never reported: let the ring pass over it cheaply.
    ring.skipOutgoingLoopback = true;
    this.#loIndexes = new Set();
    for (const i of options.interfaces) {
      this.#names.set(i.index, i.name);
      if (i.loopback) this.#loIndexes.add(i.index);
    }
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (this.#signal?.aborted) this.close();
  }

  /**
   * The mapped ring: its bytes (the `buf` that {@link appendBlocking} passes for frames in place) and
   * address, for a writer that references frames where they lie instead of copying them.
   */
  get ring(): { bytes: Uint8Array; address: number } {
    return { bytes: this.#ring.packet.bytes, address: this.#ring.address };
  }

  /**
   * Called before frames in the ring stop being valid: before a block goes back to the kernel and before
   * the ring is unmapped (see `RxRing.beforeRelease`). What it throws ends the capture loop with that error.
   */
  set beforeRelease(fn: (() => void) | undefined) {
    this.#ring.beforeRelease = fn;
  }

  /**
   * Kernel counters (accumulated across reads, since the kernel resets them) and engine counters. After
   * close, the final values.
   *
   * @returns a fresh copy of the counters
   * @throws {SyscallError} when the kernel read fails
   */
  stats(): CaptureStats {
    if (!this.#released) this.#readKernelStats();
    return { ...this.#stats, taken: this.#stats.taken + this.#ring.skipped };
  }

  #readKernelStats(): void {
    const s = this.#sock.statistics();
    this.#stats.received += s.packets;
    this.#stats.dropped += s.drops;
    this.#stats.freezes += s.freezes;
  }

  /**
   * Stops receiving but keeps what was captured: the socket is unbound (the kernel delivers nothing more),
   * then the iteration goes on over every packet already in the ring, the block the kernel was still
   * filling included, and ends quietly with a {@link close}. What Ctrl-C wants: nothing captured is lost.
   * Called before any iteration, the next iteration yields what was captured and ends. Idempotent; a no-op
   * after `close()`.
   */
  stop(): void {
    if (this.#closing || this.#stopping) return;
    this.#stopping = true;
    try {
      // Protocol 0 unhooks the socket; the kernel waits for in-flight deliveries before bind returns.
      this.#sock.bind(this.ifIndex, 0);
    } catch {
      this.close(); // a vanished interface: nothing more to drain safely
      return;
    }
    this.#ring.drain();
    if (this.#ring.polling) this.#ring.wake();
  }

  /**
   * Stops the capture: a pending wait is woken and the iteration ends quietly. Idempotent.
   * The socket and ring are released at once, or as soon as a wait in flight returns (see {@link closed}).
   */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    if (this.#ring.polling) this.#ring.wake();
    else this.#release();
  }

  #release(): void {
    if (this.#released) return;
    try {
      this.#readKernelStats();
    } catch { /* a vanished interface: keep the last counts */ }
    this.#released = true;
    this.#ring.close();
    this.#sock.close();
    this.#resolveClosed();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes and waits until the socket and ring are released. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.closed;
  }

  #name(index: number): string {
    let name = this.#names.get(index);
    if (name === undefined) {
      // An interface created after open: learn it (once per new index, not per packet).
      for (const i of listInterfaces()) {
        this.#names.set(i.index, i.name);
        if (i.loopback) this.#loIndexes.add(i.index);
      }
      name = this.#names.get(index) ?? "";
      this.#names.set(index, name);
    }
    return name;
  }

  /** Whether a ring record is reported (direction, and the loopback's outgoing copy). */
  #wanted(r: RingPacket): boolean {
    if (r.pkttype === PACKET_OUTGOING) {
      // Loopback: the incoming copy follows; report that one only (libpcap's linux_check_direction).
      if (r.hatype === ARPHRD_LOOPBACK || this.#loIndexes.has(r.ifindex)) return false;
      return this.#direction !== "in";
    }
    return this.#direction !== "out";
  }

  /** Fills the packet record from the ring record; false when the packet is not reported. */
  #accept(r: RingPacket): boolean {
    if (!this.#wanted(r)) return false;
    const outgoing = r.pkttype === PACKET_OUTGOING;
    const p = this.#packet;
    p._reset();
    p.buffer = r.bytes;
    p.offset = r.offset;
    p.caplen = r.snaplen;
    p.len = r.len;
    p.vlanTci = -1;
    if ((r.status & TP_STATUS_VLAN_VALID) !== 0 && r.snaplen >= 2 * ETH_ALEN) this.#insertVlan(r, p);
    if (p.caplen > this.#snaplen) p.caplen = this.#snaplen;
    p.tsSec = r.sec;
    p.tsNsec = this.#nanoseconds ? r.nsec : r.nsec - (r.nsec % 1000);
    if (r.ifindex !== p.ifIndex || p.ifName === "") {
      // Most packets come from the interface of the previous one: look the name up only on a change.
      p.ifIndex = r.ifindex;
      p.ifName = this.#name(r.ifindex);
    }
    p.direction = outgoing ? "out" : "in";
    if (r.hatype !== p.hatype) {
      p.hatype = r.hatype;
      p.linktype = linktypeForHatype(r.hatype);
    }
    p.pkttype = r.pkttype;
    p.protocol = r.protocol;
    return true;
  }

  /** Puts back the 802.1Q tag the kernel moved to metadata, after the two MAC addresses. */
  #insertVlan(r: RingPacket, p: CapturedPacket): void {
    const tpid = (r.status & TP_STATUS_VLAN_TPID_VALID) !== 0 && r.vlanTpid !== 0 ? r.vlanTpid : ETH_P_8021Q;
    const tci = r.vlanTci & 0xffff;
    let buf: Uint8Array, at: number;
    if (r.headroom >= VLAN_HLEN) {
      // In place: the slot has free bytes before the frame (the block is ours until the next packet).
      buf = r.bytes;
      at = r.offset - VLAN_HLEN;
      buf.copyWithin(at, r.offset, r.offset + 2 * ETH_ALEN);
    } else {
      const n = Math.min(r.snaplen, this.#snaplen);
      buf = this.#scratch ??= new Uint8Array(this.#snaplen + VLAN_HLEN);
      at = 0;
      buf.set(r.bytes.subarray(r.offset, r.offset + 2 * ETH_ALEN), 0);
      buf.set(r.bytes.subarray(r.offset + 2 * ETH_ALEN, r.offset + n), 2 * ETH_ALEN + VLAN_HLEN);
    }
    const t = at + 2 * ETH_ALEN;
    buf[t] = tpid >> 8;
    buf[t + 1] = tpid & 0xff;
    buf[t + 2] = tci >> 8;
    buf[t + 3] = tci & 0xff;
    p.buffer = buf;
    p.offset = at;
    p.caplen = r.snaplen + VLAN_HLEN;
    p.len = r.len + VLAN_HLEN;
    p.vlanTci = tci;
  }

  /** The next reported packet of a ready block, synchronously; null when no block is ready. */
  #take(): CapturedPacket | null {
    const ring = this.#ring;
    const stats = this.#stats;
    for (let r = ring.next(); r !== null; r = ring.next()) {
      stats.taken++;
      if (this.#accept(r)) {
        stats.yielded++;
        return this.#packet;
      }
    }
    return null;
  }

  /** Awaits a ready block (one thread hop); throws the socket's error, e.g. ENETDOWN. */
  async #waitReady(): Promise<void> {
    this.#checkReady(await this.#ring.wait(POLL_BOUND_MS));
  }

  #checkReady(w: number): void {
    if (w === WaitResult.ready && !this.#closing) {
      const err = this.#sock.pendingError();
      if (err !== 0) throw new SyscallError("poll", err, `capture on ${this.interface}`);
    }
  }

  #begin(): void {
    if (this.#iterating) throw new Error("a Capture is already being iterated");
    this.#iterating = true;
  }

  #end(): void {
    this.#iterating = false;
    if (this.#closing) this.#release();
  }

  /**
   * The packets, as they arrive. One iteration at a time (a second one throws); breaking out leaves the
   * capture open. Ends quietly on {@link close} or abort.
   *
   * While packets are ready, `next()` returns one already-settled promise over the reused record, so the
   * per-packet cost is one microtask; only an empty ring costs a wait (one poll on another thread).
   *
   * @returns the iterator (each packet is the same reused object: see {@link CapturedPacket})
   * @throws {Error} when the capture is already being iterated; the iteration rejects with a
   *   {@link SyscallError} (e.g. ENETDOWN) when the interface goes away
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<CapturedPacket> {
    this.#begin();
    const ready: Promise<IteratorResult<CapturedPacket>> = Promise.resolve({
      done: false,
      value: this.#packet,
    });
    const finished: IteratorResult<CapturedPacket> = { done: true, value: undefined };
    let active = true;
    let pending: Promise<IteratorResult<CapturedPacket>> | undefined;
    const finish = (): IteratorResult<CapturedPacket> => {
      if (active) {
        active = false;
        this.#end();
      }
      return finished;
    };
    const slow = async (): Promise<IteratorResult<CapturedPacket>> => {
      try {
        for (;;) {
          if (this.#closing) return finish();
          if (this.#take() !== null) return { done: false, value: this.#packet };
          if (this.#stopping) {
            // Drained: everything captured has been yielded.
            this.close();
            return finish();
          }
          await this.#waitReady();
        }
      } catch (e) {
        finish();
        throw e;
      } finally {
        pending = undefined;
      }
    };
    const next = (): Promise<IteratorResult<CapturedPacket>> => {
      if (!active) return Promise.resolve(finished);
      if (pending) return pending.then(next); // a caller that did not await the previous step
      if (this.#closing) return Promise.resolve(finish());
      if (this.#take() !== null) return ready;
      return pending = slow();
    };
    return {
      next,
      return: () => Promise.resolve(finish()),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * Calls `callback` synchronously for every packet until {@link close} or abort: the cheapest way to
   * consume a capture (no promise per packet), like `pcap_loop`. The callback may call `close()`.
   *
   * @param callback receives the reused packet record (valid until it returns)
   * @returns the number of packets passed to the callback
   * @throws {Error} when the capture is already being iterated; {SyscallError} e.g. ENETDOWN
   */
  async forEach(callback: (packet: CapturedPacket) => void): Promise<number> {
    this.#begin();
    let n = 0;
    try {
      while (!this.#closing) {
        for (let p = this.#take(); p !== null; p = this.#take()) {
          n++;
          callback(p);
          if (this.#closing) return n;
        }
        if (this.#stopping) {
          this.close();
          return n;
        }
        await this.#waitReady();
      }
      return n;
    } finally {
      this.#end();
    }
  }

  /**
   * Like {@link forEach}, but waits for ring blocks in a poll() on this thread instead of another thread:
   * no thread hop per block, which is what a Worker dedicated to capturing wants. While it waits, this
   * thread's timers and message handlers do not run; microtasks do (it awaits a settled promise between
   * blocks and every few thousand packets, so e.g. a pcap writer's chained flushes proceed).
   *
   * `tick` runs at those same points and at least every `tickMs`: the place to check for a stop request
   * from another thread (which signals the `wakeFd` eventfd given to {@link openCapture}, then the
   * tick calls {@link stop} or {@link close}) or to flush output. An empty ring with no `wakeFd` still
   * wakes every `tickMs`.
   *
   * @param callback receives the reused packet record (valid until it returns); may call `close()`
   * @param tick called between blocks and at least every `tickMs`
   * @param tickMs the longest time between ticks while the ring is empty; default 100
   * @returns the number of packets passed to the callback
   * @throws {Error} when the capture is already being iterated; {SyscallError} e.g. ENETDOWN
   */
  async forEachBlocking(
    callback: (packet: CapturedPacket) => void,
    tick?: () => void,
    tickMs = 100,
  ): Promise<number> {
    return await this.#blocking(
      (max) => {
        let k = 0;
        while (k < max) {
          const p = this.#take();
          if (p === null) break;
          k++;
          callback(p);
          if (this.#closing) break;
        }
        return k;
      },
      tick,
      tickMs,
    );
  }

  /**
   * The cheapest way to hand packets to a file writer: like {@link forEachBlocking}, but no packet record is
   * filled; `append` gets the frame's place in the ring and what a pcap record holds (the snap length applied,
   * nanoseconds truncated to whole microseconds unless the capture keeps nanoseconds). A frame whose VLAN tag
   * the kernel stripped is passed with the tag put back, as everywhere else. `append` may call
   * {@link close} (e.g. after `-c` packets).
   *
   * @param append receives each reported packet (the bytes are valid until it returns) and `h`, its header
   *   offset in the ring (see {@link sinkBlocking})
   * @param tick as for {@link forEachBlocking}
   * @param tickMs as for {@link forEachBlocking}
   * @returns the number of packets passed to `append`
   * @throws {Error} when the capture is already being iterated; {SyscallError} e.g. ENETDOWN
   */
  async appendBlocking(
    append: (
      buf: Uint8Array,
      offset: number,
      caplen: number,
      len: number,
      tsSec: number,
      tsNsec: number,
      h: number,
    ) => void,
    tick?: () => void,
    tickMs = 100,
  ): Promise<number> {
    const bytes = this.#ring.packet.bytes;
    return await this.sinkBlocking(
      {
        appendInRing: (from, caplen, len, sec, nsec, h) => append(bytes, from, caplen, len, sec, nsec, h),
        append,
      },
      {},
      tick,
      tickMs,
    );
  }

  /**
   * The leanest blocking walk, for a writer that points at frames where they lie in the ring instead of
   * copying them (a `RingPcapWriter`): like {@link appendBlocking}, but the common packet (no VLAN tag to put
   * back, not an outgoing copy) is read straight from the ring's header words, with no packet record filled
   * and no callback between the ring and `sink.appendInRing`. A packet with a stripped VLAN tag goes to
   * `sink.append` with the tag put back, in a buffer of the capture's.
   *
   * @param sink receives the frames: in place (an offset into the ring) or, rarely, copied; may call
   *   {@link close}
   * @param options `limit`: close the capture after that many frames; `screen`: a user-space check called
   *   with each frame before it is handed over (true drops it)
   *
   * The sink and the screen also get `h`, the packet's header offset in the ring, for a reader of its other
   * fields (interface, link type, direction: see `RING_HDR_WORD`); the header stays valid for as long as the
   * frame does.
   * @param tick as for {@link forEachBlocking}
   * @param tickMs as for {@link forEachBlocking}
   * @returns the number of frames handed over
   * @throws {Error} when the capture is already being iterated; {SyscallError} e.g. ENETDOWN; what the sink
   *   throws (e.g. a failed write), which ends the walk
   */
  async sinkBlocking(
    sink: RingFrameSink,
    options: {
      limit?: number;
      screen?: (buf: Uint8Array, offset: number, caplen: number, len: number, h: number) => boolean;
    } = {},
    tick?: () => void,
    tickMs = 100,
  ): Promise<number> {
    const ring = this.#ring;
    const stats = this.#stats;
    const snap = this.#snaplen;
    const nano = this.#nanoseconds;
    const limit = options.limit ?? Infinity;
    const screen = options.screen;
    const u8 = ring.packet.bytes;
    const u16 = ring.halves;
    const u32 = ring.words;
    const W = RING_HDR_WORD;
    let total = 0;
    return await this.#blocking(
      (max) => {
        let k = 0;
        const room = Math.min(max, limit - total);
        while (k < room) {
          const h = ring.nextHeader();
          if (h < 0) break;
          stats.taken++;
          const w = h >>> 2;
          if ((u32[w + W.status] & TP_STATUS_VLAN_VALID) !== 0 || u8[h + W.pkttype] === PACKET_OUTGOING) {
            // The rare packet: the general path, with the packet record.
            const r = ring.fill(h);
            if (!this.#wanted(r)) continue;
            if ((r.status & TP_STATUS_VLAN_VALID) !== 0 && r.snaplen >= 2 * ETH_ALEN) {
              this.#accept(r); // puts the tag back into the frame
              const p = this.#packet;
              if (screen !== undefined && screen(p.buffer, p.offset, p.caplen, p.len, h)) continue;
              sink.append(p.buffer, p.offset, p.caplen, p.len, p.tsSec, p.tsNsec, h);
              stats.yielded++;
              k++;
              if (this.#closing) break;
              continue;
            }
          }
          const from = h + u16[(h >>> 1) + W.mac];
          const cap = u32[w + W.snaplen];
          const caplen = cap < snap ? cap : snap;
          const len = u32[w + W.len];
          if (screen !== undefined && screen(u8, from, caplen, len, h)) continue;
          const ns = u32[w + W.nsec];
          sink.appendInRing(from, caplen, len, u32[w + W.sec], nano ? ns : ns - ns % 1000, h);
          stats.yielded++;
          k++;
          if (this.#closing) break; // the sink closed the capture (e.g. after -c packets)
        }
        total += k;
        if (total >= limit) this.close();
        return k;
      },
      tick,
      tickMs,
    );
  }

  /**
   * The loop both blocking walks share. `walk(max)` takes up to `max` packets from the ready blocks and says
   * how many it took: `max` means more may be ready; fewer, that the ring ran dry (or the capture closed).
   * Between walks: `tick`, a microtask checkpoint, and when the ring is dry either the end of a drain
   * (after {@link stop}) or a blocking wait of at most `tickMs`.
   */
  async #blocking(
    walk: (max: number) => number,
    tick: (() => void) | undefined,
    tickMs: number,
  ): Promise<number> {
    this.#begin();
    let n = 0;
    try {
      while (!this.#closing) {
        const k = walk(BLOCKING_YIELD_EVERY);
        n += k;
        if (this.#closing) return n;
        if (k === BLOCKING_YIELD_EVERY) {
          tick?.();
          await undefined;
          continue;
        }
        if (this.#stopping) {
          // Drained: everything captured has been handed over.
          this.close();
          return n;
        }
        tick?.();
        await undefined;
        if (this.#closing) return n;
        if (this.#stopping) continue; // stop() from the tick: drain what the ring holds
        this.#checkReady(this.#ring.waitBlocking(tickMs));
      }
      return n;
    } finally {
      this.#end();
    }
  }
}

/**
 * Where {@link Capture.sinkBlocking} hands frames: a writer that references them in the ring. `h` is the
 * packet's header offset in the ring (`RING_HDR_WORD` names its fields), valid until the ring's
 * `beforeRelease`.
 */
export interface RingFrameSink {
  /** A frame at byte offset `from` of the ring (`Capture.ring.bytes`), valid until the ring's `beforeRelease`. */
  appendInRing(from: number, caplen: number, len: number, sec: number, nsec: number, h: number): void;
  /** A frame elsewhere (`buf`), valid only during the call. */
  append(
    buf: Uint8Array,
    from: number,
    caplen: number,
    len: number,
    sec: number,
    nsec: number,
    h: number,
  ): void;
}

/** Packets between two microtask checkpoints of {@link Capture.forEachBlocking} under sustained load. */
const BLOCKING_YIELD_EVERY = 4096;

/**
 * Opens a live capture (needs CAP_NET_RAW).
 *
 * @param options interface, direction, snaplen, ring size, filter, abort signal
 * @returns the capture; iterate it for packets
 * @throws {SyscallError} code "EPERM" without CAP_NET_RAW; "ENODEV" for an unknown interface, with the list
 *   of interfaces in the message; "ENETDOWN" for an interface that is down; EINVAL when the kernel rejects
 *   the filter
 * @throws {RangeError} for a bad snaplen, buffer size or direction
 * @example
 * ```ts
 * import { openCapture } from "./capture.ts";
 * try {
 *   await using cap = openCapture({ interface: "lo", filter: [{ code: 0x06, jt: 0, jf: 0, k: 0 }] });
 *   if (cap.stats().received !== 0) throw new Error("ret #0 accepts nothing");
 * } catch (e) {
 *   if ((e as { code?: string }).code !== "EPERM") throw e; // not root: fine for an example
 * }
 * ```
 */
export function openCapture(options: CaptureOptions = {}): Capture {
  const direction = options.direction ?? "inout";
  if (direction !== "in" && direction !== "out" && direction !== "inout") {
    throw new RangeError(`invalid direction: ${JSON.stringify(direction)} (in, out or inout)`);
  }
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > DEFAULT_SNAPLEN) {
    throw new RangeError(`invalid snaplen: ${snaplen} (1 to ${DEFAULT_SNAPLEN})`);
  }
  const bufferSize = options.bufferSize ?? DEFAULT_BUFFER;
  if (!Number.isSafeInteger(bufferSize) || bufferSize < 1) {
    throw new RangeError(`invalid buffer size: ${bufferSize}`);
  }
  const geometry = ringGeometry(bufferSize, snaplen, options.blockTimeoutMs ?? 10);
  const name = options.interface ?? "any";
  const ifIndex = name === "any" ? 0 : requireInterface(name);
  const sock = PacketSocket.open();
  let ring: RxRing | undefined;
  try {
    // On lo (or every interface, lo included) the kernel rejects the outgoing copy of each packet itself.
    const interfaces = listInterfaces();
    const loopback = ifIndex === 0 || interfaces.some((i) => i.index === ifIndex && i.loopback);
    if (loopback && direction !== "in") sock.attachFilter(withLoopbackOutgoingGuard(options.filter));
    else if (options.filter && options.filter.length > 0) sock.attachFilter(options.filter);
    if (direction === "in") sock.setIgnoreOutgoing(true);
    ring = RxRing.map(sock, geometry, options.wakeFd);
    sock.bind(ifIndex);
    // Binding to a down interface succeeds but leaves ENETDOWN pending (libpcap checks the same way).
    const pending = sock.pendingError();
    if (pending !== 0) throw new SyscallError("bind", pending, `interface ${name}`);
    if (ifIndex !== 0 && (options.promiscuous ?? true)) sock.setPromiscuous(ifIndex, true);
    return new Capture(sock, ring, ifIndex, name, {
      direction,
      snaplen,
      nanoseconds: options.nanoseconds ?? false,
      signal: options.signal,
      interfaces,
    });
  } catch (e) {
    ring?.close();
    sock.close();
    throw e;
  }
}
