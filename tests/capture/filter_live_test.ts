/**
 * Filters live on `lo` (privileged): the program attached with SO_ATTACH_FILTER keeps unwanted packets out
 * of user space while the traffic itself still flows, and the kernel statistics count only what passed,
 * exactly as tcpdump's do; an IPv6 datagram behind a destination-options header, which libpcap's
 * `udp port P` misses, reaches netkit through the kernel program's extension-header walk; and the real
 * `sniffer -i lo -c N 'udp port P1'` process prints only P1's datagrams.
 *
 * Every test binds its own ports (port 0), sends a bounded number of datagrams to 127.0.0.1 or ::1 only,
 * and stops every process it starts, also when it fails.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Sniffer, type SnifferResult } from "../../lib/capture/sniffer.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { concat, needCommands, needNetRaw, run, testIf } from "../_helpers.ts";
import { TASK } from "../cmd/_sniffer.ts";

const RAW = needNetRaw();
/** Debian's python (the one on PATH may be another); only its `socket` module is used. */
const PYTHON = "/usr/bin/python3";
/** Offsets in an Ethernet frame on lo. */
const ETH = 14, IP4_UDP = ETH + 20, IP6_NEXT = ETH + 6, IP6_PAYLOAD = ETH + 40;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 20 ms for at most `ms`; returns its last value. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(20);
  return cond();
}

function udpSocket(hostname = "127.0.0.1"): Deno.DatagramConn {
  return Deno.listenDatagram({ transport: "udp", hostname, port: 0 });
}

function portOf(s: Deno.DatagramConn): number {
  return (s.addr as Deno.NetAddr).port;
}

/** Receives datagrams in the background until `stop()`; `payloads` grows as they come. */
function receiver(sock: Deno.DatagramConn) {
  const payloads: Uint8Array[] = [];
  const loop = (async () => {
    try {
      for (;;) payloads.push((await sock.receive())[0]);
    } catch { /* closed */ }
  })();
  return {
    payloads,
    async stop() {
      sock.close();
      await loop;
    },
  };
}

/** netkit's sniffer on lo, in this process, writing a pcap to memory. */
async function startNetkit(filter: string) {
  const chunks: Uint8Array[] = [];
  const stop = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<void>();
  const sniffer = new Sniffer({
    interface: "lo",
    filter,
    write: { format: "pcap", open: () => ({ write: (c) => void chunks.push(c.slice()), close() {} }) },
    stdout: () => {},
    stderr: (l) => l.startsWith("listening on") && resolve(),
    signal: stop.signal,
  });
  const done = sniffer.run();
  await Promise.race([listening, done]);
  let result: SnifferResult | undefined;
  return {
    captured: () => sniffer.stats().captured,
    /** Stops the capture (idempotent) and returns its counters and the frames it wrote. */
    async finish() {
      stop.abort();
      result ??= await done;
      return { result, frames: [...readPacketsSync(concat(...chunks))].map((p) => p.data) };
    },
  };
}

/** A capturer process (tcpdump or netkit's CLI) with its output collected; always `finish()` it. */
function spawnCapturer(cmd: string, args: string[]) {
  const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
  let out = "", err = "";
  const outDone = (async () => {
    for await (const c of child.stdout.pipeThrough(new TextDecoderStream())) out += c;
  })();
  const errDone = (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) err += c;
  })();
  let exited = false;
  const status = child.status.finally(() => exited = true);
  const killer = setTimeout(() => kill("SIGKILL"), 60_000);
  function kill(sig: Deno.Signal) {
    try {
      if (!exited) child.kill(sig);
    } catch { /* already gone */ }
  }
  return {
    out: () => out,
    err: () => err,
    exited: () => exited,
    /** Resolves true once the capturer says "listening on", false if it exits first or 20 s pass. */
    listening: async () => {
      await until(() => err.includes("listening on") || exited, 20_000);
      return err.includes("listening on");
    },
    /** Sends `sig` (if still running), waits at most 10 s before SIGKILL, and returns the exit status. */
    async finish(sig: Deno.Signal = "SIGINT") {
      kill(sig);
      if (!await until(() => exited, 10_000)) kill("SIGKILL");
      const st = await status;
      await Promise.all([outDone, errDone]);
      clearTimeout(killer);
      return st;
    },
  };
}

