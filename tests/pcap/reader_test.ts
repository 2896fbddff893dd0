import assert from "node:assert/strict";
import { repoPath } from "../_helpers.ts";
import {
  PcapError,
  type PcapErrorCode,
  PcapReader,
  type PcapRecord,
  readPackets,
  readPacketsSync,
} from "../../lib/pcap/reader.ts";
import { encodePcap, encodePcapng } from "../../lib/pcap/writer.ts";

const CORPUS = repoPath("tests/fixtures/corpus");

interface ManifestEntry {
  format: string | null;
  linktype?: number;
  packets: number | null;
  nanosecond?: boolean;
  byteOrder?: string;
  error?: PcapErrorCode;
  bytes: number;
}
const MANIFEST: Record<string, ManifestEntry> = JSON.parse(Deno.readTextFileSync(`${CORPUS}/manifest.json`));

/** A stream that hands `bytes` out in chunks of `size` (1 exercises every split point). */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, off + size));
      off += size;
    },
  });
}

function summary(p: PcapRecord): string {
  return [
    p.tsSec,
    p.tsNsec,
    p.caplen,
    p.len,
    p.linktype,
    p.ifIndex,
    p.ifName,
    p.direction,
    p.comment,
    Array.from(p.data.subarray(0, 8)).join("."),
  ].join("|");
}

async function readAll(src: ReadableStream<Uint8Array>): Promise<{ reader: PcapReader; recs: string[] }> {
  const reader = readPackets(src);
  const recs: string[] = [];
  for await (const p of reader) recs.push(summary(p));
  return { reader, recs };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof PcapError) return e.code;
    throw e;
  }
  return "no error";
}

// ---- the corpus

for (const [name, m] of Object.entries(MANIFEST)) {
  Deno.test(`readPacketsSync() reads corpus ${name} as the manifest says`, () => {
    const bytes = Deno.readFileSync(`${CORPUS}/${name}`);
    if (m.error) {
      assert.equal(codeOf(() => [...readPacketsSync(bytes)]), m.error);
      return;
    }
    const reader = readPacketsSync(bytes);
    const recs = [...reader];
    assert.equal(recs.length, m.packets);
    assert.equal(reader.format, m.format);
    assert.equal(reader.linktype, m.linktype);
    if (m.byteOrder) assert.equal(reader.byteOrder, m.byteOrder);
    if (m.nanosecond !== undefined) assert.equal(reader.nanosecond, m.nanosecond);
    assert.equal(reader.truncated, name.startsWith("truncated"));
    for (const p of recs) {
      assert.equal(p.data.length, p.caplen);
      assert.ok(p.tsNsec >= 0 && p.tsNsec < 1e9);
      assert.ok(p.tsSec >= 1700000000 && p.tsSec < 1700000010, `tsSec ${p.tsSec}`);
    }
  });
}

Deno.test("a stream in chunks of 1, 7 and 4096 bytes yields what the bytes yield, for every corpus file", async () => {
  for (const [name, m] of Object.entries(MANIFEST)) {
    if (m.error || name === "mixed.pcap") continue;
    const bytes = Deno.readFileSync(`${CORPUS}/${name}`);
    const want = [...readPacketsSync(bytes)].map(summary);
    for (const size of [1, 7, 4096]) {
      const { reader, recs } = await readAll(chunked(bytes, size));
      assert.deepEqual(recs, want, `${name} in chunks of ${size}`);
      assert.equal(reader.truncated, name.startsWith("truncated"), name);
    }
  }
});

Deno.test("readPackets() over a real file's readable reads mixed.pcap like the bytes", async () => {
  const path = `${CORPUS}/mixed.pcap`;
  const want = [...readPacketsSync(Deno.readFileSync(path))].map(summary);
  using f = await Deno.open(path);
  const { reader, recs } = await readAll(f.readable);
  assert.equal(recs.length, 4000);
  assert.deepEqual(recs, want);
  assert.equal(reader.packets, 4000);
});

Deno.test("breaking out of a stream read cancels the stream (no leaked file)", async () => {
  const f = await Deno.open(`${CORPUS}/mixed.pcap`);
  let n = 0;
  for await (const _ of readPackets(f.readable)) if (++n === 3) break;
  assert.equal(n, 3);
});

