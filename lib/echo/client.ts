/**
 * The nc-like echo client: {@link pipe} copies a byte stream (stdin) to a TCP connection or UDP socket and
 * what comes back to another stream (stdout), binary-safe; {@link echoOnce} sends one message and returns
 * the echo; {@link parseClientCommand} turns the CLI's arguments into options for these or for
 * {@link runEchoBench}, so `cmd/client.ts` stays thin.
 *
 * End of input (`eof`), as in the nc family:
 * - `"half-close"` (default, OpenBSD nc `-N`): shut the write side, keep printing until the server closes.
 * - `"keep-open"` (OpenBSD nc without `-N`): send nothing more, keep printing until the server closes.
 * - `"close"`: close at once; an echo still in flight is not printed.
 *
 * In every TCP mode the run also ends when the server closes first. Over UDP each chunk read from the
 * input is one datagram (split at 65507 bytes); replies from another port are ignored. At end of input
 * `"half-close"` waits until every datagram got a reply, `"keep-open"` waits for replies until the idle
 * timeout, `"close"` stops at once. Without `timeoutMs`, a UDP run missing a reply waits forever, as nc does.
 *
 * `timeoutMs` is both the connect limit and the idle limit (no byte in either direction). On expiry the
 * run fails with `ETIMEDOUT`; over UDP it ends quietly instead when every datagram sent has had its reply.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { describeError, formatHostPort } from "./_bench_worker.ts";
import type { EchoBenchOptions } from "./bench.ts";

/** What ends a pipe at end of input; see the module doc. */
export type EofMode = "half-close" | "close" | "keep-open";

/** The modes, in the order the CLI lists them. */
export const EOF_MODES: readonly EofMode[] = ["half-close", "close", "keep-open"];

/** Stable codes of {@link EchoClientError}. */
export type EchoClientErrorCode =
  | "ECONNREFUSED"
  | "ENOTFOUND"
  | "ETIMEDOUT"
  | "ECONNRESET"
  | "EIO"
  | "EUSAGE";

/**
 * A failure of the client with a stable `code` and a one-line message such as
 * `connection refused: 127.0.0.1:9`. `EUSAGE` is a bad command line (the CLI exits 2); the rest are runtime
 * failures (exit 1).
 *
 * @example Tell a refused connection from other failures
 * ```ts
 * import { echoOnce, EchoClientError } from "./client.ts";
 * import { ok } from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * listener.close(); // nothing listens there now
 * try {
 *   await echoOnce("127.0.0.1", port, "x");
 *   ok(false);
 * } catch (e) {
 *   ok(e instanceof EchoClientError && e.code === "ECONNREFUSED");
 *   ok(e.message === `connection refused: 127.0.0.1:${port}`);
 * }
 * ```
 */
export class EchoClientError extends Error {
  override name = "EchoClientError";

  /**
   * @param code the stable code
   * @param message one line, no trailing period
   */
  constructor(readonly code: EchoClientErrorCode, message: string) {
    super(message);
  }
}

/** Options of {@link pipe}. */
export interface PipeOptions {
  /** Server host name or IP literal (`"::1"` works). */
  hostname: string;
  /** Server port, 1-65535. */
  port: number;
  /** `"tcp"` (default) or `"udp"`. */
  transport?: "tcp" | "udp";
  /** What to do at end of input; default `"half-close"`. */
  eof?: EofMode;
  /** Connect limit and idle limit in ms; none by default. */
  timeoutMs?: number;
  /** Bytes to send (e.g. `Deno.stdin.readable`). Cancelled when the run ends before its end. */
  stdin: ReadableStream<Uint8Array>;
  /**
   * Receives every byte that comes back, in order; each chunk is a fresh copy the sink may keep. The stream
   * is released, not closed, at the end.
   */
  stdout: WritableStream<Uint8Array>;
}

/** Counters of a finished {@link pipe}. */
export interface PipeResult {
  /** Bytes sent to the server. */
  bytesSent: number;
  /** Bytes received and written to `stdout`. */
  bytesReceived: number;
  /** UDP: datagrams sent and replies received (0 for TCP). */
  datagramsSent: number;
  datagramsReceived: number;
}

const MAX_UDP_PAYLOAD = 65507;
const READ_SIZE = 64 * 1024;

