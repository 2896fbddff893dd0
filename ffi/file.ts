/**
 * Writing to a file descriptor through libc, for the one case Deno's files cannot serve: `writev()` with
 * iovecs that point into memory Deno does not own (a packet ring), so the kernel copies each packet from
 * the ring to the file once and user space copies nothing.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { Errno, errno, SyscallError } from "./errno.ts";
import { IOVEC, POLLFD } from "./structs.ts";

/** `POLLOUT` (asm-generic/poll.h). */
const POLLOUT = 0x0004;
/** The most iovecs one writev() takes (`IOV_MAX`, limits.h / UIO_MAXIOV). */
export const IOV_MAX = 1024;

/**
 * A file descriptor written with `write()` and `writev()`, every byte of each call written before it
 * returns: short writes are resumed, EINTR retried, EAGAIN (a nonblocking pipe) waited out with poll().
 *
 * @example
 * ```ts
 * import { FdWriter } from "./file.ts";
 * const path = Deno.makeTempFileSync();
 * try {
 *   const w = FdWriter.create(path);
 *   w.write(new TextEncoder().encode("hello"));
 *   w.close();
 *   if (Deno.readTextFileSync(path) !== "hello") throw new Error("written");
 * } catch (e) {
 *   if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) throw e;
 * } finally {
 *   Deno.removeSync(path);
 * }
 * ```
 */
export class FdWriter {
  #fd: number;
  readonly #owned: boolean;
  /** What the messages of errors name: the path, or "fd N". */
  readonly name: string;
  readonly #pollfd = new Uint8Array(POLLFD.size);

  private constructor(fd: number, owned: boolean, name: string) {
    this.#fd = fd;
    this.#owned = owned;
    this.name = name;
  }

  /**
   * Creates (or truncates) a file for writing, as `creat(path, mode)`: the process's umask applies.
   *
   * @param path the file
   * @param mode permission bits for a new file; default 0o644
   * @returns a writer that owns the descriptor
   * @throws {SyscallError} e.g. ENOENT, EACCES, EISDIR, with the path in `detail`
   */
  static create(path: string, mode = 0o644): FdWriter {
    const p = new TextEncoder().encode(path + "\0");
    const fd = libc().creat(p, mode);
    if (fd < 0) throw new SyscallError("open", errno(), path);
    return new FdWriter(fd, true, path);
  }

  /**
   * Wraps a descriptor the caller keeps (e.g. 1 for stdout): {@link close} leaves it open.
   *
   * @param fd an open descriptor
   * @param name what error messages call it
   * @returns a writer that does not own `fd`
   */
  static of(fd: number, name = `fd ${fd}`): FdWriter {
    return new FdWriter(fd, false, name);
  }

  /** The descriptor, or -1 after close. */
  get fd(): number {
    return this.#fd;
  }

  /**
   * Writes all of `bytes`.
   *
   * @param bytes what to write
   * @throws {SyscallError} e.g. ENOSPC, EPIPE
   */
  write(bytes: Uint8Array): void {
    const c = libc();
    for (let o = 0; o < bytes.length;) {
      const n = Number(c.write(this.#fd, bytes.subarray(o), BigInt(bytes.length - o)));
      if (n >= 0) o += n;
      else this.#retryOrThrow("write");
    }
  }

  /**
   * Writes the `count` iovecs of a table (`struct iovec` entries, 16 bytes each) whose address is
   * `tableAddress` and whose bytes are `table` (the same memory: a short write edits the entry it stopped
   * in). `total` is the sum of their lengths.
   *
   * @param table the iovec entries
   * @param tableAddress the address of `table[0]` (taken once, e.g. with `Deno.UnsafePointer.of`)
   * @param count entries to write, at most {@link IOV_MAX}
   * @param total the bytes they hold
   * @throws {SyscallError} e.g. ENOSPC, EPIPE; {RangeError} for a bad count
   */
  writev(table: Uint8Array, tableAddress: Deno.PointerObject, count: number, total: number): void {
    if (!(count >= 0 && count <= IOV_MAX && count * IOVEC.size <= table.length)) {
      throw new RangeError(`writev: ${count} iovecs do not fit (1 to ${IOV_MAX})`);
    }
    const c = libc();
    let first = 0;
    let ptr = tableAddress;
    const dv = new DataView(table.buffer, table.byteOffset, table.byteLength);
    while (total > 0) {
      const n = Number(c.writev(this.#fd, ptr, count - first));
      if (n < 0) {
        this.#retryOrThrow("writev");
        continue;
      }
      total -= n;
      if (total <= 0) break;
      // A short write: skip the entries written whole, then trim the one it stopped in.
      let left = n;
      for (;;) {
        const at = first * IOVEC.size;
        const len = Number(dv.getBigUint64(at + IOVEC.host.len, true));
        if (left < len) {
          const base = dv.getBigUint64(at + IOVEC.host.base, true);
          dv.setBigUint64(at + IOVEC.host.base, base + BigInt(left), true);
          dv.setBigUint64(at + IOVEC.host.len, BigInt(len - left), true);
          break;
        }
        left -= len;
        first++;
      }
      ptr = Deno.UnsafePointer.offset(tableAddress, first * IOVEC.size)!;
    }
  }

  /** EINTR: try again; EAGAIN: wait until writable, then try again; anything else throws. */
  #retryOrThrow(syscall: string): void {
    const e = errno();
    if (e === Errno.EINTR) return;
    if (e === Errno.EAGAIN) {
      const pv = new DataView(this.#pollfd.buffer);
      pv.setInt32(POLLFD.host.fd, this.#fd, true);
      pv.setInt16(POLLFD.host.events, POLLOUT, true);
      libc().pollBlocking(this.#pollfd, 1n, 1000);
      return;
    }
    throw new SyscallError(syscall, e, this.name);
  }

  /**
   * Closes the descriptor when this writer owns it. A second call does nothing.
   *
   * @throws {SyscallError} when close() reports a deferred write error (e.g. EIO, ENOSPC on NFS)
   */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    if (this.#owned && libc().close(fd) !== 0) throw new SyscallError("close", errno(), this.name);
  }
}

/**
 * The address of a buffer's first byte, for iovecs that point into it. The buffer must stay referenced
 * while the address is in use (V8 does not move an ArrayBuffer's bytes).
 *
 * @param buf the buffer
 * @returns its address as a number (exact: user-space addresses are below 2^53)
 */
export function addressOf(buf: Uint8Array): number {
  const p = Deno.UnsafePointer.of(buf);
  return p === null ? 0 : Number(Deno.UnsafePointer.value(p));
}