/** tcpdump's (and the CLI's) closing counters from its stderr. */
function parseStats(err: string): { captured: number; received: number; dropped: number } {
  const n = (what: string) => Number(err.match(new RegExp(`^(\\d+) packets? ${what}$`, "m"))?.[1] ?? NaN);
  return { captured: n("captured"), received: n("received by filter"), dropped: n("dropped by kernel") };
}

const u16 = (d: Uint8Array, at: number) => (d[at] << 8) | d[at + 1];

testIf(
  "live on lo, `udp port P1` attached: only P1's datagrams reach the sniffer, P2's still flow, and the kernel counts only what passed, as tcpdump does",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const N = 300;
    const s1 = udpSocket(), s2 = udpSocket(), tx = udpSocket();
    const p1 = portOf(s1), p2 = portOf(s2), src = portOf(tx);
    const rx1 = receiver(s1), rx2 = receiver(s2);
    const tcpdump = spawnCapturer("tcpdump", ["-i", "lo", "-n", "-l", "udp", "port", String(p1)]);
    let netkit: Awaited<ReturnType<typeof startNetkit>> | undefined;
    try {
      assert(await tcpdump.listening(), `tcpdump started: ${tcpdump.err()}`);
      netkit = await startNetkit(`udp port ${p1}`);
      const payload = new Uint8Array(8);
      const view = new DataView(payload.buffer);
      for (let i = 0; i < N; i++) {
        view.setUint32(0, i);
        view.setUint16(4, p1);
        await tx.send(payload, { transport: "udp", hostname: "127.0.0.1", port: p1 });
        view.setUint16(4, p2);
        await tx.send(payload, { transport: "udp", hostname: "127.0.0.1", port: p2 });
        // Awaited sends do not let the receivers run: pause every 50 so no receive buffer overflows.
        if (i % 50 === 49) await until(() => rx1.payloads.length > i && rx2.payloads.length > i, 2000);
      }
      assert(
        await until(() => rx1.payloads.length >= N && rx2.payloads.length >= N, 10_000),
        `both receivers got their ${N} datagrams: ${rx1.payloads.length}, ${rx2.payloads.length}`,
      );
      assert(await until(() => netkit!.captured() >= N, 10_000), `netkit saw ${netkit.captured()} of ${N}`);
      const tdLines = () => tcpdump.out().split("\n").length - 1;
      assert(await until(() => tdLines() >= N, 10_000), `tcpdump printed ${tdLines()} of ${N}`);
      await sleep(200); // anything extra would show up in the counts below
      const { result, frames } = await netkit.finish();
      const td = await tcpdump.finish("SIGINT");
      assert.equal(td.code, 0, tcpdump.err());

      // Exactly the P1 datagrams, each once, each checked.
      assert.equal(result.captured, N);
      assert.equal(frames.length, N);
      const seen = new Set<number>();
      for (const f of frames) {
        assert.equal(u16(f, 12), 0x0800, "IPv4");
        assert.equal(f[ETH + 9], 17, "UDP");
        assert.equal(u16(f, IP4_UDP), src, "from the sender");
        assert.equal(u16(f, IP4_UDP + 2), p1, "to P1 only");
        const d = new DataView(f.buffer, f.byteOffset + IP4_UDP + 8, 8);
        assert.equal(d.getUint16(4), p1, "a P1 payload");
        seen.add(d.getUint32(0));
      }
      assert.equal(seen.size, N, "every sequence number once");
      assert(rx2.payloads.every((p) => new DataView(p.buffer).getUint16(4) === p2));

      // tcpdump printed the same N datagrams, to P1 only.
      const lines = tcpdump.out().trimEnd().split("\n");
      assert.equal(lines.length, N);
      const toP1 = new RegExp(
        `^[\\d:.]+ IP 127\\.0\\.0\\.1\\.${src} > 127\\.0\\.0\\.1\\.${p1}: UDP, length 8$`,
      );
      for (const l of lines) assert.match(l, toP1);

      // The kernel filtered P2 out: nothing dropped, and "received by filter" counts only what passed the
      // program. On lo each datagram passes the socket twice (out, then in): libpcap drops the out copy in
      // user space, so tcpdump reports N captured and 2 x N received; netkit's program rejects the out copy
      // in the kernel, so its figure is N. tcpdump binds before it attaches its filter, so whatever crossed
      // lo in between (other traffic) adds to its figure; netkit attaches the program before it binds, so
      // its figure is exactly N.
      const t = parseStats(tcpdump.err());
      assert.equal(t.captured, N, tcpdump.err());
      assert.equal(t.dropped, 0, tcpdump.err());
      assert(t.received >= 2 * N, tcpdump.err());
      assert.deepEqual(
        { captured: result.captured, received: result.received, dropped: result.dropped },
        { captured: N, received: N, dropped: 0 },
      );
    } finally {
      await netkit?.finish().catch(() => {}); // its error, if any, was reported above
      await tcpdump.finish("SIGKILL");
      tx.close();
      await rx1.stop();
      await rx2.stop();
    }
  },
);

