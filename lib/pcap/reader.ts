/**
 * A streaming reader for capture files that detects the format itself: classic pcap (microsecond or
 * nanosecond magic, either byte order) and pcapng (any number of sections, each in either byte order).
 *
 * Both formats give the same {@link PcapRecord}: time as whole seconds plus nanoseconds (so a pcapng
 * timestamp of any `if_tsresol` loses nothing that fits in a nanosecond), the captured bytes as a view, the
 * link type, and for pcapng the interface, its name, the direction bits and the comment.
 *
 * A file that ends in the middle of a record yields every whole record, then sets {@link PcapReader.truncated}
 * and {@link PcapReader.warning}; it does not throw. A corrupt file (bad magic, impossible lengths, a caplen
 * over 256 MiB, a packet naming an interface that was never described) throws a {@link PcapError} whose
 * `code` is stable.
 *
 * The reader is pure: it takes bytes or a stream, so `-r -` (stdin) and files of any size work, and it needs
 * no permission.
 *
 * @example Read a file from bytes (here made in memory)
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPacketsSync } from "./reader.ts";
 * const file = new Uint8Array([
 *   0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0, // header
 *   10, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xab, 0xcd, // one record
 * ]);
 * const reader = readPacketsSync(file);
 * for (const p of reader) assert(p.tsSec === 10 && p.tsNsec === 7000 && p.len === 60);
 * assert(reader.format === "pcap" && !reader.truncated);
 * ```
 *
 * @module
 */

import {
  MAX_CAPLEN,
  PCAP_HEADER_LEN,
  PCAP_LINKTYPE_MASK,
  PCAP_MAGIC_MICRO,
  PCAP_MAGIC_NANO,
  PCAP_RECORD_HEADER_LEN,
  PcapHeaderOffset,
  PcapRecordOffset,
} from "./pcap.ts";
import {
  BLOCK_OVERHEAD,
  BlockType,
  BYTE_ORDER_MAGIC,
  CommonOption,
  EpbDirection,
  EpbOption,
  IdbOption,
  MAX_BLOCK_LEN,
  pad4,
  tsResolution,
} from "./pcapng.ts";

/** Stable codes of {@link PcapError}. */
export type PcapErrorCode =
  /** The input is empty. */
  | "EMPTY"
  /** The input ends inside the file (or first section) header, so nothing can be read. */
  | "TRUNCATED_HEADER"
  /** The first bytes are neither a pcap magic nor a pcapng section header, or a byte-order magic is bad. */
  | "BAD_MAGIC"
  /** A major version this reader does not know. */
  | "BAD_VERSION"
  /** A length field that cannot be right: caplen over 256 MiB, a block shorter than its header. */
  | "BAD_LENGTH"
  /** A pcapng block whose parts do not fit its length, or whose trailing length differs. */
  | "BAD_BLOCK"
  /** A packet naming an interface that its section never described. */
  | "BAD_INTERFACE";

/**
 * A corrupt capture file. `message` is one line and names the byte offset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PcapError, readPacketsSync } from "./reader.ts";
 * try {
 *   [...readPacketsSync(new Uint8Array(24))];
 * } catch (e) {
 *   assert(e instanceof PcapError && e.code === "BAD_MAGIC");
 * }
 * ```
 */
export class PcapError extends Error {
  /** The stable code. */
  readonly code: PcapErrorCode;
  /** Byte offset in the file where the bad structure starts. */
  readonly offset: number;

  /**
   * @param code the stable code
   * @param offset the byte offset of the bad structure
   * @param message a one-line description
   */
  constructor(code: PcapErrorCode, offset: number, message: string) {
    super(message);
    this.name = "PcapError";
    this.code = code;
    this.offset = offset;
  }
}

/** The file format. */
export type PcapFormat = "pcap" | "pcapng";

/**
 * One captured packet, the same for both formats.
 *
 * `data` is a view, not a copy. Over a `Uint8Array` source it views the source and stays valid as long as
 * the source is unchanged; over a stream it is valid only until the next record is requested (the reader
 * reuses its buffer). Copy it (`data.slice()`) to keep it longer.
 */