Deno.test("two_interfaces.pcapng: interface names, link types, directions, comment, resolutions", () => {
  const reader = readPacketsSync(Deno.readFileSync(`${CORPUS}/two_interfaces.pcapng`));
  const recs = [...reader];
  assert.deepEqual(recs.map((p) => [p.ifIndex, p.ifName, p.linktype, p.direction]), [
    [0, "eth0", 1, "out"],
    [1, "any", 113, "in"],
    [0, "eth0", 1, undefined],
    [0, "eth0", 1, "in"],
  ]);
  assert.equal(recs[0].comment, "outbound on eth0");
  assert.deepEqual(recs.map((p) => [p.tsSec, p.tsNsec]), [
    [1700000000, 0],
    [1700000000, 1000000], // the µs interface: 1000137 ns kept as 1000 µs
    [1700000000, 2000274],
    [1700000000, 3000411],
  ]);
  assert.equal(recs[3].caplen, 30);
  assert.equal(recs[3].len, 45);
  assert.deepEqual(reader.interfaces.map((i) => [i.name, i.unitsPerSecond]), [["eth0", 10n ** 9n], [
    "any",
    10n ** 6n,
  ]]);
});

Deno.test("two_sections_mixed_endian.pcapng: a second, big-endian section numbers its interfaces anew", () => {
  const reader = readPacketsSync(Deno.readFileSync(`${CORPUS}/two_sections_mixed_endian.pcapng`));
  const recs = [...reader];
  assert.deepEqual(recs.map((p) => [p.ifIndex, p.ifName, p.linktype, p.caplen]), [
    [0, "s0eth", 1, 45],
    [0, "s0eth", 1, 45],
    [1, "s1if", 101, 28],
    [1, "s1if", 101, 28],
  ]);
  assert.equal(reader.sections, 2);
  assert.equal(reader.byteOrder, "big");
  assert.equal(recs[2].data[0], 0x45);
});

// ---- pcapng features built by hand: a tiny block builder

function block(type: number, body: number[], le = true): number[] {
  while (body.length % 4) body.push(0);
  const len = body.length + 12;
  return [...u32(type, le), ...u32(len, le), ...body, ...u32(len, le)];
}
function u32(v: number, le = true): number[] {
  const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  return le ? b : b.reverse();
}
function u16(v: number, le = true): number[] {
  const b = [v & 0xff, v >>> 8];
  return le ? b : b.reverse();
}
function opt(code: number, value: number[], le = true): number[] {
  const v = [...value];
  while (v.length % 4) v.push(0);
  return [...u16(code, le), ...u16(value.length, le), ...v];
}
const END = [0, 0, 0, 0];
const SHB = block(0x0a0d0d0a, [
  ...u32(0x1a2b3c4d),
  ...u16(1),
  ...u16(0),
  ...u32(0xffffffff),
  ...u32(0xffffffff),
]);
function idb(linktype: number, snaplen: number, opts: number[] = []): number[] {
  return block(1, [...u16(linktype), 0, 0, ...u32(snaplen), ...opts]);
}
function epb(
  ifId: number,
  hi: number,
  lo: number,
  data: number[],
  opts: number[] = [],
  len = data.length,
): number[] {
  const d = [...data];
  while (d.length % 4) d.push(0);
  return block(6, [...u32(ifId), ...u32(hi), ...u32(lo), ...u32(data.length), ...u32(len), ...d, ...opts]);
}

Deno.test("if_tsresol of a power of 2 and if_tsoffset convert exactly", () => {
  // 2^-10 s ticks: 1024 * 5 + 512 ticks = 5.5 s; offset 1000 s.
  const tsoff = [0xe8, 0x03, 0, 0, 0, 0, 0, 0];
  const f = new Uint8Array([
    ...SHB,
    ...idb(1, 0, [...opt(9, [0x8a]), ...opt(14, tsoff), ...END]),
    ...epb(0, 0, 1024 * 5 + 512, [1, 2, 3]),
  ]);
  const [p] = readPacketsSync(f);
  assert.equal(p.tsSec, 1005);
  assert.equal(p.tsNsec, 500_000_000);
});

Deno.test("if_tsresol 10^-9, 10^-3 and 10^-12 keep every nanosecond that fits", () => {
  const split = (t: bigint) => [Number(t >> 32n), Number(t & 0xffffffffn)] as const;
  const f = new Uint8Array([
    ...SHB,
    ...idb(1, 0, [...opt(9, [9]), ...END]),
    ...idb(1, 0, [...opt(9, [3]), ...END]),
    ...idb(1, 0, [...opt(9, [12]), ...END]),
    ...epb(0, ...split(1_700_000_000_123_456_789n), [0]),
    ...epb(1, ...split(1_700_000_000_123n), [0]),
    ...epb(2, ...split(1_000_000_123_456_789_012n), [0]), // picoseconds: the last 3 digits are dropped
  ]);
  const recs = [...readPacketsSync(f)].map((p) => [p.tsSec, p.tsNsec]);
  assert.deepEqual(recs, [[1700000000, 123456789], [1700000000, 123000000], [1000000, 123456789]]);
});

