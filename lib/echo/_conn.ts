/**
 * The per-connection echo loop and the accept loop every TCP model shares (async and sequential in the main
 * thread, each worker, each child process), plus option checking and the stats counters.
 *
 * Memory per connection is one 64 KiB buffer: the loop reads into it, writes all of it back, and reads again
 * only after the write completed. A client that sends but never reads fills the kernel's buffers, the write
 * then waits, and the server stops reading from that client: no user-space queue grows.
 *
 * @module
 */
import type { EchoEvent, EchoModel, EchoServer, EchoServerOptions, EchoStats } from "./types.ts";

/** One reused buffer per connection (NOTES.md: a plain loop with 64 KiB beat Node's pipe). */
export const BUFFER_SIZE = 64 * 1024;

/** Slots of the counters array. */
const SLOT = { clients: 0, active: 1, rejected: 2, bytesIn: 3, bytesOut: 4 } as const;
const SLOTS = 5;

/**
 * The server's counters, in a `BigInt64Array` so that Web Workers can share one `SharedArrayBuffer` and
 * update it with `Atomics`: the totals and the `maxConns` check are then exact across workers.
 */
export class Counters {
  readonly cells: BigInt64Array;

  /** @param buffer a `SharedArrayBuffer` to share with workers, or nothing for a private one */
  constructor(buffer?: SharedArrayBuffer) {
    this.cells = new BigInt64Array(buffer ?? new ArrayBuffer(SLOTS * 8));
  }

  /** @returns a `SharedArrayBuffer` big enough for the counters */
  static shared(): SharedArrayBuffer {
    return new SharedArrayBuffer(SLOTS * 8);
  }

  add(slot: keyof typeof SLOT, n: number): void {
    Atomics.add(this.cells, SLOT[slot], BigInt(n));
  }

  /** Takes an active slot unless `max` are taken; counts a rejection when refused. */
  acquire(max: number): boolean {
    const before = Atomics.add(this.cells, SLOT.active, 1n);
    if (Number(before) < max) {
      Atomics.add(this.cells, SLOT.clients, 1n);
      return true;
    }
    Atomics.sub(this.cells, SLOT.active, 1n);
    Atomics.add(this.cells, SLOT.rejected, 1n);
    return false;
  }

  release(): void {
    Atomics.sub(this.cells, SLOT.active, 1n);
  }

  snapshot(): EchoStats {
    const get = (s: number) => Number(Atomics.load(this.cells, s));
    return {
      clients: get(SLOT.clients),
      active: get(SLOT.active),
      rejected: get(SLOT.rejected),
      bytesIn: get(SLOT.bytesIn),
      bytesOut: get(SLOT.bytesOut),
    };
  }
}

/** Options after defaults and checks; what a worker or a child process receives. */
export interface ResolvedOptions {
  model: EchoModel;
  transport: "tcp" | "udp";
  hostname: string;
  port: number;
  banner?: Uint8Array;
  maxConns: number;
  idleTimeoutMs: number;
  backlog?: number;
  threads: number;
  graceMs: number;
}

function checkInt(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`invalid ${name}: ${value} (expected an integer from ${min} to ${max})`);
  }
}

function checkMs(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`invalid ${name}: ${value} (expected a number of milliseconds >= 0)`);
  }
}

/**
 * Applies defaults and checks every option.
 *
 * @throws {RangeError} for a bad number, {TypeError} for an unknown model or transport, an empty host, or UDP
 *   with a model that needs `reusePort`
 */
