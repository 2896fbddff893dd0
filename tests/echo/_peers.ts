/**
 * Peers for the echo client, bench and serve tests: small TCP servers written here (echo with an optional
 * fault, answer at EOF, reply and close, silent), a UDP echo, a socat echo in its own process group, a real `serve`
 * process whose stderr is read line by line, in-memory output streams, and the bench report's schema.
 *
 * Every server binds port 0 on loopback and is an `AsyncDisposable`: `await using` closes it and waits for
 * its tasks, so Deno's sanitizers see no leak.
 *
 * @module
 */
import { deepEqual, ok } from "node:assert/strict";
import type { EchoBenchReport } from "../../lib/echo/bench.ts";
import { concat, DENO_RUN, freePort, repoPath } from "../_helpers.ts";
import { until, within } from "./_conformance.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A host name glibc rejects without asking DNS (a 70-byte label), so a test sends nothing off the host. */
export const UNKNOWN_HOST: string = "a".repeat(70) + ".test";

/** Serves one accepted connection; `closing` resolves when the test disposes of the server. */
export type ConnHandler = (conn: Deno.Conn, closing: Promise<void>) => Promise<void>;

/**
 * A TCP listener on port 0 serving each client with `serve`; disposing closes the listener and every open
 * connection, then waits for the handlers.
 *
 * @param serve the per-connection handler (its errors are ignored: a client may reset)
 * @param hostname the address to bind
 * @returns the port and the disposer
 */
export function tcpServer(serve: ConnHandler, hostname = "127.0.0.1"): { port: number } & AsyncDisposable {
  const listener = Deno.listen({ hostname, port: 0 });
  const { promise: closing, resolve: close } = Promise.withResolvers<void>();
  const tasks: Promise<void>[] = [];
  const open = new Set<Deno.Conn>();
  const closeConn = (conn: Deno.Conn) => {
    try {
      conn.close();
    } catch { /* closed by the handler */ }
  };
  const loop = (async () => {
    try {
      for await (const conn of listener) {
        open.add(conn);
        tasks.push(
          serve(conn, closing).catch(() => {}).finally(() => {
            open.delete(conn);
            closeConn(conn);
          }),
        );
      }
    } catch { /* listener closed */ }
  })();
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      close();
      listener.close();
      await loop;
      for (const c of open) closeConn(c);
      await Promise.all(tasks);
    },
  };
}

/** Faults {@link echoHandler} can inject. */
export interface EchoFaults {
  /** XOR the byte at this stream offset with `mask`. */
  corruptAt?: number;
  /** The XOR mask for `corruptAt`; default 0xff. */
  mask?: number;
  /** Close the connection instead of echoing a read that would pass this many bytes. */
  closeAfter?: number;
}

/**
 * An echo handler for {@link tcpServer}: a plain read/write loop with one 64 KiB buffer, plus optional faults.
 *
 * @param faults what to get wrong, if anything
 * @returns the handler
 */
export function echoHandler(faults: EchoFaults = {}): ConnHandler {
  const { corruptAt, mask = 0xff, closeAfter } = faults;
  return async (conn) => {
    const buf = new Uint8Array(64 * 1024);
    let pos = 0;
    for (let n; (n = await conn.read(buf)) !== null;) {
      if (corruptAt !== undefined && corruptAt >= pos && corruptAt < pos + n) buf[corruptAt - pos] ^= mask;
      if (closeAfter !== undefined && pos + n > closeAfter) break;
      pos += n;
      let off = 0;
      while (off < n) off += await conn.write(buf.subarray(off, n));
    }
  };
}

/** Echoes every byte back until EOF. */
export const echoConn: ConnHandler = echoHandler();

/** Reads to EOF, then answers with the byte count: only a half-close gets an answer. */
export async function answerAtEof(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(4096);
  let total = 0;
  for (let n; (n = await conn.read(buf)) !== null;) total += n;
  await conn.write(enc.encode(`got ${total} bytes\n`));
}

/** Answers the first read with "bye " and what it read, and closes without waiting for EOF. */
export async function replyThenClose(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  if (n !== null) await conn.write(enc.encode(`bye ${dec.decode(buf.subarray(0, n))}`));
}

