import { deepEqual, equal, match, ok } from "node:assert/strict";
import { main } from "../../cmd/client.ts";
import { needCommands, repoPath, testIf } from "../_helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
/** The compiled client gets `--allow-net --allow-read` only: the process tests run with exactly those. */
const CLIENT = ["run", "--unstable-net", "--allow-net", "--allow-read", "--quiet", repoPath("cmd/client.ts")];
/** A name glibc rejects without asking DNS (a 70-byte label). */
const UNKNOWN_HOST = "a".repeat(70) + ".test";

/** Runs the client as a real process with binary stdin; returns its exit code, stdout bytes and stderr. */
async function client(
  args: string[],
  stdin: string | Uint8Array = "",
): Promise<{ code: number; out: Uint8Array; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...CLIENT, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const w = child.stdin.getWriter();
    await w.write(typeof stdin === "string" ? enc.encode(stdin) : stdin).catch(() => {});
    await w.close().catch(() => {});
    const o = await child.output();
    return { code: o.code, out: o.stdout, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts a one-line `client: ...` error, no stack trace. */
function oneLineError(stderr: string, re: RegExp): void {
  match(stderr, /^client: [^\n]+\n$/);
  match(stderr, re);
}

function closedPort(hostname = "127.0.0.1"): number {
  const l = Deno.listen({ hostname, port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** A TCP listener on port 0 serving each client with `serve`; disposing closes everything and waits. */
function tcpServer(
  serve: (conn: Deno.Conn, closing: Promise<void>) => Promise<void>,
  hostname = "127.0.0.1",
) {
  const listener = Deno.listen({ hostname, port: 0 });
  const { promise: closing, resolve: close } = Promise.withResolvers<void>();
  const tasks: Promise<void>[] = [];
  const open = new Set<Deno.Conn>();
  const loop = (async () => {
    try {
      for await (const conn of listener) {
        open.add(conn);
        tasks.push(
          serve(conn, closing).catch(() => {}).finally(() => {
            open.delete(conn);
            try {
              conn.close();
            } catch { /* closed */ }
          }),
        );
      }
    } catch { /* closed */ }
  })();
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      close();
      listener.close();
      await loop;
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await Promise.all(tasks);
    },
  };
}

/** Echoes; `flip` inverts the byte at that stream offset. */
function echo(flip?: number) {
  return async (conn: Deno.Conn) => {
    const buf = new Uint8Array(64 * 1024);
    let pos = 0;
    for (let n; (n = await conn.read(buf)) !== null;) {
      if (flip !== undefined && flip >= pos && flip < pos + n) buf[flip - pos] ^= 1;
      pos += n;
      let off = 0;
      while (off < n) off += await conn.write(buf.subarray(off, n));
    }
  };
}

/** Reads to EOF, then answers with the byte count: only a half-close gets an answer. */
async function answerAtEof(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(4096);
  let total = 0;
  for (let n; (n = await conn.read(buf)) !== null;) total += n;
  await conn.write(enc.encode(`got ${total} bytes\n`));
}

/** Answers the first read and closes without waiting for EOF. */
async function replyThenClose(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  if (n !== null) await conn.write(enc.encode(`bye ${dec.decode(buf.subarray(0, n))}`));
}

/** Accepts and never reads, answers or closes until the test ends. */
async function silent(_conn: Deno.Conn, closing: Promise<void>): Promise<void> {
  await closing;
}

async function socat(kind: "tcp" | "udp"): Promise<{ port: number } & AsyncDisposable> {
  const probe = kind === "tcp"
    ? Deno.listen({ hostname: "127.0.0.1", port: 0 })
    : Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const listen = `${kind === "tcp" ? "TCP4-LISTEN" : "UDP4-RECVFROM"}:${port},bind=127.0.0.1,reuseaddr,fork`;
  // TCP echoes through `cat`: socat's own PIPE deadlocks under streaming load (it blocks writing a full pipe
  // only it reads). UDP uses RECVFROM: UDP-LISTEN,fork drops a new peer's datagram while it re-binds. socat
  // runs in its own process group (setsid) so that stopping it also ends the children it forked.
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
  for (let i = 0;; i++) {
    const args = [
      ...(kind === "udp" ? ["--udp"] : []),
      "--send",
      "probe",
      "--timeout",
      "0.2",
      "127.0.0.1",
      `${port}`,
    ];
    const err = sink();
    if (
      await main(args, { stdin: ReadableStream.from([]), stdout: sink().stdout, stderr: err.stdout }) === 0
    ) break;
    if (i === 100) {
      await stop();
      throw new Error(`socat did not start on port ${port}: ${err.text()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, [Symbol.asyncDispose]: stop };
}

function sink(): { stdout: WritableStream<Uint8Array>; text: () => string } {
  const chunks: Uint8Array[] = [];
  return {
    stdout: new WritableStream({ write: (c) => void chunks.push(c.slice()) }),
    text: () => chunks.map((c) => dec.decode(c, { stream: true })).join(""),
  };
}

/** Calls main() with injected streams. */
async function callMain(
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await main(args, {
    stdin: ReadableStream.from(stdin === "" ? [] : [enc.encode(stdin)]),
    stdout: out.stdout,
    stderr: err.stdout,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

const REPORT_KEYS = [
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
];

/** Checks the --json report field by field. */
function checkJson(
  text: string,
  want: { transport: string; mode: string; conns: number; threads: number; size: number },
) {
  const r = JSON.parse(text);
  deepEqual(Object.keys(r), REPORT_KEYS);
  equal(r.transport, want.transport);
  equal(r.mode, want.mode);
  equal(r.conns, want.conns);
  equal(r.threads, want.threads);
  equal(r.size, want.size);
  for (const k of ["durationSec", "msgsPerSec", "mbPerSec"]) ok(typeof r[k] === "number" && r[k] >= 0, k);
  for (const k of ["messages", "bytes"]) ok(Number.isSafeInteger(r[k]) && r[k] >= 0, k);
  deepEqual(Object.keys(r.latencyUs), ["p50", "p90", "p99", "p999", "min", "max", "mean"]);
  for (const v of Object.values(r.latencyUs)) ok(typeof v === "number" && v >= 0);
  deepEqual(Object.keys(r.errors), ["connect", "reset", "mismatch", "lost", "timeout"]);
  for (const v of Object.values(r.errors)) ok(Number.isSafeInteger(v) && (v as number) >= 0);
  return r;
}

// ---- main() with injected streams ----

Deno.test("main() pipes injected stdin through a TCP echo to injected stdout", async () => {
  await using server = tcpServer(echo());
  const r = await callMain(["127.0.0.1", `${server.port}`], "hello main\n");
  deepEqual(r, { code: 0, stdout: "hello main\n", stderr: "" });
});

Deno.test("main() prints help and exits 0", async () => {
  const r = await callMain(["--help"]);
  equal(r.code, 0);
  match(r.stdout, /^usage: client/);
  match(r.stdout, /--eof MODE/);
});

Deno.test("main() exits 2 with one line on bad usage and 1 on a refused connection", async () => {
  for (
    const [args, re] of [
      [["--nope", "h", "1"], /unknown option '--nope'/],
      [["127.0.0.1", "0"], /bad port: 0/],
      [["127.0.0.1"], /expected HOST PORT/],
      [["bench", "--mode", "x", "h", "1"], /--mode must be/],
    ] as const
  ) {
    const r = await callMain([...args]);
    equal(r.code, 2, args.join(" "));
    oneLineError(r.stderr, re);
  }
  const port = closedPort();
  const r = await callMain(["127.0.0.1", `${port}`], "x");
  equal(r.code, 1);
  equal(r.stderr, `client: connection refused: 127.0.0.1:${port}\n`);
});

Deno.test("main() bench --json prints the report and exits 0", async () => {
  await using server = tcpServer(echo());
  const r = await callMain([
    "bench",
    "--json",
    "--conns",
    "2",
    "--messages",
    "20",
    "127.0.0.1",
    `${server.port}`,
  ]);
  equal(r.code, 0, r.stderr);
  const report = checkJson(r.stdout, { transport: "tcp", mode: "pingpong", conns: 2, threads: 1, size: 64 });
  equal(report.messages, 40);
  const table = await callMain(["bench", "--messages", "5", "127.0.0.1", `${server.port}`]);
  equal(table.code, 0);
  match(table.stdout, /msgs\/s/);
  match(table.stdout, /mismatch 0/);
});

Deno.test("main() bench exits 1 with a hint when nothing could connect", async () => {
  const port = closedPort();
  const r = await callMain(["bench", "--messages", "1", "127.0.0.1", `${port}`]);
  equal(r.code, 1);
  equal(r.stderr, `client: no message was echoed (connection refused: 127.0.0.1:${port})\n`);
});

Deno.test("main() bench draws a progress line on a terminal stderr and clears it", async () => {
  await using server = tcpServer(echo());
  const out = sink();
  const err = sink();
  const code = await main(["bench", "--messages", "10", "127.0.0.1", `${server.port}`], {
    stdin: ReadableStream.from([]),
    stdout: out.stdout,
    stderr: err.stdout,
    stderrIsTerminal: true,
  });
  equal(code, 0);
  ok(err.text().endsWith("\r\x1b[K"), JSON.stringify(err.text()));
  match(out.text(), /messages {3}10 /);
});

// ---- the real process ----

testIf(
  "client copies stdin text to a socat echo and prints it",
  needCommands("socat", "setsid"),
  async () => {
    await using server = await socat("tcp");
    const r = await client(["127.0.0.1", `${server.port}`], "line one\nline two\n");
    equal(r.stderr, "");
    equal(r.code, 0);
    equal(r.stdout, "line one\nline two\n");
  },
);

Deno.test("client echoes 1 MiB of binary stdin byte for byte", async () => {
  await using server = tcpServer(echo());
  const data = new Uint8Array(1 << 20);
  for (let off = 0; off < data.length; off += 65536) crypto.getRandomValues(data.subarray(off, off + 65536));
  const r = await client(["127.0.0.1", `${server.port}`], data);
  equal(r.code, 0, r.stderr);
  equal(r.out.length, data.length);
  ok(r.out.every((b, i) => b === data[i]), "echo differs");
});

Deno.test("client --eof half-close (default) lets a server that answers at EOF answer", async () => {
  await using server = tcpServer(answerAtEof);
  const r = await client(["127.0.0.1", `${server.port}`], "12345678");
  deepEqual([r.code, r.stdout, r.stderr], [0, "got 8 bytes\n", ""]);
  const explicit = await client(["--eof", "half-close", "127.0.0.1", `${server.port}`], "1234");
  equal(explicit.stdout, "got 4 bytes\n");
});

Deno.test("client --eof keep-open prints until the server closes and never half-closes", async () => {
  {
    await using server = tcpServer(replyThenClose);
    const r = await client(["--eof", "keep-open", "127.0.0.1", `${server.port}`], "ping");
    deepEqual([r.code, r.stdout, r.stderr], [0, "bye ping", ""]);
  }
  await using waiting = tcpServer(answerAtEof);
  const r = await client(["--eof", "keep-open", "--timeout", "0.3", "127.0.0.1", `${waiting.port}`], "ping");
  equal(r.code, 1);
  equal(r.stdout, "");
  oneLineError(r.stderr, /^client: timed out: no data for 0\.3s: 127\.0\.0\.1:\d+\n$/);
});

Deno.test("client --eof close closes at end of input without waiting for an answer", async () => {
  await using server = tcpServer(answerAtEof);
  const r = await client(["--eof", "close", "127.0.0.1", `${server.port}`], "abc");
  deepEqual([r.code, r.stdout, r.stderr], [0, "", ""]);
});

testIf("client --send works over TCP and UDP", needCommands("socat", "setsid"), async () => {
  {
    await using tcp = await socat("tcp");
    const r = await client(["--send", "one shot", "127.0.0.1", `${tcp.port}`]);
    deepEqual([r.code, r.stdout, r.stderr], [0, "one shot", ""]);
  }
  await using udp = await socat("udp");
  const r = await client(["--udp", "--send", "one datagram", "127.0.0.1", `${udp.port}`]);
  deepEqual([r.code, r.stdout, r.stderr], [0, "one datagram", ""]);
});

Deno.test("client --udp sends stdin as datagrams and fails when no reply comes within --timeout", async () => {
  const sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    const r = await client(
      ["--udp", "--timeout", "0.3", "127.0.0.1", `${(sock.addr as Deno.NetAddr).port}`],
      "x",
    );
    equal(r.code, 1);
    oneLineError(r.stderr, /timed out: 1 of 1 datagram\(s\) got no reply within 0\.3s/);
  } finally {
    sock.close();
  }
});

Deno.test("client talks IPv6 to ::1, bracketed or not", async () => {
  await using server = tcpServer(echo(), "::1");
  const r = await client(["::1", `${server.port}`], "v6\n");
  deepEqual([r.code, r.stdout, r.stderr], [0, "v6\n", ""]);
  const b = await client(["--send", "b", "[::1]", `${server.port}`]);
  equal(b.stdout, "b");
});

Deno.test("client reports refused, unknown host, bad port and unknown flag in one line with exit 1 or 2", async () => {
  const port = closedPort();
  const refused = await client(["127.0.0.1", `${port}`], "x");
  equal(refused.code, 1);
  equal(refused.stderr, `client: connection refused: 127.0.0.1:${port}\n`);
  const unknown = await client([UNKNOWN_HOST, "7"], "x");
  equal(unknown.code, 1);
  equal(unknown.stderr, `client: unknown host: ${UNKNOWN_HOST}\n`);
  const badPort = await client(["127.0.0.1", "99999"]);
  equal(badPort.code, 2);
  equal(badPort.stderr, "client: bad port: 99999\n");
  const flag = await client(["--frobnicate", "127.0.0.1", "7"]);
  equal(flag.code, 2);
  equal(flag.stderr, "client: unknown option '--frobnicate'\n");
});

Deno.test("client --timeout fails against a server that accepts and never answers", async () => {
  await using server = tcpServer(silent);
  const r = await client(["--timeout", "0.3", "--send", "hello?", "127.0.0.1", `${server.port}`]);
  equal(r.code, 1);
  equal(r.stdout, "");
  equal(r.stderr, `client: timed out: no data for 0.3s: 127.0.0.1:${server.port}\n`);
});

Deno.test("client bench --json reports the documented fields and exits 0", async () => {
  await using server = tcpServer(echo());
  const r = await client([
    "bench",
    "--json",
    "--conns",
    "3",
    "--size",
    "100",
    "--messages",
    "30",
    "127.0.0.1",
    `${server.port}`,
  ]);
  equal(r.code, 0, r.stderr);
  equal(r.stderr, "");
  const rep = checkJson(r.stdout, { transport: "tcp", mode: "pingpong", conns: 3, threads: 1, size: 100 });
  equal(rep.messages, 90);
  equal(rep.bytes, 9000);
  deepEqual(rep.errors, { connect: 0, reset: 0, mismatch: 0, lost: 0, timeout: 0 });
  ok(rep.latencyUs.p50 > 0);
});

Deno.test("client bench --mode stream --threads 2 works and reports MB/s", async () => {
  await using server = tcpServer(echo());
  const r = await client([
    "bench",
    "--json",
    "--mode",
    "stream",
    "--conns",
    "2",
    "--threads",
    "2",
    "--duration",
    "0.3",
    "127.0.0.1",
    `${server.port}`,
  ]);
  equal(r.code, 0, r.stderr);
  const rep = checkJson(r.stdout, { transport: "tcp", mode: "stream", conns: 2, threads: 2, size: 65536 });
  ok(rep.messages > 0 && rep.mbPerSec > 0);
  equal(rep.errors.mismatch, 0);
  equal(rep.latencyUs.p50, 0);
});

Deno.test("client bench exits 1 when the server corrupts a byte", async () => {
  await using server = tcpServer(echo(1000));
  const r = await client(["bench", "--json", "--messages", "50", "127.0.0.1", `${server.port}`]);
  equal(r.code, 1);
  const rep = checkJson(r.stdout, { transport: "tcp", mode: "pingpong", conns: 1, threads: 1, size: 64 });
  equal(rep.errors.mismatch, 1);
  equal(r.stderr, "client: 1 echoed message(s) did not match what was sent\n");
  const st = await client(["bench", "--mode", "stream", "--messages", "50", "127.0.0.1", `${server.port}`]);
  equal(st.code, 1);
  match(st.stdout, /mismatch 1/);
});

testIf(
  "client bench --udp against a socat UDP echo, on two threads",
  needCommands("socat", "setsid"),
  async () => {
    await using server = await socat("udp");
    const r = await client([
      "bench",
      "--udp",
      "--json",
      "--conns",
      "2",
      "--threads",
      "2",
      "--messages",
      "50",
      "127.0.0.1",
      `${server.port}`,
    ]);
    equal(r.code, 0, r.stderr);
    const rep = checkJson(r.stdout, { transport: "udp", mode: "pingpong", conns: 2, threads: 2, size: 64 });
    equal(rep.messages + rep.errors.lost, 100);
    equal(rep.errors.mismatch, 0);
    ok(rep.messages > 0);
  },
);
