/**
 * The TPACKET_V3 receive ring (packet(7), Documentation/networking/packet_mmap.rst).
 *
 * The kernel fills fixed-size blocks with variable-size packets and hands a whole block to user space by
 * setting `TP_STATUS_USER` in the block descriptor; user space walks the block's packets (each
 * `tpacket3_hdr` gives `tp_next_offset`), then hands the block back by storing `TP_STATUS_KERNEL`. Blocks
 * are used in order, so the reader only ever looks at one block status word.
 *
 * Costs, from NOTES.md: the ring is mapped once and `getArrayBuffer` runs once for the whole ring; the status
 * word is read with `Atomics.load` and released with `Atomics.store` on an `Int32Array` over the ring (the
 * kernel writes it from another CPU); the walk is synchronous; only when no block is ready does the reader
 * await a `nonblocking` poll(), so the thread hop costs once per block, never per packet. The packet record is
 * one object reused for every packet.
 *
 * Lifetime: a packet's bytes stay valid until the next call of {@link RxRing.next} (which may release its
 * block to the kernel). After {@link RxRing.close} the ring's address range is replaced by zero pages, so a
 * stale view reads zeros instead of crashing the process; the range is unmapped once the garbage collector
 * has dropped every view of it.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { errno, SyscallError } from "./errno.ts";
import {
  ARPHRD_LOOPBACK,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  PACKET_OUTGOING,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  PROT_READ,
  PROT_WRITE,
  TP_STATUS_KERNEL,
  TP_STATUS_USER,
  TPACKET_V3,
  tpacketAlign,
} from "./constants.ts";
import { dataView, POLLFD, SOCKADDR_LL, TPACKET3_HDR, TPACKET_BLOCK_DESC } from "./structs.ts";
import type { PacketSocket, RingRequest } from "./packet_socket.ts";
import { Waker } from "./waker.ts";

/** Where the `sockaddr_ll` sits after each `tpacket3_hdr` (`TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`). */
const SLL_OFFSET = tpacketAlign(TPACKET3_HDR.size);
/** `TPACKET3_HDRLEN`: the kernel's per-packet header bytes before the frame, at least. */
const TPACKET3_HDRLEN = SLL_OFFSET + SOCKADDR_LL.size;
/** Smallest block: large blocks mean fewer wake-ups per packet under load. */
const MIN_BLOCK_SIZE = 128 * 1024;
const PAGE_SIZE = 4096;

/** What {@link RxRing.wait} saw. */
export const WaitResult = {
  /** the poll timed out */
  timeout: 0,
  /** the ring has a block for user space (or the socket has an error: check `pendingError()`) */
  ready: 1,
  /** {@link RxRing.wake} was called */
  woken: 2,
} as const;
/** One of {@link WaitResult}'s values. */
export type WaitResult = typeof WaitResult[keyof typeof WaitResult];

/**
 * The ring geometry for a buffer size and snapshot length: blocks big enough for one frame of `snaplen`
 * bytes plus headers (a power of two, at least 128 KiB), as many as fit in `bufferSize`, at least two.
 *
 * @param bufferSize bytes of ring wanted
 * @param snaplen most bytes captured per packet
 * @param retireTimeoutMs how long the kernel waits before handing over a partly filled block
 * @returns the request for `PacketSocket.setRxRing`
 * @throws {RangeError} for a non-positive size or snaplen
 * @example
 * ```ts
 * import { ringGeometry } from "./ring.ts";
 * const g = ringGeometry(2 * 1024 * 1024, 262144, 10);
 * if (g.blockSize * g.blockNr !== 2 * 1024 * 1024) throw new Error("4 blocks of 512 KiB");
 * ```
 */
