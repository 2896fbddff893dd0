/**
 * `MmsgTable`: the `mmsghdr` and `iovec` arrays of `sendmmsg(2)`, prebuilt in one long-lived buffer whose
 * address is taken once. Each entry sends one packet (one iovec) from any memory whose address is known:
 * a buffer of prebuilt packets, or a capture file loaded whole, so replay sends straight from the file.
 *
 * A send of entries `[first, first + n)` is one synchronous `sendmmsg` on the calling thread (errno valid
 * after it). The memory the iovecs point into must stay referenced and unchanged while the table is used:
 * {@link MmsgTable.attach} keeps a reference to it.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { errno } from "./errno.ts";
import { dataView, IOVEC, MMSGHDR, MSGHDR } from "./structs.ts";

const TWO32 = 0x100000000;

/** A table of prebuilt `sendmmsg` entries. */
export class MmsgTable {
  /** Number of entries. */
  readonly capacity: number;
  readonly #mem: Uint8Array<ArrayBuffer>;
  readonly #dv: DataView;
  readonly #base: number;
  readonly #iovAt: number;
  readonly #nameAt: number;
  readonly #attached: Uint8Array[] = [];
  readonly #pointers: Deno.PointerValue[] = [];
  /** errno of the last failed {@link send}, 0 when it succeeded. */
  lastErrno = 0;

  /**
   * @param capacity the number of entries (packets one table can describe)
   * @param name an optional destination sockaddr every entry uses (copied into the table), e.g. a
   *   `sockaddr_in` for a raw IP socket; without it the socket's bound address is used
   * @throws {RangeError} for a capacity under 1
   * @example
   * ```ts
   * import { MmsgTable } from "./mmsg.ts";
   * const t = new MmsgTable(4);
   * const frames = new Uint8Array(128);
   * t.attach(frames);
   * t.setEntry(0, frames, 0, 64);
   * if (t.entryLength(0) !== 64) throw new Error("iovec length");
   * ```
   */
  constructor(capacity: number, name?: Uint8Array) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be >= 1, not ${capacity}`);
    }
    this.capacity = capacity;
    const nameLen = name ? (name.length + 7) & ~7 : 0;
    this.#iovAt = capacity * MMSGHDR.size;
    this.#nameAt = this.#iovAt + capacity * IOVEC.size;
    this.#mem = new Uint8Array(this.#nameAt + nameLen);
    this.#dv = dataView(this.#mem);
    // The one place the table's address is taken: every pointer inside it derives from this number.
    // User-space addresses on x86_64 and aarch64 are below 2^48, so a JS number holds them exactly.
    this.#base = Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(this.#mem)));
    if (name) this.#mem.set(name, this.#nameAt);
    for (let i = 0; i < capacity; i++) {
      const h = i * MMSGHDR.size + MMSGHDR.host.hdr;
      if (name) {
        this.#setPtr(h + MSGHDR.host.name, this.#base + this.#nameAt);
        this.#dv.setUint32(h + MSGHDR.host.namelen, name.length, true);
      }
      this.#setPtr(h + MSGHDR.host.iov, this.#base + this.#iovAt + i * IOVEC.size);
      this.#setPtr(h + MSGHDR.host.iovlen, 1);
    }
  }

  #setPtr(at: number, value: number): void {
    this.#dv.setUint32(at, value % TWO32, true);
    this.#dv.setUint32(at + 4, Math.floor(value / TWO32), true);
  }

  /**
   * Keeps `memory` referenced for the table's life and returns its address (taken once per buffer).
   *
   * @param memory a long-lived buffer the entries will point into
   * @returns its address as a number
   */
  attach(memory: Uint8Array): number {
    this.#attached.push(memory);
    return Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(memory)));
  }

  /**
   * Points entry `i` at `length` bytes at `offset` of an attached buffer.
   *
   * @param i the entry
   * @param memory a buffer given to {@link attach} before
   * @param offset byte offset in it
   * @param length byte count
   * @param address the buffer's address from {@link attach}, to skip looking it up again
   * @throws {RangeError} for an entry or span out of range, or memory that was not attached
   */
  setEntry(i: number, memory: Uint8Array, offset: number, length: number, address?: number): void {
    if (i < 0 || i >= this.capacity) throw new RangeError(`entry ${i} out of 0..${this.capacity - 1}`);
    if (offset < 0 || length < 0 || offset + length > memory.length) {
      throw new RangeError(`span ${offset}+${length} outside a buffer of ${memory.length} bytes`);
    }
    if (address === undefined) {
      if (!this.#attached.includes(memory)) {
        throw new RangeError("memory must be attached to the table first");
      }
      address = Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(memory)));
    }
    this.setEntryAddress(i, address + offset, length);
  }

  /**
   * Points entry `i` at an address inside an attached buffer (the hot path: no lookup, no check).
   *
   * @param i the entry
   * @param address the first byte's address
   * @param length byte count
   */
  setEntryAddress(i: number, address: number, length: number): void {
    const v = this.#iovAt + i * IOVEC.size;
    this.#setPtr(v + IOVEC.host.base, address);
    this.#setPtr(v + IOVEC.host.len, length);
  }

  /**
   * @param i the entry
   * @returns the byte count of entry i's iovec
   */
  entryLength(i: number): number {
    return this.#dv.getUint32(this.#iovAt + i * IOVEC.size + IOVEC.host.len, true);
  }

  /**
   * Sends entries `[first, first + count)` with one `sendmmsg`.
   *
   * @param fd the socket
   * @param first the first entry
   * @param count how many (the kernel caps one call at UIO_MAXIOV = 1024)
   * @param flags `sendmmsg` flags (e.g. MSG_DONTWAIT)
   * @returns the number of messages sent (the kernel may send fewer than asked), or -1 with
   *   {@link lastErrno} set when the first one failed
   */
  send(fd: number, first: number, count: number, flags = 0): number {
    // One pointer object per starting entry, made on first use: no BigInt or pointer allocated per batch.
    const p = this.#pointers[first] ??= Deno.UnsafePointer.create(BigInt(this.#base + first * MMSGHDR.size));
    const r = libc().sendmmsg(fd, p, count >>> 0, flags | 0);
    this.lastErrno = r < 0 ? errno() : 0;
    return r;
  }
}
