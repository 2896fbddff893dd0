/**
 * The types every echo server model shares: one options type, one server handle, one stats shape, so models
 * are interchangeable and one conformance suite runs against each.
 *
 * @module
 */

/** How the server serves clients. */
export type EchoModel = "sequential" | "async" | "workers" | "processes";

/** The models, in the order the CLI lists them. */
export const ECHO_MODELS: readonly EchoModel[] = ["sequential", "async", "workers", "processes"];

/** Something that happened on the server, for logging. `cmd/serve.ts` prints these to stderr. */
export type EchoEvent =
  | { type: "listening"; addr: Deno.NetAddr; model: EchoModel; transport: "tcp" | "udp"; workers?: number }
  | { type: "connect"; remote: Deno.NetAddr; id: number; worker?: number }
  | {
    type: "disconnect";
    remote: Deno.NetAddr;
    id: number;
    bytesIn: number;
    bytesOut: number;
    durationMs: number;
    /** Why the connection ended: the peer closed, it reset, it sat idle, the server shut down. */
    reason: "closed" | "reset" | "idle" | "shutdown" | "error";
    worker?: number;
  }
  | { type: "rejected"; remote: Deno.NetAddr; reason: "max-conns"; worker?: number }
  | { type: "worker-start"; worker: number; pid?: number }
  | { type: "worker-exit"; worker: number; code: number | null; restarting: boolean }
  | { type: "error"; message: string };

/** Options shared by every model. */
export interface EchoServerOptions {
  /** Serving model; default `"async"`. */
  model?: EchoModel;
  /** `"tcp"` (default) or `"udp"`; UDP echoes each datagram to its sender. */
  transport?: "tcp" | "udp";
  /** Address to bind; default `"0.0.0.0"`. `"::"` is dual stack. */
  hostname?: string;
  /** Port to bind; default 8000; 0 picks a free port (read it back from `addr`). */
  port?: number;
  /** Bytes sent to each TCP client on connect, before any echo. */
  banner?: string | Uint8Array;
  /** Most clients served at once; a client over the limit is accepted and closed at once, as ncat does. */
  maxConns?: number;
  /** Close a client after this many milliseconds with no byte moved in either direction. */
  idleTimeoutMs?: number;
  /** The listen backlog (the kernel caps it at net.core.somaxconn). */
  backlog?: number;
  /** Workers or processes to run for those models; default the CPU count. */
  threads?: number;
  /** On close, how long open clients may finish before they are cut; default 5000 ms. */
  graceMs?: number;
  /** Called for every {@link EchoEvent}. */
  onEvent?: (event: EchoEvent) => void;
}

/** Counters since start. For workers and processes they are the sum over all of them. */
export interface EchoStats {
  /** Clients accepted (TCP) or distinct senders seen (UDP). */
  clients: number;
  /** Clients connected now. */
  active: number;
  /** Clients refused over `maxConns`. */
  rejected: number;
  /** Bytes received from clients. */
  bytesIn: number;
  /** Bytes sent to clients (echo and banner). */
  bytesOut: number;
}

/** A running echo server. */
export interface EchoServer extends AsyncDisposable {
  /** The bound address; the real port when 0 was asked. */
  readonly addr: Deno.NetAddr;
  /** The model serving. */
  readonly model: EchoModel;
  /** `"tcp"` or `"udp"`. */
  readonly transport: "tcp" | "udp";
  /** Settles when the server has fully stopped. */
  readonly closed: Promise<void>;
  /** Counters now. For workers/processes this may lag by a few hundred milliseconds. */
  stats(): EchoStats;
  /**
   * Stops accepting, lets open clients finish for `graceMs` (default: the server's), then cuts them.
   * Idempotent; resolves with the final stats.
   */
  close(options?: { graceMs?: number }): Promise<EchoStats>;
}
