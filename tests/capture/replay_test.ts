/**
 * Replay: loading a capture into iovec places, filter selection, the dry run, sharing out by flow for
 * several sending threads, and 10,000-packet files replayed into a veth pair between two namespaces this test
 * creates, arriving complete and unchanged (from two threads: complete, each flow in the file's order).
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  formatReplayStats,
  loadCapture,
  replayCapture,
  replayDue,
  shareByFlow,
} from "../../lib/capture/replay.ts";
import { ethernetFlowKey } from "../../lib/wire/flow.ts";
import { buildPacket } from "../../lib/craft/mod.ts";
import { encodePcap, encodePcapng, readPacketsSync } from "../../lib/pcap/mod.ts";
import { DENO_RUN, repoPath, run, testIf } from "../_helpers.ts";
import { injectIn, ip, NEED_NETNS as NS, tcpdumpIn, vethPair } from "./_netns.ts";

function frames(n: number, dstMac = "02:00:00:00:00:02"): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(18);
    new DataView(data.buffer).setUint32(0, i);
    out.push(buildPacket([
      { layer: "eth", src: "02:00:00:00:00:01", dst: dstMac },
      { layer: "ipv4", src: "10.78.0.1", dst: "10.78.0.2", id: i & 0xffff },
      { layer: i % 2 ? "udp" : "tcp", srcPort: 4000, dstPort: i % 2 ? 9 : 80 } as const,
      { layer: "raw", data },
    ]));
  }
  return out;
}

Deno.test("loadCapture() points at each packet inside the file, pcap and pcapng alike", () => {
  const f = frames(5);
  for (
    const file of [
      encodePcap(f.map((data, i) => ({ data, tsSec: i }))),
      encodePcapng(f.map((data) => ({ data }))),
    ]
  ) {
    const c = loadCapture(file);
    assert.equal(c.total, 5);
    assert.equal(c.linktype, 1);
    c.offsets.forEach((at, i) => assert.deepEqual(file.subarray(at, at + c.lengths[i]), f[i]));
  }
});

Deno.test("loadCapture() selects packets with a filter expression", () => {
  const c = loadCapture(encodePcap(frames(10).map((data) => ({ data }))), "udp port 9");
  assert.equal(c.total, 10);
  assert.equal(c.offsets.length, 5);
  assert.throws(() => loadCapture(encodePcap([{ data: new Uint8Array(20) }], { linktype: 101 }), "udp and"));
});

Deno.test("replayDue() scales the original timing, spaces by pps or bytes, and chains loops", () => {
  const c = loadCapture(encodePcap([
    { data: new Uint8Array(100), tsSec: 10, tsNsec: 0 },
    { data: new Uint8Array(50), tsSec: 10, tsNsec: 20_000_000 },
    { data: new Uint8Array(150), tsSec: 10, tsNsec: 60_000_000 },
  ]));
  const orig = replayDue(c, {});
  assert.deepEqual([0, 1, 2, 3, 4].map(orig.due), [0, 20, 60, 60, 80], "loop 2 starts where loop 1 ended");
  assert.deepEqual([0, 1, 2].map(replayDue(c, { multiplier: 4 }).due), [0, 5, 15]);
  const pps = replayDue(c, { pps: 500 });
  assert.equal(pps.requestedPps, 500);
  assert.deepEqual([0, 1, 4].map(pps.due), [0, 2, 8]);
  // 1 Mbit/s: a byte takes 8 us
  assert.deepEqual([0, 1, 2, 3].map(replayDue(c, { mbps: 1 }).due), [0, 0.8, 1.2, 2.4]);
  assert.equal(replayDue(c, { topspeed: true }).due(2), 0);
});

Deno.test("replayCapture() refuses a file that is not Ethernet", async () => {
  const c = loadCapture(encodePcap([{ data: new Uint8Array(20) }], { linktype: 101 }));
  await assert.rejects(() => replayCapture(c, { interface: "lo" }), RangeError);
});

/** `n` frames of 20 conversations (10 TCP connections seen both ways, 10 UDP host pairs), index in the payload. */
function flowFrames(n: number, dstMac = "02:00:00:00:00:02"): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(18);
    new DataView(data.buffer).setUint32(0, i);
    const c = i % 20, back = (i >> 5) % 2 === 1, tcp = c < 10;
    const [src, dst] = back ? [`10.78.1.${c + 1}`, "10.78.0.2"].reverse() : [`10.78.1.${c + 1}`, "10.78.0.2"];
    const [sp, dp] = back ? [80, 4000 + c] : [4000 + c, 80];
    out.push(buildPacket([
      { layer: "eth", src: "02:00:00:00:00:01", dst: dstMac },
      { layer: "ipv4", src, dst, id: i & 0xffff },
      { layer: tcp ? "tcp" : "udp", srcPort: sp, dstPort: dp } as const,
      { layer: "raw", data },
    ]));
  }
  return out;
}