Deno.test("simple and obsolete packet blocks are read; statistics, name and unknown blocks skipped", () => {
  const spb = block(3, [...u32(100), ...Array(100).fill(7)]);
  const opb = block(2, [
    ...u16(0),
    ...u16(0),
    ...u32(0),
    ...u32(2_000_000),
    ...u32(4),
    ...u32(4),
    9,
    9,
    9,
    9,
    ...opt(
      2,
      u32(2),
    ),
    ...END,
  ]);
  const f = new Uint8Array([
    ...SHB,
    ...idb(1, 64, [...opt(2, [...new TextEncoder().encode("eth9")]), ...END]),
    ...block(5, [...u32(0), ...u32(0), ...u32(0)]), // ISB
    ...block(4, [...u16(0), ...u16(0)]), // NRB, end only
    ...block(0x40000bad, [...u32(1), 1, 2, 3, 4]), // custom
    ...block(0x12345678, [1, 2, 3, 4]), // unknown
    ...spb,
    ...opb,
  ]);
  const recs = [...readPacketsSync(f)];
  assert.equal(recs.length, 2);
  assert.deepEqual([recs[0].caplen, recs[0].len, recs[0].ifName, recs[0].tsSec], [64, 100, "eth9", 0]);
  assert.deepEqual([recs[1].caplen, recs[1].tsSec, recs[1].direction], [4, 2, "out"]);
});

Deno.test("several opt_comment options are joined and unknown EPB options ignored", () => {
  const te = new TextEncoder();
  const f = new Uint8Array([
    ...SHB,
    ...idb(1, 0),
    ...epb(0, 0, 0, [1], [
      ...opt(1, [...te.encode("a")]),
      ...opt(99, [1, 2]),
      ...opt(1, [...te.encode("b")]),
      ...END,
    ]),
  ]);
  const [p] = readPacketsSync(f);
  assert.equal(p.comment, "a\nb");
  assert.equal(p.direction, undefined);
});

// ---- truncation: whole packets, then a warning

Deno.test("every prefix of a pcap and a pcapng yields the whole packets, then a warning or a header error", () => {
  for (const file of ["udp.pcap", "two_interfaces.pcapng"]) {
    const bytes = Deno.readFileSync(`${CORPUS}/${file}`);
    const full = [...readPacketsSync(bytes)].map(summary);
    let lastCount = 0;
    let warnings = 0;
    for (let cut = 0; cut < bytes.length; cut++) {
      const prefix = bytes.subarray(0, cut);
      const reader = readPacketsSync(prefix);
      let recs: string[];
      try {
        recs = [...reader].map(summary);
      } catch (e) {
        assert.ok(e instanceof PcapError, `${file} cut at ${cut}: ${e}`);
        assert.ok(e.code === "EMPTY" || e.code === "TRUNCATED_HEADER", `${file} cut at ${cut}: ${e.code}`);
        continue;
      }
      assert.deepEqual(recs, full.slice(0, recs.length));
      assert.ok(recs.length >= lastCount);
      lastCount = recs.length;
      if (reader.truncated) {
        warnings++;
        assert.match(reader.warning!, /^truncated capture file: .* at byte \d+ needs \d+ bytes/);
      }
      if (cut === bytes.length - 1) assert.ok(reader.truncated, `${file} cut 1 byte short is truncated`);
    }
    assert.ok(lastCount >= full.length - 1); // the pcapng ends with a statistics block, after its last packet
    assert.ok(warnings > bytes.length / 2, `${warnings} warnings`);
  }
});

Deno.test("truncated_record.pcap read as a stream warns after 4 packets", async () => {
  using f = await Deno.open(`${CORPUS}/truncated_record.pcap`);
  const { reader, recs } = await readAll(f.readable);
  assert.equal(recs.length, 4);
  assert.equal(reader.truncated, true);
  assert.equal(
    reader.warning,
    "truncated capture file: record at byte 264 needs 60 bytes, only 50 present (4 whole packets read)",
  );
});

// ---- corrupt headers: PcapError with a stable code