/** Turns a socket error into an {@link EchoClientError} naming the target. */
function clientError(e: unknown, hostname: string, port: number): EchoClientError {
  if (e instanceof EchoClientError) return e;
  const where = formatHostPort(hostname, port);
  const what = describeError(e);
  if (what === "connection refused") return new EchoClientError("ECONNREFUSED", `${what}: ${where}`);
  if (what === "unknown host") return new EchoClientError("ENOTFOUND", `unknown host: ${hostname}`);
  if (e instanceof Deno.errors.TimedOut) return new EchoClientError("ETIMEDOUT", `${what}: ${where}`);
  if (/reset|broken pipe|aborted/.test(what)) return new EchoClientError("ECONNRESET", `${what}: ${where}`);
  return new EchoClientError("EIO", `${what}: ${where}`);
}

function checkTarget(o: { hostname: string; port: number; timeoutMs?: number }): void {
  if (typeof o.hostname !== "string" || o.hostname === "") {
    throw new TypeError("hostname must be a non-empty string");
  }
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new RangeError(`bad port: ${o.port}`);
  if (o.timeoutMs !== undefined && !(o.timeoutMs > 0 && Number.isFinite(o.timeoutMs))) {
    throw new RangeError(`timeoutMs must be a positive number, got ${o.timeoutMs}`);
  }
}

async function connectTcp(hostname: string, port: number, timeoutMs?: number): Promise<Deno.TcpConn> {
  const ac = new AbortController();
  const timer = timeoutMs === undefined
    ? undefined
    : setTimeout(() => ac.abort(new Deno.errors.TimedOut("connect timed out")), timeoutMs);
  try {
    return await Deno.connect({ hostname, port, signal: ac.signal });
  } catch (e) {
    if (e instanceof Deno.errors.TimedOut) {
      throw new EchoClientError("ETIMEDOUT", `connect timed out: ${formatHostPort(hostname, port)}`);
    }
    throw clientError(e, hostname, port);
  } finally {
    clearTimeout(timer);
  }
}

async function writeAll(conn: Deno.Conn, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.length) off += await conn.write(off === 0 ? buf : buf.subarray(off));
}

/** Calls `onExpire` once when `touch()` has not been called for `timeoutMs`; inert without a limit. */
class IdleTimer {
  #last = performance.now();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(timeoutMs: number | undefined, onExpire: () => void) {
    if (timeoutMs === undefined) return;
    this.#timer = setInterval(() => {
      if (performance.now() - this.#last > timeoutMs) {
        this.stop();
        onExpire();
      }
    }, Math.max(10, Math.min(250, timeoutMs / 4)));
  }

  touch(): void {
    this.#last = performance.now();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(3)}s`;
}

async function pipeTcp(o: PipeOptions, eof: EofMode): Promise<PipeResult> {
  const conn = await connectTcp(o.hostname, o.port, o.timeoutMs);
  const reader = o.stdin.getReader();
  const writer = o.stdout.getWriter();
  const result: PipeResult = { bytesSent: 0, bytesReceived: 0, datagramsSent: 0, datagramsReceived: 0 };
  let ending = false; // we closed the connection on purpose: a failing read is the end, not an error
  let expired = false;
  let closed = false;
  const closeConn = () => {
    if (closed) return;
    closed = true;
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const idle = new IdleTimer(o.timeoutMs, () => {
    expired = true;
    ending = true;
    closeConn();
    reader.cancel().catch(() => {});
  });

  const up = async () => {
    for (;;) {
      const r = await reader.read();
      if (r.done || ending) break;
      await writeAll(conn, r.value);
      result.bytesSent += r.value.length;
      idle.touch();
    }
    if (ending) return;
    if (eof === "half-close") await conn.closeWrite();
    else if (eof === "close") {
      ending = true;
      closeConn();
    }
  };

  const down = async () => {
    const buf = new Uint8Array(READ_SIZE);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        idle.touch();
        result.bytesReceived += n;
        try {
          await writer.write(buf.slice(0, n));
        } catch (e) {
          throw new EchoClientError("EIO", `cannot write output: ${describeError(e)}`);
        }
      }
    } catch (e) {
      if (!ending) throw e;
    } finally {
      // The server closed (or we did, or the connection failed): stop reading input.
      ending = true;
      reader.cancel().catch(() => {});
    }
  };

  const [u, d] = await Promise.allSettled([
    up().catch((e) => {
      // A failed send (peer gone) ends the input side; the reader side decides how the run ends.
      reader.cancel().catch(() => {});
      if (ending) return;
      throw e;
    }),
    down(),
  ]);
  idle.stop();
  closeConn();
  reader.releaseLock();
  writer.releaseLock();
  if (expired) {
    throw new EchoClientError(
      "ETIMEDOUT",
      `timed out: no data for ${seconds(o.timeoutMs!)}: ${formatHostPort(o.hostname, o.port)}`,
    );
  }
  if (d.status === "rejected") throw clientError(d.reason, o.hostname, o.port);
  if (u.status === "rejected") throw clientError(u.reason, o.hostname, o.port);
  return result;
}

