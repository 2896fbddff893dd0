/**
 * One conformance suite for every TCP echo server model, as hono runs one suite against every router. Each
 * `<model>_test.ts` calls {@link conformance}; a case a model cannot pass by design is registered as skipped
 * with the reason written down.
 *
 * Every case binds port 0 on loopback, talks to the server with real sockets, and bounds every wait.
 *
 * @module
 */
import assert from "node:assert/strict";
import { serveEcho } from "../../lib/echo/serve.ts";
import type { EchoEvent, EchoModel, EchoServer, EchoServerOptions, EchoStats } from "../../lib/echo/types.ts";
import { testIf } from "../_helpers.ts";

/** The longest any single wait in these tests may take. */
export const WAIT_MS = 20_000;

/** Rejects with a message naming `what` when `promise` is not settled within `ms`. */
export async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `cond` every 20 ms until it holds; fails naming `what` after {@link WAIT_MS}. */
export async function until(cond: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A seeded PRNG (mulberry32), so a failing random case can be replayed. */
export function seededBytes(seed: number, length: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Index of the first byte where `a` and `b` differ, or -1 when equal (cheaper than deepEqual on MiBs). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Writes all of `bytes`, in chunks of at most `chunk` bytes. */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array, chunk = 256 * 1024): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    off += await conn.write(bytes.subarray(off, Math.min(off + chunk, bytes.length)));
  }
}

/** Reads exactly `n` bytes; fails on an early EOF. */
export async function readExactly(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) throw new Error(`EOF after ${got} of ${n} bytes`);
    got += r;
  }
  return out;
}

/** Reads until EOF or a reset; returns whether it was a clean EOF. */
export async function readToEnd(conn: Deno.Conn): Promise<"eof" | "reset"> {
  const buf = new Uint8Array(64 * 1024);
  try {
    while (await conn.read(buf) !== null) { /* drain */ }
    return "eof";
  } catch (err) {
    if (err instanceof Deno.errors.ConnectionReset) return "reset";
    throw err;
  }
}

/**
 * Connects, sends `payload` while reading its echo, half-closes, and checks the echo and the server's EOF.
 *
 * @returns the echoed bytes
 */
export async function echoOnce(
  addr: Deno.NetAddr,
  payload: Uint8Array,
  hostname = "127.0.0.1",
): Promise<void> {
  const conn = await Deno.connect({ hostname, port: addr.port });
  try {
    const [, echoed] = await within(
      Promise.all([writeAll(conn, payload), readExactly(conn, payload.length)]),
      `echo of ${payload.length} bytes`,
    );
    assert.equal(firstDifference(echoed, payload), -1, `echo of ${payload.length} bytes differs`);
    await conn.closeWrite();
    const rest = new Uint8Array(16);
    assert.equal(
      await within(conn.read(rest), "EOF after half-close"),
      null,
      "server sent bytes after the echo",
    );
  } finally {
    conn.close();
  }
}

/** A server for one case, with its events recorded. */
export async function startServer(
  model: EchoModel,
  options: EchoServerOptions,
): Promise<{ server: EchoServer; events: EchoEvent[] }> {
  const events: EchoEvent[] = [];
  const server = await serveEcho({
    hostname: "127.0.0.1",
    port: 0,
    graceMs: 1000,
    ...options,
    model,
    onEvent: (e) => events.push(e),
  });
  return { server, events };
}

function statsMatch(s: EchoStats, want: Partial<EchoStats>): boolean {
  return Object.entries(want).every(([k, v]) => s[k as keyof EchoStats] === v);
}

/**
 * Registers the conformance cases for one model.
 *
 * @param model the model under test
 * @param extra options every case adds (e.g. `threads`)
 */