Deno.test("shareByFlow() puts every packet in one share, in file order, both directions together", () => {
  const f = flowFrames(400);
  const c = loadCapture(encodePcap(f.map((data) => ({ data }))));
  for (const threads of [1, 2, 3, 8]) {
    const shares = shareByFlow(c, threads);
    assert.equal(shares.length, threads);
    assert.deepEqual(shares.flat().sort((a, b) => a - b), [...Array(400).keys()]);
    const shareOf = new Map<number, number>();
    shares.forEach((s, w) => {
      s.forEach((i, j) => {
        if (j > 0) assert.ok(i > s[j - 1], "file order within a share");
        const k = ethernetFlowKey(f[i]);
        assert.equal(shareOf.get(k) ?? w, w, `flow of packet ${i} in one share`);
        shareOf.set(k, w);
      });
    });
    // 20 conversations, both directions of each under one key.
    assert.equal(shareOf.size, 20);
  }
});

Deno.test("replayCapture() refuses several threads without topspeed, and a thread count out of range", async () => {
  const c = loadCapture(encodePcap(flowFrames(4).map((data) => ({ data }))));
  await assert.rejects(() => replayCapture(c, { interface: "lo", threads: 2 }), /need topspeed/);
  await assert.rejects(() => replayCapture(c, { interface: "lo", threads: 0, topspeed: true }), RangeError);
  await assert.rejects(() => replayCapture(c, { interface: "lo", threads: 65, topspeed: true }), RangeError);
});