async function pipeUdp(o: PipeOptions, eof: EofMode): Promise<PipeResult> {
  const sock = Deno.listenDatagram({
    transport: "udp",
    hostname: o.hostname.includes(":") ? "::" : "0.0.0.0",
    port: 0,
  });
  const addr: Deno.NetAddr = { transport: "udp", hostname: o.hostname, port: o.port };
  const reader = o.stdin.getReader();
  const writer = o.stdout.getWriter();
  const result: PipeResult = { bytesSent: 0, bytesReceived: 0, datagramsSent: 0, datagramsReceived: 0 };
  let inputDone = false;
  let ending = false;
  let expired = false;
  const finish = () => {
    if (ending) return;
    ending = true;
    sock.close();
    reader.cancel().catch(() => {});
  };
  const answered = () => result.datagramsReceived >= result.datagramsSent;
  const idle = new IdleTimer(o.timeoutMs, () => {
    expired = !answered();
    finish();
  });

  const up = async () => {
    while (!ending) {
      const r = await reader.read();
      if (r.done || ending) break;
      for (let off = 0; off < r.value.length && !ending; off += MAX_UDP_PAYLOAD) {
        const part = r.value.subarray(off, off + MAX_UDP_PAYLOAD);
        await sock.send(part, addr);
        result.datagramsSent++;
        result.bytesSent += part.length;
        idle.touch();
      }
    }
    inputDone = true;
    if (eof === "close" || (eof === "half-close" && answered())) finish();
  };

  const down = async () => {
    const buf = new Uint8Array(READ_SIZE + 1);
    try {
      while (!ending) {
        const [data, from] = await sock.receive(buf);
        if ((from as Deno.NetAddr).port !== o.port) continue;
        idle.touch();
        result.datagramsReceived++;
        result.bytesReceived += data.length;
        try {
          await writer.write(data.slice());
        } catch (e) {
          throw new EchoClientError("EIO", `cannot write output: ${describeError(e)}`);
        }
        if (inputDone && eof === "half-close" && answered()) finish();
      }
    } catch (e) {
      if (!ending) throw e;
    }
  };

  // Whichever side fails first ends the other: closing the socket ends a pending receive.
  const failFast = (e: unknown) => {
    const wasEnding = ending;
    finish();
    if (!wasEnding) throw e;
  };
  const [u, d] = await Promise.allSettled([up().catch(failFast), down().catch(failFast)]);
  idle.stop();
  finish();
  reader.releaseLock();
  writer.releaseLock();
  if (expired) {
    const missing = result.datagramsSent - result.datagramsReceived;
    throw new EchoClientError(
      "ETIMEDOUT",
      `timed out: ${missing} of ${result.datagramsSent} datagram(s) got no reply within ${
        seconds(o.timeoutMs!)
      }: ${formatHostPort(o.hostname, o.port)}`,
    );
  }
  if (u.status === "rejected") throw clientError(u.reason, o.hostname, o.port);
  if (d.status === "rejected") throw clientError(d.reason, o.hostname, o.port);
  return result;
}

/**
 * Copies `stdin` to the server and the server's bytes to `stdout` until the run ends (see the module doc),
 * like `nc HOST PORT`. Binary-safe.
 *
 * @param options target, transport, end-of-input mode, timeout and the two streams
 * @returns byte and datagram counters
 * @throws {EchoClientError} `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, `ECONNRESET` or `EIO`, message one line
 * @throws {RangeError} for a bad port or timeout
 *
 * @example Pipe one line through an echo listener started inside the example
 * ```ts
 * import { pipe } from "./client.ts";
 * import { ok } from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = (async () => {
 *   const conn = await listener.accept();
 *   const buf = new Uint8Array(1024);
 *   for (let n; (n = await conn.read(buf)) !== null;) await conn.write(buf.subarray(0, n));
 *   conn.close();
 * })();
 * const chunks: Uint8Array[] = [];
 * await pipe({
 *   hostname: "127.0.0.1",
 *   port: listener.addr.port,
 *   stdin: ReadableStream.from([new TextEncoder().encode("hello\n")]),
 *   stdout: new WritableStream({ write: (c) => void chunks.push(c) }),
 * });
 * await serving;
 * listener.close();
 * ok(new TextDecoder().decode(chunks[0]) === "hello\n");
 * ```
 */
