/**
 * The one place that opens libc. `Deno.dlopen` runs lazily, on the first call of {@link libc}, so importing
 * this module (or anything above it) needs no `--allow-ffi` and has no side effect.
 *
 * Conventions for the symbol table:
 * - every 64-bit argument (`usize`, `isize`, `i64`, `u64`) is passed as a BigInt: V8's fast path needs it;
 * - a `nonblocking: true` symbol runs on another thread, so errno after it is meaningless: use those only
 *   where the return value is enough (`poll`).
 *
 * @module
 */

/** The libc symbols netkit calls. Extend this table; never `dlopen` anywhere else. */
export const SYMBOLS = {
  // errors
  __errno_location: { parameters: [], result: "pointer" },
  strerror: { parameters: ["i32"], result: "pointer" },
  // file descriptors
  close: { parameters: ["i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  // -w straight from the packet ring: creat() (not variadic, unlike open) and writev() of a long-lived table
  creat: { parameters: ["buffer", "u32"], result: "i32" },
  writev: { parameters: ["i32", "pointer", "i32"], result: "isize" },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  // poll() waits for a ring block: on another thread, so errno after it means nothing (the result is enough)
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  // the same poll() on the calling thread, for a Worker that may block; errno is valid after it
  pollBlocking: { name: "poll", parameters: ["buffer", "u64", "i32"], result: "i32" },
  // sockets
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  sendto: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"], result: "isize" },
  // nonblocking TCP served from a Worker that blocks in epoll_wait (the workers echo model)
  accept4: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  // batched send: the mmsghdr array is a long-lived buffer whose address is taken once (a pointer argument)
  sendmmsg: { parameters: ["i32", "pointer", "u32", "i32"], result: "i32" },
  // memory
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  // interfaces
  if_nametoindex: { parameters: ["buffer"], result: "u32" },
  getifaddrs: { parameters: ["buffer"], result: "i32" },
  freeifaddrs: { parameters: ["pointer"], result: "void" },
  // users and privileges
  getuid: { parameters: [], result: "u32" },
  geteuid: { parameters: [], result: "u32" },
  getgid: { parameters: [], result: "u32" },
  getegid: { parameters: [], result: "u32" },
  getpwnam: { parameters: ["buffer"], result: "pointer" },
  setgroups: { parameters: ["usize", "buffer"], result: "i32" },
  setgid: { parameters: ["u32"], result: "i32" },
  setuid: { parameters: ["u32"], result: "i32" },
  // accounting
  getrusage: { parameters: ["i32", "buffer"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The opened library's symbols. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function libcPath(): string {
  if (Deno.build.os !== "linux") {
    throw new Error(`netkit's raw socket support needs Linux, not ${Deno.build.os}`);
  }
  // glibc's soname; musl systems ship libc.so which dlopen also resolves.
  return "libc.so.6";
}

/**
 * Opens libc on first use and returns its symbols.
 *
 * @returns the symbol table bound to libc
 * @throws {Deno.errors.NotCapable} without `--allow-ffi`
 */
export function libc(): Libc {
  if (!lib) lib = Deno.dlopen(libcPath(), SYMBOLS);
  return lib.symbols;
}

const encoder = new TextEncoder();

/**
 * A NUL-terminated copy of a string, for a `buffer` parameter that takes a C string.
 *
 * @param s the text
 * @returns its UTF-8 bytes followed by a 0 byte
 * @example
 * ```ts
 * import { cString } from "./libc.ts";
 * const bytes = cString("lo");
 * if (bytes.length !== 3 || bytes[2] !== 0) throw new Error("NUL terminated");
 * ```
 */
export function cString(s: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(encoder.encode(s).length + 1);
  encoder.encodeInto(s, bytes);
  return bytes;
}
