/**
 * `cmd/sniffer.ts` through `main()` and as a real process: files, stdin and stdout, exit codes and
 * one-line errors, the unprivileged paths (run as "nobody"), SIGINT leaving a valid file, `-Z`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { needCommands, needNetRaw, run, testIf } from "../_helpers.ts";
import {
  AS_NOBODY,
  cleanUp,
  CORPUS,
  sendUdp,
  sniff,
  SNIFFER,
  spawnLive,
  statusWithin,
  TASK,
} from "./_sniffer.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";

const RAW = needNetRaw();

testIf("main -r prints what tcpdump -n -r prints", needCommands("tcpdump"), async () => {
  const f = `${CORPUS}/tcp.pcap`;
  const r = await sniff(["-n", "-r", f]);
  assert.equal(r.code, 0);
  assert.equal(r.out, (await run("tcpdump", ["-n", "-r", f])).stdout);
  assert.equal(r.err, `reading from file ${f}, link-type EN10MB (Ethernet), snapshot length 262144\n`);
});

Deno.test("main -r - reads stdin", async () => {
  const r = await sniff(["-t", "-c", "2", "-r", "-"], Deno.readFileSync(`${CORPUS}/udp.pcap`));
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    "IP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 11\nIP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 11\n",
  );
});

Deno.test("main: usage errors and filter errors exit 2 with one message", async () => {
  for (const args of [["--bogus"], ["-c", "x"], ["-Q", "sideways"], ["-r", "a", "-i", "lo"]]) {
    const r = await sniff(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /^sniffer: .*\(see --help\)\n$/);
  }
  const f = await sniff(["-r", `${CORPUS}/tcp.pcap`, "tcp", "port", "x"]);
  assert.equal(f.code, 2);
  assert.equal(f.err, "sniffer: filter: expected a port number at column 10\ntcp port x\n         ^\n");
});

Deno.test("main: a missing or corrupt file is one line and exit 1; a truncated one warns and exits 0", async () => {
  const missing = await sniff(["-r", "/nonexistent/x.pcap"]);
  assert.deepEqual([missing.code, missing.err], [
    1,
    "sniffer: /nonexistent/x.pcap: No such file or directory\n",
  ]);
  const bad = await sniff(["-r", `${CORPUS}/bad_caplen.pcap`]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^sniffer: .*bad_caplen\.pcap: .*corrupt.*\n$/);
  const trunc = await sniff(["-r", `${CORPUS}/truncated_record.pcap`]);
  assert.equal(trunc.code, 0);
  assert.equal(trunc.out.trimEnd().split("\n").length, 4);
  assert.match(trunc.err, /\nsniffer: warning: truncated capture file: .*\n$/);
});

Deno.test("main --help and -D", async () => {
  const h = await sniff(["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.out, /^Usage: sniffer /);
  const d = await sniff(["-D"]);
  assert.equal(d.code, 0);
  assert.match(d.out, /^\d+\.any \(Pseudo-device that captures on all interfaces\) \[Up, Running\]$/m);
  assert.match(d.out, /^\d+\.lo \[Up, Running, Loopback\]$/m);
});

testIf("process: -r works as nobody, with the task's permissions", needCommands("setpriv"), async () => {
  const r = await run("setpriv", [
    ...AS_NOBODY,
    Deno.execPath(),
    ...TASK,
    "-c",
    "3",
    "-r",
    `${CORPUS}/dns.pcap`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split("\n").length, 3);
});

Deno.test("process: -r needs no FFI permission at all (libc is never opened)", async () => {
  const r = await run(Deno.execPath(), [
    "run",
    "--quiet",
    "--allow-read",
    SNIFFER,
    "-t",
    "-r",
    `${CORPUS}/sll2.pcap`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split("\n").length, 5);
});

testIf("process: a live capture as nobody says it needs root, exit 1", needCommands("setpriv"), async () => {
  const r = await run("setpriv", [...AS_NOBODY, Deno.execPath(), ...TASK, "-i", "lo"], { timeoutMs: 30_000 });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "sniffer: needs root or CAP_NET_RAW (try: sudo ./sniffer)\n");
});

testIf("process: an unknown interface lists the ones that exist, exit 1", RAW, async () => {
  const r = await run(Deno.execPath(), [...TASK, "-i", `nk${Deno.pid}x`], { timeoutMs: 30_000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^sniffer: no interface "nk${Deno.pid}x"; interfaces: .*\\blo\\b.*\\n$`));
});

testIf("process: -w - writes a pcap to stdout that tcpdump reads", needCommands("tcpdump"), async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...TASK, "-r", `${CORPUS}/icmp.pcap`, "-w", "-"],
    stdout: "piped",
    stderr: "null",
  });
  const out = await child.output();
  assert.equal(out.code, 0);
  const viaNetkit = await run("tcpdump", ["-n", "-r", "-"], { stdin: out.stdout });
  const direct = await run("tcpdump", ["-n", "-r", `${CORPUS}/icmp.pcap`]);
  assert.equal(viaNetkit.stdout, direct.stdout);
});

/** Sends one datagram to `port` every `ms` until `child` exits (e.g. at `-c`), at most `tries` times. */
async function sendUntilExit(
  child: Deno.ChildProcess,
  port: number,
  tries: number,
  ms: number,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    await sendUdp(port, 1);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = await Promise.race([
      child.status,
      new Promise((r) => timer = setTimeout(() => r(null), ms)),
    ]);
    clearTimeout(timer);
    if (done) return;
  }
}

