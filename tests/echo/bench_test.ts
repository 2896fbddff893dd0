import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { type EchoBenchReport, formatEchoBenchReport, runEchoBench } from "../../lib/echo/bench.ts";
import { LatencyHistogram } from "../../lib/echo/_stats.ts";
import { serveEcho } from "../../lib/echo/serve.ts";
import { needCommands, refusedPort, testIf } from "../_helpers.ts";
import { checkReportSchema, echoConn, echoHandler, silent, socatEcho, tcpServer, udpEcho } from "./_peers.ts";

const ZERO_ERRORS = { connect: 0, reset: 0, mismatch: 0, lost: 0, timeout: 0 };

function checkHealthy(r: EchoBenchReport): void {
  checkReportSchema(JSON.parse(JSON.stringify(r)));
  ok(r.messages > 0, `messages ${r.messages}`);
  deepEqual(r.errors, ZERO_ERRORS);
  ok(r.bytes >= r.messages * r.size);
  ok(r.msgsPerSec > 0 && r.mbPerSec > 0);
  ok(Math.abs(r.mbPerSec - r.bytes / 1e6 / r.durationSec) < 1e-9);
}

testIf(
  "runEchoBench() pingpong and stream against socat report messages and no error",
  needCommands("socat", "setsid"),
  async () => {
    await using server = await socatEcho("tcp");
    const pp = await runEchoBench({ port: server.port, conns: 2, messages: 200 });
    checkHealthy(pp);
    equal(pp.messages, 400);
    equal(pp.bytes, 400 * 64);
    ok(pp.latencyUs.p50 > 0 && pp.latencyUs.min <= pp.latencyUs.p50 && pp.latencyUs.p50 <= pp.latencyUs.p99);
    ok(pp.latencyUs.p99 <= pp.latencyUs.p999 && pp.latencyUs.p999 <= pp.latencyUs.max);
    const st = await runEchoBench({ port: server.port, mode: "stream", conns: 2, durationSec: 0.5 });
    checkHealthy(st);
    equal(st.size, 65536);
    deepEqual(st.latencyUs, { p50: 0, p90: 0, p99: 0, p999: 0, min: 0, max: 0, mean: 0 });
  },
);

testIf("runEchoBench() UDP pingpong against a socat UDP echo", needCommands("socat", "setsid"), async () => {
  await using server = await socatEcho("udp");
  const r = await runEchoBench({ port: server.port, transport: "udp", messages: 100 });
  checkHealthy(r);
  equal(r.transport, "udp");
  equal(r.messages, 100);
});

Deno.test("runEchoBench() counts exact messages and bytes per connection against a test echo loop", async () => {
  await using server = tcpServer(echoConn);
  const r = await runEchoBench({ port: server.port, conns: 3, messages: 50, size: 1000 });
  checkHealthy(r);
  equal(r.messages, 150);
  equal(r.bytes, 150_000);
  const st = await runEchoBench({ port: server.port, mode: "stream", conns: 3, messages: 20, size: 10_000 });
  checkHealthy(st);
  equal(st.messages, 60);
  equal(st.bytes, 600_000);
});

Deno.test("runEchoBench() with a duration stops on its own", async () => {
  await using server = tcpServer(echoConn);
  const r = await runEchoBench({ port: server.port, conns: 2, durationSec: 0.3 });
  checkHealthy(r);
});

Deno.test("runEchoBench() catches one flipped byte as a mismatch in pingpong and stream", async () => {
  await using server = tcpServer(echoHandler({ corruptAt: 100 }));
  const pp = await runEchoBench({ port: server.port, messages: 10, size: 64 });
  equal(pp.errors.mismatch, 1); // message 1 holds stream bytes 64..127
  equal(pp.messages, 10);
  const st = await runEchoBench({ port: server.port, mode: "stream", messages: 10, size: 64 });
  equal(st.errors.mismatch, 1);
  equal(st.bytes, 640);
});

Deno.test("runEchoBench() sees cross-talk: echoes of another connection's pattern are mismatches", async () => {
  // A server that answers every connection with the first connection's stream.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const first: Uint8Array[] = [];
  const serving = (async () => {
    const a = await listener.accept();
    const buf = new Uint8Array(64);
    for (let i = 0; i < 3; i++) {
      let got = 0;
      while (got < 64) got += (await a.read(buf.subarray(got))) ?? 64;
      first.push(buf.slice());
      await a.write(buf);
    }
    const b = await listener.accept();
    for (let i = 0; i < 3; i++) {
      let got = 0;
      while (got < 64) got += (await b.read(buf.subarray(got))) ?? 64;
      await b.write(first[i]);
    }
    a.close();
    b.close();
  })();
  try {
    // Two sequential runs with the same seed but different connection ids (conns 2: ids 0 and 1).
    const r = await runEchoBench({ port: listener.addr.port, conns: 2, messages: 3 });
    equal(r.errors.mismatch, 3);
    equal(r.messages, 6);
  } finally {
    listener.close();
    await serving;
  }
});

