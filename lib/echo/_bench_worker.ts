/**
 * The load engine of {@link runEchoBench}: runs a shard of connections on one thread and tallies what came
 * back. `bench.ts` calls {@link runBenchShard} directly for one thread; for more it starts this file as a
 * module Worker per thread (keep the file name: `deno compile --include` names it), which receives a
 * {@link ShardRequest}, posts {@link ShardProgress} now and then and one {@link ShardDone} (or
 * `{type: "error", code, message}`) at the end.
 *
 * Hot path: each connection owns one receive buffer and a seeded pattern cut into a few precomputed views,
 * so the TCP loops allocate nothing per message beyond what `Deno.Conn` itself does; latency goes into a
 * fixed {@link LatencyHistogram}. Timeouts on TCP are a per-connection watchdog interval (which closes the
 * connection), not a timer per message.
 *
 * @module
 */
import { type HistogramSnapshot, LatencyHistogram } from "./_stats.ts";

/** Error counters of a run; the names are the JSON report's. */
export interface EchoBenchErrors {
  /** Connections that could not be opened. */
  connect: number;
  /** Connections reset or closed by the peer before the echo was complete. */
  reset: number;
  /** Messages (pingpong) or `size`-byte chunks of the echoed stream with at least one wrong byte. */
  mismatch: number;
  /** UDP datagrams with no reply within the timeout. */
  lost: number;
  /** TCP connections abandoned after waiting longer than the timeout for their echo. */
  timeout: number;
}

/** The options a shard runs with: plain data, so they cross `postMessage`. */
export interface ShardOptions {
  hostname: string;
  port: number;
  transport: "tcp" | "udp";
  mode: "pingpong" | "stream";
  size: number;
  /** Stop after this many seconds (Infinity: no limit). */
  durationSec: number;
  /** Messages per connection (Infinity: no limit). */
  messages: number;
  /** Reply timeout (UDP: lost; TCP: timeout). */
  timeoutMs: number;
  seed: number;
  progressIntervalMs: number;
}

/** What the runner sends a worker. */
export interface ShardRequest {
  type: "run";
  options: ShardOptions;
  /** Connection ids of this shard; the id seeds the connection's pattern. */
  connIds: number[];
}

/** Running totals of a shard. */
export interface ShardProgress {
  type: "progress";
  messages: number;
  bytes: number;
  errors: EchoBenchErrors;
}

/** The final tally of a shard. */
export interface ShardDone {
  type: "done";
  messages: number;
  bytes: number;
  errors: EchoBenchErrors;
  /** Seconds from the shard's start to its last connection's end. */
  durationSec: number;
  histogram: HistogramSnapshot;
  /** The first error seen, as text, for a hint ("connection refused: 127.0.0.1:9"). */
  firstError?: string;
}

/** Stop flag shared by a shard's connections. */
export interface StopFlag {
  stopped: boolean;
}

/** Precomputed chunks a pattern stream is cut into: the stream has period CHUNKS * size. */
const CHUNKS = 7;
/** Receive buffer of a stream-mode reader. */
const STREAM_READ = 64 * 1024;
/** A UDP datagram starts with a 4-byte big-endian sequence number. */
const SEQ_LEN = 4;

class Tally {
  messages = 0;
  bytes = 0;
  errors: EchoBenchErrors = { connect: 0, reset: 0, mismatch: 0, lost: 0, timeout: 0 };
  hist = new LatencyHistogram();
  firstError: string | undefined;

  note(e: unknown, where: string): void {
    this.firstError ??= `${describeError(e)}: ${where}`;
  }
}

/**
 * A short readable reason for a socket error ("connection refused", "unknown host").
 *
 * @param e what was thrown
 * @returns a phrase starting in lower case, without the OS error number
 *
 * @example
 * ```ts
 * import { describeError } from "./_bench_worker.ts";
 * import { ok } from "node:assert/strict";
 * ok(describeError(new Deno.errors.ConnectionRefused("Connection refused (os error 111)")) === "connection refused");
 * ok(describeError(new Error("Broken thing (os error 5)")) === "broken thing");
 * ```
 */