export interface PcapRecord {
  /** Whole seconds since the epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0..999999999. */
  tsNsec: number;
  /** Bytes captured, `data.length`. */
  caplen: number;
  /** Bytes the packet had on the wire. */
  len: number;
  /** The captured bytes (a view: see the interface doc for how long it is valid). */
  data: Uint8Array;
  /** The LINKTYPE_* of `data` (see `linktype.ts`). */
  linktype: number;
  /** The interface: 0 for classic pcap; for pcapng the index over the whole file (sections counted in order). */
  ifIndex: number;
  /** The pcapng interface's `if_name`, when it has one. */
  ifName?: string;
  /** The pcapng direction bits, when set. */
  direction?: "in" | "out";
  /** The raw pcapng `epb_flags`, when present. */
  flags?: number;
  /** The pcapng `opt_comment`, when present (several are joined by newlines). */
  comment?: string;
}

/** An interface a pcapng file describes (or the single implied one of a classic pcap). */
export interface PcapInterface {
  /** Index over the whole file; a record's `ifIndex`. */
  index: number;
  /** The section (0-based) it belongs to. */
  section: number;
  /** Its LINKTYPE_*. */
  linktype: number;
  /** Its snap length (0: none given). */
  snaplen: number;
  /** `if_name`. */
  name?: string;
  /** `if_description`. */
  description?: string;
  /** Timestamp ticks per second (`if_tsresol`). */
  unitsPerSecond: bigint;
  /** `if_tsoffset`, seconds added to every timestamp. */
  tsOffset: number;
}

/** What a reader can read from: whole bytes, a `ReadableStream` (a file's or stdin's `readable`), or any async iterable of chunks. */
export type PcapSource = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

// Per-interface state the hot path needs, kept apart from the public description.
interface IfState {
  info: PcapInterface;
  /** Ticks per second when it fits a 32-bit division (the common case), else 0 (use BigInt). */
  units32: number;
  pow10: number;
  /** 10^(9 - pow10) when pow10 <= 9, to turn the remainder into nanoseconds. */
  nsMul: number;
}

const TD = new TextDecoder();
const MASK_U32 = 0x100000000;

/**
 * Reads records from a capture file. Iterate it with `for await` (any source) or `for ... of` (a
 * `Uint8Array` source only); the properties describe what was read so far.
 *
 * One reader is iterated once. Breaking out of the loop cancels a stream source.
 */
export class PcapReader implements AsyncIterable<PcapRecord>, Iterable<PcapRecord> {
  /** The detected format, once the first bytes were read. */
  format: PcapFormat | undefined = undefined;
  /** Byte order of the file (of the latest section for pcapng). */
  byteOrder: "little" | "big" | undefined = undefined;
  /** Classic pcap: whether timestamps are nanoseconds (magic a1b23c4d). pcapng: false. */
  nanosecond = false;
  /** Classic pcap version as "2.4"; pcapng: the section header's version. */
  version = "";
  /** Classic pcap's link type; pcapng: the first interface's, or -1 before one is described. */
  linktype = -1;
  /** Classic pcap's snaplen; pcapng: the first interface's. */
  snaplen = 0;
  /** Interfaces described so far (one for classic pcap). */
  readonly interfaces: PcapInterface[] = [];
  /** pcapng sections seen so far. */
  sections = 0;
  /** Records decoded so far (with {@link batches} that includes the batch being handed out). */
  packets = 0;
  /** True when the input ended inside a record; {@link warning} says where. */
  truncated = false;
  /** A one-line description of the truncation, or undefined. */
  warning: string | undefined = undefined;

  #source: PcapSource;
  #used = false;
  // Decoding state.
  #le = true;
  #headerDone = false;
  /** Bytes the unit at the current offset needs, when the last step said "need more". */
  #need = 0;
  #ifs: IfState[] = [];
  #packet: PcapRecord | undefined = undefined;

  /**
   * @param source the file's bytes, or a stream of them
   */
  constructor(source: PcapSource) {
    this.#source = source;
  }

  /**
   * Iterates the records of a `Uint8Array` source synchronously.
   *
   * @returns an iterator of records whose `data` views the source
   * @throws {TypeError} when the source is a stream
   * @throws {PcapError} when the file is corrupt
   */
  *[Symbol.iterator](): Generator<PcapRecord, void, undefined> {
    const buf = this.#source;
    if (!(buf instanceof Uint8Array)) {
      throw new TypeError("PcapReader: synchronous iteration needs a Uint8Array source; use for await");
    }
    this.#claim();
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let off = 0;
    for (;;) {
      const n = this.#step(buf, dv, off, buf.length, off);
      if (n === 0) break;
      off += n;
      if (this.#packet) {
        const p = this.#packet;
        this.#packet = undefined;
        this.packets++;
        yield p;
      }
    }
    this.#finish(off, buf.length - off);
  }