Deno.test("runEchoBench() UDP counts datagrams with no reply as lost", async () => {
  await using server = udpEcho({ drop: (i) => i % 3 === 1 });
  // The timeout is generous so that only the dropped datagrams, never a slow echo, count as lost.
  const r = await runEchoBench({ port: server.port, transport: "udp", messages: 9, timeoutMs: 500 });
  equal(r.errors.lost, 3);
  equal(r.messages, 6);
  equal(r.errors.mismatch, 0);
});

Deno.test("runEchoBench() UDP ignores a late echo of a datagram already counted lost", async () => {
  // Holds datagram 0 back and sends it after the echo of datagram 1.
  const sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    try {
      const [d0, from] = await sock.receive();
      const held = d0.slice();
      const [d1] = await sock.receive();
      await sock.send(held, from);
      await sock.send(d1, from);
      for (;;) {
        const [d] = await sock.receive();
        await sock.send(d, from);
      }
    } catch { /* closed */ }
  })();
  try {
    const r = await runEchoBench({
      port: (sock.addr as Deno.NetAddr).port,
      transport: "udp",
      messages: 4,
      timeoutMs: 500,
    });
    deepEqual(r.errors, { ...ZERO_ERRORS, lost: 1 });
    equal(r.messages, 3);
  } finally {
    sock.close();
    await serving;
  }
});

Deno.test("runEchoBench() counts refused connections and reports the first error", async () => {
  using refused = refusedPort();
  const port = refused.port;
  const hints: string[] = [];
  const r = await runEchoBench({ port, conns: 3, messages: 5, onError: (m) => hints.push(m) });
  deepEqual(r.errors, { ...ZERO_ERRORS, connect: 3 });
  equal(r.messages, 0);
  deepEqual(hints, [`connection refused: 127.0.0.1:${port}`]);
});

Deno.test("runEchoBench() counts a server that never answers as a timeout", async () => {
  await using server = tcpServer(silent);
  const r = await runEchoBench({ port: server.port, conns: 2, messages: 5, timeoutMs: 200 });
  deepEqual(r.errors, { ...ZERO_ERRORS, timeout: 2 });
  equal(r.messages, 0);
  const st = await runEchoBench({
    port: server.port,
    mode: "stream",
    messages: 5,
    size: 100,
    timeoutMs: 200,
  });
  deepEqual(st.errors, { ...ZERO_ERRORS, timeout: 1 });
});

Deno.test("runEchoBench() counts a server that closes mid-run as a reset", async () => {
  await using server = tcpServer(echoHandler({ closeAfter: 640 }));
  const r = await runEchoBench({ port: server.port, messages: 20, size: 64 });
  equal(r.errors.reset, 1);
  equal(r.messages, 10);
  const st = await runEchoBench({ port: server.port, mode: "stream", messages: 20, size: 64 });
  equal(st.errors.reset, 1);
  equal(st.errors.mismatch, 0);
});

Deno.test("runEchoBench() spreads connections over two worker threads and merges their histograms", async () => {
  await using server = tcpServer(echoConn);
  const progress: number[] = [];
  const r = await runEchoBench({
    port: server.port,
    conns: 4,
    threads: 2,
    messages: 100,
    progressIntervalMs: 20,
    onProgress: (p) => progress.push(p.messages),
  });
  checkHealthy(r);
  equal(r.threads, 2);
  equal(r.messages, 400);
  ok(r.latencyUs.p50 > 0);
  const st = await runEchoBench({ port: server.port, mode: "stream", conns: 2, threads: 2, messages: 10 });
  checkHealthy(st);
  equal(st.messages, 20);
  using closed = refusedPort();
  const refused = await runEchoBench({ port: closed.port, conns: 2, threads: 2, messages: 1 });
  equal(refused.errors.connect, 2);
});

Deno.test("runEchoBench() caps threads at the connection count", async () => {
  await using server = tcpServer(echoConn);
  const r = await runEchoBench({ port: server.port, conns: 1, threads: 4, messages: 5 });
  equal(r.threads, 1);
  equal(r.messages, 5);
});