/** Sends 3 UDP datagrams to [::1]:port behind a destination-options header, then 2 without one. */
const SEND_DSTOPTS = `
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
# Destination options: next header (the kernel fills it), length 0 (8 bytes), one PadN option of 4 bytes.
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
for i in range(3):
    s.sendto(b"opt%d" % i, ("::1", port))
p = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(2):
    p.sendto(b"plain%d" % i, ("::1", port))
`;

function needLoopback6(): string | undefined {
  return Deno.networkInterfaces().some((i) => i.name === "lo" && i.address === "::1")
    ? undefined
    : "lo has no ::1";
}

testIf(
  "live on lo, IPv6: `udp port P` reaches a datagram behind a destination-options header, which tcpdump's same filter misses",
  RAW ?? needCommands("tcpdump", PYTHON) ?? needLoopback6(),
  async () => {
    const s6 = udpSocket("::1");
    const port = portOf(s6);
    const rx = receiver(s6);
    const tcpdump = spawnCapturer("tcpdump", ["-i", "lo", "-n", "-l", "udp", "port", String(port)]);
    let netkit: Awaited<ReturnType<typeof startNetkit>> | undefined;
    try {
      assert(await tcpdump.listening(), `tcpdump started: ${tcpdump.err()}`);
      netkit = await startNetkit(`udp port ${port}`);
      const sent = await run(PYTHON, ["-c", SEND_DSTOPTS, String(port)], { timeoutMs: 20_000 });
      assert.equal(sent.code, 0, sent.stderr);
      assert(
        await until(() => rx.payloads.length >= 5, 10_000),
        `the receiver got ${rx.payloads.length} of 5`,
      );
      assert(await until(() => netkit!.captured() >= 5, 10_000), `netkit saw ${netkit.captured()} of 5`);
      const tdLines = () => tcpdump.out().split("\n").length - 1;
      assert(await until(() => tdLines() >= 2, 10_000), `tcpdump printed ${tdLines()} of 2`);
      await sleep(300); // anything extra would show up below
      const { result, frames } = await netkit.finish();
      assert.equal((await tcpdump.finish("SIGINT")).code, 0, tcpdump.err());

      // All five datagrams were delivered; netkit saw all five, the first three behind the options header.
      assert.deepEqual(rx.payloads.map((p) => new TextDecoder().decode(p)).sort(), [
        "opt0",
        "opt1",
        "opt2",
        "plain0",
        "plain1",
      ]);
      assert.equal(result.captured, 5);
      const kinds = frames.map((f) => {
        assert.equal(u16(f, 12), 0x86dd, "IPv6");
        const withOpts = f[IP6_NEXT] === 60;
        const udp = withOpts ? IP6_PAYLOAD + 8 : IP6_PAYLOAD;
        if (withOpts) assert.equal(f[IP6_PAYLOAD], 17, "the options header leads to UDP");
        else assert.equal(f[IP6_NEXT], 17, "plain UDP");
        assert.equal(u16(f, udp + 2), port);
        return withOpts ? "dstopts" : "plain";
      });
      assert.deepEqual(kinds.sort(), ["dstopts", "dstopts", "dstopts", "plain", "plain"]);
      // The kernel program accepted them (its walk covers one options header): each counted once as passed
      // (the outgoing lo copy is rejected in front of the program).
      assert.deepEqual([result.received, result.dropped], [5, 0]);

      // libpcap's `udp port P` reads the UDP header right after the fixed IPv6 header: the plain ones only.
      const lines = tcpdump.out().trimEnd().split("\n");
      assert.equal(lines.length, 2, tcpdump.out());
      for (const l of lines) {
        assert.match(l, new RegExp(`^[\\d:.]+ IP6 ::1\\.\\d+ > ::1\\.${port}: UDP, length 6$`));
      }
      assert.equal(parseStats(tcpdump.err()).captured, 2, tcpdump.err());
    } finally {
      await netkit?.finish().catch(() => {}); // its error, if any, was reported above
      await tcpdump.finish("SIGKILL");
      await rx.stop();
    }
  },
);

