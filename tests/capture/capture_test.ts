/**
 * The capture engine against real traffic: UDP on lo, BPF filters with kernel statistics, directions, the
 * "any" pseudo-interface, and a veth pair into a namespace this test creates (promiscuous mode, a VLAN tag
 * the kernel strips and the engine puts back).
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Capture, type CapturedPacket, openCapture, type RingFrameSink } from "../../lib/capture/mod.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { Waker } from "../../ffi/waker.ts";
import { needCommands, needNetAdmin, needNetRaw, repoPath, run, testIf } from "../_helpers.ts";
import { ip } from "./_netns.ts";

const RAW = needNetRaw();
const NS = needNetRaw() ?? needNetAdmin() ?? needCommands("ip");
const enc = new TextEncoder();

/** A marker unique to this process and call, put in payloads so other tests' traffic is ignored. */
function marker(tag: string): Uint8Array {
  return enc.encode(`netkit-cap-${Deno.pid}-${tag}-${crypto.randomUUID()}`);
}

function includes(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** What a test keeps of a packet (the engine reuses the record, so copy). */
interface Seen {
  data: Uint8Array;
  caplen: number;
  len: number;
  tsSec: number;
  tsNsec: number;
  ifName: string;
  ifIndex: number;
  direction: "in" | "out";
  linktype: number;
  vlanTci: number;
}

function keep(p: CapturedPacket): Seen {
  return {
    data: p.data.slice(),
    caplen: p.caplen,
    len: p.len,
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    ifName: p.ifName,
    ifIndex: p.ifIndex,
    direction: p.direction,
    linktype: p.linktype,
    vlanTci: p.vlanTci,
  };
}

/**
 * Iterates `cap` in the background, keeping packets that contain `needle`, until `until(kept)` holds, a packet
 * containing `stop` arrives (a sentinel sent after the packets under test: the ring keeps kernel order, so
 * everything before it has been seen), or `limitMs` passes; then closes the capture. Every wait is bounded,
 * and no count depends on how fast this machine is.
 */
function collect(
  cap: Capture,
  needle: Uint8Array,
  until: (kept: Seen[]) => boolean,
  limitMs = 5000,
  stop?: Uint8Array,
): Promise<Seen[]> {
  const kept: Seen[] = [];
  const timer = setTimeout(() => cap.close(), limitMs);
  return (async () => {
    try {
      for await (const p of cap) {
        if (stop && includes(p.data, stop)) break;
        if (includes(p.data, needle)) kept.push(keep(p));
        if (until(kept)) break;
      }
    } finally {
      clearTimeout(timer);
      cap.close();
      await cap.closed;
    }
    return kept;
  })();
}

/** Polls `ok` every 20 ms until it holds or `limitMs` passes; returns whether it held. */
async function waitFor(ok: () => boolean, limitMs = 10_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Takes `n` packets from an open capture and breaks out (bounded by a 5 s timer that closes it). */
async function collectOpen(cap: Capture, n: number): Promise<Seen[]> {
  const kept: Seen[] = [];
  const timer = setTimeout(() => cap.close(), 5000);
  try {
    for await (const p of cap) {
      kept.push(keep(p));
      if (kept.length >= n) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return kept;
}

/** A UDP socket on 127.0.0.1 that sends datagrams to itself and reads them back. */
class UdpLoop {
  readonly sock = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  readonly port = (this.sock.addr as Deno.NetAddr).port;

  async send(payload: Uint8Array, count = 1): Promise<void> {
    for (let i = 0; i < count; i++) {
      await this.sock.send(payload, { transport: "udp", hostname: "127.0.0.1", port: this.port });
    }
    // Read them back so nothing stays queued on the socket.
    for (let i = 0; i < count; i++) await this.sock.receive();
  }

  /**
   * A classic BPF program that accepts IPv4/UDP to this socket's port (IHL 5) and rejects the rest, so a
   * busy lo (other tests' floods) cannot crowd our packets out of the ring.
   */
  filter(): { code: number; jt: number; jf: number; k: number }[] {
    return [
      { code: 0x28, jt: 0, jf: 0, k: 12 }, // ldh [12]
      { code: 0x15, jt: 0, jf: 5, k: 0x0800 }, // jeq #0x800
      { code: 0x30, jt: 0, jf: 0, k: 23 }, // ldb [23]
      { code: 0x15, jt: 0, jf: 3, k: 17 }, // jeq #17
      { code: 0x28, jt: 0, jf: 0, k: 36 }, // ldh [36]
      { code: 0x15, jt: 0, jf: 1, k: this.port }, // jeq #port
      { code: 0x06, jt: 0, jf: 0, k: 262144 }, // ret #262144
      { code: 0x06, jt: 0, jf: 0, k: 0 }, // ret #0
    ];
  }

  [Symbol.dispose](): void {
    this.sock.close();
  }
}

/** Lets a capture settle a moment after its own sends, so a stray second copy would have arrived. */
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

testIf(
  "openCapture() on lo sees a UDP datagram to 127.0.0.1 exactly once, with its length and time",
  RAW,
  async () => {
    const mark = marker("lo");
    using udp = new UdpLoop();
    const cap = openCapture({ interface: "lo", filter: udp.filter() });
    const before = Date.now() / 1000;
    const stop = marker("lo-stop");
    const done = collect(cap, mark, () => false, 15_000, stop);
    await udp.send(mark);
    await udp.send(stop);
    const seen = await done;
    assert.equal(seen.length, 1, `one copy on lo, got ${seen.length}`);
    const p = seen[0];
    // Ethernet 14 + IPv4 20 + UDP 8 + payload.
    assert.equal(p.len, 14 + 20 + 8 + mark.length);
    assert.equal(p.caplen, p.len);
    assert.equal(p.data.length, p.caplen);
    assert.equal(p.ifName, "lo");
    assert.equal(p.direction, "in");
    assert.equal(p.linktype, 1);
    assert.equal(p.vlanTci, -1);
    assert.equal((p.data[12] << 8) | p.data[13], 0x0800, "ethertype IPv4");
    assert.ok(Math.abs(p.tsSec + p.tsNsec / 1e9 - before) < 30, `timestamp ${p.tsSec}.${p.tsNsec} near now`);
    assert.ok(p.tsNsec >= 0 && p.tsNsec < 1e9 && p.tsNsec % 1000 === 0, "microsecond timestamp by default");
    const st = cap.stats();
    // Two datagrams (the one under test and the sentinel): the kernel rejected each one's outgoing lo copy
    // in front of the filter, so only the incoming copies were counted and queued.
    assert.equal(st.received, 2, `the kernel counted one lo copy each: ${JSON.stringify(st)}`);
    assert.deepEqual([st.taken, st.yielded, st.dropped], [2, 2, 0]);
  },
);

testIf(
  "the engine and tcpdump capture the same bytes of the same datagram",
  RAW ?? needCommands("tcpdump"),
  async () => {
    const mark = marker("tcpdump");
    using udp = new UdpLoop();
    const dir = await Deno.makeTempDir({ prefix: "netkit-cap-" });
    const file = `${dir}/one.pcap`;
    const td = new Deno.Command("tcpdump", {
      args: ["-i", "lo", "-n", "-U", "-c", "1", "-w", file, "udp", "dst", "port", String(udp.port)],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const kill = setTimeout(() => td.kill("SIGKILL"), 10_000);
    try {
      const reader = td.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let err = "";
      while (!err.includes("listening on")) {
        const { value, done } = await reader.read();
        if (done) break;
        err += value;
      }
      const cap = openCapture({ interface: "lo", filter: udp.filter() });
      const done = collect(cap, mark, (k) => k.length >= 1, 5000);
      await udp.send(mark);
      const seen = await done;
      while (!(await reader.read()).done) { /* drain until tcpdump exits after its one packet */ }
      assert.equal((await td.status).code, 0);
      const pcap = await Deno.readFile(file);
      const dv = new DataView(pcap.buffer);
      assert.equal(dv.getUint32(0, true), 0xa1b2c3d4, "pcap magic, microseconds");
      assert.equal(dv.getUint32(20, true), 1, "LINKTYPE_ETHERNET");
      const [sec, usec, incl, orig] = [0, 4, 8, 12].map((o) => dv.getUint32(24 + o, true));
      assert.equal(seen.length, 1);
      assert.equal(seen[0].len, orig);
      assert.equal(seen[0].caplen, incl);
      assert.deepEqual(seen[0].data, pcap.subarray(40, 40 + incl));
      assert.ok(Math.abs(seen[0].tsSec + seen[0].tsNsec / 1e9 - (sec + usec / 1e6)) < 1, "timestamps agree");
    } finally {
      clearTimeout(kill);
      try {
        td.kill("SIGKILL");
      } catch { /* exited */ }
      await td.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testIf("openCapture() with nanoseconds and a snaplen truncates caplen but keeps len", RAW, async () => {
  const mark = marker("snap");
  // The marker sits past byte 40, so match on the UDP ports instead: capture a datagram to a known port.
  const udp = new UdpLoop();
  const { sock, port } = udp;
  const cap = openCapture({ interface: "lo", snaplen: 40, nanoseconds: true, filter: udp.filter() });
  const portBytes = new Uint8Array([port >> 8, port & 0xff]);
  const kept: Seen[] = [];
  const timer = setTimeout(() => cap.close(), 3000);
  const loop = (async () => {
    for await (const p of cap) {
      const d = p.data;
      if (d.length >= 38 && d[23] === 17 && d[36] === portBytes[0] && d[37] === portBytes[1]) {
        kept.push(keep(p));
        break;
      }
    }
    clearTimeout(timer);
    cap.close();
    await cap.closed;
  })();
  try {
    await sock.send(mark, { transport: "udp", hostname: "127.0.0.1", port });
    await sock.receive();
  } finally {
    sock.close();
  }
  await loop;
  assert.equal(kept.length, 1);
  assert.equal(kept[0].caplen, 40);
  assert.equal(kept[0].data.length, 40);
  assert.equal(kept[0].len, 14 + 20 + 8 + mark.length);
  assert.ok(kept[0].tsNsec < 1e9);
});

testIf("openCapture() without an interface captures on all of them and names lo", RAW, async () => {
  const mark = marker("any");
  using udp = new UdpLoop();
  const cap = openCapture({ promiscuous: true, filter: udp.filter() });
  assert.equal(cap.interface, "any");
  assert.equal(cap.ifIndex, 0);
  const stop = marker("any-stop");
  const done = collect(cap, mark, () => false, 15_000, stop);
  await udp.send(mark);
  await udp.send(stop);
  const seen = await done;
  assert.equal(seen.length, 1, "the loopback duplicate is dropped on 'any' too");
  assert.equal(seen[0].ifName, "lo");
});

testIf(
  "direction 'in' sees a lo datagram, 'out' does not (lo packets count as incoming, as in libpcap)",
  RAW,
  async () => {
    const mark = marker("dir");
    using udp = new UdpLoop();
    const capIn = openCapture({ interface: "lo", direction: "in", filter: udp.filter() });
    const capOut = openCapture({ interface: "lo", direction: "out", filter: udp.filter() });
    const stop = marker("dir-stop");
    const doneIn = collect(capIn, mark, () => false, 15_000, stop);
    const doneOut = collect(capOut, mark, () => false, 15_000);
    await udp.send(mark, 3);
    await udp.send(stop);
    const seenIn = await doneIn;
    // 'out' yields nothing to stop on: wait until its ring handed over the 4 incoming lo copies (3 + 1
    // datagrams; the outgoing ones the kernel rejected).
    await waitFor(() => capOut.stats().taken >= 4);
    capOut.close();
    const seenOut = await doneOut;
    assert.equal(seenIn.length, 3);
    assert.ok(seenIn.every((p) => p.direction === "in"));
    assert.equal(seenOut.length, 0);
    // PACKET_IGNORE_OUTGOING: the kernel no longer even queues the outgoing copies.
    const st = capIn.stats();
    // The sentinel is the 4th datagram: counted like the others.
    assert.deepEqual([st.received, st.taken, st.yielded], [4, 4, 4], "no outgoing copy reached the ring");
    const so = capOut.stats();
    assert.deepEqual(
      [so.received, so.taken, so.yielded],
      [4, 4, 0],
      "the incoming lo copies reached it, none is 'out'",
    );
  },
);

testIf(
  "a BPF 'ret #0' filter accepts nothing and counts nothing; 'ret #262144' accepts all",
  RAW,
  async () => {
    const mark = marker("bpf");
    using udp = new UdpLoop();
    const none = openCapture({ interface: "lo", filter: [{ code: 0x06, jt: 0, jf: 0, k: 0 }] });
    // Accept-all also sees every other test's lo traffic: a large ring keeps ours from being dropped.
    const all = openCapture({
      interface: "lo",
      filter: [{ code: 0x06, jt: 0, jf: 0, k: 262144 }],
      bufferSize: 32 << 20,
    });
    const stop = marker("bpf-stop");
    const doneNone = collect(none, mark, () => false, 15_000);
    const doneAll = collect(all, mark, () => false, 15_000, stop);
    await udp.send(mark, 2);
    await udp.send(stop);
    const seenAll = await doneAll;
    // The kernel delivers each packet to every packet socket before the next: once 'all' saw the sentinel,
    // 'none' has had its chance at every datagram.
    none.close();
    const seenNone = await doneNone;
    assert.equal(seenNone.length, 0);
    const stNone = none.stats();
    assert.equal(stNone.received, 0, "a rejected packet is never counted");
    assert.equal(stNone.taken, 0);
    assert.equal(seenAll.length, 2);
    const stAll = all.stats();
    assert.ok(stAll.received >= 3, `three datagrams, one lo copy each: ${JSON.stringify(stAll)}`);
    // received counts drops too; what was neither dropped nor taken was still in the ring at close.
    assert.ok(stAll.received >= stAll.dropped + stAll.taken, JSON.stringify(stAll));
    // Stats after close are the final, accumulated values.
    assert.deepEqual(all.stats(), stAll);
  },
);

testIf("a BPF program the kernel rejects fails with EINVAL", RAW, () => {
  // ldh [12] without a return: the kernel's checker refuses it.
  assert.throws(
    () => openCapture({ interface: "lo", filter: [{ code: 0x28, jt: 0, jf: 0, k: 12 }] }),
    (e: unknown) => e instanceof SyscallError && e.code === "EINVAL" && e.syscall === "setsockopt",
  );
});

Deno.test("openCapture() on an unknown interface lists the interfaces that exist", () => {
  assert.throws(
    () => openCapture({ interface: "nosuchif0" }),
    (e: unknown) =>
      e instanceof SyscallError && e.code === "ENODEV" && /nosuchif0/.test(e.message) &&
      /\blo\b/.test(e.message),
  );
});

testIf(
  "openCapture() without CAP_NET_RAW fails with a SyscallError code EPERM",
  RAW === undefined ? "has CAP_NET_RAW here (tests/ffi/privileges_test.ts drops it in a child)" : undefined,
  () => {
    assert.throws(
      () => openCapture({ interface: "lo" }),
      (e: unknown) => e instanceof SyscallError && e.code === "EPERM" && e.syscall === "socket",
    );
  },
);

Deno.test("openCapture() rejects bad options before opening anything", () => {
  assert.throws(() => openCapture({ snaplen: 0 }), RangeError);
  assert.throws(() => openCapture({ snaplen: 1e9 }), RangeError);
  assert.throws(() => openCapture({ bufferSize: -1 }), RangeError);
  assert.throws(() => openCapture({ direction: "up" as "in" }), RangeError);
  assert.throws(() => openCapture({ blockTimeoutMs: -5 }), RangeError);
});

testIf("an AbortSignal ends the iteration quietly and closes the capture", RAW, async () => {
  const ac = new AbortController();
  const cap = openCapture({
    interface: "lo",
    signal: ac.signal,
    filter: [{ code: 0x06, jt: 0, jf: 0, k: 0 }],
  });
  const timer = setTimeout(() => ac.abort(), 100);
  let n = 0;
  for await (const _ of cap) n++;
  clearTimeout(timer);
  await cap.closed;
  assert.equal(n, 0);
  // An already-aborted signal gives a capture whose iteration ends at once.
  const cap2 = openCapture({ interface: "lo", signal: AbortSignal.abort() });
  for await (const _ of cap2) n++;
  await cap2.closed;
  assert.equal(n, 0);
});

testIf("close() is idempotent and a second concurrent iteration is refused", RAW, async () => {
  await using cap = openCapture({ interface: "lo", filter: [{ code: 0x06, jt: 0, jf: 0, k: 0 }] });
  const it1 = cap[Symbol.asyncIterator]();
  const first = it1.next();
  await settle(20);
  assert.throws(() => cap[Symbol.asyncIterator](), /already being iterated/);
  await assert.rejects(() => cap.forEach(() => {}), /already being iterated/);
  cap.close();
  cap.close();
  assert.deepEqual(await first, { value: undefined, done: true });
  assert.deepEqual(await it1.next(), { value: undefined, done: true }, "an ended iterator stays ended");
  await cap.closed;
});

testIf("breaking out of the iteration leaves the capture open for another one", RAW, async () => {
  const mark = marker("again");
  using udp = new UdpLoop();
  await using cap = openCapture({ interface: "lo", filter: udp.filter() });
  const first = collectOpen(cap, 1);
  await udp.send(mark);
  assert.equal((await first).length, 1);
  const second = collectOpen(cap, 2);
  await udp.send(mark, 2);
  assert.equal((await second).length, 2);
  assert.equal(cap.stats().yielded, 3);
});

testIf("forEach() calls back synchronously per packet and ends when the callback closes", RAW, async () => {
  const mark = marker("foreach");
  using udp = new UdpLoop();
  const cap = openCapture({ interface: "lo", filter: udp.filter() });
  const timer = setTimeout(() => cap.close(), 5000);
  const lens: number[] = [];
  const done = cap.forEach((p) => {
    lens.push(p.len);
    if (lens.length === 3) cap.close();
  });
  await udp.send(mark, 4);
  assert.equal(await done, 3);
  clearTimeout(timer);
  await cap.closed;
  assert.deepEqual(lens, [1, 2, 3].map(() => 14 + 20 + 8 + mark.length));
});

testIf(
  "forEachBlocking() walks what the ring holds, ticks while waiting, and stop() from a tick drains and ends",
  RAW,
  async () => {
    const mark = marker("blocking");
    using udp = new UdpLoop();
    using waker = Waker.create();
    const cap = openCapture({
      interface: "lo",
      filter: udp.filter(),
      wakeFd: waker.fd,
      blockTimeoutMs: 1000,
    });
    // Sent before the walk starts: this thread blocks in poll() once it runs, so nothing could be sent then.
    await udp.send(mark, 5);
    const lens: number[] = [];
    let ticks = 0;
    const n = await cap.forEachBlocking((p) => void lens.push(p.len), () => {
      ticks++;
      // The 1 s block timeout has not handed the block over yet: stop() must drain it.
      if (ticks === 2) cap.stop();
    }, 20);
    assert.equal(n, 5);
    assert.deepEqual(lens, [1, 2, 3, 4, 5].map(() => 14 + 20 + 8 + mark.length));
    assert.ok(ticks >= 2);
    const st = cap.stats();
    assert.equal(st.received, 5, "one lo copy each: the kernel rejected the outgoing ones");
    assert.deepEqual([st.taken, st.yielded], [5, 5]);
    await cap.closed;
  },
);

testIf(
  "appendBlocking() hands the ring's frames over as pcap values: the snap length, microseconds, a drained stop",
  RAW,
  async () => {
    const mark = marker("append");
    using udp = new UdpLoop();
    const cap = openCapture({ interface: "lo", filter: udp.filter(), snaplen: 50, blockTimeoutMs: 1000 });
    await udp.send(mark, 4);
    const seen: { caplen: number; len: number; nsec: number; head: number[] }[] = [];
    let ticks = 0;
    const n = await cap.appendBlocking((buf, off, caplen, len, _sec, nsec) => {
      seen.push({ caplen, len, nsec, head: [...buf.subarray(off + 12, off + 14)] });
    }, () => {
      if (++ticks === 2) cap.stop(); // the block is still the kernel's (1 s timeout): the stop must drain it
    }, 20);
    assert.equal(n, 4);
    for (const p of seen) {
      assert.equal(p.len, 14 + 20 + 8 + mark.length);
      assert.equal(p.caplen, 50, "cut to the snap length");
      assert.equal(p.nsec % 1000, 0, "whole microseconds");
      assert.deepEqual(p.head, [0x08, 0x00], "the frame's ethertype, where the offset says");
    }
    const st = cap.stats();
    assert.deepEqual([st.taken, st.yielded], [4, 4], "no outgoing lo copy reached the ring");
    await cap.closed;
  },
);

/** A {@link RingFrameSink} that copies what it is handed, and says whether it came in place. */
class SinkRecorder implements RingFrameSink {
  readonly frames: { data: Uint8Array; len: number; sec: number; nsec: number; inRing: boolean }[] = [];
  constructor(readonly cap: Capture) {}
  appendInRing(from: number, caplen: number, len: number, sec: number, nsec: number): void {
    const data = this.cap.ring.bytes.slice(from, from + caplen);
    this.frames.push({ data, len, sec, nsec, inRing: true });
  }
  append(buf: Uint8Array, from: number, caplen: number, len: number, sec: number, nsec: number): void {
    this.frames.push({ data: buf.slice(from, from + caplen), len, sec, nsec, inRing: false });
  }
}

testIf(
  "sinkBlocking() hands frames in place in the ring: snap length, microseconds, the screen, then the limit closes",
  RAW,
  async () => {
    const mark = marker("sink");
    using udp = new UdpLoop();
    const cap = openCapture({ interface: "lo", filter: udp.filter(), snaplen: 60 });
    // Alternate payloads: the screen turns down the "B" ones.
    for (const tag of ["A", "B", "A", "B", "A", "B"]) {
      await udp.send(Uint8Array.from([...enc.encode(tag), ...mark]));
    }
    const rec = new SinkRecorder(cap);
    let screened = 0;
    const t0 = Date.now() / 1000;
    const timer = setTimeout(() => cap.close(), 8000);
    const n = await cap.sinkBlocking(
      rec,
      {
        limit: 2,
        screen: (buf, off, caplen, len) => {
          screened++;
          assert.equal(len, 14 + 20 + 8 + 1 + mark.length);
          assert.equal(caplen, 60);
          return buf[off + 42] === 0x42; // "B"
        },
      },
      undefined,
      20,
    );
    clearTimeout(timer);
    assert.equal(n, 2);
    assert.equal(screened, 3, "A, B, A: the limit is reached at the second A");
    assert.equal(rec.frames.length, 2);
    for (const f of rec.frames) {
      assert.ok(f.inRing, "an untagged incoming frame is referenced in the ring, not copied");
      assert.equal(f.data.length, 60, "cut to the snap length");
      assert.equal(f.len, 14 + 20 + 8 + 1 + mark.length);
      assert.deepEqual([...f.data.subarray(12, 14)], [0x08, 0x00]);
      assert.equal(f.data[42], 0x41, "A");
      assert.deepEqual(f.data.subarray(43), mark.subarray(0, 60 - 43));
      assert.equal(f.nsec % 1000, 0, "whole microseconds");
      assert.ok(Math.abs(f.sec - t0) < 60, "a kernel timestamp of now");
    }
    await cap.closed; // the limit closed the capture
    assert.deepEqual(cap.stats().yielded, 2);
  },
);

testIf(
  "a Waker ends forEachBlocking()'s wait, and the capture leaves the waker's fd open",
  RAW,
  async () => {
    // That the wait ends because of the wake (not its timeout) is asserted at the ring's level, in
    // tests/ffi/packet_socket_test.ts; here, that the capture polls the waker's fd and ticks after it.
    using udp = new UdpLoop();
    using waker = Waker.create();
    const cap = openCapture({ interface: "lo", filter: udp.filter(), wakeFd: waker.fd });
    let ticks = 0;
    waker.wake(); // signalled before the wait: the eventfd stays readable, so the first poll returns at once
    const n = await cap.forEachBlocking(() => {}, () => {
      if (++ticks === 2) cap.close();
    }, 60_000);
    assert.equal(n, 0);
    assert.equal(ticks, 2);
    await cap.closed;
    waker.wake(); // still open: writing to it does not fail
    assert.ok(waker.fd >= 0);
  },
);

// ---------------------------------------------------------------------------------------------------------
// veth into a namespace of our own

/** A namespace with one veth end in it and the other here, both up, no addresses; removed by `close`. */
async function vethPair(): Promise<{ ns: string; here: string; there: string; close: () => Promise<void> }> {
  const id = `${Deno.pid % 1000000}${Math.floor(Math.random() * 90 + 10)}`;
  const ns = `nkcap${id}`, here = `nkca${id}`, there = `nkcb${id}`;
  const close = async () => {
    await run("ip", ["link", "del", here], { timeoutMs: 10_000 });
    await run("ip", ["netns", "del", ns], { timeoutMs: 10_000 });
  };
  try {
    await ip("netns", "add", ns);
    await ip("link", "add", here, "type", "veth", "peer", "name", there, "netns", ns);
    // No IPv6 on our end: keeps router solicitations and MLD reports out of the capture.
    await run("sysctl", ["-qw", `net.ipv6.conf.${here}.disable_ipv6=1`]);
    await ip("link", "set", here, "up");
    await ip("-n", ns, "link", "set", there, "up");
  } catch (e) {
    await close();
    throw e;
  }
  return { ns, here, there, close };
}

/** An Ethernet frame: broadcast destination, a local source MAC, `tag` (802.1Q TCI) if given, then `payload`. */
function frame(payload: Uint8Array, etherType: number, tag?: number): Uint8Array {
  const head = tag === undefined ? 14 : 18;
  const f = new Uint8Array(head + payload.length);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01], 0);
  if (tag !== undefined) f.set([0x81, 0x00, tag >> 8, tag & 0xff], 12);
  f.set([etherType >> 8, etherType & 0xff], head - 2);
  f.set(payload, head);
  return f;
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** Sends frames from inside the namespace through this project's own PacketSocket, in a child process. */
async function sendFromNamespace(ns: string, ifname: string, frames: Uint8Array[]): Promise<void> {
  const code = `
    import { PacketSocket } from ${JSON.stringify(`file://${repoPath("ffi/packet_socket.ts")}`)};
    import { nameToIndex } from ${JSON.stringify(`file://${repoPath("ffi/interfaces.ts")}`)};
    const index = nameToIndex(Deno.args[0]);
    using s = PacketSocket.open();
    for (const h of Deno.args.slice(1)) {
      s.send(Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16))), index);
    }`;
  const r = await run("ip", [
    "netns",
    "exec",
    ns,
    Deno.execPath(),
    "eval",
    "--ext=ts",
    code,
    ifname,
    ...frames.map(hex),
  ], {
    timeoutMs: 20_000,
  });
  assert.equal(r.code, 0, `sender in ${ns} failed: ${r.stderr}`);
}

testIf(
  "a VLAN tag stripped by the kernel is re-inserted; directions and promiscuous mode on a veth",
  NS,
  async () => {
    const pair = await vethPair();
    try {
      const mark = marker("vlan");
      const caps = {
        inout: openCapture({ interface: pair.here }),
        in: openCapture({ interface: pair.here, direction: "in", promiscuous: false }),
        out: openCapture({ interface: pair.here, direction: "out", promiscuous: false }),
      };
      try {
        // Promiscuous by default on a named interface: the kernel's promiscuity count shows it.
        const link = JSON.parse((await run("ip", ["-d", "-j", "link", "show", "dev", pair.here])).stdout);
        assert.equal(link[0].promiscuity, 1, "one promiscuous membership (the default capture), not three");

        const done = {
          inout: collect(caps.inout, mark, (k) => k.length >= 2, 8000),
          in: collect(caps.in, mark, (k) => k.length >= 1, 8000),
          out: collect(caps.out, mark, (k) => k.length >= 1, 8000),
        };
        // In: a tagged frame from the namespace (the kernel moves the tag to metadata on receive).
        const tagged = frame(mark, 0x88b5, 0x2000 | 10); // priority 1, VLAN 10, local experimental ethertype
        await sendFromNamespace(pair.ns, pair.there, [tagged]);
        // Out: an untagged frame sent from here.
        const { PacketSocket } = await import("../../ffi/packet_socket.ts");
        const { nameToIndex } = await import("../../ffi/interfaces.ts");
        {
          using s = PacketSocket.open();
          s.send(frame(mark, 0x88b5), nameToIndex(pair.here));
        }
        const seen = { inout: await done.inout, in: await done.in, out: await done.out };

        assert.equal(seen.in.length, 1);
        const vin = seen.in[0];
        assert.equal(vin.direction, "in");
        assert.equal(vin.vlanTci, 0x2000 | 10);
        assert.equal(vin.len, tagged.length, "the tag counts in the length again");
        assert.deepEqual(vin.data, tagged, "the frame is byte for byte what was sent, tag included");

        assert.equal(seen.out.length, 1);
        assert.equal(seen.out[0].direction, "out");
        assert.equal(seen.out[0].vlanTci, -1);
        assert.equal((seen.out[0].data[12] << 8) | seen.out[0].data[13], 0x88b5);

        assert.equal(seen.inout.length, 2);
        assert.deepEqual(seen.inout.map((p) => p.direction).sort(), ["in", "out"]);
        assert.ok(seen.inout.every((p) => p.ifName === pair.here && p.linktype === 1));
      } finally {
        for (const c of Object.values(caps)) c.close();
        await Promise.all(Object.values(caps).map((c) => c.closed));
      }
      // Closing the socket drops its membership.
      const link = JSON.parse((await run("ip", ["-d", "-j", "link", "show", "dev", pair.here])).stdout);
      assert.equal(link[0].promiscuity, 0);
      // The interface listing's promisc flag is the administrative one.
      const { listInterfaces } = await import("../../ffi/interfaces.ts");
      assert.equal(listInterfaces().find((i) => i.name === pair.here)?.promisc, false);
      assert.equal((await run("ip", ["link", "set", pair.here, "promisc", "on"])).code, 0);
      assert.equal(listInterfaces().find((i) => i.name === pair.here)?.promisc, true);
    } finally {
      await pair.close();
    }
  },
);

testIf(
  "sinkBlocking() on a veth: an incoming frame whose VLAN tag the kernel stripped comes copied with the tag, an outgoing one in place",
  NS,
  async () => {
    const pair = await vethPair();
    try {
      const mark = marker("sinkvlan");
      const cap = openCapture({ interface: pair.here, promiscuous: false, blockTimeoutMs: 1000 });
      const out = openCapture({ interface: pair.here, direction: "out", promiscuous: false });
      const rec = new SinkRecorder(cap);
      const recOut = new SinkRecorder(out);
      const ours = (r: SinkRecorder) => r.frames.filter((f) => includes(f.data, mark));
      const deadline = Date.now() + 8000;
      const stopWhen = (c: Capture, r: SinkRecorder, want: number) => () => {
        if (ours(r).length >= want || Date.now() > deadline) c.stop();
      };
      // Sent first: a blocking walk holds this thread (and a child process's I/O) until it ends.
      const tagged = frame(mark, 0x88b5, 0x2000 | 10);
      await sendFromNamespace(pair.ns, pair.there, [tagged]);
      const untagged = frame(mark, 0x88b5);
      const { PacketSocket } = await import("../../ffi/packet_socket.ts");
      const { nameToIndex } = await import("../../ffi/interfaces.ts");
      {
        using s = PacketSocket.open();
        s.send(untagged, nameToIndex(pair.here));
      }
      await cap.sinkBlocking(rec, {}, stopWhen(cap, rec, 2), 20);
      await out.sinkBlocking(recOut, {}, stopWhen(out, recOut, 1), 20);
      const seen = ours(rec);
      assert.equal(seen.length, 2);
      const copied = seen.find((f) => !f.inRing);
      const inPlace = seen.find((f) => f.inRing);
      assert.deepEqual(copied?.data, tagged, "the tag put back, byte for byte");
      assert.equal(copied?.len, tagged.length);
      assert.deepEqual(inPlace?.data, untagged, "the outgoing frame, referenced in the ring");
      const seenOut = ours(recOut);
      assert.equal(seenOut.length, 1, "direction out: only the frame sent from here");
      assert.deepEqual(seenOut[0].data, untagged);
      await Promise.all([cap.closed, out.closed]);
    } finally {
      await pair.close();
    }
  },
);

testIf(
  "Sll2RingSink on -i any writes LINUX_SLL2 records as Sll2Encoder builds them: a tagged frame copied, an outgoing one in place (its SLL2 header built over its Ethernet header in the ring)",
  NS,
  async () => {
    const { RingPcapWriter, Sll2RingSink } = await import("../../lib/capture/ring_pcap.ts");
    const { Sll2Encoder } = await import("../../lib/capture/_sll2.ts");
    const { FdWriter } = await import("../../ffi/file.ts");
    const { readPacketsSync } = await import("../../lib/pcap/reader.ts");
    const { PacketSocket } = await import("../../ffi/packet_socket.ts");
    const { nameToIndex } = await import("../../ffi/interfaces.ts");
    const pair = await vethPair();
    const dir = Deno.makeTempDirSync({ prefix: "netkit-sll2sink-" });
    try {
      const mark = marker("sll2sink");
      const cap = openCapture({ blockTimeoutMs: 1000 }); // every interface
      // As the sniffer opens it: record headers (and SLL2 headers) go into the scratch bytes before frames.
      const w = new RingPcapWriter(FdWriter.create(`${dir}/any.pcap`), cap.ring.bytes, {
        linktype: 276,
        tpacketRing: true,
      }, cap.ring.address);
      cap.beforeRelease = () => w.flush();
      const sink = new Sll2RingSink(w, cap.ring.bytes);
      // Counts our frames on their way to the real sink, to know when to stop.
      let ours = 0;
      const bytes = cap.ring.bytes;
      const counting: RingFrameSink = {
        appendInRing(from, caplen, len, sec, nsec, h) {
          if (includes(bytes.subarray(from, from + caplen), mark)) ours++;
          sink.appendInRing(from, caplen, len, sec, nsec, h);
        },
        append(buf, from, caplen, len, sec, nsec, h) {
          if (includes(buf.subarray(from, from + caplen), mark)) ours++;
          sink.append(buf, from, caplen, len, sec, nsec, h);
        },
      };
      const tagged = frame(mark, 0x88b5, 0x2000 | 10);
      await sendFromNamespace(pair.ns, pair.there, [tagged]);
      const untagged = frame(mark, 0x88b5);
      {
        using s = PacketSocket.open();
        s.send(untagged, nameToIndex(pair.here));
      }
      const deadline = Date.now() + 8000;
      await cap.sinkBlocking(counting, {}, () => {
        if (ours >= 2 || Date.now() > deadline) cap.stop();
      }, 20);
      await cap.closed;
      w.close();
      const got = [...readPacketsSync(Deno.readFileSync(`${dir}/any.pcap`))].filter((p) =>
        includes(p.data, mark)
      );
      assert.equal(got.length, 2);
      const ifIndex = nameToIndex(pair.here);
      const want = (data: Uint8Array, pkttype: number) => {
        const e = new Sll2Encoder(262144);
        const rec = e.encode({
          data,
          linktype: 1,
          len: data.length,
          ifIndex,
          hatype: 1,
          pkttype,
          protocol: 0x88b5,
        });
        return { data: hex(rec), len: e.len };
      };
      const seen = got.map((p) => ({ data: hex(p.data), len: p.len }));
      // Broadcast in (PACKET_BROADCAST, the tag back after the header), then out (PACKET_OUTGOING).
      assert.deepEqual(
        seen.sort((a, b) => a.data.localeCompare(b.data)),
        [
          want(tagged, 1),
          want(untagged, 4),
        ].sort((a, b) => a.data.localeCompare(b.data)),
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
      await pair.close();
    }
  },
);

testIf("a capture whose interface is deleted ends with ENETDOWN", NS, async () => {
  const pair = await vethPair();
  try {
    const cap = openCapture({ interface: pair.here });
    const timer = setTimeout(() => cap.close(), 8000);
    // Catch at once: the rejection may come while the deletion below is still being awaited.
    const ended = (async () => {
      for await (const _ of cap) { /* whatever arrives before the deletion */ }
    })().then(() => undefined, (e: unknown) => e);
    await settle(50);
    await run("ip", ["link", "del", pair.here], { timeoutMs: 10_000 });
    const e = await ended;
    assert.ok(e instanceof SyscallError && e.code === "ENETDOWN", `ended with ${e}`);
    clearTimeout(timer);
    cap.close();
    await cap.closed;
  } finally {
    await pair.close();
  }
});

testIf("openCapture() on an interface that is down fails with ENETDOWN", NS, async () => {
  const pair = await vethPair();
  try {
    assert.equal((await run("ip", ["link", "set", pair.here, "down"])).code, 0);
    assert.throws(
      () => openCapture({ interface: pair.here }),
      (e: unknown) => e instanceof SyscallError && e.code === "ENETDOWN" && e.message.includes(pair.here),
    );
  } finally {
    await pair.close();
  }
});

/** Whether the kernel can create 802.1Q sub-interfaces (CONFIG_VLAN_8021Q), probed in a scratch namespace. */
function vlanSupport(): string | undefined {
  if (NS) return NS;
  const ns = `nkprobe${Deno.pid}`;
  const ip = (...args: string[]) =>
    new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).outputSync();
  try {
    if (!ip("netns", "add", ns).success) return "cannot create a network namespace";
    const r = ip("-n", ns, "link", "add", "link", "lo", "name", "probe.10", "type", "vlan", "id", "10");
    return r.success
      ? undefined
      : `kernel without 802.1Q sub-interfaces (${new TextDecoder().decode(r.stderr).trim()})`;
  } finally {
    ip("netns", "del", ns);
  }
}

testIf(
  "a VLAN sub-interface's frames, seen on the parent veth, carry their 802.1Q tag",
  vlanSupport(),
  async () => {
    const pair = await vethPair();
    try {
      const sub = `${pair.there}.10`;
      const r = await run("ip", [
        "-n",
        pair.ns,
        "link",
        "add",
        "link",
        pair.there,
        "name",
        sub,
        "type",
        "vlan",
        "id",
        "10",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await run("ip", ["-n", pair.ns, "link", "set", sub, "up"])).code, 0);
      const mark = marker("vlansub");
      const cap = openCapture({ interface: pair.here, direction: "in" });
      const done = collect(cap, mark, (k) => k.length >= 1, 8000);
      // An untagged frame sent on the sub-interface leaves the parent tagged with VLAN 10.
      const plain = frame(mark, 0x88b5);
      await sendFromNamespace(pair.ns, sub, [plain]);
      const seen = await done;
      assert.equal(seen.length, 1);
      assert.equal(seen[0].vlanTci & 0xfff, 10);
      assert.deepEqual([...seen[0].data.subarray(12, 16)], [0x81, 0x00, 0x00, 10]);
      assert.deepEqual(seen[0].data.subarray(16), plain.subarray(12), "ethertype and payload follow the tag");
      assert.equal(seen[0].len, plain.length + 4);
    } finally {
      await pair.close();
    }
  },
);

testIf(
  "stop() unbinds, then still yields the packets of the ring block the kernel was filling",
  RAW,
  async () => {
    const mark = marker("stop");
    using udp = new UdpLoop();
    // A 5 s block timeout: the datagrams stay in the block being filled until stop() drains it.
    const cap = openCapture({ interface: "lo", filter: udp.filter(), blockTimeoutMs: 5000 });
    await udp.send(mark, 3);
    cap.stop();
    const seen = await collect(cap, mark, () => false, 15_000);
    assert.equal(seen.length, 3, "every captured datagram, once each");
    assert.ok(seen.every((p) => p.direction === "in"));
    await cap.closed;
    // Stopped means unbound: later traffic is not captured, and a second stop() is harmless.
    cap.stop();
    assert.equal(cap.stats().yielded, 3);
  },
);
