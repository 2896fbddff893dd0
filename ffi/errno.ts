/**
 * errno: read through `__errno_location()` right after a synchronous libc call, and turned into a
 * {@link SyscallError} that names the call, the errno number and its symbolic code.
 *
 * @module
 */
import { libc } from "./libc.ts";

/** Linux errno values (asm-generic/errno-base.h and asm-generic/errno.h) by name. */
export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: "EPERM",
  2: "ENOENT",
  3: "ESRCH",
  4: "EINTR",
  5: "EIO",
  6: "ENXIO",
  7: "E2BIG",
  8: "ENOEXEC",
  9: "EBADF",
  10: "ECHILD",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  14: "EFAULT",
  16: "EBUSY",
  17: "EEXIST",
  19: "ENODEV",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  25: "ENOTTY",
  28: "ENOSPC",
  32: "EPIPE",
  34: "ERANGE",
  38: "ENOSYS",
  71: "EPROTO",
  75: "EOVERFLOW",
  88: "ENOTSOCK",
  90: "EMSGSIZE",
  92: "ENOPROTOOPT",
  93: "EPROTONOSUPPORT",
  94: "ESOCKTNOSUPPORT",
  95: "EOPNOTSUPP",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  100: "ENETDOWN",
  101: "ENETUNREACH",
  102: "ENETRESET",
  103: "ECONNABORTED",
  104: "ECONNRESET",
  105: "ENOBUFS",
  106: "EISCONN",
  107: "ENOTCONN",
  110: "ETIMEDOUT",
  111: "ECONNREFUSED",
  113: "EHOSTUNREACH",
};

/** A failed system call: `code` is the errno name ("EPERM"), `errno` its number. */
export class SyscallError extends Error {
  /** The errno value. */
  readonly errno: number;
  /** The symbolic errno name, e.g. `"EPERM"`, or `"E<number>"` when unknown. */
  readonly code: string;
  /** The libc call that failed. */
  readonly syscall: string;

  /**
   * @param syscall the libc function that failed
   * @param errno the errno value it left
   * @param detail optional context, e.g. the interface name
   */
  constructor(syscall: string, errno: number, detail?: string) {
    const code = ERRNO_NAMES[errno] ?? `E${errno}`;
    super(`${syscall}${detail ? ` (${detail})` : ""}: ${describeErrno(errno)} [${code}]`);
    this.name = "SyscallError";
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
  }
}

let errnoView: Int32Array | undefined;

/**
 * The calling thread's errno. Valid only right after a synchronous libc call on this thread.
 *
 * @returns the current errno value
 */
export function errno(): number {
  if (!errnoView) {
    const p = libc().__errno_location();
    if (p === null) throw new Error("__errno_location returned NULL");
    errnoView = new Int32Array(Deno.UnsafePointerView.getArrayBuffer(p, 4));
  }
  return errnoView[0];
}

/**
 * libc's text for an errno value.
 *
 * @param code an errno value
 * @returns the message strerror() gives, e.g. "Operation not permitted"
 */
export function describeErrno(code: number): string {
  const p = libc().strerror(code | 0);
  return p === null ? `errno ${code}` : Deno.UnsafePointerView.getCString(p);
}

/**
 * Throws a {@link SyscallError} when a libc call returned -1; otherwise returns its result.
 *
 * @param syscall the name of the call, for the message
 * @param result what the call returned
 * @param detail optional context for the message
 * @returns `result` when it is not -1
 */
export function check<T extends number | bigint>(syscall: string, result: T, detail?: string): T {
  if (result === -1 || result === -1n) throw new SyscallError(syscall, errno(), detail);
  return result;
}

/** errno values netkit checks by number (asm-generic/errno-base.h, asm-generic/errno.h). */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EBADF: 9,
  EAGAIN: 11,
  ENODEV: 19,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  EPIPE: 32,
  ENETDOWN: 100,
  ECONNABORTED: 103,
  ECONNRESET: 104,
} as const;