testIf(
  "process: `sniffer -i lo -c 5 'udp port P1'` prints only P1's datagrams while P2's flow",
  RAW,
  async () => {
    const s1 = udpSocket(), s2 = udpSocket(), tx = udpSocket();
    const p1 = portOf(s1), p2 = portOf(s2), src = portOf(tx);
    const rx1 = receiver(s1), rx2 = receiver(s2);
    const cli = spawnCapturer(Deno.execPath(), [
      ...TASK,
      "-i",
      "lo",
      "-c",
      "5",
      "-t",
      "udp",
      "port",
      String(p1),
    ]);
    try {
      assert(await cli.listening(), `the sniffer started: ${cli.err()}`);
      let toP2 = 0, toP1 = 0;
      // Ten datagrams to P2 for each one to P1, until the sniffer has its 5 (at most 100 rounds).
      for (let round = 0; round < 100 && !cli.exited(); round++) {
        for (let i = 0; i < 10; i++, toP2++) {
          await tx.send(new Uint8Array(3), { transport: "udp", hostname: "127.0.0.1", port: p2 });
        }
        await tx.send(new Uint8Array(4), { transport: "udp", hostname: "127.0.0.1", port: p1 });
        toP1++;
        await until(() => rx2.payloads.length >= toP2 && rx1.payloads.length >= toP1, 2000);
        await sleep(10);
      }
      const st = await cli.finish("SIGINT");
      assert.equal(st.code, 0, cli.err());
      const lines = cli.out().trimEnd().split("\n");
      assert.equal(lines.length, 5, cli.out());
      for (const l of lines) assert.equal(l, `IP 127.0.0.1.${src} > 127.0.0.1.${p1}: UDP, length 4`);
      const stats = parseStats(cli.err());
      assert.equal(stats.captured, 5, cli.err());
      assert.equal(stats.dropped, 0, cli.err());
      assert(stats.received >= 5, cli.err());
      assert(toP2 >= 50 && rx2.payloads.length === toP2, `P2 got ${rx2.payloads.length} of ${toP2}`);
    } finally {
      await cli.finish("SIGKILL");
      tx.close();
      await rx1.stop();
      await rx2.stop();
    }
  },
);
