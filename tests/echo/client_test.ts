import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import {
  EchoClientError,
  echoOnce,
  parseClientCommand,
  parsePort,
  pipe,
  type PipeOptions,
} from "../../lib/echo/client.ts";
import { setListenBacklog } from "../../ffi/socket.ts";
import { needCommands, refusedPort, testIf } from "../_helpers.ts";
import {
  answerAtEof,
  echoConn,
  replyThenClose,
  silent,
  sink,
  socatEcho,
  tcpServer,
  udpEcho,
  UNKNOWN_HOST,
} from "./_peers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function input(...parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(parts.map((p) => typeof p === "string" ? enc.encode(p) : p));
}

/** Input that never ends (an idle terminal): pipe() must cancel it. */
function endlessInput(first: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(ctrl) {
      if (!sent) {
        sent = true;
        ctrl.enqueue(enc.encode(first));
      }
      return new Promise(() => {}); // never more
    },
  });
}

function base(port: number, extra: Partial<PipeOptions> = {}): Omit<PipeOptions, "stdin" | "stdout"> {
  return { hostname: "127.0.0.1", port, timeoutMs: 10_000, ...extra };
}

testIf(
  "pipe() copies text through a socat TCP echo and ends after the half-close",
  needCommands("socat", "setsid"),
  async () => {
    await using server = await socatEcho("tcp");
    const out = sink();
    const r = await pipe({ ...base(server.port), stdin: input("hello\n", "world\n"), stdout: out.stdout });
    equal(out.text(), "hello\nworld\n");
    equal(r.bytesSent, 12);
    equal(r.bytesReceived, 12);
  },
);

Deno.test("pipe() is binary-safe for 1 MiB of random bytes", async () => {
  await using server = tcpServer(echoConn);
  const data = new Uint8Array(1 << 20);
  for (let off = 0; off < data.length; off += 65536) crypto.getRandomValues(data.subarray(off, off + 65536));
  const parts = [];
  for (let off = 0; off < data.length; off += 100_000) parts.push(data.subarray(off, off + 100_000));
  const out = sink();
  await pipe({ ...base(server.port), stdin: input(...parts), stdout: out.stdout });
  deepEqual(out.bytes(), data);
});

Deno.test("pipe() half-close lets a server that answers at EOF answer", async () => {
  await using server = tcpServer(answerAtEof);
  const out = sink();
  await pipe({ ...base(server.port), eof: "half-close", stdin: input("abcde"), stdout: out.stdout });
  equal(out.text(), "got 5 bytes\n");
});

Deno.test("pipe() keep-open sends no EOF: a server waiting for one never answers and the idle limit ends it", async () => {
  await using server = tcpServer(answerAtEof);
  const out = sink();
  await rejects(
    pipe({
      ...base(server.port),
      eof: "keep-open",
      timeoutMs: 300,
      stdin: input("abcde"),
      stdout: out.stdout,
    }),
    (e: unknown) =>
      e instanceof EchoClientError && e.code === "ETIMEDOUT" &&
      /^timed out: no data for 0.3s/.test(e.message),
  );
  equal(out.text(), "");
});

Deno.test("pipe() keep-open prints until a server that replies and closes has closed", async () => {
  await using server = tcpServer(replyThenClose);
  const out = sink();
  await pipe({ ...base(server.port), eof: "keep-open", stdin: input("ping"), stdout: out.stdout });
  equal(out.text(), "bye ping");
});

Deno.test("pipe() close stops at end of input without waiting for the answer", async () => {
  await using server = tcpServer(answerAtEof);
  const out = sink();
  const r = await pipe({ ...base(server.port), eof: "close", stdin: input("abc"), stdout: out.stdout });
  equal(r.bytesSent, 3);
  equal(out.text(), "");
});

Deno.test("pipe() ends when the server closes first and cancels input that is still open", async () => {
  await using server = tcpServer(replyThenClose);
  const out = sink();
  await pipe({ ...base(server.port), stdin: endlessInput("hi"), stdout: out.stdout });
  equal(out.text(), "bye hi");
});

Deno.test("pipe() talks to an IPv6 server on ::1", async () => {
  await using server = tcpServer(echoConn, "::1");
  const out = sink();
  await pipe({ ...base(server.port, { hostname: "::1" }), stdin: input("six\n"), stdout: out.stdout });
  equal(out.text(), "six\n");
});

Deno.test("pipe() reports a refused connection in one line naming the target", async () => {
  using refused = refusedPort();
  const port = refused.port;
  const out = sink();
  await rejects(
    pipe({ ...base(port), stdin: input("x"), stdout: out.stdout }),
    (e: unknown) =>
      e instanceof EchoClientError && e.code === "ECONNREFUSED" &&
      e.message === `connection refused: 127.0.0.1:${port}`,
  );
  using refused6 = refusedPort("::1");
  const port6 = refused6.port;
  await rejects(
    echoOnce("::1", port6, "x"),
    (e: unknown) => e instanceof EchoClientError && e.message === `connection refused: [::1]:${port6}`,
  );
});

