/**
 * What the parent and an FFI worker of the workers model share (`workers.ts`, `_ffi_worker.ts`): the start
 * message and the slots of the control array. A module of its own, so the parent never loads the worker.
 *
 * @module
 */
import type { ResolvedOptions } from "./_conn.ts";

/** The start message. */
export interface FfiWorkerStart {
  type: "start";
  options: ResolvedOptions;
  /** The IP address to bind (a literal, never a name). */
  host: string;
  /** The port to bind; 0 for the first worker when the kernel picks it. */
  port: number;
  index: number;
  counters: SharedArrayBuffer;
  /** A Waker's eventfd: signalled when {@link CONTROL} changed. */
  wakeFd: number;
  /** Int32 slots, see {@link CONTROL}. */
  control: SharedArrayBuffer;
}

/** Slots of the control array: `stop` set to 1 asks for a close with `graceMs` of grace. */
export const CONTROL = { stop: 0, graceMs: 1, size: 2 } as const;
