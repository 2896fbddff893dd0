import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { Rng } from "./_rand.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { formatJson, JsonLineWriter, jsonRecord } from "../../lib/wire/json.ts";
import type { JsonMeta } from "../../lib/wire/json.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { repoPath } from "../_helpers.ts";
import { hex } from "../_bytes.ts";

const d = new PacketDecoder();
const same = (frame: Uint8Array, linktype: number, meta: JsonMeta, what: string) => {
  const r = d.decode(frame, linktype);
  const fast = formatJson(r, meta);
  assert.equal(fast, JSON.stringify(jsonRecord(d.decode(frame, linktype), meta)), what);
};

Deno.test("formatJson() writes exactly JSON.stringify(jsonRecord()) for every fixture and corpus packet", () => {
  let n = 0;
  for (const f of FIXTURES) {
    const b = fixtureBytes(f);
    same(b, f.linktype, { n: ++n, ts: 1700000000.123456, len: b.length, caplen: b.length }, f.name);
  }
  const dir = repoPath("tests/fixtures/corpus");
  for (const e of Deno.readDirSync(dir)) {
    if (!/\.pcap(ng)?$/.test(e.name)) continue;
    try {
      for (const p of readPacketsSync(Deno.readFileSync(`${dir}/${e.name}`))) {
        const meta: JsonMeta = { n: ++n, ts: p.tsSec + p.tsNsec / 1e9, len: p.len, caplen: p.caplen };
        if (p.ifName !== undefined) meta.ifname = p.ifName;
        if (p.direction !== undefined) meta.dir = p.direction;
        same(p.data, p.linktype, meta, e.name);
      }
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err; // else a corrupt file of the corpus: its end
    }
  }
  assert(n > 50, `only ${n} packets compared`);
});

Deno.test("formatJson() matches JSON.stringify on mutated frames, odd names and non-finite numbers", () => {
  const rng = new Rng(11);
  const names = ["lo", "eth0", 'we"ird\\name', "tab\there", "é", "veth-1.2:3"];
  for (let i = 0; i < 3000; i++) {
    const f = rng.pick(FIXTURES);
    const b = fixtureBytes(f).slice();
    for (let k = rng.int(4); k > 0; k--) b[rng.int(b.length)] = rng.u32() & 0xff;
    const cut = rng.bool() ? b.subarray(0, rng.int(b.length + 1)) : b;
    const ts = rng.pick([0, 1.5, 1700000000.000001, -0, NaN, Infinity]);
    same(
      cut,
      f.linktype,
      { n: i, ts, len: b.length, caplen: cut.length, ifname: rng.pick(names), dir: "in" },
      f.name,
    );
  }
});

/** 802.11 frames (link type 105) and radiotap + 802.11 (127): the `radiotap` and `wlan` layers. */
const WLAN: [string, number][] = [
  // Data, ToDS: LLC/SNAP, IPv4, UDP 1000 > 2000.
  [
    "0801 2c00 001122334455 66778899aabb deadbeef0001 6045 aaaa03 000000 0800" +
    "4500001e00010000401166cc0a0000010a00000203e807d0000a77b66869",
    105,
  ],
  // QoS data, ToDS and FromDS (four addresses), HT control: ARP.
  [
    "8883 2c00 001122334455 66778899aabb deadbeef0001 6045 020000000004 0500 11223344 aaaa03 000000 0806" +
    "0001 0800 0604 0001 66778899aabb 0a000001 000000000000 0a000002",
    105,
  ],
  // Beacon: SSID "myssid", rates.
  [
    "8000 3a01 ffffffffffff 66778899aabb deadbeef0001 3012 0000000000000000 6400 1104 0006 6d7973736964 0104 82848b96",
    105,
  ],
  // RTS; PS-Poll (its duration/ID field an association id); protected data.
  ["b400 f401 001122334455 66778899aabb", 105],
  ["a400 01c0 001122334455 66778899aabb", 105],
  ["0841 0000 001122334455 66778899aabb deadbeef0001 0000 01020320 00000000 aabbccdd", 105],
  // Radiotap: TSFT, flags, rate, channel, signal, noise, antenna; then the data frame above.
  [
    "0000 1900 6f080000 40e2010001000000 02 16 8509 a000 d8 a6 01" +
    "0801 2c00 001122334455 66778899aabb deadbeef0001 6045 aaaa03 000000 0800" +
    "4500001e00010000401166cc0a0000010a00000203e807d0000a77b66869",
    127,
  ],
  // Radiotap flags with FCS: an ACK and its FCS; two presence words (a second radiotap namespace): a CTS.
  ["0000 0900 02000000 10 d400 0000 001122334455 0a0b0c0d", 127],
  ["0000 1000 220000a0 20080000 10 c0 b0 01 c400 1e00 001122334455 0a0b0c0d", 127],
];