export function resolveOptions(options: EchoServerOptions): ResolvedOptions {
  const model = options.model ?? "async";
  if (!["sequential", "async", "workers", "processes"].includes(model)) {
    throw new TypeError(`unknown model: ${model} (expected sequential, async, workers or processes)`);
  }
  const transport = options.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "udp") {
    throw new TypeError(`unknown transport: ${transport} (expected tcp or udp)`);
  }
  if (transport === "udp" && (model === "workers" || model === "processes")) {
    throw new TypeError(
      `UDP cannot use the ${model} model: Deno has no reusePort for UDP sockets (use sequential or async)`,
    );
  }
  const hostname = options.hostname ?? "0.0.0.0";
  if (typeof hostname !== "string" || hostname === "") throw new TypeError(`invalid host: "${hostname}"`);
  checkInt("port", options.port, 0, 65535);
  checkInt("max-conns", options.maxConns, 1, 1_000_000);
  checkInt("backlog", options.backlog, 1, 1_000_000);
  checkInt("threads", options.threads, 1, 1024);
  checkMs("idle timeout", options.idleTimeoutMs);
  checkMs("grace", options.graceMs);
  const banner = typeof options.banner === "string"
    ? new TextEncoder().encode(options.banner)
    : options.banner;
  return {
    model,
    transport,
    hostname,
    port: options.port ?? 8000,
    banner: banner && banner.byteLength > 0 ? banner : undefined,
    maxConns: options.maxConns ?? Infinity,
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    backlog: options.backlog,
    threads: options.threads ?? navigator.hardwareConcurrency ?? 1,
    graceMs: options.graceMs ?? 5000,
  };
}

type EndReason = "closed" | "reset" | "idle" | "shutdown" | "error";

function endReason(err: unknown): EndReason {
  if (
    err instanceof Deno.errors.ConnectionReset || err instanceof Deno.errors.BrokenPipe ||
    err instanceof Deno.errors.ConnectionAborted
  ) return "reset";
  return "error";
}

/** One client: banner, then read and echo until EOF, reset, idle timeout or shutdown. */
class EchoConn {
  #conn: Deno.Conn;
  #closed = false;
  #cutReason: EndReason | undefined;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #track = false;
  bytesIn = 0;
  bytesOut = 0;

  constructor(conn: Deno.Conn, private readonly counters: Counters) {
    this.#conn = conn;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch { /* already closed */ }
  }

  /** Ends the connection from outside (shutdown); the loop returns with `reason`. */
  cut(reason: EndReason): void {
    this.#cutReason ??= reason;
    this.#close();
  }

