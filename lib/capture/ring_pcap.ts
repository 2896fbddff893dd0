/**
 * A classic pcap writer for a live capture that copies no packet in user space: each record is an iovec
 * for its 16-byte header (and an optional link header built apart, e.g. LINUX_SLL2's), then an iovec that
 * points at the frame where it lies in the packet ring. `writev()` hands up to {@link RING_PCAP_BATCH}
 * records to the kernel at once, which copies the frames from the ring to the file: one copy per packet,
 * where a stdio-buffered writer such as tcpdump's makes two.
 *
 * In a TPACKET_V3 ring the bytes right before each frame are scratch (`RING_SCRATCH_FROM`): given the
 * packet's header offset, the writer puts the record header there and the whole record is one iovec. The
 * kernel's copy costs per iovec as well as per byte: measured here with a C probe, 600,000 records of 106
 * bytes written as one iovec each took 58 ms of CPU, as two (header, frame) 82 ms, and through an 8 KiB
 * buffer as stdio does 69 ms.
 *
 * The frames must stay where they are until written: {@link RingPcapWriter.flush} runs before the ring
 * takes a block back (`RxRing.beforeRelease`) and before it is unmapped. A frame that is not in the ring (a
 * VLAN tag put back in a scratch buffer) is copied into the writer's own spill buffer.
 *
 * @module
 */
import { addressOf, FdWriter, IOV_MAX } from "../../ffi/file.ts";
import { IOVEC } from "../../ffi/structs.ts";
import { pcapFileHeader } from "../pcap/writer.ts";
import { PCAP_RECORD_HEADER_LEN } from "../pcap/pcap.ts";
import { RING_HDR_WORD, RING_SCRATCH_FROM } from "../../ffi/ring.ts";
import { linktypeForHatype } from "../../ffi/constants.ts";
import { SLL2_HEADER_LEN } from "../wire/sll2.ts";

const LINKTYPE_ETHERNET = 1;
const ETH_HEADER_LEN = 14;
const ETH_ALEN = 6;
/** How much longer an SLL2 header is than the Ethernet header it replaces. */
const SLL2_OVER_ETH = SLL2_HEADER_LEN - ETH_HEADER_LEN;
import { writeSll2Header } from "./_sll2.ts";
import type { RingFrameSink } from "./capture.ts";

/** Records per writev() at least (two iovecs each; a record in one iovec counts half). */
export const RING_PCAP_BATCH = IOV_MAX / 2;
/** Room per record in the header arena: the record header and a link header of up to 32 bytes. */
const SLOT = 48;
const MAX_PREFIX = SLOT - PCAP_RECORD_HEADER_LEN;
/** Bytes of spill (copied frames) before a flush is due. */
const SPILL = 1 << 18;

/** Options of {@link RingPcapWriter}. */
export interface RingPcapWriterOptions {
  /** The file's link type; default 1 (Ethernet). */
  linktype?: number;
  /** The file's snap length; default 262144. Callers cut each frame to it. */
  snaplen?: number;
  /** Nanosecond timestamps (the nanosecond magic); default microseconds. */
  nanosecond?: boolean;
  /**
   * The ring is a TPACKET_V3 ring whose packets are handed over with their header offset `h`
   * ({@link RingPcapWriter.appendInRing}): the writer may overwrite the scratch bytes before each frame
   * (from `h + RING_SCRATCH_FROM`, see ffi/ring.ts) with the record's header. Default false: the writer
   * writes nothing into the ring.
   */
  tpacketRing?: boolean;
}