export function describeError(e: unknown): string {
  if (e instanceof Deno.errors.ConnectionRefused) return "connection refused";
  if (e instanceof Deno.errors.ConnectionReset) return "connection reset by peer";
  if (e instanceof Deno.errors.BrokenPipe) return "broken pipe";
  if (e instanceof Deno.errors.ConnectionAborted) return "connection aborted";
  if (e instanceof Deno.errors.AddrNotAvailable) return "address not available";
  if (e instanceof Deno.errors.TimedOut) return "timed out";
  const msg = e instanceof Error ? e.message : String(e);
  if (/failed to lookup address|invalid host|Name or service not known|No address associated/i.test(msg)) {
    return "unknown host";
  }
  const text = msg.replace(/ \(os error \d+\)$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Formats host and port as `host:port`, bracketing IPv6 literals.
 *
 * @param hostname a name or an IP literal
 * @param port the port
 * @returns e.g. `127.0.0.1:7` or `[::1]:7`
 *
 * @example
 * ```ts
 * import { formatHostPort } from "./_bench_worker.ts";
 * import { ok } from "node:assert/strict";
 * ok(formatHostPort("::1", 7) === "[::1]:7" && formatHostPort("localhost", 7) === "localhost:7");
 * ```
 */
export function formatHostPort(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}

/**
 * The pattern a connection sends: `CHUNKS * size` seeded pseudo-random bytes (xorshift32), cut into CHUNKS
 * views of `size`; message k is chunk k mod CHUNKS. Two connections with different ids differ, so an echo
 * delivered to the wrong connection is a mismatch; the period of 7 messages catches a lost or repeated one.
 */
class Pattern {
  readonly bytes: Uint8Array;
  readonly chunks: Uint8Array[];

  constructor(seed: number, connId: number, readonly size: number) {
    this.bytes = new Uint8Array(CHUNKS * size);
    let x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(connId + 1, 0xc2b2ae35)) | 0;
    if (x === 0) x = 0x6d2b79f5;
    for (let i = 0; i < this.bytes.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.bytes[i] = x & 0xff;
    }
    this.chunks = [];
    for (let c = 0; c < CHUNKS; c++) this.chunks.push(this.bytes.subarray(c * size, (c + 1) * size));
  }
}

async function writeAll(conn: Deno.Conn, buf: Uint8Array): Promise<void> {
  let off = await conn.write(buf);
  while (off < buf.length) off += await conn.write(buf.subarray(off));
}

/** Closes the connection when it has waited for data longer than the timeout; see {@link tcpPingpong}. */
class Watchdog {
  waitingSince = 0;
  fired = false;
  #timer: ReturnType<typeof setInterval>;

  constructor(conn: Deno.Conn, timeoutMs: number) {
    this.#timer = setInterval(() => {
      if (this.waitingSince > 0 && performance.now() - this.waitingSince > timeoutMs) {
        this.fired = true;
        this.stop();
        try {
          conn.close();
        } catch { /* already closed */ }
      }
    }, Math.max(10, Math.min(250, timeoutMs / 4)));
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Counts the failure of its connection: a timeout when the watchdog closed it, else a reset. */
  count(t: Tally, failure: unknown, o: ShardOptions): void {
    if (this.fired) {
      t.errors.timeout++;
      t.note("timed out waiting for the echo", formatHostPort(o.hostname, o.port));
    } else {
      t.errors.reset++;
      t.note(failure, formatHostPort(o.hostname, o.port));
    }
  }
}

/**
 * Connects with a time limit; resolves undefined (and counts a connect error) on failure.
 */
