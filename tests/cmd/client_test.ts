import { deepEqual, equal, match, ok } from "node:assert/strict";
import { main } from "../../cmd/client.ts";
import type { EchoBenchReport } from "../../lib/echo/bench.ts";
import { needCommands, refusedPort, repoPath, testIf } from "../_helpers.ts";
import {
  answerAtEof,
  checkReportSchema,
  echoConn,
  echoHandler,
  replyThenClose,
  runWithInput,
  silent,
  sink,
  socatEcho,
  tcpServer,
  UNKNOWN_HOST,
} from "../echo/_peers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
/** The compiled client gets `--allow-net --allow-read` only: the process tests run with exactly those. */
const CLIENT = ["run", "--unstable-net", "--allow-net", "--allow-read", "--quiet", repoPath("cmd/client.ts")];

/** Runs the client as a real process with binary stdin; returns its exit code, stdout bytes and stderr. */
async function client(
  args: string[],
  stdin: string | Uint8Array = "",
): Promise<{ code: number; out: Uint8Array; stdout: string; stderr: string }> {
  const r = await runWithInput(Deno.execPath(), [...CLIENT, ...args], stdin);
  return { code: r.code, out: r.stdout, stdout: dec.decode(r.stdout), stderr: r.stderr };
}

/** Asserts a one-line `client: ...` error, no stack trace. */
function oneLineError(stderr: string, re: RegExp): void {
  match(stderr, /^client: [^\n]+\n$/);
  match(stderr, re);
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

/** Checks the --json report: the whole schema, then the settings it echoes. */
function checkJson(
  text: string,
  want: Pick<EchoBenchReport, "transport" | "mode" | "conns" | "threads" | "size">,
): EchoBenchReport {
  const r: unknown = JSON.parse(text);
  checkReportSchema(r);
  equal(r.transport, want.transport);
  equal(r.mode, want.mode);
  equal(r.conns, want.conns);
  equal(r.threads, want.threads);
  equal(r.size, want.size);
  return r;
}

// ---- main() with injected streams ----

Deno.test("main() pipes injected stdin through a TCP echo to injected stdout", async () => {
  await using server = tcpServer(echoConn);
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
  using refused = refusedPort();
  const port = refused.port;
  const r = await callMain(["127.0.0.1", `${port}`], "x");
  equal(r.code, 1);
  equal(r.stderr, `client: connection refused: 127.0.0.1:${port}\n`);
});

Deno.test("main() bench --json prints the report and exits 0", async () => {
  await using server = tcpServer(echoConn);
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
  using refused = refusedPort();
  const port = refused.port;
  const r = await callMain(["bench", "--messages", "1", "127.0.0.1", `${port}`]);
  equal(r.code, 1);
  equal(r.stderr, `client: no message was echoed (connection refused: 127.0.0.1:${port})\n`);
});

Deno.test("main() bench draws a progress line on a terminal stderr and clears it", async () => {
  await using server = tcpServer(echoConn);
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
    await using server = await socatEcho("tcp");
    const r = await client(["127.0.0.1", `${server.port}`], "line one\nline two\n");
    equal(r.stderr, "");
    equal(r.code, 0);
    equal(r.stdout, "line one\nline two\n");
  },
);

Deno.test("client echoes 1 MiB of binary stdin byte for byte", async () => {
  await using server = tcpServer(echoConn);
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
    await using tcp = await socatEcho("tcp");
    const r = await client(["--send", "one shot", "127.0.0.1", `${tcp.port}`]);
    deepEqual([r.code, r.stdout, r.stderr], [0, "one shot", ""]);
  }
  await using udp = await socatEcho("udp");
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
  await using server = tcpServer(echoConn, "::1");
  const r = await client(["::1", `${server.port}`], "v6\n");
  deepEqual([r.code, r.stdout, r.stderr], [0, "v6\n", ""]);
  const b = await client(["--send", "b", "[::1]", `${server.port}`]);
  equal(b.stdout, "b");
});

Deno.test("client reports refused, unknown host, bad port and unknown flag in one line with exit 1 or 2", async () => {
  using closed = refusedPort();
  const port = closed.port;
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
  await using server = tcpServer(echoConn);
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
  await using server = tcpServer(echoConn);
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
  await using server = tcpServer(echoHandler({ corruptAt: 1000, mask: 1 }));
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
    await using server = await socatEcho("udp");
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