export function conformance(model: EchoModel, extra: EchoServerOptions = {}): void {
  const name = (what: string) => `${model}: ${what}`;
  const serial = model === "sequential"
    ? "the sequential model serves one client at a time by design"
    : undefined;

  const withServer = (
    what: string,
    options: EchoServerOptions,
    body: (server: EchoServer, events: EchoEvent[]) => Promise<void>,
    skip?: string,
  ) =>
    testIf(name(what), skip, async () => {
      const { server, events } = await startServer(model, { ...extra, ...options });
      try {
        await body(server, events);
      } finally {
        await server.close();
      }
    });

  withServer("echoes payloads of 1 B, 1 KiB, 64 KiB, 1 MiB and 8 MiB exactly", {}, async (server) => {
    for (const size of [1, 1024, 64 * 1024, 1 << 20, 8 << 20]) {
      await echoOnce(server.addr, seededBytes(size, size));
    }
  });

  withServer("echoes all 256 byte values", {}, async (server) => {
    const all = Uint8Array.from({ length: 256 * 4 }, (_, i) => i & 0xff);
    await echoOnce(server.addr, all);
  });

  withServer("echoes seeded random binary written in random-sized pieces", {}, async (server) => {
    const payload = seededBytes(0x5eed, 300_000);
    const sizes = seededBytes(7, 4096);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    try {
      const writer = (async () => {
        let off = 0, i = 0;
        while (off < payload.length) {
          const n = Math.min(1 + sizes[i++ % sizes.length] * 37, payload.length - off);
          await writeAll(conn, payload.subarray(off, off + n));
          off += n;
        }
      })();
      const [, echoed] = await within(
        Promise.all([writer, readExactly(conn, payload.length)]),
        "random echo",
      );
      assert.equal(firstDifference(echoed, payload), -1);
    } finally {
      conn.close();
    }
  });

  withServer(
    "serves 200 concurrent clients with distinct data and no cross-talk",
    {},
    async (server) => {
      await within(
        Promise.all(
          Array.from({ length: 200 }, (_, i) => echoOnce(server.addr, seededBytes(i + 1, 1000 + i * 17))),
        ),
        "200 clients",
      );
    },
  );

  withServer("echoes everything left after a client's half-close, then closes", {}, async (server) => {
    const payload = seededBytes(42, 200_000);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    try {
      // Send everything and half-close before reading a byte: the echo must still arrive in full, then EOF.
      const reader = readExactly(conn, payload.length);
      await within(writeAll(conn, payload), "write before half-close");
      await conn.closeWrite();
      const echoed = await within(reader, "echo after half-close");
      assert.equal(firstDifference(echoed, payload), -1);
      assert.equal(await within(conn.read(new Uint8Array(8)), "EOF"), null);
    } finally {
      conn.close();
    }
  });

  withServer("survives a client that resets mid-stream", {}, async (server, events) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    // Send without reading, then close with the echo unread: the kernel answers with RST.
    await within(writeAll(conn, seededBytes(3, 256 * 1024)), "write before reset");
    await until(() => events.some((e) => e.type === "connect"), "the server to accept");
    conn.close();
    await until(() => events.some((e) => e.type === "disconnect"), "the server to see the reset");
    const gone = events.find((e) => e.type === "disconnect");
    assert.ok(
      gone && gone.type === "disconnect" && ["reset", "closed"].includes(gone.reason),
      JSON.stringify(gone),
    );
    await echoOnce(server.addr, seededBytes(4, 10_000));
  });

  withServer(
    "keeps serving others while a client sends MiBs and never reads, holding at most one buffer for it",
    {},
    async (server) => {
      const hog = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      const flood = seededBytes(5, 1 << 20);
      let sent = 0;
      const writer = (async () => {
        try {
          for (let i = 0; i < 6; i++) {
            await writeAll(hog, flood);
            sent += flood.length;
          }
        } catch { /* cut when the test closes it */ }
      })();
      try {
        await until(() => server.stats().bytesIn > 0, "the hog's bytes to arrive");
        await echoOnce(server.addr, seededBytes(6, 100_000));
        // Backpressure: the server reads a chunk only after it wrote the previous one back.
        const s = server.stats();
        assert.ok(
          s.bytesIn - s.bytesOut <= 64 * 1024,
          `server holds ${s.bytesIn - s.bytesOut} unechoed bytes`,
        );
        assert.ok(s.bytesIn <= sent + flood.length);
      } finally {
        hog.close();
        await within(writer, "the hog's writer to stop");
      }
      await echoOnce(server.addr, seededBytes(7, 1000));
    },
    serial && `${serial}: a client that never reads holds the server until it leaves`,
  );

  withServer(
    "sends the banner on connect, before any echo",
    { banner: "welcome to netkit\n" },
    async (server) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      try {
        const banner = await within(readExactly(conn, 18), "banner");
        assert.equal(new TextDecoder().decode(banner), "welcome to netkit\n");
        await writeAll(conn, new TextEncoder().encode("ping"));
        assert.equal(new TextDecoder().decode(await within(readExactly(conn, 4), "echo")), "ping");
      } finally {
        conn.close();
      }
      await until(() => statsMatch(server.stats(), { bytesIn: 4, bytesOut: 22 }), "banner bytes counted");
    },
  );

  withServer(
    "accepts and closes at once a client over max-conns, and logs it",
    // Each child process enforces the limit on its own clients, so run one child for an exact limit.
    { maxConns: 2, ...(model === "processes" ? { threads: 1 } : {}) },
    async (server, events) => {
      const a = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      const b = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      try {
        for (const c of [a, b]) {
          await writeAll(c, new Uint8Array([1, 2, 3]));
          await within(readExactly(c, 3), "echo under the limit");
        }
        const over = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
        try {
          await within(readToEnd(over), "the server to close the client over the limit");
        } finally {
          over.close();
        }
        await until(() => events.some((e) => e.type === "rejected"), "a rejected event");
        await until(() => server.stats().rejected === 1, "stats.rejected === 1");
      } finally {
        a.close();
        b.close();
      }
      // A slot frees when a client leaves.
      await until(() => server.stats().active === 0, "active to drop to 0");
      await echoOnce(server.addr, new Uint8Array([9]));
    },
    serial && `${serial}: there is never more than one client to limit`,
  );

  withServer("closes a client idle for idleTimeoutMs", { idleTimeoutMs: 300 }, async (server, events) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    try {
      await writeAll(conn, new Uint8Array([1]));
      await within(readExactly(conn, 1), "echo before idling");
      assert.equal(await within(readToEnd(conn), "the idle cut"), "eof");
    } finally {
      conn.close();
    }
    await until(() => events.some((e) => e.type === "disconnect"), "the disconnect event");
    const gone = events.find((e) => e.type === "disconnect");
    assert.ok(gone?.type === "disconnect" && gone.reason === "idle", JSON.stringify(gone));
    assert.ok(gone.bytesIn === 1 && gone.bytesOut === 1);
  });

  withServer("counts clients and bytes in stats(), and close() returns them", {}, async (server) => {
    for (const size of [10, 20, 30]) await echoOnce(server.addr, seededBytes(size, size));
    const want = { clients: 3, active: 0, rejected: 0, bytesIn: 60, bytesOut: 60 };
    await until(() => statsMatch(server.stats(), want), `stats ${JSON.stringify(want)}`);
    assert.deepEqual(await server.close(), want);
  });

  withServer(
    "logs connect and disconnect with the client's address and byte counts",
    {},
    async (server, events) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      const local = conn.localAddr as Deno.NetAddr;
      await writeAll(conn, new Uint8Array(5));
      await within(readExactly(conn, 5), "echo");
      conn.close();
      await until(() => events.some((e) => e.type === "disconnect"), "disconnect event");
      const connect = events.find((e) => e.type === "connect");
      const disconnect = events.find((e) => e.type === "disconnect");
      assert.ok(connect?.type === "connect" && connect.remote.port === local.port);
      assert.ok(disconnect?.type === "disconnect" && disconnect.remote.port === local.port);
      assert.equal(disconnect.bytesIn, 5);
      assert.equal(disconnect.bytesOut, 5);
      assert.equal(events[0].type === "listening" || events[0].type === "worker-start", true);
    },
  );

  testIf(name("serves an IPv4 and an IPv6 client on the dual-stack address ::"), undefined, async () => {
    const { server } = await startServer(model, { ...extra, hostname: "::" });
    try {
      await echoOnce(server.addr, new TextEncoder().encode("over IPv4"), "127.0.0.1");
      await echoOnce(server.addr, new TextEncoder().encode("over IPv6"), "::1");
    } finally {
      await server.close();
    }
  });

  testIf(name("close() cuts a client still open after the grace period"), undefined, async () => {
    const { server, events } = await startServer(model, { ...extra, graceMs: 200 });
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    try {
      await writeAll(conn, new Uint8Array([1]));
      await within(readExactly(conn, 1), "echo");
      await within(server.close(), "close with a client open");
      assert.equal(await within(readToEnd(conn), "the cut"), "eof");
      await within(server.closed, "closed");
      // Events from workers and children travel by message: the last one may land just after close().
      await until(() => events.some((e) => e.type === "disconnect"), "the disconnect event");
      const gone = events.find((e) => e.type === "disconnect");
      assert.ok(gone?.type === "disconnect" && gone.reason === "shutdown", JSON.stringify(gone));
    } finally {
      conn.close();
      await server.close();
    }
  });
}