/**
 * Writes pcap records whose frames stay in a mapped ring until the batch is written.
 *
 * @example
 * ```ts
 * import { FdWriter } from "../../ffi/file.ts";
 * import { RingPcapWriter } from "./ring_pcap.ts";
 * import { readPacketsSync } from "../pcap/reader.ts";
 * const path = Deno.makeTempFileSync();
 * try {
 *   const ring = new Uint8Array(64).fill(7); // any memory that stays put, here standing in for the ring
 *   const w = new RingPcapWriter(FdWriter.create(path), ring);
 *   w.append(ring, 8, 20, 20, 1700000000, 5000);
 *   w.close();
 *   const [p] = [...readPacketsSync(Deno.readFileSync(path))];
 *   if (p.data.length !== 20 || p.data[0] !== 7 || p.tsNsec !== 5000) throw new Error("one record");
 * } catch (e) {
 *   if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
 * } finally {
 *   Deno.removeSync(path);
 * }
 * ```
 */
export class RingPcapWriter {
  readonly #out: FdWriter;
  readonly #ring: Uint8Array;
  readonly #ringAddress: number;
  readonly #ringView: DataView;
  /** The least distance from a packet's header to its record's start for a record in place; Infinity: never. */
  readonly #scratchFrom: number;
  readonly #nano: boolean;
  readonly #snaplen: number;
  // Record headers (and link headers), one SLOT per pending record.
  readonly #arena = new Uint8Array(RING_PCAP_BATCH * SLOT);
  readonly #arena32 = new Uint32Array(this.#arena.buffer);
  readonly #arenaAddress: number;
  // The iovec table: entries as four 32-bit words (base low, base high, length low, length high).
  readonly #iov = new Uint8Array(IOV_MAX * IOVEC.size);
  readonly #iov32 = new Uint32Array(this.#iov.buffer);
  readonly #iovPointer: Deno.PointerObject;
  // Frames that are not in the ring, copied.
  readonly #spill: Uint8Array;
  readonly #spillAddress: number;
  #spillLen = 0;
  /** Pending records with an arena slot. */
  #n = 0;
  /** Pending iovecs. */
  #k = 0;
  #bytes = 0;
  #closed = false;
  #failure: unknown = undefined;
  /** Records written or pending. */
  packets = 0;
  /** Bytes written to the file (the file header included). */
  bytesWritten = 0;

