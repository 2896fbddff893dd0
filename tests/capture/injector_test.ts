/**
 * The injector on real sockets: layer 3 packets to 127.0.0.1 seen by netkit's capture, pacing bounds, and
 * layer 2 frames sent into a veth pair between two network namespaces this test creates, compared whole at
 * the far end (count and bytes).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Injector, pacingDue } from "../../lib/capture/injector.ts";
import { openCapture } from "../../lib/capture/mod.ts";
import { parseInjectArgs } from "../../lib/craft/mod.ts";
import { readPacketsSync } from "../../lib/pcap/mod.ts";
import { needNetRaw, run, testIf } from "../_helpers.ts";
import { injectIn, NEED_NETNS as NS, tcpdumpIn, vethPair } from "./_netns.ts";

const RAW = needNetRaw();

Deno.test("pacingDue() spaces packets by rate or interval and floods at 0", () => {
  assert.equal(pacingDue({ rate: 200 }).due(3), 15);
  assert.equal(pacingDue({ interval: 0.5 }).due(2), 1000);
  assert.equal(pacingDue({}).requestedPps, 1);
  assert.throws(() => pacingDue({ rate: 0 }), RangeError);
  assert.throws(() => pacingDue({ interval: -1 }), RangeError);
});

testIf(
  "Injector sends layer 3 batches to 127.0.0.1 that netkit's capture sees, all of them",
  RAW,
  async () => {
    const marker = Deno.pid & 0xffff;
    const plan = parseInjectArgs([
      "udp",
      "--dst",
      "127.0.0.1",
      "--dport",
      "9",
      "--sport",
      String(20000 + (marker % 20000)),
      "-c",
      "500",
      "--id",
      "1",
    ]);
    const cap = openCapture({ interface: "lo", direction: "in", snaplen: 128 });
    let seen = 0;
    const sport = 20000 + (marker % 20000);
    const counting = cap.forEach((p) => {
      const d = p.data;
      // Ethernet + IPv4 (20) + UDP: source port at 34
      if (d.length >= 42 && d[23] === 17 && ((d[34] << 8) | d[35]) === sport) seen++;
    });
    try {
      using inj = Injector.open({ layer: 3, family: 4 });
      const s = await inj.sendFrames(plan.frames, { count: 500, flood: true, batch: 64 });
      assert.equal(s.sent, 500);
      assert.equal(s.failed, 0);
      assert.equal(s.bytes, 500 * 28);
      const deadline = Date.now() + 3000;
      while (seen < 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      cap.close();
      await counting;
    }
    assert.equal(seen, 500);
  },
);

testIf("Injector stops a paced run at durationMs and at an abort", RAW, async () => {
  const plan = parseInjectArgs(["udp", "--dst", "127.0.0.1", "--dport", "9"]);
  using inj = Injector.open({ layer: 3, family: 4 });
  const s = await inj.sendFrames(plan.frames, { count: 1_000_000, rate: 100, durationMs: 100 });
  assert.ok(s.sent >= 1 && s.sent < 1_000_000, `sent ${s.sent}`);
  const ac = new AbortController();
  ac.abort();
  const t = await inj.sendFrames(plan.frames, { count: 10, flood: true, signal: ac.signal });
  assert.equal(t.sent, 0);
});

testIf("Injector refuses a packet of the wrong family and an unknown interface", RAW, () => {
  using inj = Injector.open({ layer: 3, family: 6 });
  const v4 = parseInjectArgs(["icmp", "--dst", "127.0.0.1"]).frames[0];
  assert.throws(() => inj.sendOne(v4), RangeError);
  assert.throws(
    () => Injector.open({ layer: 2, interface: "nk-no-such-if" }),
    (e: unknown) => (e as { code?: string }).code === "ENODEV",
  );
});

testIf(
  "layer 2 frames sent into a veth pair between two namespaces arrive whole (count and bytes)",
  NS,
  async () => {
    const pair = await vethPair("inj", "l2");
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      const args = [
        "udp",
        "-i",
        pair.a,
        "--src-mac",
        "02:00:00:00:00:01",
        "--dst-mac",
        pair.macB,
        "--src",
        "10.77.0.1",
        "--dst",
        "10.77.0.2",
        "--sport",
        "4000",
        "--dport",
        "9",
        "--id",
        "1",
        "--payload",
        "netkit-l2",
        "-c",
        "300",
      ];
      const dump = await tcpdumpIn(pair.nsB, pair.b, file, 300, "udp port 9");
      const r = await injectIn(pair.nsA, [...args, "--rate", "20000"], 30_000);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^sent 300 packets/);
      assert.equal(await dump.done(), 0, "tcpdump saw all 300 before its time limit");
      const expected = parseInjectArgs(args).frames;
      const got = [...readPacketsSync(await Deno.readFile(file))];
      assert.equal(got.length, 300);
      let bytes = 0, want = 0;
      got.forEach((rec, i) => {
        bytes += rec.len;
        want += expected[i % expected.length].length;
        assert.deepEqual(rec.data, expected[i % expected.length], `frame ${i}`);
      });
      assert.equal(bytes, want);
    } finally {
      await Deno.remove(file);
      await pair.close();
    }
  },
);

testIf(
  "an ARP request sent at layer 2 into a veth pair is answered by the far namespace's kernel",
  NS,
  async () => {
    const pair = await vethPair("inj", "arp");
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await run("ip", ["-n", pair.nsB, "addr", "add", "10.76.0.2/24", "dev", pair.b]);
      const dump = await tcpdumpIn(pair.nsB, pair.b, file, 2, "arp");
      const r = await injectIn(pair.nsA, [
        "arp",
        "-i",
        pair.a,
        "--src-mac",
        "02:00:00:00:00:01",
        "--src",
        "10.76.0.1",
        "--dst",
        "10.76.0.2",
      ], 30_000);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await dump.done(), 0, "tcpdump saw the request and the reply");
      const got = [...readPacketsSync(await Deno.readFile(file))];
      assert.equal(got.length, 2);
      const op = (d: Uint8Array) => (d[20] << 8) | d[21];
      assert.deepEqual(got.map((p) => op(p.data)), [1, 2]);
      assert.deepEqual(
        [...got[1].data.subarray(0, 6)],
        [2, 0, 0, 0, 0, 1],
        "the reply goes to the crafted sender MAC",
      );
    } finally {
      await Deno.remove(file);
      await pair.close();
    }
  },
);
