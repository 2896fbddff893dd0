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
  __errno_location: { parameters: [], result: "pointer" },
  strerror: { parameters: ["i32"], result: "pointer" },
  close: { parameters: ["i32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  getuid: { parameters: [], result: "u32" },
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
