/**
 * PacketSocket against the kernel: open, options, send on lo and read the frame back from a ring, errors.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketSocket, withLoopbackOutgoingGuard } from "../../ffi/packet_socket.ts";
import { ringGeometry, RxRing, WaitResult } from "../../ffi/ring.ts";
import { nameToIndex } from "../../ffi/interfaces.ts";
import { PACKET_OUTGOING } from "../../ffi/constants.ts";
import { SyscallError } from "../../ffi/errno.ts";
import { Waker } from "../../ffi/waker.ts";
import { needNetRaw, testIf } from "../_helpers.ts";

const RAW = needNetRaw();

/** An Ethernet frame on lo: zero MACs, a local experimental ethertype, a unique payload. */
function testFrame(): Uint8Array {
  const payload = new TextEncoder().encode(`netkit-ps-${Deno.pid}-${crypto.randomUUID()}`);
  const f = new Uint8Array(14 + payload.length);
  f.set([0x88, 0xb5], 12);
  f.set(payload, 14);
  return f;
}

testIf("a frame sent on lo comes back through an RX ring, outgoing copy then incoming", RAW, async () => {
  const lo = nameToIndex("lo");
  using rx = PacketSocket.open();
  rx.attachFilter([
    // Accept only our ethertype: ldh [12]; jeq #0x88b5; ret #65535; ret #0
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 0, jf: 1, k: 0x88b5 },
    { code: 0x06, jt: 0, jf: 0, k: 65535 },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
  using ring = RxRing.map(rx, ringGeometry(256 * 1024, 2048, 5));
  assert.equal(ring.size, 256 * 1024);
  rx.bind(lo);
  using tx = PacketSocket.open();
  const f = testFrame();
  assert.equal(tx.send(f, lo), f.length);
  const got: { pkttype: number; bytes: Uint8Array; len: number; ifindex: number; protocol: number }[] = [];
  for (let tries = 0; got.length < 2 && tries < 50; tries++) {
    for (let p = ring.next(); p !== null; p = ring.next()) {
      got.push({
        pkttype: p.pkttype,
        bytes: p.bytes.slice(p.offset, p.offset + p.snaplen),
        len: p.len,
        ifindex: p.ifindex,
        protocol: p.protocol,
      });
    }
    if (got.length < 2) await ring.wait(100);
  }
  const ours = got.filter((g) => g.bytes.length === f.length && g.bytes.every((b, i) => b === f[i]));
  assert.equal(ours.length, 2, "lo shows each frame twice at the socket level");
  assert.deepEqual(ours.map((g) => g.pkttype), [PACKET_OUTGOING, 0]);
  assert.ok(ours.every((g) => g.len === f.length && g.ifindex === lo && g.protocol === 0x88b5));
  const st = rx.statistics();
  assert.ok(st.packets >= 2 && st.drops === 0, JSON.stringify(st));
  assert.deepEqual(rx.statistics(), { packets: 0, drops: 0, freezes: 0 }, "reading resets the counters");
});

/** Sends `f` on lo and collects, from `ring`, the copies of it that come back within a few hundred ms. */
async function copiesOf(ring: RxRing, f: Uint8Array, lo: number): Promise<number[]> {
  using tx = PacketSocket.open();
  assert.equal(tx.send(f, lo), f.length);
  // A sentinel sent after it: once its incoming copy is seen, every copy of f has been queued.
  const sentinel = testFrame();
  assert.equal(tx.send(sentinel, lo), sentinel.length);
  const types: number[] = [];
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (let tries = 0, done = false; !done && tries < 50; tries++) {
    for (let p = ring.next(); p !== null; p = ring.next()) {
      const bytes = p.bytes.subarray(p.offset, p.offset + p.snaplen);
      if (same(bytes, f)) types.push(p.pkttype);
      if (same(bytes, sentinel) && p.pkttype !== PACKET_OUTGOING) done = true;
    }
    if (!done) await ring.wait(100);
  }
  return types;
}

const OUR_ETHERTYPE = [
  { code: 0x28, jt: 0, jf: 0, k: 12 },
  { code: 0x15, jt: 0, jf: 1, k: 0x88b5 },
  { code: 0x06, jt: 0, jf: 0, k: 65535 },
  { code: 0x06, jt: 0, jf: 0, k: 0 },
];

testIf(
  "withLoopbackOutgoingGuard(): the kernel keeps only the incoming copy of a frame on lo",
  RAW,
  async () => {
    const lo = nameToIndex("lo");
    using rx = PacketSocket.open();
    rx.attachFilter(withLoopbackOutgoingGuard(OUR_ETHERTYPE));
    using ring = RxRing.map(rx, ringGeometry(256 * 1024, 2048, 5));
    rx.bind(lo);
    assert.deepEqual(await copiesOf(ring, testFrame(), lo), [0], "the incoming copy only");
    assert.equal(ring.skipped, 0, "nothing for the ring to pass over");
    // Two frames (ours and the sentinel), one copy each, counted by the kernel.
    assert.equal(rx.statistics().packets, 2);
  },
);

testIf("RxRing.skipOutgoingLoopback passes over the outgoing copy on lo and counts it", RAW, async () => {
  const lo = nameToIndex("lo");
  using rx = PacketSocket.open();
  rx.attachFilter(OUR_ETHERTYPE);
  using ring = RxRing.map(rx, ringGeometry(256 * 1024, 2048, 5));
  ring.skipOutgoingLoopback = true;
  rx.bind(lo);
  assert.deepEqual(await copiesOf(ring, testFrame(), lo), [0]);
  assert.equal(ring.skipped, 2, "the outgoing copies of the frame and the sentinel");
  assert.equal(rx.statistics().packets, 4, "the kernel queued both copies of both");
});

Deno.test("withLoopbackOutgoingGuard(): accept-all without a program; a program with no room left as is", () => {
  const g = withLoopbackOutgoingGuard();
  assert.equal(g.length, 6);
  assert.deepEqual(g[5], { code: 0x06, jt: 0, jf: 0, k: 0xffffffff });
  // ld [SKF_AD_OFF + SKF_AD_PKTTYPE]: the ancillary offsets are negative, passed as unsigned.
  assert.equal(g[0].k, 0xfffff004);
  assert.equal(g[2].k, 0xfffff01c);
  const full = new Array(4092).fill({ code: 6, jt: 0, jf: 0, k: 0 });
  assert.equal(withLoopbackOutgoingGuard(full).length, 4092);
  assert.equal(withLoopbackOutgoingGuard(full.slice(1)).length, 4096);
});

testIf(
  "setPromiscuous() and setIgnoreOutgoing() set and clear; detachFilter() without a filter is ENOENT",
  RAW,
  () => {
    using s = PacketSocket.open();
    const lo = nameToIndex("lo");
    s.setPromiscuous(lo, true);
    s.setPromiscuous(lo, false);
    s.setIgnoreOutgoing(true);
    s.setIgnoreOutgoing(false);
    assert.equal(s.pendingError(), 0);
    assert.throws(() => s.detachFilter(), (e: unknown) => e instanceof SyscallError && e.code === "ENOENT");
    s.attachFilter([{ code: 0x06, jt: 0, jf: 0, k: 0 }]);
    s.detachFilter();
  },
);

testIf("attachFilter() checks the program before the kernel sees it", RAW, () => {
  using s = PacketSocket.open();
  assert.throws(() => s.attachFilter([]), RangeError);
  assert.throws(() => s.attachFilter(new Array(4097).fill({ code: 6, jt: 0, jf: 0, k: 0 })), RangeError);
  assert.throws(
    () => s.attachFilter([{ code: 0x10000, jt: 0, jf: 0, k: 0 }]),
    /instruction 0: code out of range/,
  );
  assert.throws(() => s.attachFilter([{ code: 6, jt: 256, jf: 0, k: 0 }]), /jt out of range/);
  assert.throws(() => s.attachFilter([{ code: 6, jt: 0, jf: -1, k: 0 }]), /jf out of range/);
  assert.throws(() => s.attachFilter([{ code: 6, jt: 0, jf: 0, k: 2 ** 32 }]), /k out of range/);
});

testIf("close() is idempotent and a closed socket fails with EBADF", RAW, () => {
  const s = PacketSocket.open();
  assert.ok(s.fd >= 0);
  s.close();
  s.close();
  assert.equal(s.fd, -1);
  assert.throws(() => s.bind(1), (e: unknown) => e instanceof SyscallError && e.code === "EBADF");
  assert.throws(() => s.statistics(), SyscallError);
});

testIf("bind() to an interface that does not exist fails with ENODEV", RAW, () => {
  using s = PacketSocket.open();
  assert.throws(() => s.bind(0x7ffffff0), (e: unknown) => e instanceof SyscallError && e.code === "ENODEV");
});

testIf("send() of a frame over the MTU fails with EMSGSIZE; without an interface with ENXIO", RAW, () => {
  using s = PacketSocket.open();
  assert.throws(
    () => s.send(new Uint8Array(70000), nameToIndex("lo")),
    (e: unknown) => e instanceof SyscallError && e.code === "EMSGSIZE",
  );
  assert.throws(
    () => s.send(new Uint8Array(60)),
    (e: unknown) => e instanceof SyscallError && e.code === "ENXIO",
  );
});

testIf(
  "RxRing on a Waker's eventfd: a wake from outside ends a blocking wait; the ring leaves the fd open",
  RAW,
  () => {
    using s = PacketSocket.open();
    using waker = Waker.create();
    s.attachFilter([{ code: 0x06, jt: 0, jf: 0, k: 0 }]);
    const first = RxRing.map(s, ringGeometry(256 * 1024, 256, 5), waker.fd);
    s.bind(nameToIndex("lo"));
    assert.equal(first.waitBlocking(0), WaitResult.timeout);
    waker.wake(); // before the wait: the eventfd stays readable until the wait drains it
    assert.equal(first.waitBlocking(60_000), WaitResult.woken);
    assert.equal(first.waitBlocking(0), WaitResult.timeout, "drained by the wait");
    first.close();
    // Still the waker's: a second ring (on a second socket) over the same fd is woken by it.
    using s2 = PacketSocket.open();
    const second = RxRing.map(s2, ringGeometry(256 * 1024, 256, 5), waker.fd);
    waker.wake();
    assert.equal(second.waitBlocking(60_000), WaitResult.woken);
    second.close();
  },
);

testIf("RxRing: wait() times out, wake() ends a wait, views read zeros after close()", RAW, async () => {
  using s = PacketSocket.open();
  s.attachFilter([{ code: 0x06, jt: 0, jf: 0, k: 0 }]);
  const ring = RxRing.map(s, ringGeometry(256 * 1024, 256, 5));
  s.bind(nameToIndex("lo"));
  assert.equal(await ring.wait(1), WaitResult.timeout);
  const pending = ring.wait(5000);
  assert.ok(ring.polling);
  await assert.rejects(() => ring.wait(1), /already in flight/);
  ring.wake();
  assert.equal(await pending, WaitResult.woken);
  assert.equal(ring.waitBlocking(0), WaitResult.timeout);
  ring.wake();
  assert.equal(ring.waitBlocking(1000), WaitResult.woken);
  const view = ring.packet.bytes;
  ring.close();
  ring.close();
  assert.equal(ring.next(), null);
  // The old range now holds zero pages: reading a stale view is harmless.
  assert.equal(view[0] | view[100] | view[view.length - 1], 0);
  await assert.rejects(() => ring.wait(1), /closed/);
  assert.throws(() => ring.waitBlocking(1), /closed/);
});

testIf("RxRing.map() on a socket that already has a ring fails with EBUSY", RAW, () => {
  using s = PacketSocket.open();
  using _ring = RxRing.map(s, ringGeometry(256 * 1024, 256, 5));
  assert.throws(
    () => RxRing.map(s, ringGeometry(256 * 1024, 256, 5)),
    (e: unknown) => e instanceof SyscallError && (e.code === "EBUSY" || e.code === "EINVAL"),
  );
});