async function connectTcp(o: ShardOptions, t: Tally): Promise<Deno.TcpConn | undefined> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Deno.errors.TimedOut("connect timed out")), o.timeoutMs);
  try {
    const conn = await Deno.connect({ hostname: o.hostname, port: o.port, signal: ac.signal });
    conn.setNoDelay(true);
    return conn;
  } catch (e) {
    t.errors.connect++;
    t.note(e, formatHostPort(o.hostname, o.port));
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function tcpPingpong(o: ShardOptions, id: number, t: Tally, stop: StopFlag): Promise<void> {
  const conn = await connectTcp(o, t);
  if (!conn) return;
  const pat = new Pattern(o.seed, id, o.size);
  const recv = new Uint8Array(o.size);
  const size = o.size;
  const dog = new Watchdog(conn, o.timeoutMs);
  try {
    for (let k = 0; !stop.stopped && k < o.messages; k++) {
      const msg = pat.chunks[k % CHUNKS];
      const t0 = performance.now();
      dog.waitingSince = t0;
      await writeAll(conn, msg);
      let got = 0;
      while (got < size) {
        // A short read is rare for one message in flight; only then is a subarray view made.
        const n = await conn.read(got === 0 ? recv : recv.subarray(got));
        if (n === null) {
          t.errors.reset++;
          t.note("connection closed by peer", formatHostPort(o.hostname, o.port));
          return;
        }
        got += n;
      }
      t.hist.record((performance.now() - t0) * 1000);
      dog.waitingSince = 0;
      for (let i = 0; i < size; i++) {
        if (recv[i] !== msg[i]) {
          t.errors.mismatch++;
          break;
        }
      }
      t.messages++;
      t.bytes += size;
    }
  } catch (e) {
    dog.count(t, e, o);
  } finally {
    dog.stop();
    try {
      conn.close();
    } catch { /* closed by the watchdog */ }
  }
}

async function tcpStream(o: ShardOptions, id: number, t: Tally, stop: StopFlag): Promise<void> {
  const conn = await connectTcp(o, t);
  if (!conn) return;
  const pat = new Pattern(o.seed, id, o.size);
  const expected = pat.bytes;
  const period = expected.length;
  const size = o.size;
  const recv = new Uint8Array(Math.max(STREAM_READ, size));
  const dog = new Watchdog(conn, o.timeoutMs);
  let written = 0;
  let received = 0;
  let writerDone = false;
  let drained = false; // everything written came back: the reader may be cut
  let lastBad = -1;
  let failed = false; // an error was counted for this connection already

  const writer = (async () => {
    try {
      for (let k = 0; !stop.stopped && k < o.messages; k++) {
        await writeAll(conn, pat.chunks[k % CHUNKS]);
        written += size;
        // Waiting for data only counts while something is in flight.
        if (dog.waitingSince === 0) dog.waitingSince = performance.now();
      }
      await conn.closeWrite();
    } finally {
      writerDone = true;
      if (received >= written) {
        drained = true;
        conn.close();
      }
    }
  })();

  const reader = (async () => {
    let j = 0; // offset in the pattern of the next expected byte
    while (!(writerDone && received >= written)) {
      const n = await conn.read(recv);
      if (n === null) {
        if (received < written) {
          failed = true;
          t.errors.reset++;
          t.note(
            "connection closed by peer before the echo was complete",
            formatHostPort(o.hostname, o.port),
          );
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        if (recv[i] !== expected[j]) {
          const chunk = Math.floor((received + i) / size);
          if (chunk !== lastBad) {
            lastBad = chunk;
            t.errors.mismatch++;
          }
        }
        if (++j === period) j = 0;
      }
      received += n;
      t.bytes += n;
      dog.waitingSince = received < written ? performance.now() : 0;
    }
    drained = true;
  })();

  const [w, r] = await Promise.allSettled([writer, reader]);
  dog.stop();
  try {
    conn.close();
  } catch { /* closed already */ }
  t.messages += Math.floor(received / size);
  const failure = r.status === "rejected" ? r.reason : w.status === "rejected" ? w.reason : undefined;
  if (failure !== undefined && !drained && !failed) {
    dog.count(t, failure, o);
  }
}

async function udpPingpong(o: ShardOptions, id: number, t: Tally, stop: StopFlag): Promise<void> {
  const size = o.size;
  const where = formatHostPort(o.hostname, o.port);
  let sock: Deno.DatagramConn;
  try {
    sock = Deno.listenDatagram({
      transport: "udp",
      hostname: o.hostname.includes(":") ? "::" : "0.0.0.0",
      port: 0,
    });
  } catch (e) {
    t.errors.connect++;
    t.note(e, where);
    return;
  }
  const pat = new Pattern(o.seed, id, size);
  const send = new Uint8Array(size);
  const sendView = new DataView(send.buffer);
  const recv = new Uint8Array(size + 1); // one spare byte shows an oversized reply
  const recvView = new DataView(recv.buffer);
  const addr: Deno.NetAddr = { transport: "udp", hostname: o.hostname, port: o.port };
  const TIMEOUT = Symbol("timeout");
  let pending: Promise<[Uint8Array, Deno.Addr]> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (let k = 0; !stop.stopped && k < o.messages; k++) {
      const msg = pat.chunks[k % CHUNKS];
      send.set(msg);
      const seq = k >>> 0;
      sendView.setUint32(0, seq);
      const t0 = performance.now();
      try {
        await sock.send(send, addr);
      } catch (e) {
        if (k === 0) {
          t.errors.connect++;
          t.note(e, where);
          return;
        }
        throw e;
      }
      for (;;) {
        // A receive outlives a timeout: the next datagram may still land in it, so it is kept and reused.
        pending ??= sock.receive(recv);
        const left = o.timeoutMs - (performance.now() - t0);
        const r = left <= 0 ? TIMEOUT : await Promise.race([
          pending,
          new Promise<typeof TIMEOUT>((res) => timer = setTimeout(() => res(TIMEOUT), left)),
        ]);
        clearTimeout(timer);
        if (r === TIMEOUT) {
          t.errors.lost++;
          break;
        }
        pending = undefined;
        const data = r[0];
        if (data.length >= SEQ_LEN && data.length === size && recvView.getUint32(0) !== seq) {
          const late = ((seq - recvView.getUint32(0)) >>> 0) < 0x80000000;
          if (late) continue; // the echo of a datagram already counted lost
        }
        t.hist.record((performance.now() - t0) * 1000);
        let ok = data.length === size && recvView.getUint32(0) === seq;
        for (let i = SEQ_LEN; ok && i < size; i++) ok = recv[i] === msg[i];
        if (!ok) t.errors.mismatch++;
        t.messages++;
        t.bytes += data.length;
        break;
      }
    }
  } catch (e) {
    t.errors.reset++;
    t.note(e, where);
  } finally {
    clearTimeout(timer);
    sock.close();
    pending?.catch(() => {}); // rejected by close()
  }
}

/**
 * Runs connections until each has sent its messages, the duration is over or `stop.stopped` is set.
 *
 * @param o the resolved options
 * @param connIds ids of the connections to open (each seeds its own pattern)
 * @param stop set `stopped` to end the run early (the loops finish their current message)
 * @param onProgress called every `o.progressIntervalMs` with the running totals
 * @returns the shard's final tally
 *
 * @example Two messages on one connection, on the calling thread
 * ```ts
 * import { runBenchShard } from "./_bench_worker.ts";
 * import { ok } from "node:assert/strict";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = (async () => {
 *   const conn = await listener.accept();
 *   const buf = new Uint8Array(1024);
 *   for (let n; (n = await conn.read(buf)) !== null;) await conn.write(buf.subarray(0, n));
 *   conn.close();
 * })();
 * const done = await runBenchShard({
 *   hostname: "127.0.0.1", port: listener.addr.port, transport: "tcp", mode: "pingpong", size: 16,
 *   durationSec: Infinity, messages: 2, timeoutMs: 5000, seed: 1, progressIntervalMs: 500,
 * }, [0]);
 * await serving;
 * listener.close();
 * ok(done.messages === 2 && done.errors.mismatch === 0 && done.histogram.count === 2);
 * ```
 */
export async function runBenchShard(
  o: ShardOptions,
  connIds: readonly number[],
  stop: StopFlag = { stopped: false },
  onProgress?: (p: ShardProgress) => void,
): Promise<ShardDone> {
  const t = new Tally();
  const start = performance.now();
  const deadline = Number.isFinite(o.durationSec)
    ? setTimeout(() => stop.stopped = true, o.durationSec * 1000)
    : undefined;
  const messagesNow = () => o.mode === "stream" ? Math.floor(t.bytes / o.size) : t.messages;
  const ticker = onProgress
    ? setInterval(
      () =>
        onProgress({ type: "progress", messages: messagesNow(), bytes: t.bytes, errors: { ...t.errors } }),
      o.progressIntervalMs,
    )
    : undefined;
  const one = o.transport === "udp" ? udpPingpong : o.mode === "stream" ? tcpStream : tcpPingpong;
  try {
    await Promise.all(connIds.map((id) => one(o, id, t, stop)));
  } finally {
    clearTimeout(deadline);
    clearInterval(ticker);
  }
  return {
    type: "done",
    messages: t.messages,
    bytes: t.bytes,
    errors: t.errors,
    durationSec: (performance.now() - start) / 1000,
    histogram: t.hist.snapshot(),
    firstError: t.firstError,
  };
}

if (import.meta.main) {
  // Worker mode: one request in, progress and one result out. The runner terminates the worker.
  const scope = self as unknown as {
    postMessage(m: unknown): void;
    onmessage: ((e: MessageEvent) => void) | null;
  };
  const stop: StopFlag = { stopped: false };
  scope.onmessage = (e: MessageEvent) => {
    const msg = e.data as ShardRequest | { type: "stop" };
    if (msg.type === "stop") {
      stop.stopped = true;
      return;
    }
    runBenchShard(msg.options, msg.connIds, stop, (p) => scope.postMessage(p)).then(
      (done) => scope.postMessage(done),
      (err) =>
        scope.postMessage({
          type: "error",
          code: err?.code ?? "EBENCH",
          message: String(err?.message ?? err),
        }),
    );
  };
}
