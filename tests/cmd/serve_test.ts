/**
 * cmd/serve.ts: every error path through `main()` and through the real process (exit code, one line naming
 * the problem, no stack), signals ending the server with a summary, and the log formats.
 *
 * @module
 */
import assert from "node:assert/strict";
import { main } from "../../cmd/serve.ts";
import type { EchoEvent } from "../../lib/echo/types.ts";
import { DENO_RUN, freePort, hasCommand, repoPath, run, testIf } from "../_helpers.ts";
import { echoOnce, readExactly, readToEnd, until, within } from "../echo/_conformance.ts";
import { collectLines, ServeProcess } from "../echo/_peers.ts";

const SERVE = repoPath("cmd/serve.ts");

/** Runs main() with console.error captured. */
async function mainCaptured(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    const code = await main(args);
    return { code, stderr: lines.join("\n") };
  } finally {
    console.error = original;
  }
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], /^serve: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /error:|^\s+at /m, "a stack trace leaked");
}

const USAGE_ERRORS: Array<[string[], RegExp]> = [
  [["--port", "abc"], /--port expects a number, got "abc"/],
  [["--port", "70000"], /invalid port: 70000/],
  [["--port", "-1"], /port/],
  [["--model", "threads"], /unknown model: threads/],
  [["--bogus"], /Unknown option '--bogus'/],
  [["extra"], /Unexpected argument 'extra'/],
  [["--udp", "--model", "workers"], /UDP cannot use the workers model/],
  [["--udp", "--model", "processes"], /UDP cannot use the processes model/],
  [["--threads", "0"], /invalid threads: 0/],
  [["--max-conns", "ten"], /--max-conns expects a number, got "ten"/],
  [["--idle-timeout", "1.5.3"], /--idle-timeout expects a number/],
  [["--grace", "soon"], /--grace expects a number/],
  [["--backlog", "0"], /invalid backlog: 0/],
  [["--log-format", "xml"], /unknown log format "xml"/],
];

for (const [args, pattern] of USAGE_ERRORS) {
  Deno.test(`serve main(${args.join(" ")}) is a usage error: exit 2 and one line`, async () => {
    const { code, stderr } = await mainCaptured(["--host", "127.0.0.1", ...args]);
    assert.equal(code, 2, stderr);
    assertOneLine(stderr, pattern);
  });
}

Deno.test("serve main() on a port in use: exit 1 and 'port N is already in use'", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  for (const model of ["async", "sequential", "workers", "processes"]) {
    const { code, stderr } = await mainCaptured([
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--model",
      model,
    ]);
    assert.equal(code, 1, stderr);
    assertOneLine(stderr, new RegExp(`^serve: port ${port} is already in use$`));
  }
});

Deno.test("serve main() on an address this machine does not have: exit 1", async () => {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned here; bind fails without sending anything.
  const { code, stderr } = await mainCaptured(["--host", "192.0.2.1", "--port", "0"]);
  assert.equal(code, 1, stderr);
  assertOneLine(stderr, /cannot bind 192\.0\.2\.1/);
});

Deno.test("serve main(--help) prints the usage and exits 0", async () => {
  const original = console.log;
  const out: string[] = [];
  console.log = (...p: unknown[]) => out.push(p.join(" "));
  try {
    assert.equal(await main(["--help"]), 0);
  } finally {
    console.log = original;
  }
  assert.match(out.join("\n"), /^usage: serve /);
});

Deno.test("serve as a real process: usage and runtime errors give one line and the right exit code", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  const cases: Array<[string[], number, RegExp]> = [
    [["--port", "abc"], 2, /--port expects a number/],
    [["--model", "nope"], 2, /unknown model: nope/],
    [["--udp", "--model", "workers"], 2, /no reusePort for UDP/],
    [["--nope"], 2, /Unknown option/],
    [["--host", "127.0.0.1", "--port", String(port)], 1, new RegExp(`port ${port} is already in use`)],
    [["--host", "127.0.0.1", "--port", String(port), "--model", "processes"], 1, /already in use/],
  ];
  await Promise.all(cases.map(async ([args, want, pattern]) => {
    const r = await run(Deno.execPath(), [...DENO_RUN, SERVE, ...args], { timeoutMs: 30_000 });
    assert.equal(r.code, want, `${args.join(" ")}: ${r.stderr}`);
    assertOneLine(r.stderr, pattern);
    assert.equal(r.stdout, "");
  }));
});