export function pipe(options: PipeOptions): Promise<PipeResult> {
  checkTarget(options);
  const eof = options.eof ?? "half-close";
  if (!EOF_MODES.includes(eof)) throw new RangeError(`unknown eof mode: ${eof}`);
  const transport = options.transport ?? "tcp";
  if (transport === "udp") return pipeUdp(options, eof);
  if (transport === "tcp") return pipeTcp(options, eof);
  throw new RangeError(`unknown transport: ${transport}`);
}

/**
 * Sends `data` and returns what the server sends back: over TCP everything until the server closes (after
 * a half-close), over UDP the one reply datagram.
 *
 * @param hostname server host (`"::1"` works)
 * @param port server port
 * @param data the bytes (or text, sent as UTF-8)
 * @param opts transport and timeout (connect and idle limit in ms; UDP default 5000)
 * @returns the bytes received
 * @throws {EchoClientError} as {@link pipe}
 *
 * @example Echo one message off a listener started inside the example
 * ```ts
 * import { echoOnce } from "./client.ts";
 * import { ok } from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = (async () => {
 *   const conn = await listener.accept();
 *   const buf = new Uint8Array(1024);
 *   for (let n; (n = await conn.read(buf)) !== null;) await conn.write(buf.subarray(0, n));
 *   conn.close();
 * })();
 * const echoed = await echoOnce("127.0.0.1", listener.addr.port, "ping", { timeoutMs: 5000 });
 * await serving;
 * listener.close();
 * ok(new TextDecoder().decode(echoed) === "ping");
 * ```
 */
export async function echoOnce(
  hostname: string,
  port: number,
  data: Uint8Array | string,
  opts: { transport?: "tcp" | "udp"; timeoutMs?: number } = {},
): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const transport = opts.transport ?? "tcp";
  const chunks: Uint8Array[] = [];
  await pipe({
    hostname,
    port,
    transport,
    timeoutMs: opts.timeoutMs ?? (transport === "udp" ? 5000 : undefined),
    stdin: ReadableStream.from([bytes]),
    stdout: new WritableStream({ write: (c) => void chunks.push(c) }),
  });
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** The CLI's help text. */
export const CLIENT_USAGE =
  `usage: client [options] HOST PORT        copy stdin to HOST:PORT and the replies to stdout
       client bench [options] HOST PORT  load an echo server and report rates and latency

client options:
  --udp                 UDP: each stdin read is one datagram, each reply is printed
  --eof MODE            at end of stdin: half-close (default: shut the write side, print until the
                        server closes), keep-open (send nothing more, print until the server closes),
                        close (close at once)
  --send TEXT           send TEXT instead of stdin, print the echo, exit (UDP: waits 5 s unless --timeout)
  --timeout SECONDS     connect and idle limit: error and exit 1 on expiry (UDP: quiet exit when every
                        datagram had its reply)
bench options:
  --conns N             connections (default 1)       --threads N       workers (default 1)
  --size BYTES          message size (default 64, stream 65536)
  --duration SECONDS    run time (default 5)          --messages N      messages per connection
  --mode MODE           pingpong (default) or stream  --udp             pingpong over UDP
  --timeout SECONDS     echo wait before counting a timeout or a lost datagram (default 2)
  --json                print the report as JSON
exit codes: 0 ok, 1 runtime failure or a mismatched byte, 2 bad usage`;

/** What the CLI was asked to do: the result of {@link parseClientCommand}. */
export type ClientCommand =
  | { kind: "help" }
  | { kind: "pipe"; options: Omit<PipeOptions, "stdin" | "stdout">; send?: Uint8Array }
  | { kind: "bench"; options: EchoBenchOptions; json: boolean };

function usage(message: string): EchoClientError {
  return new EchoClientError("EUSAGE", message);
}

function number(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0 || (integer && !Number.isSafeInteger(n))) {
    throw usage(`--${flag} needs a positive ${integer ? "integer" : "number"}, got '${text}'`);
  }
  return n;
}