/** Accepts, never reads, never answers, never closes until the test ends: a client's timeout must act. */
export async function silent(_conn: Deno.Conn, closing: Promise<void>): Promise<void> {
  await closing;
}

/**
 * A UDP echo on port 0 written here: each datagram (up to 65536 bytes) goes back to its sender.
 *
 * @param opts `hostname` to bind (default 127.0.0.1); `drop(i)` true drops the i-th datagram (0-based);
 *   `seen` is told every datagram received, dropped or not (a view valid during the call)
 * @returns the port and the disposer
 */
export function udpEcho(
  opts: { hostname?: string; drop?: (i: number) => boolean; seen?: (datagram: Uint8Array) => void } = {},
): { port: number } & AsyncDisposable {
  const sock = Deno.listenDatagram({ transport: "udp", hostname: opts.hostname ?? "127.0.0.1", port: 0 });
  const loop = (async () => {
    const buf = new Uint8Array(65536);
    try {
      for (let i = 0;; i++) {
        const [d, from] = await sock.receive(buf);
        opts.seen?.(d);
        if (!opts.drop?.(i)) await sock.send(d, from);
      }
    } catch { /* closed */ }
  })();
  return {
    port: (sock.addr as Deno.NetAddr).port,
    async [Symbol.asyncDispose]() {
      sock.close();
      await loop;
    },
  };
}

/** Whether an echo answers on 127.0.0.1:`port` now (a TCP connect, or a UDP datagram and its echo). */
async function answers(kind: "tcp" | "udp", port: number): Promise<boolean> {
  try {
    if (kind === "tcp") {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    }
    const sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const timer = setTimeout(() => sock.close(), 100);
    try {
      await sock.send(enc.encode("probe"), { transport: "udp", hostname: "127.0.0.1", port });
      const [data] = await sock.receive();
      return dec.decode(data) === "probe";
    } finally {
      clearTimeout(timer);
      try {
        sock.close();
      } catch { /* closed by the timer */ }
    }
  } catch {
    return false;
  }
}

/**
 * Starts a socat echo on a free port of 127.0.0.1 and waits (bounded) until it answers. It runs in its own
 * process group (setsid), so disposing of it ends the children it forked too. Needs `socat` and `setsid`.
 *
 * @param kind TCP (`fork` and `EXEC:cat`) or UDP (`UDP4-RECVFROM` and `PIPE`)
 * @returns the port and the disposer
 */