  /**
   * Iterates the records of any source.
   *
   * @returns an async iterator of records; over a stream each `data` is valid until the next record
   * @throws {PcapError} when the file is corrupt (after yielding the records before the bad one)
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<PcapRecord, void, undefined> {
    for await (const batch of this.batches()) {
      for (const p of batch) yield p;
    }
  }

  /**
   * Iterates the records in batches: every record decoded from one chunk of a stream (or up to 4096 of a
   * `Uint8Array`), which saves an await per packet on large files.
   *
   * @returns an async iterator of non-empty arrays of records; over a stream their `data` views are valid
   *   until the next batch is requested
   * @throws {PcapError} when the file is corrupt (after yielding the records before the bad one)
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { readPackets } from "./reader.ts";
   * import { encodePcap } from "./writer.ts";
   * const bytes = encodePcap(Array.from({ length: 10 }, () => ({ data: new Uint8Array(60) })));
   * let n = 0;
   * for await (const batch of readPackets(new Blob([bytes]).stream()).batches()) n += batch.length;
   * assert.equal(n, 10);
   * ```
   */
  async *batches(): AsyncGenerator<PcapRecord[], void, undefined> {
    const src = this.#source;
    if (src instanceof Uint8Array) {
      let batch: PcapRecord[] = [];
      for (const p of this) {
        batch.push(p);
        if (batch.length === 4096) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      return;
    }
    this.#claim();
    // Bytes not yet consumed live in `pend[pStart, pEnd)`; `pos` is the file offset of pend[pStart].
    let pend = new Uint8Array(0);
    let pdv = new DataView(pend.buffer);
    let pStart = 0;
    let pEnd = 0;
    let pos = 0;
    for await (const chunk of src as AsyncIterable<Uint8Array>) {
      if (chunk.length === 0) continue;
      let buf: Uint8Array;
      let dv: DataView;
      let off: number;
      let end: number;
      if (pStart === pEnd) {
        // Nothing pending: decode straight from the chunk (no copy).
        buf = chunk;
        dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        off = 0;
        end = chunk.length;
      } else {
        const have = pEnd - pStart;
        if (pend.length - pEnd < chunk.length) {
          // Records of the previous batch may view `pend`; the caller has asked for the next batch, so
          // moving or replacing its bytes now is within their documented lifetime.
          const want = have + chunk.length;
          if (pend.length >= want && pStart > 0) {
            pend.copyWithin(0, pStart, pEnd);
          } else {
            const bigger = new Uint8Array(Math.max(want, pend.length * 2, 65536));
            bigger.set(pend.subarray(pStart, pEnd));
            pend = bigger;
            pdv = new DataView(pend.buffer);
          }
          pStart = 0;
          pEnd = have;
        }
        pend.set(chunk, pEnd);
        pEnd += chunk.length;
        buf = pend;
        dv = pdv;
        off = pStart;
        end = pEnd;
        if (end - off < this.#need) {
          // Still not enough for the unit in progress: read more before decoding again.
          pStart = off;
          continue;
        }
      }
      const batch: PcapRecord[] = [];
      try {
        for (;;) {
          const n = this.#step(buf, dv, off, end, pos);
          if (n === 0) break;
          off += n;
          pos += n;
          if (this.#packet) {
            batch.push(this.#packet);
            this.#packet = undefined;
            this.packets++;
          }
        }
      } catch (e) {
        if (batch.length) yield batch;
        throw e;
      }
      if (buf === chunk) {
        const rest = end - off;
        // The batch views the chunk, not `pend`, so the leftover may go to `pend` before it is yielded.
        if (pend.length < rest) {
          pend = new Uint8Array(Math.max(rest * 2, 65536));
          pdv = new DataView(pend.buffer);
        }
        pend.set(chunk.subarray(off, end), 0);
        pStart = 0;
        pEnd = rest;
      } else {
        pStart = off;
      }
      if (batch.length) yield batch;
    }
    this.#finish(pos, pEnd - pStart);
  }

  #claim(): void {
    if (this.#used) throw new TypeError("PcapReader: a reader can be iterated only once");
    this.#used = true;
  }

  /** At the end of input: a header cut short is an error, a record cut short is a warning. */
  #finish(pos: number, left: number): void {
    if (!this.#headerDone) {
      if (pos === 0 && left === 0) throw new PcapError("EMPTY", 0, "empty capture file");
      throw new PcapError(
        "TRUNCATED_HEADER",
        pos,
        `truncated file header: needs ${Math.max(this.#need, 4)} bytes, only ${left} present`,
      );
    }
    if (left > 0) {
      this.truncated = true;
      const what = this.format === "pcap" ? "record" : "block";
      this.warning = `truncated capture file: ${what} at byte ${pos} needs ${
        Math.max(this.#need, left + 1)
      } bytes, only ${left} present (${this.packets} whole packets read)`;
    }
  }

  /**
   * Decodes the unit (file header, record or block) at `buf[off, end)`, whose file offset is `pos`.
   *
   * @returns the bytes consumed, or 0 when more input is needed (then `#need` says how many in all)
   */
  #step(buf: Uint8Array, dv: DataView, off: number, end: number, pos: number): number {
    if (this.format === undefined) {
      if (end - off < 4) {
        this.#need = 4;
        return 0;
      }
      this.#detect(dv, off, pos);
    }
    return this.format === "pcap"
      ? this.#stepPcap(buf, dv, off, end, pos)
      : this.#stepNg(buf, dv, off, end, pos);
  }