export function ringGeometry(bufferSize: number, snaplen: number, retireTimeoutMs: number): RingRequest {
  if (!Number.isSafeInteger(bufferSize) || bufferSize <= 0) {
    throw new RangeError(`invalid ring buffer size: ${bufferSize}`);
  }
  if (!Number.isSafeInteger(snaplen) || snaplen <= 0) throw new RangeError(`invalid snaplen: ${snaplen}`);
  if (!Number.isInteger(retireTimeoutMs) || retireTimeoutMs < 0) {
    throw new RangeError(`invalid block timeout: ${retireTimeoutMs}`);
  }
  // Room for the block descriptor, the packet headers, 16 bytes of link header slack and a VLAN tag.
  const frameSize = tpacketAlign(TPACKET_BLOCK_DESC.size + TPACKET3_HDRLEN + 16 + 4 + snaplen);
  let blockSize = Math.max(MIN_BLOCK_SIZE, PAGE_SIZE);
  while (blockSize < frameSize) blockSize *= 2;
  const blockNr = Math.max(2, Math.floor(bufferSize / blockSize));
  return {
    blockSize,
    blockNr,
    frameSize,
    frameNr: Math.floor(blockSize / frameSize) * blockNr,
    retireTimeoutMs,
  };
}

/** The packet the ring currently holds: one object, overwritten by every {@link RxRing.next}. */
export class RingPacket {
  /** The whole ring; the frame is `bytes.subarray(offset, offset + snaplen)`. */
  bytes: Uint8Array;
  /** Offset of the frame (link-layer header) in `bytes`. */
  offset = 0;
  /** Free bytes before the frame that belong to this packet's slot (room to re-insert a VLAN tag). */
  headroom = 0;
  /** Bytes captured (`tp_snaplen`). */
  snaplen = 0;
  /** Bytes on the wire (`tp_len`). */
  len = 0;
  /** Timestamp seconds (`tp_sec`). */
  sec = 0;
  /** Timestamp nanoseconds (`tp_nsec`). */
  nsec = 0;
  /** `tp_status`: TP_STATUS_VLAN_VALID, TP_STATUS_COPY, TP_STATUS_LOSING ... */
  status = 0;
  /** `tp_vlan_tci`, meaningful with TP_STATUS_VLAN_VALID. */
  vlanTci = 0;
  /** `tp_vlan_tpid`, meaningful with TP_STATUS_VLAN_TPID_VALID. */
  vlanTpid = 0;
  /** `sll_ifindex`. */
  ifindex = 0;
  /** `sll_hatype` (ARPHRD_*). */
  hatype = 0;
  /** `sll_pkttype` (PACKET_HOST, PACKET_OUTGOING ...). */
  pkttype = 0;
  /** `sll_protocol`, converted to host order. */
  protocol = 0;

  /** @param bytes the ring */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

const finalizer = new FinalizationRegistry<{ ptr: Deno.PointerObject; size: bigint }>(({ ptr, size }) => {
  // Every JS view of the range is gone: give the address space back.
  libc().munmap(ptr, size);
});

/** A mapped TPACKET_V3 receive ring over a {@link PacketSocket}. Does not own the socket. */
export class RxRing {
  #ptr: Deno.PointerObject | null;
  readonly #size: number;
  readonly #blockSize: number;
  readonly #blockNr: number;
  readonly #u8: Uint8Array;
  readonly #u16: Uint16Array;
  readonly #u32: Uint32Array;
  readonly #i32: Int32Array;
  #wakeFd: number;
  /** The ring's own waker when it was given none (closed with the ring). */
  readonly #ownWaker: Waker | undefined;
  readonly #pollfds = new Uint8Array(2 * POLLFD.size);
  #polling = false;
  // Walk state: the block being read, whether user space holds it, packets left, next header offset.
  #block = 0;
  #held = false;
  #left = 0;
  #next = 0;
  // Drain state (see drain()): the sequence number of the last block taken.
  #lastSeq = 0;
  #draining = false;
  #partialTaken = false;
  /** The reused packet record that {@link next} fills. */
  readonly packet: RingPacket;
  /**
   * When true, {@link next} passes over the outgoing copy of each packet on a loopback device
   * (`sll_pkttype` PACKET_OUTGOING, `sll_hatype` ARPHRD_LOOPBACK) without filling {@link packet}: the
   * incoming copy follows, and a reader that reports each packet once (as libpcap does) saves the work.
   */
  skipOutgoingLoopback = false;
  /** Packets {@link skipOutgoingLoopback} passed over. */
  skipped = 0;
  /**
   * Called when the frames {@link next} has returned are about to stop being valid: before a block goes
   * back to the kernel and before {@link close} unmaps the ring. A reader that keeps references into the
   * ring (e.g. iovecs not yet written) finishes with them here. What it throws propagates from `next()`
   * (the block is then not released) or is swallowed by `close()`.
   */
  beforeRelease: (() => void) | undefined = undefined;