  #armIdle(ms: number): void {
    // One timer re-armed for the remaining time, instead of a clearTimeout/setTimeout per read.
    const fire = () => {
      const left = this.#last + ms - performance.now();
      if (left <= 0) {
        this.#timer = undefined;
        this.cut("idle");
      } else {
        this.#timer = setTimeout(fire, left);
      }
    };
    this.#timer = setTimeout(fire, ms);
  }

  async run(banner: Uint8Array | undefined, idleTimeoutMs: number): Promise<EndReason> {
    const conn = this.#conn;
    this.#last = performance.now();
    // The clock is read per read and write only when an idle timeout needs it.
    this.#track = idleTimeoutMs > 0;
    if (this.#track) this.#armIdle(idleTimeoutMs);
    let reason: EndReason = "closed";
    try {
      if (banner) await this.#writeAll(banner);
      const buf = new Uint8Array(BUFFER_SIZE);
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        this.bytesIn += n;
        this.counters.add("bytesIn", n);
        if (this.#track) this.#last = performance.now();
        // Usually one write takes it all: no extra async frame per message for the rare short write.
        const w = await conn.write(buf.subarray(0, n));
        this.bytesOut += w;
        this.counters.add("bytesOut", w);
        if (this.#track) this.#last = performance.now();
        if (w < n) await this.#writeAll(buf.subarray(w, n));
      }
    } catch (err) {
      reason = endReason(err);
    } finally {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#close();
    }
    return this.#cutReason ?? reason;
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.byteLength) {
      const w = await this.#conn.write(bytes.subarray(off));
      off += w;
      this.bytesOut += w;
      this.counters.add("bytesOut", w);
      if (this.#track) this.#last = performance.now();
    }
  }
}

/** Context a TCP service runs in: options, counters, where events go, which worker it is. */
export interface ServiceContext {
  options: ResolvedOptions;
  counters: Counters;
  emit: (event: EchoEvent) => void;
  /** Worker or child index, put in events. */
  worker?: number;
  /** One client at a time: the next one stays in the kernel backlog until the current one leaves. */
  sequential?: boolean;
}

/**
 * Serves one listener: accepts clients and runs the echo loop for each, until {@link TcpService.close}.
 */
export class TcpService {
  #listener: Deno.Listener;
  #ctx: ServiceContext;
  #conns = new Set<EchoConn>();
  #loop: Promise<void>;
  #stopping = false;
  #nextId = 1;
  #drained: (() => void) | undefined;

  constructor(listener: Deno.Listener, ctx: ServiceContext) {
    this.#listener = listener;
    this.#ctx = ctx;
    this.#loop = this.#acceptLoop();
  }

  async #acceptLoop(): Promise<void> {
    const { options, counters, sequential } = this.#ctx;
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (err) {
        if (this.#stopping) return; // expected shutdown ends the loop quietly
        if (err instanceof Deno.errors.ConnectionAborted || err instanceof Deno.errors.ConnectionReset) {
          continue;
        }
        this.#ctx.emit({ type: "error", message: `accept: ${(err as Error).message}` });
        if (err instanceof Deno.errors.BadResource) return;
        // EMFILE and the like: back off a little instead of spinning.
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const remote = conn.remoteAddr as Deno.NetAddr;
      if (!counters.acquire(options.maxConns)) {
        this.#ctx.emit({ type: "rejected", remote, reason: "max-conns", ...this.#workerField() });
        try {
          conn.close();
        } catch { /* gone */ }
        continue;
      }
      const job = this.#serve(conn, remote);
      if (sequential) await job;
    }
  }

  #workerField(): { worker?: number } {
    return this.#ctx.worker === undefined ? {} : { worker: this.#ctx.worker };
  }

  async #serve(conn: Deno.Conn, remote: Deno.NetAddr): Promise<void> {
    const { options, counters } = this.#ctx;
    const id = this.#nextId++;
    const started = performance.now();
    const echo = new EchoConn(conn, counters);
    this.#conns.add(echo);
    this.#ctx.emit({ type: "connect", remote, id, ...this.#workerField() });
    if (this.#stopping) echo.cut("shutdown");
    let reason: EndReason = "error";
    try {
      reason = await echo.run(options.banner, options.idleTimeoutMs);
    } finally {
      this.#conns.delete(echo);
      counters.release();
      this.#ctx.emit({
        type: "disconnect",
        remote,
        id,
        bytesIn: echo.bytesIn,
        bytesOut: echo.bytesOut,
        durationMs: Math.round(performance.now() - started),
        reason,
        ...this.#workerField(),
      });
      if (this.#conns.size === 0) this.#drained?.();
    }
  }

  /**
   * Stops accepting, waits up to `graceMs` for open clients to leave, then cuts the rest.
   *
   * @param graceMs how long open clients may finish
   */
  async close(graceMs: number): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      try {
        this.#listener.close();
      } catch { /* already closed */ }
    }
    if (this.#conns.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
      for (const c of this.#conns) c.cut("shutdown");
    }
    // In the sequential model the accept loop awaits the current client, so it ends after the cut.
    await this.#loop;
    while (this.#conns.size > 0) {
      await new Promise<void>((resolve) => this.#drained = resolve);
    }
  }
}

/**
 * Opens a TCP listener for the options.
 *
 * @param reusePort share the port with other listeners (workers, processes); needs `--unstable-net`
 */
export function listenTcp(options: ResolvedOptions, port: number, reusePort = false): Deno.TcpListener {
  return Deno.listen({
    transport: "tcp",
    hostname: options.hostname,
    port,
    ...(reusePort ? { reusePort } : {}),
  });
}

/** A settled-once promise with its resolve/reject, for `closed`. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Rebuilds an error that crossed `postMessage` or a child's pipe as a `{code, message}` record: a
 * `Deno.errors` class when `code` names one (`AddrInUse` stays catchable as such), else an `Error` named
 * `code`.
 */
export function rebuildError(code: string, message: string): Error {
  const ctor = (Deno.errors as unknown as Record<string, (new (m: string) => Error) | undefined>)[code];
  if (ctor) return new ctor(message);
  const err = new Error(message);
  err.name = code;
  return err;
}

/** The {@link EchoServer} every model returns, from its parts; disposing it closes it. */
export function serverHandle(parts: Omit<EchoServer, typeof Symbol.asyncDispose>): EchoServer {
  return {
    ...parts,
    [Symbol.asyncDispose]: async () => {
      await parts.close();
    },
  };
}