Deno.test("runEchoBench() stops early on an aborted signal", async () => {
  await using server = tcpServer(echoConn);
  for (const threads of [1, 2]) {
    // Abort once progress shows echoes, so the report is known to be non-empty.
    const ac = new AbortController();
    const r = await runEchoBench({
      port: server.port,
      conns: 2,
      threads,
      durationSec: 60,
      progressIntervalMs: 20,
      signal: ac.signal,
      onProgress: (p) => p.messages > 0 && ac.abort(),
    });
    ok(r.messages > 0 && r.durationSec < 60);
    equal(r.errors.mismatch, 0);
  }
});

Deno.test("runEchoBench() against serveEcho (async TCP and UDP)", async () => {
  {
    await using server = await serveEcho({ hostname: "127.0.0.1", port: 0 });
    checkHealthy(await runEchoBench({ port: server.addr.port, conns: 2, messages: 100 }));
    checkHealthy(await runEchoBench({ port: server.addr.port, mode: "stream", messages: 20 }));
  }
  await using udp = await serveEcho({ hostname: "127.0.0.1", port: 0, transport: "udp" });
  checkHealthy(await runEchoBench({ port: udp.addr.port, transport: "udp", messages: 100 }));
});

Deno.test("runEchoBench() works over IPv6 on ::1 (TCP and UDP)", async () => {
  await using tcp = tcpServer(echoConn, "::1");
  await using udp = udpEcho({ hostname: "::1" });
  checkHealthy(await runEchoBench({ hostname: "::1", port: tcp.port, messages: 20 }));
  checkHealthy(await runEchoBench({ hostname: "::1", port: udp.port, transport: "udp", messages: 20 }));
});

Deno.test("runEchoBench() rejects bad options with RangeError naming the value", async () => {
  await rejects(runEchoBench({ port: 0 }), /bad port: 0/);
  await rejects(runEchoBench({ port: 7, transport: "udp", mode: "stream" }), /stream mode needs TCP/);
  await rejects(runEchoBench({ port: 7, transport: "udp", size: 3 }), /UDP size must be 4\.\.65507, got 3/);
  await rejects(runEchoBench({ port: 7, conns: 0 }), /conns must be a positive integer, got 0/);
  await rejects(runEchoBench({ port: 7, messages: 1.5 }), /messages must be a positive integer/);
  await rejects(runEchoBench({ port: 7, durationSec: -1 }), /durationSec must be a positive number/);
  await rejects(runEchoBench({ port: 7, mode: "flood" as "stream" }), /unknown mode: flood/);
  await rejects(runEchoBench({ port: 7, transport: "sctp" as "tcp" }), /unknown transport: sctp/);
});

Deno.test("formatEchoBenchReport() prints rates, percentiles and errors", () => {
  const text = formatEchoBenchReport({
    transport: "tcp",
    mode: "pingpong",
    conns: 2,
    threads: 1,
    size: 64,
    durationSec: 2,
    messages: 2000,
    bytes: 128000,
    msgsPerSec: 1000,
    mbPerSec: 0.064,
    latencyUs: { p50: 50, p90: 1500, p99: 2_500_000, p999: 3_000_000, min: 10, max: 3_100_000, mean: 80 },
    errors: { ...ZERO_ERRORS, mismatch: 2 },
  });
  for (const s of ["1000 msgs/s", "0.06 MB/s", "p50 50.0 µs", "p90 1.50 ms", "p99 2.50 s", "mismatch 2"]) {
    ok(text.includes(s), s);
  }
});

Deno.test("LatencyHistogram percentiles stay within the bucket resolution", () => {
  const h = new LatencyHistogram();
  for (let v = 1; v <= 10_000; v++) h.record(v);
  const s = h.summary();
  for (const [got, want] of [[s.p50, 5000], [s.p90, 9000], [s.p99, 9900], [s.p999, 9990]]) {
    ok(Math.abs(got - want) / want < 1 / 32, `${got} vs ${want}`);
  }
  equal(s.min, 1);
  equal(s.max, 10_000);
  equal(s.mean, 5000.5);
  equal(h.percentile(0), 1);
  equal(h.percentile(1), 10_000);
});

Deno.test("LatencyHistogram merges snapshots and handles empty, tiny and huge values", () => {
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  deepEqual(a.summary(), { p50: 0, p90: 0, p99: 0, p999: 0, min: 0, max: 0, mean: 0 });
  a.record(0.2);
  b.record(100e6); // 100 s: past the last bucket
  a.merge(b.snapshot());
  a.merge(new LatencyHistogram().snapshot());
  equal(a.count, 2);
  equal(a.summary().min, 0.2);
  equal(a.summary().max, 100e6);
  equal(a.percentile(0.5), 0.5);
  throws(() => a.percentile(1.5), /percentile fraction must be in \[0, 1\], got 1.5/);
  throws(() => a.merge({ counts: new Float64Array(3), count: 0, min: 0, max: 0, sum: 0 }), /3 buckets/);
});
