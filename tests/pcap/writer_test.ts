import assert from "node:assert/strict";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { concat } from "../_helpers.ts";
import {
  createWriter,
  encodePcap,
  encodePcapng,
  formatForPath,
  PcapngWriter,
  PcapWriter,
  type PcapWriteRecord,
} from "../../lib/pcap/writer.ts";

function bytesOf(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

const RECORDS: PcapWriteRecord[] = [
  { tsSec: 0, tsNsec: 0, data: new Uint8Array(0) },
  { tsSec: 1, tsNsec: 999_999_999, data: bytesOf(1, 1) },
  { tsSec: 1700000000, tsNsec: 123_456_789, data: bytesOf(3, 2), len: 1514 },
  { tsSec: 0xffffffff, tsNsec: 1_000, data: bytesOf(1500, 3) },
  { tsSec: 1700000001, tsNsec: 5, data: bytesOf(61, 4) },
];

for (const byteOrder of ["little", "big"] as const) {
  for (const nanosecond of [false, true]) {
    const label = `${byteOrder}-endian ${nanosecond ? "ns" : "µs"}`;

    Deno.test(`pcap round trip, ${label}`, () => {
      const file = encodePcap(RECORDS, { byteOrder, nanosecond, linktype: 101, snaplen: 65535 });
      const reader = readPacketsSync(file);
      const got = [...reader];
      assert.equal(reader.format, "pcap");
      assert.equal(reader.byteOrder, byteOrder);
      assert.equal(reader.nanosecond, nanosecond);
      assert.equal(reader.linktype, 101);
      assert.equal(reader.snaplen, 65535);
      assert.equal(reader.truncated, false);
      assert.equal(got.length, RECORDS.length);
      got.forEach((p, i) => {
        const r = RECORDS[i];
        assert.equal(p.tsSec, r.tsSec);
        assert.equal(p.tsNsec, nanosecond ? r.tsNsec : Math.floor(r.tsNsec! / 1000) * 1000);
        assert.deepEqual(p.data, r.data);
        assert.equal(p.len, r.len ?? r.data.length);
        assert.equal(p.linktype, 101);
      });
    });

    Deno.test(`pcapng round trip, ${label}, with interfaces, directions, flags and comments`, () => {
      const recs: PcapWriteRecord[] = RECORDS.map((r, i) => ({
        ...r,
        ifName: i % 2 ? "eth0" : "lo",
        linktype: i % 2 ? 1 : 113,
        direction: i === 1 ? "in" : i === 2 ? "out" : undefined,
        flags: i === 3 ? 0x1c : undefined, // reception type bits only
        comment: i === 4 ? "héllo\nworld" : undefined,
      }));
      const file = encodePcapng(recs, { byteOrder, nanosecond });
      const reader = readPacketsSync(file);
      const got = [...reader];
      assert.equal(reader.format, "pcapng");
      assert.equal(reader.byteOrder, byteOrder);
      assert.deepEqual(reader.interfaces.map((f) => [f.name, f.linktype, f.unitsPerSecond]), [
        ["lo", 113, nanosecond ? 10n ** 9n : 10n ** 6n],
        ["eth0", 1, nanosecond ? 10n ** 9n : 10n ** 6n],
      ]);
      got.forEach((p, i) => {
        const r = recs[i];
        assert.equal(p.tsSec, r.tsSec);
        assert.equal(p.tsNsec, nanosecond ? r.tsNsec : Math.floor(r.tsNsec! / 1000) * 1000);
        assert.deepEqual(p.data, r.data);
        assert.equal(p.len, r.len ?? r.data.length);
        assert.equal(p.ifName, r.ifName);
        assert.equal(p.ifIndex, i % 2 ? 1 : 0);
        assert.equal(p.linktype, r.linktype);
        assert.equal(p.direction, r.direction);
        assert.equal(p.comment, r.comment);
      });
      assert.equal(got[3].flags, 0x1c);
      assert.equal(got[1].flags, 1);
      assert.equal(got[0].flags, undefined);
    });
  }
}

Deno.test("PcapngWriter writes one interface block per interface, just before its first packet", () => {
  const file = encodePcapng([
    { data: bytesOf(10, 0), ifIndex: 0 },
    { data: bytesOf(10, 0), ifIndex: 0 },
    { data: bytesOf(10, 0), ifIndex: 5 },
    { data: bytesOf(10, 0), ifIndex: 0, linktype: 101 }, // same index, other link type: a new interface
    { data: bytesOf(10, 0), ifIndex: 5 },
  ]);
  const dv = new DataView(file.buffer);
  const types: number[] = [];
  for (let off = 0; off < file.length; off += dv.getUint32(off + 4, true)) {
    types.push(dv.getUint32(off, true));
  }
  assert.deepEqual(types, [0x0a0d0d0a, 1, 6, 6, 1, 6, 1, 6, 6]);
  const reader = readPacketsSync(file);
  assert.deepEqual([...reader].map((p) => p.ifIndex), [0, 0, 1, 2, 1]);
  assert.deepEqual(reader.interfaces.map((i) => i.linktype), [1, 1, 101]);
});

Deno.test("a snap length cuts the data and keeps the wire length", () => {
  for (const enc of [encodePcap, encodePcapng]) {
    const [p] = readPacketsSync(enc([{ data: bytesOf(100, 9) }], { snaplen: 64 }));
    assert.equal(p.caplen, 64);
    assert.equal(p.len, 100);
    assert.deepEqual(p.data, bytesOf(100, 9).subarray(0, 64));
  }
});

Deno.test("a file with no packets is a valid file", async () => {
  for (const fmt of ["pcap", "pcapng"] as const) {
    const chunks: Uint8Array[] = [];
    await createWriter(fmt, (c) => void chunks.push(c)).close();
    const reader = readPacketsSync(concat(...chunks));
    assert.deepEqual([...reader], []);
    assert.equal(reader.format, fmt);
    assert.equal(reader.truncated, false);
  }
});

Deno.test("flushEachPacket hands header and packet to the sink before write() resolves", async () => {
  for (const fmt of ["pcap", "pcapng"] as const) {
    const chunks: Uint8Array[] = [];
    const w = createWriter(fmt, (c) => void chunks.push(c), { flushEachPacket: true });
    for (let i = 0; i < 3; i++) {
      await w.write({ tsSec: i, data: bytesOf(20, i) });
      const reader = readPacketsSync(concat(...chunks));
      assert.equal([...reader].length, i + 1, `${fmt}: packet ${i} is in the sink`);
      assert.equal(reader.truncated, false);
    }
    assert.equal(w.packets, 3);
    await w.close();
    assert.equal(w.bytesWritten, concat(...chunks).length);
  }
});

Deno.test("a buffered writer holds packets until the buffer fills, flush() or close(); chunks end on records", async () => {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => void chunks.push(c), { bufferSize: 1000 });
  await w.write({ data: bytesOf(100, 0) });
  assert.equal(chunks.length, 0);
  await w.flush();
  assert.equal(chunks.length, 1);
  for (let i = 0; i < 30; i++) await w.write({ tsSec: i, data: bytesOf(100, i) });
  assert.ok(chunks.length >= 3 && chunks.length < 10, `${chunks.length} chunks`);
  // Whatever reached the sink so far is a complete file: no half record.
  for (let k = 1; k <= chunks.length; k++) {
    assert.equal(readPacketsSync(concat(...chunks.slice(0, k))).truncated, false);
  }
  await w.close();
  assert.equal([...readPacketsSync(concat(...chunks))].length, 31);
});