testIf(
  "process: SIGUSR1 prints the statistics; SIGINT leaves a valid pcap tcpdump reads and prints them",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffcmd-${Deno.pid}-` });
    const port = 20000 + (Deno.pid % 20000);
    // -U: packets reach the counters (and the file) as they come, so SIGUSR1 already counts all five.
    const live = await spawnLive(["-i", "lo", "-U", "-w", `${dir}/int.pcap`, "udp", "port", String(port)]);
    try {
      assert(live.listening, "the sniffer started");
      await sendUdp(port, 5);
      await new Promise((r) => setTimeout(r, 300));
      live.child.kill("SIGUSR1");
      await new Promise((r) => setTimeout(r, 200));
      live.child.kill("SIGINT");
      const st = await statusWithin(live.child, 20_000);
      await live.child.stdout.cancel();
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      assert.match(
        err,
        /\n5 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel\n$/,
      );
      assert.equal(err.match(/^5 packets captured$/gm)?.length, 2, "on SIGUSR1 and at exit");
      const t = await run("tcpdump", ["-n", "-r", `${dir}/int.pcap`]);
      assert.equal(t.code, 0, t.stderr);
      assert.equal(t.stdout.trimEnd().split("\n").length, 5);
      assert.match(t.stdout, new RegExp(`127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.${port}: UDP, length 1`));
    } finally {
      cleanUp(dir, live.child);
    }
  },
);

testIf(
  "process: SIGINT right after the traffic still writes every packet (the ring block being filled is drained)",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffdrain-${Deno.pid}-` });
    const port = 20002 + (Deno.pid % 20000);
    // Without -U the kernel hands over ring blocks once a second: the packets below are still in the block
    // it is filling when SIGINT comes, so only the drain on stop can save them.
    const live = await spawnLive(["-i", "lo", "-w", `${dir}/drain.pcap`, "udp", "port", String(port)]);
    try {
      assert(live.listening, "the sniffer started");
      await sendUdp(port, 7);
      live.child.kill("SIGINT");
      const st = await statusWithin(live.child, 20_000);
      await live.child.stdout.cancel();
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      assert.match(err, /\n7 packets captured\n/);
      const t = await run("tcpdump", ["-n", "-r", `${dir}/drain.pcap`]);
      assert.equal(t.code, 0, t.stderr);
      assert.equal(t.stdout.trimEnd().split("\n").length, 7, t.stdout);
    } finally {
      cleanUp(dir, live.child);
    }
  },
);