  #detect(dv: DataView, off: number, pos: number): void {
    const m = dv.getUint32(off, true);
    if (m === PCAP_MAGIC_MICRO || m === PCAP_MAGIC_NANO) {
      this.format = "pcap";
      this.#le = true;
    } else if (m === swap32(PCAP_MAGIC_MICRO) || m === swap32(PCAP_MAGIC_NANO)) {
      this.format = "pcap";
      this.#le = false;
    } else if (m === BlockType.SHB) {
      this.format = "pcapng";
    } else {
      throw new PcapError("BAD_MAGIC", pos, `not a pcap or pcapng file: magic 0x${hex32(m)}`);
    }
    this.nanosecond = m === PCAP_MAGIC_NANO || m === swap32(PCAP_MAGIC_NANO);
    this.byteOrder = this.#le ? "little" : "big";
  }

  // ---- classic pcap ----

  #stepPcap(buf: Uint8Array, dv: DataView, off: number, end: number, pos: number): number {
    const le = this.#le;
    if (!this.#headerDone) {
      if (end - off < PCAP_HEADER_LEN) {
        this.#need = PCAP_HEADER_LEN;
        return 0;
      }
      const major = dv.getUint16(off + PcapHeaderOffset.versionMajor, le);
      const minor = dv.getUint16(off + PcapHeaderOffset.versionMinor, le);
      if (major !== 2) {
        throw new PcapError("BAD_VERSION", pos, `unsupported pcap version ${major}.${minor}`);
      }
      this.version = `${major}.${minor}`;
      this.snaplen = dv.getUint32(off + PcapHeaderOffset.snaplen, le);
      this.linktype = dv.getUint32(off + PcapHeaderOffset.linktype, le) & PCAP_LINKTYPE_MASK;
      const info: PcapInterface = {
        index: 0,
        section: 0,
        linktype: this.linktype,
        snaplen: this.snaplen,
        unitsPerSecond: this.nanosecond ? 1_000_000_000n : 1_000_000n,
        tsOffset: 0,
      };
      this.interfaces.push(info);
      this.#headerDone = true;
      this.#need = 0;
      return PCAP_HEADER_LEN;
    }
    if (end - off < PCAP_RECORD_HEADER_LEN) {
      this.#need = PCAP_RECORD_HEADER_LEN;
      return 0;
    }
    const caplen = dv.getUint32(off + PcapRecordOffset.caplen, le);
    if (caplen > MAX_CAPLEN) {
      throw new PcapError(
        "BAD_LENGTH",
        pos,
        `record at byte ${pos}: caplen ${caplen} is larger than ${MAX_CAPLEN} (corrupt file)`,
      );
    }
    const total = PCAP_RECORD_HEADER_LEN + caplen;
    if (end - off < total) {
      this.#need = total;
      return 0;
    }
    let sec = dv.getUint32(off + PcapRecordOffset.tsSec, le);
    let frac = dv.getUint32(off + PcapRecordOffset.tsFrac, le);
    // A fraction of a second or more (a writer bug) carries into the seconds.
    const perSec = this.nanosecond ? 1_000_000_000 : 1_000_000;
    if (frac >= perSec) {
      sec += Math.floor(frac / perSec);
      frac %= perSec;
    }
    const start = off + PCAP_RECORD_HEADER_LEN;
    this.#packet = {
      tsSec: sec,
      tsNsec: this.nanosecond ? frac : frac * 1000,
      caplen,
      len: dv.getUint32(off + PcapRecordOffset.len, le),
      data: buf.subarray(start, start + caplen),
      linktype: this.linktype,
      ifIndex: 0,
    };
    this.#need = 0;
    return total;
  }

  // ---- pcapng ----

  #stepNg(buf: Uint8Array, dv: DataView, off: number, end: number, pos: number): number {
    const avail = end - off;
    if (avail < 12) {
      this.#need = 12;
      return 0;
    }
    const rawType = dv.getUint32(off, true);
    if (rawType === BlockType.SHB) {
      // The byte-order magic decides how this block (and the section it opens) reads.
      const bom = dv.getUint32(off + 8, true);
      if (bom === BYTE_ORDER_MAGIC) this.#le = true;
      else if (bom === swap32(BYTE_ORDER_MAGIC)) this.#le = false;
      else {throw new PcapError(
          "BAD_MAGIC",
          pos,
          `section header at byte ${pos}: bad byte-order magic 0x${hex32(bom)}`,
        );}
    } else if (!this.#headerDone) {
      throw new PcapError("BAD_MAGIC", pos, "not a pcapng file: no section header block first");
    }
    const le = this.#le;
    const type = dv.getUint32(off, le);
    const len = dv.getUint32(off + 4, le);
    if (len < BLOCK_OVERHEAD || (len & 3) !== 0 || len > MAX_BLOCK_LEN) {
      throw new PcapError(
        "BAD_LENGTH",
        pos,
        `block 0x${hex32(type)} at byte ${pos}: impossible length ${len}`,
      );
    }
    if (avail < len) {
      this.#need = len;
      return 0;
    }
    if (dv.getUint32(off + len - 4, le) !== len) {
      throw new PcapError(
        "BAD_BLOCK",
        pos,
        `block 0x${hex32(type)} at byte ${pos}: trailing length ${
          dv.getUint32(off + len - 4, le)
        } differs from ${len}`,
      );
    }
    this.#need = 0;
    const bodyEnd = off + len - 4;
    switch (type) {
      case BlockType.SHB:
        this.#readShb(dv, off, bodyEnd, pos);
        break;
      case BlockType.IDB:
        this.#readIdb(buf, dv, off, bodyEnd, pos);
        break;
      case BlockType.EPB:
      case BlockType.OPB:
        this.#readEpb(buf, dv, off, bodyEnd, pos, type === BlockType.OPB);
        break;
      case BlockType.SPB:
        this.#readSpb(buf, dv, off, bodyEnd, pos);
        break;
      default:
        // Name resolution, statistics, secrets, custom and unknown blocks carry no packets: skip them.
        break;
    }
    return len;
  }

  #readShb(dv: DataView, off: number, bodyEnd: number, pos: number): void {
    if (bodyEnd - off < 24) {
      throw new PcapError("BAD_BLOCK", pos, `section header at byte ${pos}: too short`);
    }
    const major = dv.getUint16(off + 12, this.#le);
    const minor = dv.getUint16(off + 14, this.#le);
    if (major !== 1) throw new PcapError("BAD_VERSION", pos, `unsupported pcapng version ${major}.${minor}`);
    this.version = `${major}.${minor}`;
    this.byteOrder = this.#le ? "little" : "big";
    this.sections++;
    this.#ifs = [];
    this.#headerDone = true;
  }

  #readIdb(buf: Uint8Array, dv: DataView, off: number, bodyEnd: number, pos: number): void {
    if (bodyEnd - off < 16) {
      throw new PcapError("BAD_BLOCK", pos, `interface block at byte ${pos}: too short`);
    }
    const le = this.#le;
    const info: PcapInterface = {
      index: this.interfaces.length,
      section: this.sections - 1,
      linktype: dv.getUint16(off + 8, le),
      snaplen: dv.getUint32(off + 12, le),
      unitsPerSecond: 1_000_000n,
      tsOffset: 0,
    };
    let pow10 = 6;
    forEachOption(dv, off + 16, bodyEnd, le, (code, vOff, vLen) => {
      if (code === IdbOption.NAME) info.name = TD.decode(buf.subarray(vOff, vOff + vLen)).replace(/\0+$/, "");
      else if (code === IdbOption.DESCRIPTION) {
        info.description = TD.decode(buf.subarray(vOff, vOff + vLen)).replace(/\0+$/, "");
      } else if (code === IdbOption.TSRESOL && vLen >= 1) {
        const r = tsResolution(buf[vOff]);
        info.unitsPerSecond = r.unitsPerSecond;
        pow10 = r.pow10;
      } else if (code === IdbOption.TSOFFSET && vLen >= 8) {
        info.tsOffset = Number(dv.getBigInt64(vOff, le));
      }
    });
    const u = info.unitsPerSecond;
    this.#ifs.push({
      info,
      units32: u > 0n && u <= 0x100000000n ? Number(u) : 0,
      pow10,
      nsMul: pow10 >= 0 && pow10 <= 9 ? 10 ** (9 - pow10) : 0,
    });
    this.interfaces.push(info);
    if (this.linktype === -1) {
      this.linktype = info.linktype;
      this.snaplen = info.snaplen;
    }
  }

  #iface(id: number, pos: number): IfState {
    const s = this.#ifs[id];
    if (s === undefined) {
      throw new PcapError(
        "BAD_INTERFACE",
        pos,
        `packet block at byte ${pos}: interface ${id} was not described in its section`,
      );
    }
    return s;
  }

  #readEpb(
    buf: Uint8Array,
    dv: DataView,
    off: number,
    bodyEnd: number,
    pos: number,
    obsolete: boolean,
  ): void {
    const le = this.#le;
    if (bodyEnd - off < 28) throw new PcapError("BAD_BLOCK", pos, `packet block at byte ${pos}: too short`);
    const ifId = obsolete ? dv.getUint16(off + 8, le) : dv.getUint32(off + 8, le);
    const s = this.#iface(ifId, pos);
    const caplen = dv.getUint32(off + 20, le);
    const dataOff = off + 28;
    if (caplen > MAX_CAPLEN || dataOff + caplen > bodyEnd) {
      throw new PcapError(
        "BAD_BLOCK",
        pos,
        `packet block at byte ${pos}: caplen ${caplen} does not fit the block`,
      );
    }
    const rec: PcapRecord = {
      tsSec: 0,
      tsNsec: 0,
      caplen,
      len: dv.getUint32(off + 24, le),
      data: buf.subarray(dataOff, dataOff + caplen),
      linktype: s.info.linktype,
      ifIndex: s.info.index,
    };
    if (s.info.name !== undefined) rec.ifName = s.info.name;
    setTimestamp(rec, dv.getUint32(off + 12, le), dv.getUint32(off + 16, le), s);
    const optOff = dataOff + pad4(caplen);
    if (optOff + 4 <= bodyEnd) this.#readPacketOptions(rec, buf, dv, optOff, bodyEnd);
    this.#packet = rec;
  }

  #readPacketOptions(rec: PcapRecord, buf: Uint8Array, dv: DataView, optOff: number, bodyEnd: number): void {
    const le = this.#le;
    forEachOption(dv, optOff, bodyEnd, le, (code, vOff, vLen) => {
      if (code === CommonOption.COMMENT) {
        const c = TD.decode(buf.subarray(vOff, vOff + vLen));
        rec.comment = rec.comment === undefined ? c : `${rec.comment}\n${c}`;
      } else if (code === EpbOption.FLAGS && vLen >= 4) {
        const f = dv.getUint32(vOff, le);
        rec.flags = f;
        const dir = f & 3;
        if (dir === EpbDirection.INBOUND) rec.direction = "in";
        else if (dir === EpbDirection.OUTBOUND) rec.direction = "out";
      }
    });
  }

  #readSpb(buf: Uint8Array, dv: DataView, off: number, bodyEnd: number, pos: number): void {
    if (bodyEnd - off < 12) {
      throw new PcapError("BAD_BLOCK", pos, `simple packet block at byte ${pos}: too short`);
    }
    const s = this.#iface(0, pos);
    const len = dv.getUint32(off + 8, this.#le);
    // The captured length is implied: the original length, cut to the snap length and to the block.
    let caplen = Math.min(len, bodyEnd - (off + 12));
    if (s.info.snaplen > 0) caplen = Math.min(caplen, s.info.snaplen);
    const rec: PcapRecord = {
      tsSec: 0,
      tsNsec: 0,
      caplen,
      len,
      data: buf.subarray(off + 12, off + 12 + caplen),
      linktype: s.info.linktype,
      ifIndex: s.info.index,
    };
    if (s.info.name !== undefined) rec.ifName = s.info.name;
    this.#packet = rec;
  }
}

