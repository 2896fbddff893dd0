/**
 * RingPcapWriter: records whose frames stay in place until written, read back by netkit's reader and by
 * tcpdump. A plain buffer stands in for the ring (what matters is that the bytes stay put until a flush);
 * the live ring path runs in the sniffer's process tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RING_PCAP_BATCH, RingPcapWriter } from "../../lib/capture/ring_pcap.ts";
import { FdWriter } from "../../ffi/file.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { needCommands, run, testIf } from "../_helpers.ts";

/** A stand-in ring of `n` 64-byte frames, frame i filled with byte i & 0xff. */
function fakeRing(n: number): Uint8Array {
  const r = new Uint8Array(n * 64);
  for (let i = 0; i < n; i++) r.fill(i & 0xff, i * 64, i * 64 + 64);
  return r;
}

function withFile(fn: (path: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = Deno.makeTempDirSync();
    try {
      await fn(`${dir}/out.pcap`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

Deno.test(
  "RingPcapWriter: several batches of frames in place (both forms), copied frames and prefixed records read back exactly",
  withFile((path) => {
    const n = 3 * RING_PCAP_BATCH + 7;
    const ring = fakeRing(n);
    const elsewhere = new Uint8Array(64).fill(0xee);
    const w = new RingPcapWriter(FdWriter.create(path), ring, { linktype: 1, snaplen: 1000 });
    const prefix = new Uint8Array(20).fill(0x5a);
    for (let i = 0; i < n; i++) {
      const caplen = 14 + (i % 50);
      if (i % 100 === 99) w.append(elsewhere, 0, 40, 60, 1_700_000_000 + i, i * 1000 + 999);
      else if (i % 100 === 98) w.appendPrefixed(prefix, ring, i * 64 + 14, caplen - 14, caplen + 6, 1, 2000);
      else if (i % 3 === 0) w.appendInRing(i * 64, caplen, caplen + 100, 1_700_000_000 + i, i * 1000 + 999);
      else w.append(ring, i * 64, caplen, caplen + 100, 1_700_000_000 + i, i * 1000 + 999);
      // The copied frame's buffer is reused by its owner right away: the writer must have copied it.
      elsewhere.fill(0x11);
      elsewhere.fill(0xee);
    }
    assert.equal(w.packets, n);
    w.close();
    const r = readPacketsSync(Deno.readFileSync(path));
    const got = [...r];
    assert.deepEqual([r.linktype, r.snaplen, r.nanosecond], [1, 1000, false]);
    assert.equal(got.length, n);
    got.forEach((p, i) => {
      const caplen = 14 + (i % 50);
      if (i % 100 === 99) {
        assert.deepEqual([p.data.length, p.len, p.tsSec, p.tsNsec], [40, 60, 1_700_000_000 + i, i * 1000]);
        assert(p.data.every((b) => b === 0xee), `record ${i}: the copy`);
      } else if (i % 100 === 98) {
        assert.deepEqual([p.data.length, p.len, p.tsSec, p.tsNsec], [caplen + 6, caplen + 6, 1, 2000]);
        assert(p.data.subarray(0, 20).every((b) => b === 0x5a), `record ${i}: the prefix`);
        assert(p.data.subarray(20).every((b) => b === (i & 0xff)), `record ${i}: the frame after it`);
      } else {
        assert.deepEqual([p.data.length, p.len, p.tsSec, p.tsNsec], [
          caplen,
          caplen + 100,
          1_700_000_000 + i,
          i * 1000,
        ]);
        assert(p.data.every((b) => b === (i & 0xff)), `record ${i}: frame ${i}'s bytes`);
      }
    });
    assert.equal(w.bytesWritten, Deno.statSync(path).size);
  }),
);

Deno.test(
  "RingPcapWriter.appendInRing: the snap length cuts, a nanosecond file keeps nanoseconds, a closed writer refuses",
  withFile((path) => {
    const ring = fakeRing(4);
    const w = new RingPcapWriter(FdWriter.create(path), ring, { snaplen: 50, nanosecond: true });
    w.appendInRing(64, 64, 1500, 7, 123456789);
    w.appendInRing(128, 20, 20, 8, 5);
    w.close();
    assert.throws(() => w.appendInRing(0, 10, 10, 1, 1), TypeError);
    const got = [...readPacketsSync(Deno.readFileSync(path))];
    assert.deepEqual(
      got.map((p) => [p.data.length, p.len, p.tsSec, p.tsNsec, p.data[0]]),
      [[50, 1500, 7, 123456789, 1], [20, 20, 8, 5, 2]],
    );
  }),
);

Deno.test(
  "RingPcapWriter: a flush writes the frames as they are then; later changes to the ring do not reach the file",
  withFile((path) => {
    const ring = fakeRing(4);
    const w = new RingPcapWriter(FdWriter.create(path), ring, { nanosecond: true });
    w.append(ring, 0, 64, 64, 5, 123_456_789);
    w.append(ring, 64, 64, 64, 6, 1);
    // Before a flush the records only point at the ring: the file holds just its header.
    assert.equal(Deno.statSync(path).size, 24);
    w.flush();
    ring.fill(0xff); // the "kernel" takes the block back and overwrites it
    w.append(ring, 128, 64, 64, 7, 0);
    w.close();
    const got = [...readPacketsSync(Deno.readFileSync(path))];
    assert.deepEqual(got.map((p) => [p.tsSec, p.tsNsec, p.data[0]]), [[5, 123_456_789, 0], [6, 1, 1], [
      7,
      0,
      0xff,
    ]]);
    assert.throws(() => w.append(ring, 0, 1, 1, 0, 0), TypeError);
  }),
);

Deno.test(
  "RingPcapWriter: the snap length cuts a plain record and a prefixed one as a whole, prefix included",
  withFile((path) => {
    const ring = fakeRing(2);
    const w = new RingPcapWriter(FdWriter.create(path), ring, { snaplen: 30 });
    w.append(ring, 0, 64, 64, 1, 0);
    w.appendPrefixed(new Uint8Array(20).fill(9), ring, 64 + 14, 50, 70, 2, 0);
    w.appendPrefixed(new Uint8Array(20).fill(9), ring, 64 + 14, 50, 70, 3, 0);
    w.close();
    const got = [...readPacketsSync(Deno.readFileSync(path))];
    assert.deepEqual(got.map((p) => [p.data.length, p.len]), [[30, 64], [30, 70], [30, 70]]);
    assert.deepEqual(
      [...got[1].data.subarray(18, 22)],
      [9, 9, 1, 1],
      "20 prefix bytes, then 10 of the frame",
    );
    const tiny = new RingPcapWriter(FdWriter.create(path), ring, { snaplen: 8 });
    tiny.appendPrefixed(new Uint8Array(20).fill(9), ring, 0, 50, 70, 4, 0);
    tiny.close();
    const [only] = [...readPacketsSync(Deno.readFileSync(path))];
    assert.deepEqual(
      [only.data.length, only.len, only.data[7]],
      [8, 70, 9],
      "a snap length inside the prefix",
    );
  }),
);

testIf(
  "RingPcapWriter: a failed write is thrown by the append that fills a batch, and close() reports it again",
  needCommands("mkfifo", "head"),
  withFile(async (path) => {
    // A FIFO whose reader takes the 24-byte file header and leaves: the first batch meets EPIPE.
    const mk = await new Deno.Command("mkfifo", { args: [path] }).output();
    assert.equal(mk.code, 0);
    const reader = new Deno.Command("head", { args: ["-c", "24", path], stdout: "piped" }).spawn();
    const ring = fakeRing(RING_PCAP_BATCH);
    const w = new RingPcapWriter(FdWriter.create(path), ring); // opens once the reader has
    const out = await reader.output(); // the reader is gone before the first batch is written
    assert.equal(out.stdout.length, 24);
    const epipe = (e: unknown) => e instanceof SyscallError && e.code === "EPIPE" && e.message.includes(path);
    for (let i = 0; i < RING_PCAP_BATCH - 1; i++) w.append(ring, i * 64, 64, 64, 0, 0);
    assert.throws(() => w.append(ring, 0, 64, 64, 0, 0), epipe);
    assert.throws(() => w.close(), epipe);
  }),
);

testIf(
  "RingPcapWriter: tcpdump reads the file and prints every record",
  needCommands("tcpdump"),
  withFile(async (path) => {
    const n = RING_PCAP_BATCH + 3;
    const ring = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) {
      // An Ethernet frame holding an IPv4 header's first bytes is enough for tcpdump's line.
      ring.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0xb5], i * 64);
    }
    const w = new RingPcapWriter(FdWriter.create(path), ring);
    for (let i = 0; i < n; i++) w.append(ring, i * 64, 64, 64, 1_700_000_000, i * 1000);
    w.close();
    const r = await run("tcpdump", ["-r", path, "-n", "-e", "-tt"]);
    assert.equal(r.code, 0, r.stderr);
    // Each record's line (an unknown EtherType's payload follows as hex lines, which are skipped).
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("1700000000."));
    assert.equal(lines.length, n);
    assert.match(
      lines[0],
      /^1700000000\.000000 06:07:08:09:0a:0b > 00:01:02:03:04:05, ethertype Unknown \(0x88b5\), length 64/,
    );
    assert.match(lines[n - 1], new RegExp(`^1700000000\\.${String(n - 1).padStart(6, "0")} `));
  }),
);