Deno.test("corrupt headers throw PcapError with a stable code and a one-line message", () => {
  const good = encodePcap([{ data: new Uint8Array(10) }]);
  const ng = encodePcapng([{ data: new Uint8Array(10) }]);
  const mutate = (b: Uint8Array, at: number, bytes: number[]) => {
    const c = b.slice();
    c.set(bytes, at);
    return c;
  };
  const cases: [string, Uint8Array, PcapErrorCode][] = [
    ["empty input", new Uint8Array(0), "EMPTY"],
    ["3 bytes", good.subarray(0, 3), "TRUNCATED_HEADER"],
    ["half a pcap header", good.subarray(0, 12), "TRUNCATED_HEADER"],
    ["half a section header", ng.subarray(0, 20), "TRUNCATED_HEADER"],
    ["bad magic", mutate(good, 0, [1, 2, 3, 4]), "BAD_MAGIC"],
    ["pcap version 3", mutate(good, 4, [3, 0]), "BAD_VERSION"],
    ["caplen over 256 MiB", mutate(good, 24 + 8, [0, 0, 0, 0x20]), "BAD_LENGTH"],
    ["pcapng bad byte-order magic", mutate(ng, 8, [0, 0, 0, 0]), "BAD_MAGIC"],
    ["pcapng version 2", mutate(ng, 12, [2, 0]), "BAD_VERSION"],
    ["pcapng block length 5", mutate(ng, 4, [5, 0, 0, 0]), "BAD_LENGTH"],
    ["pcapng block length 2 GiB", mutate(ng, 4, [0, 0, 0, 0x80]), "BAD_LENGTH"],
    ["pcapng trailing length differs", mutate(ng, ng.length - 4, [0xfc, 0, 0, 0]), "BAD_BLOCK"],
  ];
  const shbLen = ng[4];
  const idbLen = ng[shbLen + 4];
  const epbAt = shbLen + idbLen;
  cases.push(["EPB naming interface 1", mutate(ng, epbAt + 8, [1]), "BAD_INTERFACE"]);
  cases.push(["EPB caplen past its block", mutate(ng, epbAt + 20, [200]), "BAD_BLOCK"]);
  for (const [what, bytes, code] of cases) {
    let err: unknown;
    try {
      [...readPacketsSync(bytes)];
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof PcapError, `${what}: ${err}`);
    assert.equal(err.code, code, `${what}: ${err.message}`);
    assert.doesNotMatch(err.message, /\n/);
    assert.equal(err.name, "PcapError");
  }
});

Deno.test("a corrupt stream throws the same PcapError as the bytes", async () => {
  const bytes = Deno.readFileSync(`${CORPUS}/bad_caplen.pcap`);
  await assert.rejects(
    () => readAll(chunked(bytes, 5)),
    (e) => e instanceof PcapError && e.code === "BAD_LENGTH",
  );
  await assert.rejects(
    () => readAll(chunked(new Uint8Array(0), 5)),
    (e) => e instanceof PcapError && e.code === "EMPTY",
  );
});

Deno.test("a reader is iterated once, and synchronously only over bytes", () => {
  const r = readPacketsSync(encodePcap([]));
  assert.deepEqual([...r], []);
  assert.throws(() => [...r], TypeError);
  const s = readPackets(chunked(new Uint8Array(1), 1));
  assert.throws(() => [...s], /Uint8Array source/);
});

// ---- seeded random bytes and mutations: nothing but PcapError escapes

function rng(seed: number): () => number {
  // mulberry32
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("seeded mutations of corpus files and random bytes never throw anything but PcapError", () => {
  const rand = rng(0x5eed);
  const seeds = [
    "two_interfaces.pcapng",
    "two_sections_mixed_endian.pcapng",
    "dns.pcap",
    "big_endian_nano.pcap",
  ]
    .map((n) => Deno.readFileSync(`${CORPUS}/${n}`));
  const outcomes = { ok: 0, truncated: 0, error: 0 };
  for (let i = 0; i < 3000; i++) {
    let bytes: Uint8Array;
    if (i % 10 === 0) {
      bytes = new Uint8Array(Math.floor(rand() * 200));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rand() * 256;
      // Half of the random inputs start with a valid magic so the body gets parsed.
      if (i % 20 === 0 && bytes.length >= 4) {
        bytes.set(i % 40 === 0 ? [0xd4, 0xc3, 0xb2, 0xa1] : [10, 13, 13, 10]);
      }
    } else {
      bytes = seeds[i % seeds.length].slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < flips; j++) {
        const at = Math.floor(rand() * bytes.length);
        bytes[at] = rand() < 0.5 ? rand() * 256 : bytes[at] ^ (1 << Math.floor(rand() * 8));
      }
      if (rand() < 0.2) bytes = bytes.subarray(0, Math.floor(rand() * bytes.length));
    }
    const reader = readPacketsSync(bytes);
    try {
      for (const p of reader) {
        assert.equal(p.data.length, p.caplen);
        assert.ok(Number.isFinite(p.tsSec) && p.tsNsec >= 0 && p.tsNsec < 1e9, `${p.tsSec}.${p.tsNsec}`);
      }
      if (reader.truncated) outcomes.truncated++;
      else outcomes.ok++;
    } catch (e) {
      if (!(e instanceof PcapError)) {
        throw new Error(`iteration ${i}: ${e} on ${Array.from(bytes.subarray(0, 64)).join(",")}`);
      }
      outcomes.error++;
    }
  }
  // The mutations reach all three outcomes, so the test exercises the error paths as well as the good ones.
  assert.ok(outcomes.ok > 100 && outcomes.truncated > 50 && outcomes.error > 100, JSON.stringify(outcomes));
});