/** Calls `fn(code, valueOffset, valueLength)` for each option in `[off, end)`; stops at the end option or at one that overflows. */
function forEachOption(
  dv: DataView,
  off: number,
  end: number,
  le: boolean,
  fn: (code: number, vOff: number, vLen: number) => void,
): void {
  while (off + 4 <= end) {
    const code = dv.getUint16(off, le);
    const len = dv.getUint16(off + 2, le);
    if (code === CommonOption.END) return;
    if (off + 4 + len > end) return; // a malformed option list: keep what was read
    fn(code, off + 4, len);
    off += 4 + pad4(len);
  }
}

/** Splits a 64-bit tick count `hi:lo` into seconds and nanoseconds for interface `s`, exactly. */
function setTimestamp(rec: PcapRecord, hi: number, lo: number, s: IfState): void {
  const u = s.units32;
  if (u !== 0 && s.pow10 >= 0) {
    // Long division by 16-bit limbs keeps every intermediate below 2^48, so no BigInt on the hot path.
    let cur = hi >>> 16;
    let q = Math.floor(cur / u);
    let r = cur - q * u;
    cur = r * 65536 + (hi & 0xffff);
    let d = Math.floor(cur / u);
    r = cur - d * u;
    q = q * 65536 + d;
    cur = r * 65536 + (lo >>> 16);
    d = Math.floor(cur / u);
    r = cur - d * u;
    q = q * 65536 + d;
    cur = r * 65536 + (lo & 0xffff);
    d = Math.floor(cur / u);
    r = cur - d * u;
    q = q * 65536 + d;
    rec.tsSec = q + s.info.tsOffset;
    rec.tsNsec = r * s.nsMul;
    return;
  }
  const ticks = BigInt(hi) * BigInt(MASK_U32) + BigInt(lo);
  const units = s.info.unitsPerSecond;
  rec.tsSec = Number(ticks / units) + s.info.tsOffset;
  rec.tsNsec = Number((ticks % units) * 1_000_000_000n / units);
}

