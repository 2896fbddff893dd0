import assert from "node:assert/strict";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { concat } from "../_helpers.ts";
import {
  createWriter,
  encodePcap,
  encodePcapng,
  formatForPath,
  PcapAppender,
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

/** A frame inside a larger buffer, at an offset that is not word-aligned. */
function frameOf(rec: PcapWriteRecord, at: number, extra: Partial<Record<string, unknown>> = {}) {
  const buffer = new Uint8Array(at + rec.data.length + 7).fill(0xee);
  buffer.set(rec.data, at);
  return {
    buffer,
    offset: at,
    caplen: rec.data.length,
    len: rec.len ?? rec.data.length,
    tsSec: rec.tsSec ?? 0,
    tsNsec: rec.tsNsec ?? 0,
    linktype: 1,
    ifIndex: 3,
    ifName: "eth0",
    direction: "in" as const,
    ...extra,
  };
}

for (const format of ["pcap", "pcapng"] as const) {
  for (const byteOrder of ["little", "big"] as const) {
    Deno.test(`writeFrame() writes the same bytes as write() (${format}, ${byteOrder}-endian, ns and µs)`, async () => {
      for (const nanosecond of [false, true]) {
        const opts = { byteOrder, nanosecond, snaplen: 1000 };
        const a: Uint8Array[] = [], b: Uint8Array[] = [];
        const wa = createWriter(format, (c) => void a.push(c.slice()), opts);
        const wb = createWriter(format, (c) => void b.push(c.slice()), { ...opts, reuseChunks: true });
        let i = 0;
        for (const rec of [...RECORDS, { tsSec: 9, tsNsec: 7, data: bytesOf(300, 9) }]) {
          const dir = i % 2 === 0 ? "in" as const : "out" as const;
          const name = i < 3 ? "eth0" : "lo";
          // write() gets the record cut to the snap length by the writer itself, as writeFrame() does.
          await wa.write({
            ...rec,
            linktype: 1,
            ifName: name,
            direction: format === "pcapng" ? dir : undefined,
          });
          const f = frameOf(rec, 1 + (i % 4), { ifName: name, direction: dir });
          assert.equal(wb.writeFrame(f), undefined, "no flush under the buffer size");
          i++;
        }
        await wa.close();
        await wb.close();
        assert.deepEqual(concat(...b), concat(...a));
        const got = [...readPacketsSync(concat(...b))];
        assert.equal(got.length, RECORDS.length + 1);
        assert.equal(got[3].data.length, 1000, "cut to the snap length");
        assert.equal(got[3].len, 1500);
      }
    });
  }
}

Deno.test("writeFrame() into a pcap refuses another link type and a bad timestamp, leaving nothing behind", async () => {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => void chunks.push(c.slice()), { linktype: 1 });
  const rec = { tsSec: 1, tsNsec: 0, data: bytesOf(20, 1) };
  assert.throws(() => w.writeFrame(frameOf(rec, 2, { linktype: 113 })), TypeError);
  assert.throws(() => w.writeFrame(frameOf(rec, 2, { tsNsec: 1e9 })), RangeError);
  assert.throws(() => w.writeFrame(frameOf(rec, 2, { tsSec: -1 })), RangeError);
  w.writeFrame(frameOf(rec, 2));
  await w.close();
  const got = [...readPacketsSync(concat(...chunks))];
  assert.equal(got.length, 1);
  assert.deepEqual(got[0].data, rec.data);
  assert.throws(() => w.writeFrame(frameOf(rec, 2)), TypeError, "after close");
});

Deno.test("a synchronous sink gets each chunk during the flush, so nothing waits on a microtask", () => {
  const seen: number[] = [];
  const w = new PcapWriter((c) => void seen.push(c.length), {
    linktype: 1,
    bufferSize: 100,
    reuseChunks: true,
  });
  const f = frameOf({ tsSec: 1, data: bytesOf(90, 3) }, 2);
  w.writeFrame(f); // header (24) + record (106) passes 100: flushed now
  assert.deepEqual(seen, [24 + 16 + 90]);
  const p = w.writeFrame(f);
  assert.ok(p instanceof Promise, "a write that flushed returns the flush's promise");
  assert.deepEqual(seen, [130, 106]);
});