Deno.test("inject replay --threads: needs --topspeed, is for replay only, takes 1..64", async () => {
  const inject = repoPath("cmd/inject.ts");
  for (
    const [args, msg] of [
      [["replay", "x.pcap", "-i", "lo", "--threads", "2"], /--threads needs --topspeed/],
      [
        ["replay", "x.pcap", "-i", "lo", "--topspeed", "--threads", "0"],
        /--threads: "0" is not an integer in 1\.\.64/,
      ],
      [["replay", "x.pcap", "-i", "lo", "--topspeed", "--threads", "two"], /--threads/],
      [["udp", "--dst", "127.0.0.1", "--threads", "2"], /--threads is for replay/],
    ] as const
  ) {
    const r = await run("deno", [...DENO_RUN, inject, ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

Deno.test("formatReplayStats() prints tcpreplay's lines", () => {
  const lines = formatReplayStats({
    sent: 3,
    failed: 1,
    bytes: 180,
    elapsedMs: 500,
    achievedPps: 6,
    achievedMbps: 0.00288,
    lastError: "ENOBUFS",
  });
  assert.deepEqual(lines, [
    "Actual: 3 packets (180 bytes) sent in 0.500000 seconds",
    "Rated: 6 pps, 0.00 Mbps",
    "Failed packets: 1 (last ENOBUFS)",
  ]);
});

Deno.test("inject replay --dry-run writes the packets the filter selects", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/in.pcap`, encodePcap(frames(20).map((data) => ({ data }))));
    const r = await run("deno", [
      ...DENO_RUN,
      repoPath("cmd/inject.ts"),
      "replay",
      `${dir}/in.pcap`,
      "--dry-run",
      "-w",
      `${dir}/out.pcapng`,
      "tcp",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote 10 of 20 packets/);
    const got = [...readPacketsSync(await Deno.readFile(`${dir}/out.pcapng`))];
    assert.equal(got.length, 10);
    assert.ok(got.every((p) => p.data[23] === 6));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

testIf(
  "inject replay of a 10,000-packet file into a veth pair arrives complete and unchanged",
  NS,
  async () => {
    const pair = await vethPair("rep", "r");
    const dir = await Deno.makeTempDir();
    try {
      const sent = frames(10_000, pair.macB);
      await Deno.writeFile(
        `${dir}/in.pcap`,
        encodePcap(sent.map((data, i) => ({ data, tsSec: 1, tsNsec: i * 1000 }))),
      );
      const dump = await tcpdumpIn(pair.nsB, pair.b, `${dir}/out.pcap`, 10_000, "ip", 40, 65536);
      const r = await injectIn(
        pair.nsA,
        ["replay", `${dir}/in.pcap`, "-i", pair.a, "--pps", "50000"],
        40_000,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Actual: 10000 packets \(\d+ bytes\) sent/);
      assert.equal(await dump.done(), 0, "tcpdump saw all 10,000 before its time limit");
      const got = [...readPacketsSync(await Deno.readFile(`${dir}/out.pcap`))];
      assert.equal(got.length, 10_000);
      let bytes = 0;
      got.forEach((p, i) => {
        bytes += p.len;
        if (i % 997 === 0) assert.deepEqual(p.data, sent[i], `frame ${i}`);
      });
      assert.equal(bytes, sent.reduce((n, f) => n + f.length, 0));
    } finally {
      await Deno.remove(dir, { recursive: true });
      await pair.close();
    }
  },
);

testIf(
  "inject replay --topspeed --threads 2 into a veth pair: every packet arrives, each flow in file order",
  NS,
  async () => {
    const pair = await vethPair("rep", "t");
    const dir = await Deno.makeTempDir();
    try {
      const sent = flowFrames(10_000, pair.macB);
      await Deno.writeFile(`${dir}/in.pcap`, encodePcap(sent.map((data) => ({ data }))));
      const dump = await tcpdumpIn(pair.nsB, pair.b, `${dir}/out.pcap`, 10_000, "ip", 40, 65536);
      const r = await injectIn(
        pair.nsA,
        ["replay", `${dir}/in.pcap`, "-i", pair.a, "--topspeed", "--threads", "2"],
        40_000,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /10000 selected, 1 loop\(s\), 2 sending thread\(s\)/);
      assert.match(r.stdout, /Actual: 10000 packets \(\d+ bytes\) sent/);
      assert.equal(await dump.done(), 0, "tcpdump saw all 10,000 before its time limit");
      const got = [...readPacketsSync(await Deno.readFile(`${dir}/out.pcap`))];
      assert.equal(got.length, 10_000);
      const last = new Map<number, number>();
      const seen = new Set<number>();
      for (const p of got) {
        const i = new DataView(p.data.buffer, p.data.byteOffset).getUint32(p.data.length - 18);
        assert.deepEqual(p.data, sent[i], `frame ${i} unchanged`);
        seen.add(i);
        const k = ethernetFlowKey(p.data);
        assert.ok(i > (last.get(k) ?? -1), `frame ${i} after ${last.get(k)} of its flow`);
        last.set(k, i);
      }
      assert.equal(seen.size, 10_000);

      // Ctrl-C ends a long threaded replay: both threads stop, the statistics are printed, exit 0.
      const child = new Deno.Command("ip", {
        args: [
          "netns",
          "exec",
          pair.nsA,
          "timeout",
          "60",
          "deno",
          ...DENO_RUN,
          repoPath("cmd/inject.ts"),
          "replay",
          `${dir}/in.pcap`,
          "-i",
          pair.a,
          "--topspeed",
          "--threads",
          "2",
          "--loop",
          "1000000",
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const out = child.output();
      // Wait for traffic at the far end, then interrupt (timeout forwards the signal to deno).
      const rx = async () =>
        Number(await ip("netns", "exec", pair.nsB, "cat", `/sys/class/net/${pair.b}/statistics/rx_packets`));
      const before = await rx();
      for (let i = 0; i < 300 && await rx() - before < 20_000; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill("SIGINT");
      const o = await out;
      const stdout = new TextDecoder().decode(o.stdout);
      assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
      const m = stdout.match(/Actual: (\d+) packets/);
      assert.ok(m && Number(m[1]) >= 20_000 && Number(m[1]) < 10_000 * 1_000_000, stdout);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await pair.close();
    }
  },
);