Deno.test("formatJson() matches JSON.stringify on 802.11 and radiotap frames, whole, cut and mutated", () => {
  const rng = new Rng(13);
  let n = 0;
  for (const [h, linktype] of WLAN) {
    const b = hex(h.replaceAll(" ", ""));
    for (let cut = 0; cut <= b.length; cut++) {
      same(b.subarray(0, cut), linktype, { n: ++n, ts: 1.5, len: b.length, caplen: cut }, `${h} [0:${cut}]`);
    }
    assert.ok(d.decode(b, linktype).layers.some((l) => l.layer === "wlan"), h);
  }
  for (let i = 0; i < 3000; i++) {
    const [h, linktype] = rng.pick(WLAN);
    const b = hex(h.replaceAll(" ", ""));
    for (let k = 1 + rng.int(4); k > 0; k--) b[rng.int(b.length)] = rng.u32() & 0xff;
    same(b, linktype, { n: i, ts: 0, len: b.length, caplen: b.length, ifname: "wlan0mon" }, h);
  }
});

Deno.test("JsonLineWriter: exact ts from seconds and nanoseconds, the rest as JSON.stringify, lines in order", () => {
  const rng = new Rng(12);
  const w = new JsonLineWriter(1); // grows from its smallest size
  const want: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const f = rng.pick(FIXTURES);
    const b = fixtureBytes(f);
    const sec = rng.pick([0, 1, 1700000000, 4294967295, 4294967296 * 3, rng.u32()]);
    const ns = rng.pick([0, 1, 10, 999_999_999, 500_000_000, 123_456_000, rng.int(1e9)]);
    const name = i % 7 === 0 ? "x".repeat(rng.int(3000)) : rng.pick(["lo", "eth0", 'a"b']);
    const meta: JsonMeta = { n: i, ts: sec, tsNsec: ns, len: b.length, caplen: b.length, ifname: name };
    w.write(d.decode(b, f.linktype), meta);
    // The decimal written by hand, from integers only: nine digits, trailing zeros dropped.
    const frac = String(ns).padStart(9, "0").replace(/0+$/, "");
    const ts = frac === "" ? String(sec) : `${sec}.${frac}`;
    const plain = JSON.stringify(jsonRecord(d.decode(b, f.linktype), { ...meta, ts: 0, tsNsec: undefined }));
    want.push(plain.replace('"ts":0,', `"ts":${ts},`));
    if (rng.int(50) === 0) {
      const got = new TextDecoder().decode(w.take());
      assert.equal(got, want.join("\n") + "\n");
      assert.equal(w.length, 0);
      want.length = 0;
    }
  }
  assert.equal(new TextDecoder().decode(w.take()), want.length ? want.join("\n") + "\n" : "");
});

Deno.test("JsonLineWriter: seconds it cannot write exactly fall back to the number's JSON form", () => {
  const w = new JsonLineWriter();
  const b = fixtureBytes(FIXTURES[0]);
  for (const [ts, tsNsec] of [[-2, 500_000_000], [1.5, 1], [NaN, 3], [1, 1e9], [1, -1], [1, 0.5]]) {
    const meta: JsonMeta = { n: 1, ts, tsNsec, len: b.length, caplen: b.length };
    w.write(d.decode(b, FIXTURES[0].linktype), meta);
    const got = new TextDecoder().decode(w.take());
    assert.equal(
      got,
      JSON.stringify(jsonRecord(d.decode(b, FIXTURES[0].linktype), meta)) + "\n",
      `${ts} ${tsNsec}`,
    );
  }
});