Deno.test("reuseChunks recycles a chunk's memory only after the sink is done with it", async () => {
  const copies: Uint8Array[] = [];
  let pending: Promise<void> = Promise.resolve();
  // An async sink that reads the chunk only later: the writer must not reuse the memory before it settles.
  const w = new PcapWriter((c) => {
    pending = new Promise<void>((r) => setTimeout(r, 5)).then(() => void copies.push(c.slice()));
    return pending;
  }, { linktype: 1, bufferSize: 64, reuseChunks: true });
  const recs = [1, 2, 3, 4, 5, 6].map((k) => ({ tsSec: k, data: bytesOf(60, k) }));
  for (const r of recs) w.writeFrame(frameOf(r, 3));
  await w.close();
  const got = [...readPacketsSync(concat(...copies))];
  assert.deepEqual(got.map((p) => p.tsSec), [1, 2, 3, 4, 5, 6]);
  got.forEach((p, i) => assert.deepEqual(p.data, recs[i].data));
});

Deno.test("a synchronous sink that throws makes the flush reject and every later flush too", async () => {
  let calls = 0;
  const w = new PcapWriter(() => {
    calls++;
    throw new Error("disk full");
  }, { linktype: 1, bufferSize: 10, reuseChunks: true });
  const p = w.writeFrame(frameOf({ tsSec: 1, data: bytesOf(20, 1) }, 0));
  await assert.rejects(p!, /disk full/);
  await assert.rejects(w.flush(), /disk full/);
  await assert.rejects(w.close(), /disk full/);
  assert.equal(calls, 1, "no chunk handed over after the failure");
});

for (const byteOrder of ["little", "big"] as const) {
  for (const nanosecond of [false, true]) {
    Deno.test(`PcapAppender writes PcapWriter's bytes (${byteOrder}-endian, ${nanosecond ? "ns" : "µs"})`, async () => {
      const snaplen = 1000;
      const ref: Uint8Array[] = [], got: Uint8Array[] = [];
      const w = new PcapWriter((c) => void ref.push(c.slice()), {
        byteOrder,
        nanosecond,
        snaplen,
        linktype: 113,
      });
      // A small buffer, so several flushes happen and each must end on a record.
      const a = new PcapAppender((c) => void got.push(c.slice()), {
        byteOrder,
        nanosecond,
        snaplen,
        linktype: 113,
        bufferSize: 700,
      });
      const recs = [...RECORDS, { tsSec: 9, tsNsec: 7, data: bytesOf(600, 9) }, {
        tsSec: 10,
        data: bytesOf(3, 1),
      }];
      recs.forEach((rec, i) => {
        const f = frameOf(rec, i % 5); // offsets 0..4: aligned and not
        a.append(f.buffer, f.offset, f.caplen, f.len, f.tsSec, f.tsNsec);
      });
      for (const rec of recs) await w.write({ ...rec, linktype: 113 });
      await w.close();
      a.close();
      assert.deepEqual(concat(...got), concat(...ref));
      assert.equal(a.packets, recs.length);
      assert.ok(got.length >= 2, "flushed more than once");
      for (let i = 1; i <= got.length; i++) {
        // Every prefix of chunks is a whole file: no record is split across chunks.
        const r = readPacketsSync(concat(...got.slice(0, i)));
        [...r];
        assert.equal(r.truncated, false);
      }
    });
  }
}

Deno.test("PcapAppender refuses a bad timestamp without writing, and anything after close()", () => {
  const got: Uint8Array[] = [];
  const a = new PcapAppender((c) => void got.push(c.slice()));
  const buf = bytesOf(40, 2);
  assert.throws(() => a.append(buf, 0, 40, 40, -1, 0), RangeError);
  assert.throws(() => a.append(buf, 0, 40, 40, 1, 1e9), RangeError);
  assert.throws(() => a.append(buf, 0, 40, 40, 1.5, 0), RangeError);
  a.append(buf, 1, 20, 60, 5, 6000);
  a.close();
  a.close(); // idempotent
  assert.throws(() => a.append(buf, 0, 40, 40, 1, 0), TypeError);
  const [p, ...rest] = [...readPacketsSync(concat(...got))];
  assert.equal(rest.length, 0);
  assert.deepEqual([p.tsSec, p.tsNsec, p.len, p.data.length], [5, 6000, 60, 20]);
  assert.deepEqual(p.data, buf.subarray(1, 21));
  assert.throws(() => new PcapAppender(() => {}, { bufferSize: 0 }), RangeError);
  assert.throws(() => new PcapAppender(() => {}, { linktype: -1 }), RangeError);
});

Deno.test("PcapAppender passes on what the sink throws", () => {
  const a = new PcapAppender(() => {
    throw new Error("disk full");
  }, { bufferSize: 10 });
  assert.throws(() => a.append(bytesOf(20, 1), 0, 20, 20, 1, 0), /disk full/);
});