Deno.test("batches() over a stream and over bytes yield every record once, in order", async () => {
  const bytes = Deno.readFileSync(`${CORPUS}/mixed.pcap`);
  const want = [...readPacketsSync(bytes)].map(summary);
  for (const src of [chunked(bytes, 3000), bytes]) {
    const got: string[] = [];
    let batches = 0;
    for await (const batch of readPackets(src).batches()) {
      assert.ok(batch.length > 0);
      batches++;
      got.push(...batch.map(summary)); // summarise now: the views end with the batch
    }
    assert.deepEqual(got, want);
    assert.ok(
      src instanceof Uint8Array ? batches === 1 : batches >= Math.floor(bytes.length / 3000),
      `${batches} batches`,
    );
  }
});

Deno.test("a corrupt record yields the records before it, then throws", async () => {
  const good = encodePcap(Array.from({ length: 5 }, (_, i) => ({ tsSec: i, data: new Uint8Array(10) })));
  const bad = good.slice();
  bad.set([0, 0, 0, 0x20], 24 + 3 * 26 + 8); // 4th record's caplen = 512 MiB
  const seen: number[] = [];
  assert.throws(() => {
    for (const p of readPacketsSync(bad)) seen.push(p.tsSec);
  }, (e) => e instanceof PcapError && e.code === "BAD_LENGTH" && e.offset === 24 + 3 * 26);
  assert.deepEqual(seen, [0, 1, 2]);
  const streamed: number[] = [];
  await assert.rejects(async () => {
    for await (const p of readPackets(chunked(bad, 1 << 16))) streamed.push(p.tsSec);
  }, PcapError);
  assert.deepEqual(streamed, [0, 1, 2]);
});

Deno.test("readPackets() takes any async iterable of chunks", async () => {
  const bytes = Deno.readFileSync(`${CORPUS}/two_interfaces.pcapng`);
  async function* gen() {
    for (let i = 0; i < bytes.length; i += 100) yield bytes.subarray(i, i + 100);
  }
  const recs: string[] = [];
  for await (const p of readPackets(gen())) recs.push(summary(p));
  assert.deepEqual(recs, [...readPacketsSync(bytes)].map(summary));
});

Deno.test("readPackets(Deno.stdin.readable) reads a file piped into a process (-r -)", async () => {
  const code = `import { readPackets } from ${
    JSON.stringify(new URL("../../lib/pcap/reader.ts", import.meta.url).href)
  };
    const r = readPackets(Deno.stdin.readable);
    let n = 0;
    for await (const p of r) n += p.caplen > 0 ? 1 : 0;
    console.log(n, r.format, r.truncated);`;
  for (const [file, want] of [["mixed.pcap", "4000 pcap false"], ["truncated_record.pcap", "4 pcap true"]]) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", code],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(Deno.readFileSync(`${CORPUS}/${file}`));
    await w.close();
    const out = await child.output();
    assert.equal(new TextDecoder().decode(out.stdout).trim(), want, new TextDecoder().decode(out.stderr));
  }
});

Deno.test("FCS bits in a pcap header's link-type field are not part of the link type", () => {
  const file = encodePcap([{ data: new Uint8Array(4) }]);
  file.set([1, 0, 0, 0x1c], 20); // bit 28: FCS present, bits 29-31: 4 bytes of FCS
  const reader = readPacketsSync(file);
  assert.deepEqual([...reader].map((p) => p.linktype), [1]);
  assert.equal(reader.linktype, 1);
});