testIf(
  "process: -w with an IPv6 filter and -c: the packets written are the ones sent, as tcpdump reads them",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniff6-${Deno.pid}-` });
    const port = 20003 + (Deno.pid % 20000);
    // udp over IPv6 compiles to a kernel program plus a user-space walk of further extension headers.
    const live = await spawnLive([
      "-i",
      "lo",
      "-c",
      "3",
      "-w",
      `${dir}/six.pcap`,
      "ip6",
      "and",
      "udp",
      "port",
      String(port),
    ]);
    const s = Deno.listenDatagram({ transport: "udp", hostname: "::1", port: 0 });
    try {
      assert(live.listening, "the sniffer started");
      for (let i = 0; i < 5; i++) {
        await s.send(new Uint8Array([0xaa, i]), { transport: "udp", hostname: "::1", port });
        await sendUdp(port, 1); // IPv4 to the same port: filtered out
      }
      const st = await statusWithin(live.child, 20_000); // -c 3 ends it
      await live.child.stdout.cancel();
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      assert.match(err, /\n3 packets captured\n/);
      const t = await run("tcpdump", ["-n", "-x", "-r", `${dir}/six.pcap`]);
      assert.equal(t.code, 0, t.stderr);
      const lines = t.stdout.split("\n").filter((l) => / IP6 ::1\.\d+ > ::1\./.test(l));
      assert.equal(lines.length, 3, t.stdout);
      assert.match(t.stdout, /aa00/);
      assert.match(t.stdout, /aa02/);
    } finally {
      s.close();
      cleanUp(dir, live.child);
    }
  },
);

testIf(
  "process: -i any -w (the appender) writes the LINUX_SLL2 records of the general path, and tcpdump reads them",
  RAW ?? needCommands("tcpdump"),
  async () => {
    // Two sniffers on the same traffic: one takes the appender path (-w, no -U), the other the general one
    // (-U hands each packet to the file at once). Each socket gets its own kernel timestamp; the rest must
    // be the same bytes. (The general path's records are checked against tcpdump's reading elsewhere.)
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffany-${Deno.pid}-` });
    const port = 20004 + (Deno.pid % 20000);
    const filter = ["udp", "port", String(port)];
    const fast = await spawnLive(["-i", "any", "-w", `${dir}/fast.pcap`, ...filter]);
    const general = await spawnLive(["-i", "any", "-U", "-w", `${dir}/general.pcap`, ...filter]);
    const s = Deno.listenDatagram({ transport: "udp", hostname: "::1", port: 0 });
    try {
      assert(fast.listening && general.listening, "both sniffers started");
      for (let i = 0; i < 4; i++) {
        await sendUdp(port, 1);
        await s.send(new Uint8Array([0xbb, i]), { transport: "udp", hostname: "::1", port });
      }
      for (const live of [fast, general]) {
        live.child.kill("SIGINT");
        assert.equal((await statusWithin(live.child, 20_000)).code, 0, await live.stderr);
        await live.child.stdout.cancel();
      }
      const a = readPacketsSync(Deno.readFileSync(`${dir}/fast.pcap`));
      const b = readPacketsSync(Deno.readFileSync(`${dir}/general.pcap`));
      const pa = [...a], pb = [...b];
      assert.equal(a.linktype, 276, "LINUX_SLL2");
      assert.equal(b.linktype, 276);
      assert.equal(pa.length, 8);
      assert.deepEqual(pa.map((p) => [p.len, [...p.data]]), pb.map((p) => [p.len, [...p.data]]));
      pa.forEach((p, i) => {
        const dt = Math.abs((p.tsSec - pb[i].tsSec) * 1e9 + p.tsNsec - pb[i].tsNsec);
        assert.ok(dt < 1e9, `packet ${i}: the same moment, give or take the two sockets' timestamps`);
      });
      const t = await run("tcpdump", ["-n", "-r", `${dir}/fast.pcap`]);
      assert.equal(t.code, 0, t.stderr);
      assert.equal(t.stdout.match(/ lo {4}In {2}IP6? /g)?.length, 8, t.stdout);
    } finally {
      s.close();
      cleanUp(dir, fast.child, general.child);
    }
  },
);

testIf(
  "process: -Z nobody drops privileges before opening the -w file; -c stops",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffz-${Deno.pid}-` });
    Deno.chmodSync(dir, 0o777);
    const port = 20001 + (Deno.pid % 20000);
    const live = await spawnLive([
      "-i",
      "any",
      "-Z",
      "nobody",
      "-c",
      "3",
      "-w",
      `${dir}/z.pcapng`,
      "udp",
      "port",
      String(port),
    ]);
    try {
      assert(live.listening, "the sniffer started");
      await sendUntilExit(live.child, port, 20, 100);
      const st = await statusWithin(live.child, 20_000);
      await live.child.stdout.cancel();
      const err = await live.stderr;
      assert.equal(st.code, 0, err);
      assert.match(err, /\n3 packets captured\n/);
      const info = Deno.statSync(`${dir}/z.pcapng`);
      assert.equal(info.uid, 65534, "the file belongs to nobody");
      const t = await run("tcpdump", ["-n", "-r", `${dir}/z.pcapng`]);
      assert.equal(t.stdout.trimEnd().split("\n").length, 3, t.stderr);
    } finally {
      cleanUp(dir, live.child);
    }
  },
);

testIf(
  "process: live -w - writes pcap to stdout (straight from the ring), tcpdump reads it; -w into a missing directory is one line",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: `netkit-sniffstdout-${Deno.pid}-` });
    const port = 20005 + (Deno.pid % 20000);
    const live = await spawnLive(["-i", "lo", "-c", "4", "-w", "-", "udp", "port", String(port)]);
    try {
      assert(live.listening, "the sniffer started");
      const out = new Response(live.child.stdout).arrayBuffer();
      await sendUntilExit(live.child, port, 10, 50);
      const st = await statusWithin(live.child, 20_000); // -c 4 ends it
      assert.equal(st.code, 0, await live.stderr);
      const bytes = new Uint8Array(await out);
      const pkts = [...readPacketsSync(bytes)];
      assert.equal(pkts.length, 4);
      assert.ok(pkts.every((p) => p.len === 14 + 20 + 8 + 1), "Ethernet, IPv4, UDP and the one-byte payload");
      const t = await run("tcpdump", ["-n", "-r", "-"], { stdin: bytes });
      assert.equal(t.code, 0, t.stderr);
      assert.equal(t.stdout.match(new RegExp(`> 127\\.0\\.0\\.1\\.${port}: UDP, length 1`, "g"))?.length, 4);
    } finally {
      cleanUp(dir, live.child);
    }
    const bad = await run(Deno.execPath(), [...TASK, "-i", "lo", "-w", "/nonexistent-netkit/x.pcap"]);
    assert.deepEqual([bad.code, bad.stderr.split("\n").filter((l) => l.startsWith("sniffer: "))], [
      1,
      ["sniffer: /nonexistent-netkit/x.pcap: No such file or directory"],
    ]);
  },
);