Deno.test("writes not awaited one by one still reach an async sink in order", async () => {
  const chunks: Uint8Array[] = [];
  const slowSink = async (c: Uint8Array) => {
    await new Promise((r) => setTimeout(r, c.length % 3));
    chunks.push(c);
  };
  const w = new PcapngWriter(slowSink, { flushEachPacket: true });
  await Promise.all(Array.from({ length: 20 }, (_, i) => w.write({ tsSec: i, data: bytesOf(i + 1, i) })));
  await w.close();
  assert.deepEqual(
    [...readPacketsSync(concat(...chunks))].map((p) => p.tsSec),
    Array.from({ length: 20 }, (_, i) => i),
  );
});

Deno.test("a writer into a real file's writable leaves a complete file, and closes it", async () => {
  const path = await Deno.makeTempFile({ suffix: ".pcapng" });
  try {
    const file = await Deno.open(path, { write: true, truncate: true });
    const w = createWriter(formatForPath(path), file.writable, { nanosecond: true });
    for (let i = 0; i < 100; i++) {
      await w.write({ tsSec: 1700000000 + i, tsNsec: i, data: bytesOf(60, i), ifName: "x" });
    }
    await w.close(); // closes the file: the sanitizer would report it otherwise
    const reader = readPacketsSync(await Deno.readFile(path));
    const recs = [...reader];
    assert.equal(reader.format, "pcapng");
    assert.equal(recs.length, 100);
    assert.equal(recs[99].tsNsec, 99);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("keepOpen releases a stream sink without closing it", async () => {
  const chunks: Uint8Array[] = [];
  const stream = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
  const w = new PcapWriter(stream, { keepOpen: true });
  await w.write({ data: bytesOf(10, 1) });
  await w.close();
  const again = stream.getWriter(); // the lock was released
  await again.write(new Uint8Array(1));
  await again.close();
  assert.equal(chunks.length, 2);
});

Deno.test("a sink that fails makes write() and close() reject", async () => {
  const w = new PcapWriter(() => Promise.reject(new Error("disk full")), { flushEachPacket: true });
  await assert.rejects(() => w.write({ data: bytesOf(10, 1) }), /disk full/);
  await assert.rejects(() => w.close(), /disk full/);
});

Deno.test("bad arguments throw TypeError or RangeError naming the value, and leave the file valid", async () => {
  assert.throws(() => new PcapWriter(() => {}, { snaplen: 0 }), /snaplen .* got 0/);
  assert.throws(() => new PcapWriter(() => {}, { linktype: 70000 }), /linktype .* got 70000/);
  assert.throws(() => new PcapngWriter(() => {}, { linktype: -1 }), RangeError);
  assert.throws(() => new PcapWriter(() => {}, { byteOrder: "middle" as "big" }), /byteOrder .* middle/);
  assert.throws(() => encodePcap([{ data: new Uint8Array(1), tsSec: -1 }]), /tsSec .* got -1/);
  assert.throws(() => encodePcap([{ data: new Uint8Array(1), tsSec: 2 ** 32 }]), RangeError);
  assert.throws(() => encodePcapng([{ data: new Uint8Array(1), tsNsec: 1e9 }]), /tsNsec .* got 1000000000/);
  assert.throws(() => encodePcapng([{ data: new Uint8Array(1), tsSec: 1.5 }]), RangeError);
  assert.throws(() => createWriter("erf" as "pcap", () => {}), /unknown capture format: erf/);

  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => void chunks.push(c));
  await assert.rejects(
    () => w.write({ data: new Uint8Array(4), linktype: 113 }),
    /one link type \(1\).* 113/,
  );
  await assert.rejects(() => w.write({ data: new Uint8Array(4), tsNsec: -5 }), RangeError);
  await w.write({ data: new Uint8Array(4), linktype: 1 });
  await w.close();
  await w.close(); // idempotent
  await assert.rejects(() => w.write({ data: new Uint8Array(4) }), /after close/);
  const reader = readPacketsSync(concat(...chunks));
  assert.equal([...reader].length, 1);
  assert.equal(reader.truncated, false);
});

Deno.test("formatForPath() picks pcapng for .pcapng and .ntar, pcap otherwise, an explicit choice first", () => {
  assert.equal(formatForPath("x.pcapng"), "pcapng");
  assert.equal(formatForPath("/a/b.NTAR"), "pcapng");
  assert.equal(formatForPath("x.pcap"), "pcap");
  assert.equal(formatForPath("x.cap"), "pcap");
  assert.equal(formatForPath("pcapng"), "pcap");
  assert.equal(formatForPath("-"), "pcap");
  assert.equal(formatForPath("x.pcap", "pcapng"), "pcapng");
  assert.equal(formatForPath("x.pcapng", "pcap"), "pcap");
  assert.throws(() => formatForPath("x", "pcap-ng"), /unknown capture format "pcap-ng"/);
});