/**
 * Parses a port argument.
 *
 * @param text the argument, e.g. "8000"
 * @returns the port, 1-65535
 * @throws {EchoClientError} `EUSAGE` naming the bad value
 *
 * @example
 * ```ts
 * import { parsePort } from "./client.ts";
 * import { ok, throws } from "node:assert/strict";
 * ok(parsePort("8000") === 8000);
 * throws(() => parsePort("70000"), /bad port: 70000/);
 * ```
 */
export function parsePort(text: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw usage(`bad port: ${text}`);
  return n;
}

/**
 * Turns the CLI's arguments into a {@link ClientCommand}.
 *
 * @param args the arguments after the program name
 * @returns help, a pipe (possibly with `send` bytes) or a bench with its options
 * @throws {EchoClientError} `EUSAGE` with a one-line message for any bad argument
 *
 * @example
 * ```ts
 * import { parseClientCommand } from "./client.ts";
 * import { ok } from "node:assert/strict";
 * const cmd = parseClientCommand(["bench", "--conns", "4", "--json", "::1", "7"]);
 * ok(cmd.kind === "bench" && cmd.options.conns === 4 && cmd.options.hostname === "::1" && cmd.json);
 * ```
 */
export function parseClientCommand(args: string[]): ClientCommand {
  const bench = args[0] === "bench";
  let parsed;
  try {
    parsed = parseArgs({
      args: bench ? args.slice(1) : args,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        udp: { type: "boolean", short: "u" },
        timeout: { type: "string", short: "w" },
        ...(bench
          ? {
            conns: { type: "string", short: "c" },
            size: { type: "string", short: "s" },
            duration: { type: "string", short: "d" },
            messages: { type: "string", short: "n" },
            mode: { type: "string", short: "m" },
            threads: { type: "string", short: "t" },
            json: { type: "boolean" },
          }
          : { eof: { type: "string" }, send: { type: "string" } }),
      },
    });
  } catch (e) {
    // node:util's messages run on with advice after the first sentence; keep the first.
    throw usage(String((e as Error).message).split(". ")[0].replace(/^Unknown/, "unknown"));
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) return { kind: "help" };
  if (parsed.positionals.length !== 2) {
    throw usage(`expected HOST PORT, got ${parsed.positionals.length} argument(s)`);
  }
  const hostname = parsed.positionals[0].replace(/^\[(.*)\]$/, "$1");
  if (hostname === "") throw usage("empty host");
  const port = parsePort(parsed.positionals[1]);
  const timeoutSec = number("timeout", v.timeout as string | undefined, false);
  const transport = v.udp ? "udp" : "tcp";
  if (!bench) {
    const eof = (v.eof as string | undefined) ?? "half-close";
    if (!EOF_MODES.includes(eof as EofMode)) {
      throw usage(`--eof must be one of ${EOF_MODES.join(", ")}, got '${eof}'`);
    }
    const send = v.send === undefined ? undefined : new TextEncoder().encode(v.send as string);
    const timeoutMs = timeoutSec !== undefined
      ? timeoutSec * 1000
      : send && transport === "udp"
      ? 5000
      : undefined;
    return { kind: "pipe", options: { hostname, port, transport, eof: eof as EofMode, timeoutMs }, send };
  }
  const mode = (v.mode as string | undefined) ?? "pingpong";
  if (mode !== "pingpong" && mode !== "stream") {
    throw usage(`--mode must be pingpong or stream, got '${mode}'`);
  }
  if (mode === "stream" && transport === "udp") throw usage("--mode stream needs TCP (drop --udp)");
  const size = number("size", v.size as string | undefined, true);
  if (transport === "udp" && size !== undefined && (size < 4 || size > MAX_UDP_PAYLOAD)) {
    throw usage(`--size must be 4..${MAX_UDP_PAYLOAD} with --udp, got ${size}`);
  }
  return {
    kind: "bench",
    json: v.json === true,
    options: {
      hostname,
      port,
      transport,
      mode,
      size,
      conns: number("conns", v.conns as string | undefined, true),
      threads: number("threads", v.threads as string | undefined, true),
      durationSec: number("duration", v.duration as string | undefined, false),
      messages: number("messages", v.messages as string | undefined, true),
      timeoutMs: timeoutSec === undefined ? undefined : timeoutSec * 1000,
    },
  };
}