Deno.test("pipe() reports an unknown host as ENOTFOUND", async () => {
  await rejects(
    echoOnce(UNKNOWN_HOST, 7, "x"),
    (e: unknown) =>
      e instanceof EchoClientError && e.code === "ENOTFOUND" && e.message === `unknown host: ${UNKNOWN_HOST}`,
  );
  await rejects(
    echoOnce(UNKNOWN_HOST, 7, "x", { transport: "udp", timeoutMs: 1000 }),
    (e: unknown) => e instanceof EchoClientError && e.code === "ENOTFOUND",
  );
});

Deno.test("pipe() times out against a server that accepts and never answers", async () => {
  await using server = tcpServer(silent);
  await rejects(
    echoOnce("127.0.0.1", server.port, "anyone?", { timeoutMs: 200 }),
    (e: unknown) => e instanceof EchoClientError && e.code === "ETIMEDOUT",
  );
});

Deno.test("pipe() gives up connecting after the timeout when the server's accept queue is full", async () => {
  // Backlog 0 queues one connection; Linux drops the SYNs of the next ones, so their connect hangs.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  setListenBacklog(port, 0);
  const stopFillers = new AbortController();
  const fillers = Array.from(
    { length: 3 },
    () =>
      Deno.connect({ hostname: "127.0.0.1", port, signal: stopFillers.signal }).then(
        (c) => c,
        () => undefined,
      ),
  );
  try {
    await Promise.race(fillers); // one filler holds the only queue slot: every later SYN is dropped
    await rejects(
      echoOnce("127.0.0.1", port, "x", { timeoutMs: 300 }),
      (e: unknown) =>
        e instanceof EchoClientError && e.code === "ETIMEDOUT" &&
        e.message === `connect timed out: 127.0.0.1:${port}`,
    );
  } finally {
    stopFillers.abort();
    for (const c of await Promise.all(fillers)) c?.close();
    listener.close();
  }
});

Deno.test("pipe() fails with EIO when stdout cannot be written", async () => {
  await using server = tcpServer(echoConn);
  const broken = new WritableStream<Uint8Array>({
    write() {
      throw new Error("Disk full");
    },
  });
  await rejects(
    pipe({ ...base(server.port), stdin: endlessInput("x"), stdout: broken }),
    (e: unknown) =>
      e instanceof EchoClientError && e.code === "EIO" && e.message === "cannot write output: disk full",
  );
});

Deno.test("pipe() rejects a bad port, timeout, eof mode and transport", () => {
  const io = { stdin: input(), stdout: sink().stdout };
  throws(() => pipe({ hostname: "127.0.0.1", port: 0, ...io }), /bad port: 0/);
  throws(() => pipe({ hostname: "127.0.0.1", port: 65536, ...io }), RangeError);
  throws(() => pipe({ hostname: "127.0.0.1", port: 7, timeoutMs: -1, ...io }), /timeoutMs/);
  throws(
    () => pipe({ hostname: "127.0.0.1", port: 7, eof: "later" as "close", ...io }),
    /unknown eof mode: later/,
  );
  throws(() => pipe({ hostname: "", port: 7, ...io }), TypeError);
  throws(
    () => pipe({ hostname: "127.0.0.1", port: 7, transport: "sctp" as "tcp", ...io }),
    /unknown transport: sctp/,
  );
});

testIf(
  "echoOnce() returns the echo over TCP and UDP from socat",
  needCommands("socat", "setsid"),
  async () => {
    {
      await using tcp = await socatEcho("tcp");
      equal(dec.decode(await echoOnce("127.0.0.1", tcp.port, "over tcp", { timeoutMs: 5000 })), "over tcp");
    }
    await using udp = await socatEcho("udp");
    equal(dec.decode(await echoOnce("127.0.0.1", udp.port, "over udp", { transport: "udp" })), "over udp");
  },
);

Deno.test("pipe() over UDP sends each input chunk as one datagram and prints each reply", async () => {
  const sizes: number[] = [];
  await using server = udpEcho({ seen: (d) => void sizes.push(d.length) });
  const out = sink();
  const big = new Uint8Array(70_000).fill(7);
  const r = await pipe({
    ...base(server.port, { transport: "udp" }),
    stdin: input("one", "two", big),
    stdout: out.stdout,
  });
  deepEqual(sizes, [3, 3, 65507, 70_000 - 65507]);
  equal(r.datagramsSent, 4);
  equal(r.datagramsReceived, 4);
  equal(out.text().slice(0, 6), "onetwo");
  equal(out.bytes().length, 6 + 70_000);
});

