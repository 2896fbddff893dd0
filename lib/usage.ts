/**
 * The error every netkit command-line parser throws for bad input: `cmd/` prints its message on one line and
 * exits 2, as tcpdump, nc and hping3 do for usage errors.
 *
 * @module
 */

/** A bad flag or value on a command line. */
export class UsageError extends Error {
  /** Always "USAGE". */
  readonly code = "USAGE";

  /**
   * @param message what is wrong, naming the bad value
   * @example
   * ```ts
   * import { UsageError } from "./usage.ts";
   * const e = new UsageError("--dport: \"70000\" is not an integer in 0..65535");
   * console.log(e.code, e.message);
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** netkit's version, as in deno.json (a test keeps the two equal). */
export const NETKIT_VERSION = "0.1.0";