  private constructor(
    fd: number,
    ptr: Deno.PointerObject,
    req: RingRequest,
    wakeFd: number,
    ownWaker: Waker | undefined,
  ) {
    this.#ptr = ptr;
    this.#blockSize = req.blockSize;
    this.#blockNr = req.blockNr;
    this.#size = req.blockSize * req.blockNr;
    const buf = Deno.UnsafePointerView.getArrayBuffer(ptr, this.#size);
    this.#u8 = new Uint8Array(buf);
    this.#u16 = new Uint16Array(buf);
    this.#u32 = new Uint32Array(buf);
    this.#i32 = new Int32Array(buf);
    this.#wakeFd = wakeFd;
    this.#ownWaker = ownWaker;
    this.packet = new RingPacket(this.#u8);
    finalizer.register(buf, { ptr, size: BigInt(this.#size) });
    const pv = dataView(this.#pollfds);
    pv.setInt32(POLLFD.host.fd, fd, true);
    pv.setInt16(POLLFD.host.events, POLLIN | POLLERR, true);
    pv.setInt32(POLLFD.size + POLLFD.host.fd, wakeFd, true);
    pv.setInt16(POLLFD.size + POLLFD.host.events, POLLIN, true);
  }

  /**
   * Sets TPACKET_V3 on the socket, requests the ring and maps it. Call before binding the socket.
   *
   * @param sock an open packet socket
   * @param req the geometry, e.g. from {@link ringGeometry}
   * @param wakeFd an eventfd that ends a wait when signalled, possibly from another thread (a
   *   {@link Waker}'s); the ring polls it but does not close it. Default: an eventfd of its own.
   * @returns the mapped ring
   * @throws {SyscallError} when the kernel refuses the version, the ring or the mapping
   */
  static map(sock: PacketSocket, req: RingRequest, wakeFd?: number): RxRing {
    sock.setVersion(TPACKET_V3);
    sock.setRxRing(req);
    const c = libc();
    const size = BigInt(req.blockSize * req.blockNr);
    const ptr = c.mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED, sock.fd, 0n);
    if (ptr === null || BigInt(Deno.UnsafePointer.value(ptr)) === 0xffffffffffffffffn) {
      throw new SyscallError("mmap", errno(), `packet ring of ${size} bytes`);
    }
    if (wakeFd !== undefined) return new RxRing(sock.fd, ptr, req, wakeFd, undefined);
    let own: Waker;
    try {
      own = Waker.create();
    } catch (e) {
      c.munmap(ptr, size);
      throw e;
    }
    return new RxRing(sock.fd, ptr, req, own.fd, own);
  }

  /**
   * The address the ring is mapped at (0 after close), for iovecs that point into it: the frame
   * {@link next} returns starts at `address + packet.offset`.
   */
  get address(): number {
    return this.#ptr === null ? 0 : Number(Deno.UnsafePointer.value(this.#ptr));
  }

  /** Bytes mapped. */
  get size(): number {
    return this.#size;
  }

  /** Whether a nonblocking poll is in flight (its promise has not settled). */
  get polling(): boolean {
    return this.#polling;
  }

  /**
   * Takes the next packet: fills {@link packet} and returns it, or returns null when no block is ready.
   * Releases a block to the kernel once its last packet has been taken and the next call comes.
   *
   * @returns the reused packet record, or null
   */
  next(): RingPacket | null {
    const h = this.nextHeader();
    return h < 0 ? null : this.fill(h);
  }

  /**
   * Takes the next packet without filling {@link packet}: returns the byte offset of its `tpacket3_hdr` in
   * the ring, or -1 when no block is ready. For a reader that reads the few header fields it needs from
   * {@link words} and {@link halves} (word indices in {@link RING_HDR_WORD}) or fills the record with
   * {@link fill}. Releases blocks as {@link next} does.
   *
   * @returns the header's offset in the ring, or -1
   */
  nextHeader(): number {
    // The common case, small enough for the caller's loop to inline: a packet left in the block held.
    if (this.#left > 0) {
      const h = this.#next;
      // An outgoing packet may be the loopback's copy to pass over: the slow path decides.
      if (
        !this.skipOutgoingLoopback || this.#u8[h + SLL_OFFSET + SOCKADDR_LL.host.pkttype] !== PACKET_OUTGOING
      ) {
        this.#next = h + this.#u32[h >>> 2]; // tp_next_offset
        this.#left--;
        return h;
      }
    }
    return this.#nextHeaderSlow();
  }

  #nextHeaderSlow(): number {
    if (this.#ptr === null) return -1;
    const u32 = this.#u32;
    for (;;) {
      if (this.#left > 0) {
        const h = this.#next;
        this.#next = h + u32[h >>> 2]; // tp_next_offset
        this.#left--;
        if (this.skipOutgoingLoopback) {
          const s = h + SLL_OFFSET;
          if (
            this.#u8[s + SOCKADDR_LL.host.pkttype] === PACKET_OUTGOING &&
            this.#u16[(s + SOCKADDR_LL.host.hatype) >>> 1] === ARPHRD_LOOPBACK
          ) {
            this.skipped++;
            continue;
          }
        }
        return h;
      }
      if (this.#held) this.#release();
      const base = this.#block * this.#blockSize;
      const status = Atomics.load(this.#i32, (base + TPACKET_BLOCK_DESC.host.blockStatus) >>> 2);
      const B = TPACKET_BLOCK_DESC.host;
      // Block sequence numbers (tpacket_hdr_v1.seq_num) count from 1 in the order the kernel opens blocks.
      const seq = u32[(base + B.seqNum) >>> 2] + u32[(base + B.seqNum + 4) >>> 2] * 2 ** 32;
      if ((status & TP_STATUS_USER) === 0) {
        if (!this.#draining || this.#partialTaken) return -1;
        // Draining after the socket stopped receiving: the block the kernel was still filling is final
        // now. It is ours to read only if it is the one opened after the last block taken (a block not
        // reopened since its release still carries the old packet count); it stays kernel-owned.
        this.#partialTaken = true;
        if (seq !== this.#lastSeq + 1) return -1;
        this.#lastSeq = seq;
        this.#left = u32[(base + B.numPkts) >>> 2];
        this.#next = base + u32[(base + B.offsetToFirstPkt) >>> 2];
        continue;
      }
      this.#held = true;
      this.#lastSeq = seq;
      this.#left = u32[(base + B.numPkts) >>> 2];
      this.#next = base + u32[(base + B.offsetToFirstPkt) >>> 2];
    }
  }

  /**
   * Fills {@link packet} from the packet whose header is at `h` (from {@link nextHeader}).
   *
   * @param h the header's offset in the ring
   * @returns the reused packet record
   */
  fill(h: number): RingPacket {
    const u32 = this.#u32;
    const w = h >>> 2;
    const H = TPACKET3_HDR.host;
    const s = h + SLL_OFFSET;
    const L = SOCKADDR_LL.host;
    const p = this.packet;
    p.sec = u32[w + (H.sec >>> 2)];
    p.nsec = u32[w + (H.nsec >>> 2)];
    p.snaplen = u32[w + (H.snaplen >>> 2)];
    p.len = u32[w + (H.len >>> 2)];
    p.status = u32[w + (H.status >>> 2)];
    p.vlanTci = u32[w + (H.vlanTci >>> 2)];
    p.vlanTpid = this.#u16[(h + H.vlanTpid) >>> 1];
    const mac = this.#u16[(h + H.mac) >>> 1];
    p.offset = h + mac;
    p.headroom = mac - TPACKET3_HDRLEN;
    p.ifindex = this.#i32[(s + L.ifindex) >>> 2];
    p.hatype = this.#u16[(s + L.hatype) >>> 1];
    p.pkttype = this.#u8[s + L.pkttype];
    // sll_protocol is network order: swap the bytes of the little-endian read.
    const proto = this.#u16[(s + SOCKADDR_LL.net.protocol) >>> 1];
    p.protocol = ((proto & 0xff) << 8) | (proto >>> 8);
    return p;
  }

  /** The ring as 32-bit words, for {@link nextHeader}'s readers (see {@link RING_HDR_WORD}). */
  get words(): Uint32Array {
    return this.#u32;
  }

  /** The ring as 16-bit words, for {@link nextHeader}'s readers (see {@link RING_HDR_WORD}). */
  get halves(): Uint16Array {
    return this.#u16;
  }

  /**
   * After the socket has stopped receiving (bound to protocol 0), lets {@link next} also walk the block the
   * kernel was still filling, once, so that nothing captured is left behind when a capture is stopped.
   */
  drain(): void {
    this.#draining = true;
  }

  #release(): void {
    this.beforeRelease?.();
    const base = this.#block * this.#blockSize;
    Atomics.store(this.#i32, (base + TPACKET_BLOCK_DESC.host.blockStatus) >>> 2, TP_STATUS_KERNEL);
    this.#held = false;
    this.#left = 0;
    this.#block = (this.#block + 1) % this.#blockNr;
  }

  #result(n: number): WaitResult {
    if (n <= 0) return WaitResult.timeout;
    const pv = dataView(this.#pollfds);
    const wake = pv.getInt16(POLLFD.size + POLLFD.host.revents, true);
    if (wake & POLLIN) {
      // Drain the eventfd so the next poll blocks again.
      Waker.drain(this.#wakeFd);
    }
    const rev = pv.getInt16(POLLFD.host.revents, true);
    if (rev & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) return WaitResult.ready;
    return wake & POLLIN ? WaitResult.woken : WaitResult.timeout;
  }

  /**
   * Waits on another thread (a `nonblocking` poll) until a block is ready, {@link wake} is called, or the
   * timeout passes. The event loop keeps running meanwhile.
   *
   * @param timeoutMs the longest wait
   * @returns what ended the wait
   * @throws {Error} when a wait is already in flight or the ring is closed
   */
  async wait(timeoutMs: number): Promise<WaitResult> {
    if (this.#polling) throw new Error("RxRing.wait: a wait is already in flight");
    if (this.#ptr === null) throw new Error("RxRing.wait: the ring is closed");
    this.#polling = true;
    try {
      // The pollfd buffer stays referenced by this object and untouched until the promise settles.
      return this.#result(await libc().poll(this.#pollfds, 2n, timeoutMs | 0));
    } finally {
      this.#polling = false;
    }
  }

  /**
   * The blocking form of {@link wait}, for a Worker whose thread may sleep: it freezes this thread's timers
   * and event loop for up to `timeoutMs`.
   *
   * @param timeoutMs the longest wait
   * @returns what ended the wait
   * @throws {SyscallError} when poll fails for another reason than EINTR
   */
  waitBlocking(timeoutMs: number): WaitResult {
    if (this.#ptr === null) throw new Error("RxRing.waitBlocking: the ring is closed");
    const n = libc().pollBlocking(this.#pollfds, 2n, timeoutMs | 0);
    if (n < 0) {
      const e = errno();
      if (e === 4) return WaitResult.timeout; // EINTR: let the caller loop
      throw new SyscallError("poll", e);
    }
    return this.#result(n);
  }

  /** Ends a {@link wait} in flight early (from this thread, e.g. on close or abort). Safe to call any time. */
  wake(): void {
    if (this.#wakeFd >= 0) Waker.signal(this.#wakeFd);
  }

  /**
   * Unmaps the ring (its range becomes zero pages until every view is collected) and closes the wake fd
   * it created (not one it was given).
   * Do not call while {@link polling}: wake the poll and close after it settles. A second call does nothing.
   */
  close(): void {
    const ptr = this.#ptr;
    if (ptr === null) return;
    try {
      this.beforeRelease?.();
    } catch {
      // closing regardless: the reader recorded its own failure
    }
    this.#ptr = null;
    this.#left = 0;
    const c = libc();
    // MAP_FIXED replaces the ring pages atomically, which also releases the kernel's ring mapping.
    c.mmap(ptr, BigInt(this.#size), PROT_READ, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0n);
    this.#ownWaker?.close();
    this.#wakeFd = -1;
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Where a reader of {@link RxRing.nextHeader} finds a packet's fields, for a header at byte offset `h`:
 * 32-bit fields at `words[(h >>> 2) + X]`, 16-bit ones at `halves[(h >>> 1) + X]`, bytes at `h + X`.
 */
export const RING_HDR_WORD = {
  /** u32 tp_sec */
  sec: TPACKET3_HDR.host.sec >>> 2,
  /** u32 tp_nsec */
  nsec: TPACKET3_HDR.host.nsec >>> 2,
  /** u32 tp_snaplen */
  snaplen: TPACKET3_HDR.host.snaplen >>> 2,
  /** u32 tp_len */
  len: TPACKET3_HDR.host.len >>> 2,
  /** u32 tp_status */
  status: TPACKET3_HDR.host.status >>> 2,
  /** u16 tp_mac: the frame's offset from the header */
  mac: TPACKET3_HDR.host.mac >>> 1,
  /** byte: sll_pkttype */
  pkttype: SLL_OFFSET + SOCKADDR_LL.host.pkttype,
  /** u32 sll_ifindex (a 32-bit word: read it from `words`) */
  ifindex: (SLL_OFFSET + SOCKADDR_LL.host.ifindex) >>> 2,
  /** u16 sll_hatype (from `halves`) */
  hatype: (SLL_OFFSET + SOCKADDR_LL.host.hatype) >>> 1,
  /** u16 sll_protocol (from `halves`), in network order: swap its bytes */
  protocol: (SLL_OFFSET + SOCKADDR_LL.net.protocol) >>> 1,
} as const;

/**
 * Where a packet's scratch bytes begin, from its header offset `h`: once the packet has been taken and its
 * header fields read, the bytes from `h + RING_SCRATCH_FROM` up to the frame (`h + tp_mac`) belong to no one
 * (the link-layer address in `sockaddr_ll`, then padding), so a reader may write there, e.g. a pcap record
 * header right before the frame (libpcap too writes into its ring, to put a VLAN tag back). The packet's
 * `tpacket3_hdr` and the `sockaddr_ll` fields before `sll_addr` stay untouched. See linux/if_packet.h and
 * `tpacket_rcv()`: the frame starts at least `TPACKET3_HDRLEN` bytes after `h`.
 */
export const RING_SCRATCH_FROM: number = SLL_OFFSET + SOCKADDR_LL.host.addr;

/** Derived layout figures, for tests: the `sockaddr_ll` offset and `TPACKET3_HDRLEN`. */
export const RING_LAYOUT = { sllOffset: SLL_OFFSET, tpacket3HdrLen: TPACKET3_HDRLEN } as const;
