/**
 * Replay: loading a capture into iovec places, filter selection, the dry run, and a 10,000-packet file
 * replayed into a veth pair between two namespaces this test creates, arriving complete and unchanged.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formatReplayStats, loadCapture, replayCapture, replayDue } from "../../lib/capture/replay.ts";
import { buildPacket } from "../../lib/craft/mod.ts";
import { encodePcap, encodePcapng, readPacketsSync } from "../../lib/pcap/mod.ts";
import { DENO_RUN, repoPath, run, testIf } from "../_helpers.ts";
import { injectIn, NEED_NETNS as NS, tcpdumpIn, vethPair } from "./_netns.ts";

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