testIf(
  "serve as a real process without CAP_NET_BIND_SERVICE: a privileged port is exit 1 with a hint",
  Deno.uid() === 0 ? needSetpriv() : undefined,
  async () => {
    // As root, drop the capability from the bounding set; as another user, the port is already privileged.
    const [cmd, pre] = Deno.uid() === 0
      ? ["setpriv", ["--bounding-set", "-net_bind_service", Deno.execPath()]]
      : [Deno.execPath(), []];
    const r = await run(cmd, [...pre, ...DENO_RUN, SERVE, "--host", "127.0.0.1", "--port", "80"], {
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 1, r.stderr);
    assertOneLine(r.stderr, /^serve: port 80 needs root or CAP_NET_BIND_SERVICE$/);
  },
);

function needSetpriv(): string | undefined {
  return hasCommand("setpriv")
    ? undefined
    : "setpriv (util-linux) is needed to drop CAP_NET_BIND_SERVICE as root";
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`serve: ${signal} stops accepting, cuts clients after the grace, prints a summary, exits 0`, async () => {
    await using serve = new ServeProcess(["--host", "127.0.0.1", "--port", "0", "--grace", "0.3"]);
    const port = await serve.port();
    const addr = { transport: "tcp" as const, hostname: "127.0.0.1", port };
    await echoOnce(addr, new TextEncoder().encode("one"));
    const open = await Deno.connect(addr);
    try {
      await open.write(new TextEncoder().encode("four"));
      await until(
        () => serve.lines.filter((l) => l.startsWith("connect ")).length === 2,
        "second connect line",
      );
      const status = await serve.stop(signal);
      assert.equal(status.code, 0, serve.lines.join("\n"));
      assert.equal(await within(readToEnd(open), "the open client to be cut"), "eof");
    } finally {
      open.close();
    }
    const text = serve.lines.join("\n");
    assert.match(text, /^listening on 127\.0\.0\.1:\d+ \(model async, tcp\)$/m);
    assert.match(text, /^connect 127\.0\.0\.1:\d+ #1$/m);
    assert.match(text, /^disconnect 127\.0\.0\.1:\d+ #1: 3 bytes in, 3 bytes out, \d+ ms, closed$/m);
    assert.match(text, /^disconnect 127\.0\.0\.1:\d+ #2: 4 bytes in, 4 bytes out, \d+ ms, shutdown$/m);
    assert.equal(serve.lines.at(-1), "summary: 2 clients, 0 rejected, 7 bytes in, 7 bytes out");
    assert.doesNotMatch(text, /error/);
  });
}

Deno.test("serve --log-format json: every stderr line is a JSON object, max-conns rejections included", async () => {
  await using serve = new ServeProcess([
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--log-format",
    "json",
    "--max-conns",
    "1",
    "--model",
    "workers",
    "--threads",
    "2",
  ]);
  const port = await serve.port();
  const addr = { transport: "tcp" as const, hostname: "127.0.0.1", port };
  const first = await Deno.connect(addr);
  try {
    await first.write(new Uint8Array([1]));
    await within(first.read(new Uint8Array(1)), "first echo");
    const over = await Deno.connect(addr);
    try {
      await within(readToEnd(over), "the client over the limit to be closed");
    } finally {
      over.close();
    }
    // The two clients may be served by different workers, whose events reach the parent on separate
    // channels: the first one's disconnect is only ordered after the rejection once the rejection is logged.
    await until(() => serve.lines.some((l) => l.includes('"rejected"')), "rejected line");
  } finally {
    first.close();
  }
  await until(() => serve.lines.some((l) => l.includes('"disconnect"')), "disconnect line");
  assert.equal((await serve.stop("SIGTERM")).code, 0);
  const records = serve.lines.map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => r.type), ["listening", "connect", "rejected", "disconnect", "summary"]);
  for (const r of records) assert.ok(!Number.isNaN(Date.parse(r.time)), `time in ${JSON.stringify(r)}`);
  assert.equal(records[0].addr.port, port);
  assert.equal(records[2].reason, "max-conns");
  assert.equal(records[3].bytesIn, 1);
  assert.deepEqual(
    { ...records[4], time: undefined },
    { time: undefined, type: "summary", clients: 1, active: 0, rejected: 1, bytesIn: 1, bytesOut: 1 },
  );
});

Deno.test("serve --quiet prints only the summary; --banner and --udp work from the command line", async () => {
  const port = freePort();
  {
    await using serve = new ServeProcess([
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--quiet",
      "--banner",
      "hi",
    ]);
    const addr = { transport: "tcp" as const, hostname: "127.0.0.1", port };
    let conn: Deno.Conn | undefined;
    const deadline = Date.now() + 20_000;
    while (!conn) {
      try {
        conn = await Deno.connect(addr);
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      assert.equal(new TextDecoder().decode(await within(readExactly(conn, 2), "banner")), "hi");
    } finally {
      conn.close();
    }
    assert.equal((await serve.stop("SIGTERM")).code, 0);
    assert.deepEqual(serve.lines, ["summary: 1 clients, 0 rejected, 0 bytes in, 2 bytes out"]);
  }
  {
    await using serve = new ServeProcess(["--host", "127.0.0.1", "--port", "0", "--udp"]);
    const udpPort = await serve.port();
    assert.match(serve.lines[0], /listening on 127\.0\.0\.1:\d+ \(model async, udp\)/);
    const sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    try {
      await sock.send(new TextEncoder().encode("dgram"), {
        transport: "udp",
        hostname: "127.0.0.1",
        port: udpPort,
      });
      const [data] = await within(sock.receive(), "udp echo");
      assert.equal(new TextDecoder().decode(data), "dgram");
    } finally {
      sock.close();
    }
    assert.equal((await serve.stop("SIGINT")).code, 0);
    assert.equal(serve.lines.at(-1), "summary: 1 clients, 0 rejected, 5 bytes in, 5 bytes out");
  }
});

testIf(
  "serve --backlog sets the listen queue the kernel reports (ss Send-Q)",
  hasCommand("ss") ? undefined : "ss (iproute2) not installed",
  async () => {
    await using serve = new ServeProcess(["--host", "127.0.0.1", "--port", "0", "--backlog", "37"]);
    const port = await serve.port();
    const r = await run("ss", ["-ltnH", `sport = :${port}`]);
    // Columns: State Recv-Q Send-Q Local Peer; for a listener Send-Q is the backlog.
    assert.equal(r.stdout.trim().split(/\s+/)[2], "37", r.stdout);
    assert.equal((await serve.stop("SIGTERM")).code, 0);
  },
);

Deno.test("serve with NETKIT_ECHO_CHILD set runs as a processes-model child (the compiled binary's child mode)", async () => {
  const { CHILD_ENV, encodeChildConfig } = await import("../../lib/echo/_child.ts");
  const { resolveOptions } = await import("../../lib/echo/_conn.ts");
  const options = resolveOptions({ hostname: "127.0.0.1", banner: "b:", graceMs: 200 });
  // Port 0, as the parent starts its first child: the child reports the port it got.
  const child = new Deno.Command(Deno.execPath(), {
    // No serve flags, as a compiled binary starts its child: the environment alone selects child mode.
    args: [...DENO_RUN, SERVE],
    env: { [CHILD_ENV]: encodeChildConfig(options, 0, 3) },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const lines: string[] = [];
    const reader = collectLines(child.stdout, lines);
    await until(() => lines.length > 0, "the child's first line");
    const ready = JSON.parse(lines[0]);
    const port = ready.port;
    assert.ok(Number.isInteger(port) && port > 0, lines[0]);
    assert.deepEqual(ready, { type: "ready", pid: child.pid, hostname: "127.0.0.1", port });
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("xy"));
      assert.equal(new TextDecoder().decode(await within(readExactly(conn, 4), "banner and echo")), "b:xy");
    } finally {
      conn.close();
    }
    await until(() => lines.some((l) => l.includes('"disconnect"')), "the disconnect line");
    child.kill("SIGTERM");
    const status = await within(child.status, "the child to stop");
    await reader;
    assert.equal(status.code, 0);
    const records = lines.map((l) => JSON.parse(l));
    const connect = records.find((r) => r.type === "event" && r.event.type === "connect");
    assert.equal(connect.event.worker, 3);
    assert.deepEqual(records.at(-1), {
      type: "closed",
      stats: { clients: 1, active: 0, rejected: 0, bytesIn: 2, bytesOut: 4 },
    });
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.stdin.close().catch(() => {});
    await child.status;
    await child.stderr.cancel();
  }
});

Deno.test("log lines: every event type formats as text and as one parseable JSON line", async () => {
  const { formatEvent, formatSummary, formatAddr } = await import("../../lib/echo/log.ts");
  const remote = { transport: "tcp" as const, hostname: "::1", port: 4000 };
  const events: EchoEvent[] = [
    {
      type: "listening",
      addr: { transport: "tcp", hostname: "::", port: 8000 },
      model: "workers",
      transport: "tcp",
      workers: 2,
    },
    { type: "connect", remote, id: 7, worker: 1 },
    { type: "disconnect", remote, id: 7, bytesIn: 5, bytesOut: 6, durationMs: 12, reason: "idle" },
    { type: "rejected", remote, reason: "max-conns" },
    { type: "worker-start", worker: 0, pid: 123 },
    { type: "worker-exit", worker: 0, code: null, restarting: true },
    { type: "error", message: "boom" },
  ];
  const text = events.map((e) => formatEvent(e, "text"));
  assert.deepEqual(text, [
    "listening on [::]:8000 (model workers, tcp, 2 workers)",
    "connect [::1]:4000 #7 [worker 1]",
    "disconnect [::1]:4000 #7: 5 bytes in, 6 bytes out, 12 ms, idle",
    "rejected [::1]:4000: over max-conns",
    "worker 0 started (pid 123)",
    "worker 0 exited (signal), restarting",
    "error: boom",
  ]);
  const when = new Date("2026-01-02T03:04:05.000Z");
  for (const e of events) {
    const line = formatEvent(e, "json", when);
    assert.ok(!line.includes("\n"));
    assert.deepEqual(JSON.parse(line), { time: "2026-01-02T03:04:05.000Z", ...e });
  }
  const stats = { clients: 1, active: 0, rejected: 2, bytesIn: 3, bytesOut: 4 };
  assert.equal(formatSummary(stats, "text"), "summary: 1 clients, 2 rejected, 3 bytes in, 4 bytes out");
  assert.deepEqual(JSON.parse(formatSummary(stats, "json", when)), {
    time: when.toISOString(),
    type: "summary",
    ...stats,
  });
  assert.equal(formatAddr({ transport: "udp", hostname: "10.0.0.1", port: 53 }), "10.0.0.1:53");
});
