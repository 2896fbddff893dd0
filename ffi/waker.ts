/**
 * A cross-thread wake-up: an eventfd (eventfd(2)) that one thread signals to end another thread's blocking
 * poll(). The fd is a plain number, so it can be posted to a Worker; the thread that created the
 * {@link Waker} owns it and closes it, after the thread it wakes has stopped using it.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { errno, SyscallError } from "./errno.ts";
import { archConstants } from "./constants.ts";

/** The 8-byte counter increment an eventfd write adds (1, in the machine's order). */
const ONE = new Uint8Array(new BigUint64Array([1n]).buffer);
/** Where a drain reads the counter (its value is not needed). */
const SCRATCH = new Uint8Array(8);

/** An eventfd to wake a thread blocked in poll(). */
export class Waker {
  #fd: number;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Creates a nonblocking, close-on-exec eventfd.
   *
   * @returns the waker
   * @throws {SyscallError} when the kernel refuses (EMFILE, ...)
   */
  static create(): Waker {
    const { EFD_CLOEXEC, EFD_NONBLOCK } = archConstants();
    const fd = libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) throw new SyscallError("eventfd", errno());
    return new Waker(fd);
  }

  /** The descriptor to poll for POLLIN (and to read the counter from), -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /** Makes the eventfd readable: a poll() on it returns at once, now or at its next call. */
  wake(): void {
    if (this.#fd >= 0) Waker.signal(this.#fd);
  }

  /**
   * {@link wake} for a thread that only has the fd number (e.g. a ring polling a waker it was given).
   *
   * @param fd a Waker's {@link fd}
   */
  static signal(fd: number): void {
    libc().write(fd, ONE, 8n);
  }

  /**
   * Reads the counter back to zero, so a poll on the eventfd blocks again: for the thread that was woken,
   * which only has the fd number.
   *
   * @param fd a Waker's {@link fd}
   */
  static drain(fd: number): void {
    libc().read(fd, SCRATCH, 8n);
  }

  /** Closes the eventfd. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    libc().close(this.#fd);
    this.#fd = -1;
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