  /**
   * Writes the file header at once (a capture stopped early still leaves a valid file).
   *
   * @param out the destination; {@link close} closes it
   * @param ring the mapped ring's bytes, whose first byte is at `ringAddress`
   * @param options link type, snap length, resolution
   * @param ringAddress where `ring` is mapped; default its own address
   * @throws {RangeError} for a bad link type or snap length; {SyscallError} when the write fails; {Error}
   *   on a big-endian host
   */
  constructor(out: FdWriter, ring: Uint8Array, options: RingPcapWriterOptions = {}, ringAddress?: number) {
    // Record headers and iovecs are written as native 32-bit words behind a little-endian file header.
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
      throw new Error("RingPcapWriter needs a little-endian host");
    }
    this.#out = out;
    this.#ring = ring;
    this.#ringAddress = ringAddress ?? addressOf(ring);
    this.#ringView = new DataView(ring.buffer, ring.byteOffset, ring.byteLength);
    this.#scratchFrom = options.tpacketRing ? RING_SCRATCH_FROM : Infinity;
    this.#nano = options.nanosecond ?? false;
    const header = pcapFileHeader(options);
    const snaplen = options.snaplen ?? 262144;
    this.#snaplen = snaplen;
    this.#spill = new Uint8Array(SPILL + snaplen + 64);
    this.#spillAddress = addressOf(this.#spill);
    this.#arenaAddress = addressOf(this.#arena);
    this.#iovPointer = Deno.UnsafePointer.of(this.#iov)!;
    out.write(header);
    this.bytesWritten = header.length;
  }

  /**
   * Appends a record: the frame `buf[from, from + caplen)`, referenced in place when `buf` is the ring,
   * copied otherwise.
   *
   * @param buf the ring's bytes, or another buffer holding the frame
   * @param from where the frame starts in `buf`
   * @param caplen bytes of it to write (cut to the snap length if longer)
   * @param len its length on the wire
   * @param sec timestamp seconds
   * @param nsec timestamp nanoseconds (a microsecond file keeps whole microseconds)
   * @throws {SyscallError} when a batch is written and the write fails; {TypeError} after close
   */
  append(buf: Uint8Array, from: number, caplen: number, len: number, sec: number, nsec: number): void {
    if (this.#closed) throw new TypeError("append() after close()");
    if (caplen > this.#snaplen) caplen = this.#snaplen;
    const i = this.#n;
    this.#header(i, caplen, len, sec, nsec);
    this.#entry(this.#arenaAddress + i * SLOT, PCAP_RECORD_HEADER_LEN);
    this.#frame(i, buf, from, caplen);
  }

  /**
   * The lean form of {@link append} for a frame in the ring, for a capture loop's hot path: the frame is
   * `caplen` bytes at offset `from` of the ring given to the constructor. In a `tpacketRing`, given the
   * packet's header offset `h`, the record header goes into the scratch bytes right before the frame when
   * there is room for it there, and the record is one iovec.
   *
   * @param from where the frame starts in the ring
   * @param caplen bytes of it to write (cut to the snap length if longer)
   * @param len its length on the wire
   * @param sec timestamp seconds
   * @param nsec timestamp nanoseconds (a microsecond file keeps whole microseconds)
   * @param h the packet's `tpacket3_hdr` offset in the ring (with `tpacketRing` only); default none
   * @throws as {@link append}
   */
  appendInRing(from: number, caplen: number, len: number, sec: number, nsec: number, h = -1): void {
    if (this.#closed) throw new TypeError("append() after close()");
    if (caplen > this.#snaplen) caplen = this.#snaplen;
    const at = from - PCAP_RECORD_HEADER_LEN;
    if (h >= 0 && at - h >= this.#scratchFrom) {
      const v = this.#ringView;
      v.setUint32(at, sec, true);
      v.setUint32(at + 4, this.#nano ? nsec : (nsec / 1000) | 0, true);
      v.setUint32(at + 8, caplen, true);
      v.setUint32(at + 12, len, true);
      this.#entry(this.#ringAddress + at, PCAP_RECORD_HEADER_LEN + caplen);
      this.packets++;
      if (this.#k > IOV_MAX - 2) this.flush();
      return;
    }
    const i = this.#n;
    this.#header(i, caplen, len, sec, nsec);
    this.#entry(this.#arenaAddress + i * SLOT, PCAP_RECORD_HEADER_LEN);
    this.#entry(this.#ringAddress + from, caplen);
    this.#n = i + 1;
    this.packets++;
    if (this.#k > IOV_MAX - 2) this.flush();
  }

  /**
   * How many bytes before a frame at `from` (packet header at `h`) a caller may write into the ring and
   * still leave {@link appendInRing} room for the record header there: -1 when the writer cannot write
   * there at all (not a `tpacketRing`, or not even room for the record header).
   */
  scratchBefore(from: number, h: number): number {
    const room = from - h - this.#scratchFrom - PCAP_RECORD_HEADER_LEN;
    return room >= 0 ? room : -1;
  }

  /**
   * Appends a record made of `prefix` (a link header built apart, at most 32 bytes) and then the frame's
   * bytes `buf[from, from + caplen)`; `len` is the record's length on the wire, the prefix included. The
   * snap length applies to the whole record.
   *
   * @param prefix the bytes that begin the record
   * @param buf the ring's bytes, or another buffer holding the rest
   * @param from where the rest starts in `buf`
   * @param caplen bytes of the rest to write
   * @param len the record's length on the wire
   * @param sec timestamp seconds
   * @param nsec timestamp nanoseconds
   * @throws as {@link append}; {RangeError} for a prefix over 32 bytes
   */
  appendPrefixed(
    prefix: Uint8Array,
    buf: Uint8Array,
    from: number,
    caplen: number,
    len: number,
    sec: number,
    nsec: number,
  ): void {
    if (this.#closed) throw new TypeError("append() after close()");
    if (prefix.length > MAX_PREFIX) throw new RangeError(`a prefix of ${prefix.length} bytes (at most 32)`);
    this.#arena.set(prefix, this.prefixAt);
    this.#prefixed(prefix.length, buf, from, caplen, len, sec, nsec);
  }

  /**
   * {@link appendInRing} for a record that begins with a link header built apart: the caller first writes
   * `prefixLen` bytes (at most 32) into {@link arena} at {@link prefixAt}, e.g. an SLL2 header, then calls
   * this. The record is that header followed by the ring's bytes `[from, from + caplen)`; `len` is its
   * length on the wire, the header included, and the snap length applies to the whole record.
   *
   * @param prefixLen bytes of link header written at {@link prefixAt}
   * @param from where the rest of the record starts in the ring
   * @param caplen bytes of the rest
   * @param len the record's length on the wire
   * @param sec timestamp seconds
   * @param nsec timestamp nanoseconds
   * @throws as {@link append}; {RangeError} for a prefix over 32 bytes
   */
  appendInRingPrefixed(
    prefixLen: number,
    from: number,
    caplen: number,
    len: number,
    sec: number,
    nsec: number,
  ): void {
    if (this.#closed) throw new TypeError("append() after close()");
    if (prefixLen > MAX_PREFIX) throw new RangeError(`a prefix of ${prefixLen} bytes (at most 32)`);
    this.#prefixed(prefixLen, this.#ring, from, caplen, len, sec, nsec);
  }

  /** A record of the `prefixLen` bytes at {@link prefixAt}, then `buf[from, ...)`; the snap length covers both. */
  #prefixed(
    prefixLen: number,
    buf: Uint8Array,
    from: number,
    caplen: number,
    len: number,
    sec: number,
    nsec: number,
  ): void {
    const head = prefixLen < this.#snaplen ? prefixLen : this.#snaplen;
    const room = this.#snaplen - head;
    const rest = caplen < room ? caplen : room;
    const i = this.#n;
    this.#header(i, head + rest, len, sec, nsec);
    this.#entry(this.#arenaAddress + i * SLOT, PCAP_RECORD_HEADER_LEN + head);
    this.#frame(i, buf, from, rest);
  }

  /** The header arena: {@link appendInRingPrefixed}'s caller writes the next record's link header here. */
  get arena(): Uint8Array {
    return this.#arena;
  }

  /** Where in {@link arena} the next record's link header goes (room for 32 bytes). */
  get prefixAt(): number {
    return this.#n * SLOT + PCAP_RECORD_HEADER_LEN;
  }

  /** Writes record `i`'s 16-byte header into its arena slot. */
  #header(i: number, caplen: number, len: number, sec: number, nsec: number): void {
    const a = this.#arena32;
    const s = i * (SLOT >>> 2);
    a[s] = sec;
    a[s + 1] = this.#nano ? nsec : (nsec / 1000) | 0;
    a[s + 2] = caplen;
    a[s + 3] = len;
  }

  #frame(i: number, buf: Uint8Array, from: number, caplen: number): void {
    if (buf === this.#ring) {
      this.#entry(this.#ringAddress + from, caplen);
    } else {
      if (this.#spillLen + caplen > this.#spill.length) {
        // Cannot happen while the spill is flushed at SPILL bytes and holds one snap length more.
        throw new RangeError("spill overflow");
      }
      this.#spill.set(buf.subarray(from, from + caplen), this.#spillLen);
      this.#entry(this.#spillAddress + this.#spillLen, caplen);
      this.#spillLen += caplen;
    }
    this.#n = i + 1;
    this.packets++;
    // Room is kept for one more two-iovec record (so the arena's RING_PCAP_BATCH slots always suffice).
    if (this.#k > IOV_MAX - 2 || this.#spillLen >= SPILL) this.flush();
  }

  /** Fills the next iovec: 64-bit base as two words (exact: addresses are below 2^53), 64-bit length. */
  #entry(address: number, length: number): void {
    const v = this.#iov32;
    const w = this.#k++ << 2;
    v[w] = address >>> 0;
    v[w + 1] = (address / 4294967296) >>> 0;
    v[w + 2] = length;
    v[w + 3] = 0;
    this.#bytes += length;
  }

  /**
   * Writes the pending records. Call before the frames they point at stop being valid.
   *
   * @throws {SyscallError} when the write fails (the pending records are dropped)
   */
  flush(): void {
    const k = this.#k;
    if (k === 0) return;
    const bytes = this.#bytes;
    this.#n = 0;
    this.#k = 0;
    this.#bytes = 0;
    this.#spillLen = 0;
    try {
      this.#out.writev(this.#iov, this.#iovPointer, k, bytes);
    } catch (e) {
      this.#failure ??= e; // close() reports it, even when the caller of flush() could not (RxRing.close)
      throw e;
    }
    this.bytesWritten += bytes;
  }

  /**
   * Flushes, then closes the destination. A second call does nothing.
   *
   * @throws {SyscallError} when the last write or the close fails, or an earlier flush failed
   */
  close(): void {
    if (this.#closed) return;
    try {
      this.flush();
    } finally {
      this.#closed = true;
      this.#out.close();
    }
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/**
 * The `Capture.sinkBlocking` sink of a `-i any` capture into classic pcap: each frame becomes a LINUX_SLL2
 * record, as libpcap writes them, whose 20-byte header is built from the ring's packet header straight into
 * the writer's arena (no packet record, no copy), followed by the frame in the ring minus its Ethernet
 * header. A frame handed over as a copy (a VLAN tag put back) keeps its tag after the header.
 */
export class Sll2RingSink implements RingFrameSink {
  readonly #w: RingPcapWriter;
  readonly #u8: Uint8Array;
  readonly #u16: Uint16Array;
  readonly #u32: Uint32Array;
  readonly #arena32: Uint32Array;
  readonly #head = new Uint8Array(SLL2_HEADER_LEN);
  #hatype = -1;
  #linktype = 0;
  // The header words that change only with the interface or direction, and what they were built for.
  #ifindex = -1;
  #pkttype = -1;
  #wordHatype = -1;
  #ifWord = 0;
  #typeWord = 0;

  /**
   * @param writer the file's writer (link type LINUX_SLL2), over the same ring
   * @param ring the mapped ring's bytes (`Capture.ring.bytes`)
   */
  constructor(writer: RingPcapWriter, ring: Uint8Array) {
    this.#w = writer;
    this.#u8 = ring;
    this.#u16 = new Uint16Array(ring.buffer, ring.byteOffset, ring.byteLength >>> 1);
    this.#u32 = new Uint32Array(ring.buffer, ring.byteOffset, ring.byteLength >>> 2);
    this.#arena32 = new Uint32Array(writer.arena.buffer);
  }

  /** A frame in the ring: see {@link RingFrameSink.appendInRing}. */
  appendInRing(from: number, caplen: number, len: number, sec: number, nsec: number, h: number): void {
    const w = this.#w;
    const u8 = this.#u8, u16 = this.#u16, W = RING_HDR_WORD;
    const hatype = u16[(h >>> 1) + W.hatype];
    if (hatype !== this.#hatype) {
      this.#hatype = hatype;
      this.#linktype = linktypeForHatype(hatype);
    }
    if (this.#linktype !== LINKTYPE_ETHERNET || caplen < ETH_HEADER_LEN) {
      const strip = this.#headerAt(w.arena, w.prefixAt, u8, from, caplen, h);
      w.appendInRingPrefixed(
        SLL2_HEADER_LEN,
        from + strip,
        caplen - strip,
        len - strip + SLL2_HEADER_LEN,
        sec,
        nsec,
      );
      return;
    }
    const ifindex = this.#u32[(h >>> 2) + W.ifindex];
    const pkttype = u8[h + W.pkttype];
    if (w.scratchBefore(from, h) >= SLL2_OVER_ETH) {
      // The commonest case, in place: the SLL2 header takes the Ethernet header's place and the 6 scratch
      // bytes before it, its address field landing on the source MAC, which stays where it is; the
      // EtherType is read before its bytes become the address field's padding.
      const at = from - SLL2_OVER_ETH;
      const t0 = u8[from + 12], t1 = u8[from + 13];
      u8[at] = t0;
      u8[at + 1] = t1;
      u8[at + 2] = 0;
      u8[at + 3] = 0;
      u8[at + 4] = ifindex >>> 24;
      u8[at + 5] = ifindex >>> 16;
      u8[at + 6] = ifindex >>> 8;
      u8[at + 7] = ifindex;
      u8[at + 8] = hatype >>> 8;
      u8[at + 9] = hatype;
      u8[at + 10] = pkttype;
      u8[at + 11] = ETH_ALEN;
      u8[from + 12] = 0;
      u8[from + 13] = 0;
      w.appendInRing(at, caplen + SLL2_OVER_ETH, len + SLL2_OVER_ETH, sec, nsec, h);
      return;
    }
    // The common case with no room before the frame, an Ethernet-framed packet, written as five 32-bit
    // words (the arena slot is aligned; the file is little-endian, the SLL2 header big-endian): EtherType and
    // reserved; the interface index; ARPHRD type, packet type and address length, computed again only when
    // they change; the source MAC.
    if (ifindex !== this.#ifindex || pkttype !== this.#pkttype || hatype !== this.#wordHatype) {
      this.#ifindex = ifindex;
      this.#pkttype = pkttype;
      this.#wordHatype = hatype;
      this.#ifWord =
        ((ifindex & 0xff) << 24 | (ifindex & 0xff00) << 8 | (ifindex >>> 8) & 0xff00 | ifindex >>> 24) >>>
        0;
      this.#typeWord = ((hatype >>> 8) | (hatype & 0xff) << 8 | pkttype << 16 | ETH_ALEN << 24) >>> 0;
    }
    const a = this.#arena32;
    const k = w.prefixAt >>> 2;
    a[k] = u8[from + 12] | u8[from + 13] << 8;
    a[k + 1] = this.#ifWord;
    a[k + 2] = this.#typeWord;
    a[k + 3] = (u8[from + 6] | u8[from + 7] << 8 | u8[from + 8] << 16 | u8[from + 9] << 24) >>> 0;
    a[k + 4] = u8[from + 10] | u8[from + 11] << 8;
    w.appendInRingPrefixed(
      SLL2_HEADER_LEN,
      from + ETH_HEADER_LEN,
      caplen - ETH_HEADER_LEN,
      len - ETH_HEADER_LEN + SLL2_HEADER_LEN,
      sec,
      nsec,
    );
  }

  /** A frame copied out of the ring: see {@link RingFrameSink.append}. */
  append(
    buf: Uint8Array,
    from: number,
    caplen: number,
    len: number,
    sec: number,
    nsec: number,
    h: number,
  ): void {
    const strip = this.#headerAt(this.#head, 0, buf, from, caplen, h);
    this.#w.appendPrefixed(
      this.#head,
      buf,
      from + strip,
      caplen - strip,
      len - strip + SLL2_HEADER_LEN,
      sec,
      nsec,
    );
  }

  #headerAt(dst: Uint8Array, at: number, frame: Uint8Array, from: number, caplen: number, h: number): number {
    const W = RING_HDR_WORD;
    const hatype = this.#u16[(h >>> 1) + W.hatype];
    // Most packets come from an interface of the same type as the previous one.
    if (hatype !== this.#hatype) {
      this.#hatype = hatype;
      this.#linktype = linktypeForHatype(hatype);
    }
    const proto = this.#u16[(h >>> 1) + W.protocol];
    return writeSll2Header(
      dst,
      at,
      frame,
      from,
      caplen,
      this.#linktype,
      this.#u32[(h >>> 2) + W.ifindex],
      hatype,
      this.#u8[h + W.pkttype],
      ((proto & 0xff) << 8) | (proto >>> 8),
    );
  }
}