Deno.test("pipe() over UDP with keep-open quits quietly after the idle limit once every datagram is answered", async () => {
  await using server = udpEcho();
  const out = sink();
  const r = await pipe({
    ...base(server.port, { transport: "udp", eof: "keep-open", timeoutMs: 1000 }),
    stdin: input("a"),
    stdout: out.stdout,
  });
  equal(r.datagramsReceived, 1);
  equal(out.text(), "a");
});

Deno.test("pipe() over UDP fails with ETIMEDOUT when a datagram gets no reply", async () => {
  const server = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    await rejects(
      echoOnce("127.0.0.1", (server.addr as Deno.NetAddr).port, "lost", { transport: "udp", timeoutMs: 200 }),
      (e: unknown) =>
        e instanceof EchoClientError && e.code === "ETIMEDOUT" &&
        /1 of 1 datagram\(s\) got no reply/.test(e.message),
    );
  } finally {
    server.close();
  }
});

Deno.test("parsePort() accepts 1..65535 and rejects the rest with EUSAGE", () => {
  equal(parsePort("1"), 1);
  equal(parsePort("65535"), 65535);
  for (const bad of ["0", "65536", "-1", "80a", "", "1e3", " 80"]) {
    throws(() => parsePort(bad), (e: unknown) => e instanceof EchoClientError && e.code === "EUSAGE");
  }
});

Deno.test("parseClientCommand() reads pipe flags and fills defaults", () => {
  const cmd = parseClientCommand(["--udp", "--send", "hi", "[::1]", "7"]);
  if (cmd.kind !== "pipe") throw new Error(cmd.kind);
  deepEqual(cmd.options, { hostname: "::1", port: 7, transport: "udp", eof: "half-close", timeoutMs: 5000 });
  deepEqual(cmd.send, enc.encode("hi"));
  const plain = parseClientCommand(["--eof", "keep-open", "--timeout", "1.5", "localhost", "80"]);
  if (plain.kind !== "pipe") throw new Error(plain.kind);
  deepEqual(plain.options, {
    hostname: "localhost",
    port: 80,
    transport: "tcp",
    eof: "keep-open",
    timeoutMs: 1500,
  });
  equal(plain.send, undefined);
  deepEqual(parseClientCommand(["-h"]), { kind: "help" });
});

Deno.test("parseClientCommand() reads bench flags", () => {
  const cmd = parseClientCommand([
    "bench",
    "--conns=8",
    "--size",
    "100",
    "--messages",
    "5",
    "--mode",
    "stream",
    "--threads",
    "2",
    "--timeout",
    "3",
    "--json",
    "127.0.0.1",
    "9000",
  ]);
  if (cmd.kind !== "bench") throw new Error(cmd.kind);
  equal(cmd.json, true);
  deepEqual(cmd.options, {
    hostname: "127.0.0.1",
    port: 9000,
    transport: "tcp",
    mode: "stream",
    size: 100,
    conns: 8,
    threads: 2,
    durationSec: undefined,
    messages: 5,
    timeoutMs: 3000,
  });
});

Deno.test("parseClientCommand() rejects bad usage with a one-line EUSAGE error", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus", "h", "1"], /^unknown option '--bogus'$/],
    [["h"], /^expected HOST PORT, got 1 argument\(s\)$/],
    [["h", "1", "2"], /expected HOST PORT/],
    [["h", "http"], /^bad port: http$/],
    [["--eof", "never", "h", "1"], /--eof must be one of half-close, close, keep-open, got 'never'/],
    [["--timeout", "0", "h", "1"], /--timeout needs a positive number, got '0'/],
    [["--timeout", "soon", "h", "1"], /--timeout needs a positive number/],
    [["bench", "--conns", "1.5", "h", "1"], /--conns needs a positive integer, got '1.5'/],
    [["bench", "--mode", "flood", "h", "1"], /--mode must be pingpong or stream, got 'flood'/],
    [["bench", "--udp", "--mode", "stream", "h", "1"], /--mode stream needs TCP/],
    [["bench", "--udp", "--size", "2", "h", "1"], /--size must be 4\.\.65507 with --udp, got 2/],
    [["bench", "--eof", "close", "h", "1"], /unknown option '--eof'/],
    [["--conns", "2", "h", "1"], /unknown option '--conns'/],
    [["[]", "1"], /empty host/],
  ];
  for (const [args, re] of cases) {
    throws(
      () => parseClientCommand(args),
      (e: unknown) =>
        e instanceof EchoClientError && e.code === "EUSAGE" && re.test(e.message) &&
        !e.message.includes("\n"),
      args.join(" "),
    );
  }
});