function swap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

function hex32(x: number): string {
  return x.toString(16).padStart(8, "0");
}

/**
 * Reads the records of a capture file of either format.
 *
 * @param source the file's bytes, a `ReadableStream` of them (e.g. `(await Deno.open(path)).readable` or
 *   `Deno.stdin.readable`), or any async iterable of chunks
 * @returns a reader to iterate with `for await`; after the loop it says whether the file was truncated
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPackets } from "./reader.ts";
 * import { encodePcap } from "./writer.ts";
 * const bytes = encodePcap([{ tsSec: 1, tsNsec: 0, data: new Uint8Array(60) }]);
 * const stream = new Blob([bytes]).stream();
 * const reader = readPackets(stream);
 * let n = 0;
 * for await (const p of reader) n += p.caplen;
 * assert(n === 60 && reader.warning === undefined);
 * ```
 */
export function readPackets(source: PcapSource): PcapReader {
  return new PcapReader(source);
}

/**
 * Reads the records of a capture file held in memory, synchronously (for tests, filters and small files).
 *
 * @param bytes the whole file
 * @returns a reader to iterate with `for ... of`; each record's `data` views `bytes`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPacketsSync } from "./reader.ts";
 * import { encodePcapng } from "./writer.ts";
 * const bytes = encodePcapng([{ tsSec: 2, tsNsec: 5, data: new Uint8Array(42), ifName: "lo", direction: "out" }], {
 *   nanosecond: true,
 * });
 * const [p] = readPacketsSync(bytes);
 * assert(p.tsNsec === 5 && p.ifName === "lo" && p.direction === "out");
 * ```
 */
export function readPacketsSync(bytes: Uint8Array): PcapReader {
  return new PcapReader(bytes);
}
