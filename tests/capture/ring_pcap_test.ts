/**
 * RingPcapWriter: records whose frames stay in place until written, read back by netkit's reader and by
 * tcpdump. A plain buffer stands in for the ring (what matters is that the bytes stay put until a flush);
 * the live ring path runs in the sniffer's process tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RING_PCAP_BATCH, RingPcapWriter, Sll2RingSink } from "../../lib/capture/ring_pcap.ts";
import { FdWriter, IOV_MAX } from "../../ffi/file.ts";
import { RING_HDR_WORD, RING_SCRATCH_FROM } from "../../ffi/ring.ts";
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

/**
 * A stand-in TPACKET_V3 ring: packet i's header at `i * 256`, its frame `mac` bytes further (82 is where the
 * kernel puts an Ethernet frame), filled with byte i; the header's sockaddr_ll holds an interface index,
 * ARPHRD type and packet type, the sockaddr_ll's address bytes and the padding before the frame 0xcc.
 */
function tpacketRing(
  n: number,
  mac: (i: number) => number,
): { ring: Uint8Array; h: number[]; from: number[] } {
  const ring = new Uint8Array(n * 256);
  const u16 = new Uint16Array(ring.buffer), u32 = new Uint32Array(ring.buffer);
  const h: number[] = [], from: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * 256;
    h.push(at);
    from.push(at + mac(i));
    ring.fill(0xcc, at + RING_SCRATCH_FROM, at + mac(i));
    ring.fill(i & 0xff, at + mac(i), at + 256);
    u32[(at >>> 2) + RING_HDR_WORD.ifindex] = 0x01020304 + i;
    u16[(at >>> 1) + RING_HDR_WORD.hatype] = 1; // ARPHRD_ETHER
    ring[at + RING_HDR_WORD.pkttype] = i % 5; // host, broadcast, multicast, otherhost, outgoing
  }
  return { ring, h, from };
}

Deno.test(
  "RingPcapWriter in a TPACKET_V3 ring: the record header goes before the frame (one iovec) when there is room, else apart; the same file either way",
  withFile((path) => {
    // More records than one writev takes; every 7th frame too close to its header for the record header.
    const n = IOV_MAX + 300;
    const mac = (i: number) => i % 7 === 0 ? RING_SCRATCH_FROM + 10 : 82;
    const { ring, h, from } = tpacketRing(n, mac);
    const before = ring.slice();
    const w = new RingPcapWriter(FdWriter.create(path), ring, { snaplen: 150, tpacketRing: true });
    for (let i = 0; i < n; i++) {
      w.appendInRing(from[i], 100 + i % 100, 1000 + i, 1_700_000_000 + i, i * 1000 + 999, h[i]);
    }
    w.close();
    const got = [...readPacketsSync(Deno.readFileSync(path))];
    assert.equal(got.length, n);
    got.forEach((p, i) => {
      const caplen = Math.min(100 + i % 100, 150);
      assert.deepEqual([p.data.length, p.len, p.tsSec, p.tsNsec], [
        caplen,
        1000 + i,
        1_700_000_000 + i,
        i * 1000,
      ]);
      assert(p.data.every((b) => b === (i & 0xff)), `record ${i}: frame ${i}'s bytes`);
    });
    assert.equal(w.bytesWritten, Deno.statSync(path).size);
    // The writer wrote only into the 16 bytes before a frame, and only where they are scratch.
    for (let i = 0; i < n; i++) {
      const scratch = from[i] - 16 >= h[i] + RING_SCRATCH_FROM;
      const changedAt: number[] = [];
      for (let b = h[i]; b < h[i] + 256; b++) if (ring[b] !== before[b]) changedAt.push(b - from[i]);
      assert(changedAt.every((d) => d >= -16 && d < 0), `packet ${i}: wrote only just before its frame`);
      if (!scratch) assert.equal(changedAt.length, 0, `packet ${i}: no room, nothing written`);
    }
  }),
);

Deno.test(
  "RingPcapWriter without tpacketRing writes nothing into the ring, even given header offsets",
  withFile((path) => {
    const { ring, h, from } = tpacketRing(8, () => 82);
    const before = ring.slice();
    const w = new RingPcapWriter(FdWriter.create(path), ring);
    for (let i = 0; i < 8; i++) w.appendInRing(from[i], 60, 60, 1, 0, h[i]);
    w.close();
    assert.deepEqual(ring, before);
    assert.equal([...readPacketsSync(Deno.readFileSync(path))].length, 8);
  }),
);

Deno.test(
  "Sll2RingSink: an SLL2 record built in place over the Ethernet header is the record built apart, byte for byte",
  withFile((path) => {
    // The same packets twice: frames 82 bytes after their headers (room for the SLL2 header and the record
    // header before the frame's IP header), and 76 (room for the record header only: built apart).
    const n = 40;
    const files: Uint8Array[] = [];
    for (const mac of [82, 76]) {
      const { ring, h, from } = tpacketRing(n, () => mac);
      for (let i = 0; i < n; i++) {
        // Destination MAC, source MAC, EtherType 0x0800, then the frame's byte.
        ring.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0x11, 0x22, 0x33, 0x44, i, 0x08, 0x00], from[i]);
      }
      const w = new RingPcapWriter(FdWriter.create(path), ring, {
        linktype: 276,
        snaplen: 100,
        tpacketRing: true,
      });
      const sink = new Sll2RingSink(w, ring);
      for (let i = 0; i < n; i++) sink.appendInRing(from[i], 60 + i * 3, 200, 7, i, h[i]);
      w.close();
      files.push(Deno.readFileSync(path));
    }
    assert.deepEqual(files[0], files[1]);
    const got = [...readPacketsSync(files[0])];
    assert.equal(got.length, n);
    got.forEach((p, i) => {
      assert.deepEqual([p.data.length, p.len], [Math.min(60 + i * 3 + 6, 100), 206]);
      const d = new DataView(p.data.buffer, p.data.byteOffset);
      assert.deepEqual(
        [d.getUint16(0), d.getUint16(2), d.getUint32(4), d.getUint16(8), p.data[10], p.data[11]],
        [0x0800, 0, 0x01020304 + i, 1, i % 5, 6],
        `record ${i}: protocol, reserved, ifindex, hatype, pkttype, halen`,
      );
      assert.deepEqual(
        [...p.data.subarray(12, 20)],
        [2, 0x11, 0x22, 0x33, 0x44, i, 0, 0],
        "the source MAC, padded",
      );
      assert(p.data.subarray(20).every((b) => b === i), `record ${i}: the frame after its Ethernet header`);
    });
  }),
);