export async function socatEcho(kind: "tcp" | "udp"): Promise<{ port: number } & AsyncDisposable> {
  const port = freePort(kind);
  const listen = `${kind === "tcp" ? "TCP4-LISTEN" : "UDP4-RECVFROM"}:${port},bind=127.0.0.1,reuseaddr,fork`;
  // TCP echoes through `cat`: socat's own PIPE deadlocks under streaming load (it blocks writing a full pipe
  // only it reads). UDP uses RECVFROM: UDP-LISTEN,fork drops a new peer's datagram while it re-binds.
  const child = new Deno.Command("setsid", {
    args: ["socat", "-T", "3", listen, kind === "tcp" ? "EXEC:cat" : "PIPE"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      Deno.kill(-child.pid, "SIGTERM");
    } catch { /* exited */ }
    await child.status;
  };
  for (let i = 0; !await answers(kind, port); i++) {
    if (i === 100) {
      await stop();
      throw new Error(`socat did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, [Symbol.asyncDispose]: stop };
}

/**
 * Splits a byte stream into text lines, pushing each complete line (and a last unterminated one) to `lines`.
 *
 * @param stream a child's stdout or stderr
 * @param lines where the lines go, as they arrive
 * @returns a promise settled at the end of the stream
 */
export async function collectLines(stream: ReadableStream<Uint8Array>, lines: string[]): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    lines.push(...parts);
  }
  if (rest) lines.push(rest);
}

/** A real `cmd/serve.ts` process with its stderr collected line by line; disposing kills it if still up. */
export class ServeProcess implements AsyncDisposable {
  readonly lines: string[] = [];
  #child: Deno.ChildProcess;
  #reader: Promise<void>;
  #status: Deno.CommandStatus | undefined;

  /**
   * @param args serve's flags
   * @param denoArgs how deno runs it (default: every permission)
   */
  constructor(args: string[], denoArgs: string[] = DENO_RUN) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [...denoArgs, repoPath("cmd/serve.ts"), ...args],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    this.#reader = collectLines(this.#child.stderr, this.lines);
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** The port from the listening line (text or JSON), once it was printed. */
  async port(): Promise<number> {
    const isListening = (l: string) => l.startsWith("listening on") || l.includes('"type":"listening"');
    await until(() => this.lines.some(isListening), `listening line in ${this.lines}`);
    const line = this.lines.find(isListening)!;
    return line.startsWith("{") ? JSON.parse(line).addr.port : Number(line.match(/:(\d+) \(/)![1]);
  }

  /** Sends `signal` and waits (bounded) for the exit and the last stderr line. */
  async stop(signal: Deno.Signal): Promise<Deno.CommandStatus> {
    this.#child.kill(signal);
    this.#status = await within(this.#child.status, "serve to exit");
    await this.#reader;
    return this.#status;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#status) return;
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
    this.#status = await this.#child.status;
    await this.#reader;
  }
}

/**
 * Runs a program with `input` on its stdin, written while its output is read (so a large echo cannot
 * deadlock); killed after `timeoutMs`. A program that exits without reading all its input is not an error.
 *
 * @param cmd the program
 * @param args its arguments
 * @param input the stdin bytes (or text)
 * @param timeoutMs the bound on the whole run
 * @returns the exit code, stdout bytes and stderr text
 */
export async function runWithInput(
  cmd: string,
  args: string[],
  input: string | Uint8Array,
  timeoutMs = 30_000,
): Promise<{ code: number; stdout: Uint8Array; stderr: string }> {
  const child = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "piped" }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, timeoutMs);
  try {
    const writer = (async () => {
      const w = child.stdin.getWriter();
      await w.write(typeof input === "string" ? enc.encode(input) : input).catch(() => {});
      await w.close().catch(() => {});
    })();
    const [out] = await Promise.all([child.output(), writer]);
    return { code: out.code, stdout: out.stdout, stderr: dec.decode(out.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A writable stream that keeps a copy of every chunk (a writer may reuse its buffer), for a `stdout`.
 *
 * @returns the stream and what it got, as bytes or text
 */
export function sink(): { stdout: WritableStream<Uint8Array>; bytes: () => Uint8Array; text: () => string } {
  const chunks: Uint8Array[] = [];
  const bytes = () => concat(...chunks);
  return {
    stdout: new WritableStream({ write: (c) => void chunks.push(c.slice()) }),
    bytes,
    text: () => dec.decode(bytes()),
  };
}

/**
 * Checks every field of a bench JSON report: names, order and types, as other tools rely on them.
 *
 * @param r a parsed report
 */
export function checkReportSchema(r: unknown): asserts r is EchoBenchReport {
  const o = r as Record<string, unknown>;
  deepEqual(Object.keys(o), [
    "transport",
    "mode",
    "conns",
    "threads",
    "size",
    "durationSec",
    "messages",
    "bytes",
    "msgsPerSec",
    "mbPerSec",
    "latencyUs",
    "errors",
  ]);
  ok(o.transport === "tcp" || o.transport === "udp");
  ok(o.mode === "pingpong" || o.mode === "stream");
  for (const k of ["conns", "threads", "size", "messages", "bytes"]) {
    ok(Number.isSafeInteger(o[k]) && o[k] as number >= 0, k);
  }
  for (const k of ["durationSec", "msgsPerSec", "mbPerSec"]) {
    ok(typeof o[k] === "number" && o[k] as number >= 0, k);
  }
  const l = o.latencyUs as Record<string, unknown>;
  deepEqual(Object.keys(l), ["p50", "p90", "p99", "p999", "min", "max", "mean"]);
  for (const v of Object.values(l)) ok(typeof v === "number" && Number.isFinite(v) && v >= 0);
  const e = o.errors as Record<string, unknown>;
  deepEqual(Object.keys(e), ["connect", "reset", "mismatch", "lost", "timeout"]);
  for (const v of Object.values(e)) ok(Number.isSafeInteger(v) && (v as number) >= 0);
}
