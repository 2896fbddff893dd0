/**
 * ffi/tcp.ts against real sockets on loopback: a Deno client talks to a listener, an acceptor and an epoll
 * set driven through libc. The epoll waits block this thread, so every client step that needs the event
 * loop (connect, write, read) is awaited before the next wait.
 */
import assert from "node:assert/strict";
import {
  Acceptor,
  bindTcpSocket,
  closeFd,
  decodeSockaddr,
  Epoll,
  listenTcpSocket,
  recvSome,
  sendSome,
  shutdownWrite,
} from "../../ffi/tcp.ts";
import { Errno, SyscallError } from "../../ffi/errno.ts";
import { EPOLLIN, EPOLLOUT } from "../../ffi/constants.ts";

const LOOPBACK = Uint8Array.of(127, 0, 0, 1);

Deno.test("a libc listener accepts a Deno client, names its peer, and echoes through recv/send", async () => {
  const { fd, port } = listenTcpSocket(LOOPBACK, 0, 16);
  const ep = Epoll.create(8);
  let conn: Deno.TcpConn | undefined;
  let cfd = -1;
  try {
    assert.ok(port > 0);
    assert.equal(ep.add(fd, EPOLLIN), 0);
    const acceptor = new Acceptor(fd);
    assert.equal(acceptor.accept(), -Errno.EAGAIN, "nothing to accept yet");
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    assert.equal(ep.wait(5000), 1);
    assert.equal(ep.eventFd(0), fd);
    assert.ok((ep.eventMask(0) & EPOLLIN) !== 0);
    cfd = acceptor.accept();
    assert.ok(cfd >= 0, `accept: ${cfd}`);
    const peer = acceptor.peer()!;
    assert.deepEqual([peer.family, [...peer.address], peer.port], [4, [127, 0, 0, 1], conn.localAddr.port]);
    const buf = new Uint8Array(100);
    assert.equal(recvSome(cfd, buf, buf.length), -Errno.EAGAIN, "nothing sent yet");
    await conn.write(new TextEncoder().encode("hello"));
    assert.equal(ep.add(cfd, EPOLLIN), 0);
    let n = 0;
    for (let i = 0; i < 10 && n === 0; i++) {
      ep.wait(1000);
      n = recvSome(cfd, buf, buf.length);
      if (n === -Errno.EAGAIN) n = 0;
    }
    assert.equal(new TextDecoder().decode(buf.subarray(0, n)), "hello");
    assert.equal(sendSome(cfd, buf, n), 5);
    shutdownWrite(cfd);
    const got = new Uint8Array(100);
    assert.equal(await conn.read(got), 5);
    assert.equal(await conn.read(got), null, "end of stream after shutdownWrite");
    conn.close();
    conn = undefined;
    let r = -Errno.EAGAIN;
    for (let i = 0; i < 10 && r === -Errno.EAGAIN; i++) {
      ep.wait(1000);
      r = recvSome(cfd, buf, buf.length);
    }
    assert.equal(r, 0, "the client's close reads as end of stream");
    assert.equal(ep.remove(cfd), 0);
    assert.equal(ep.modify(cfd, EPOLLOUT), -Errno.ENOENT, "no longer in the set");
  } finally {
    conn?.close();
    if (cfd >= 0) closeFd(cfd);
    closeFd(fd);
    ep.close();
    ep.close(); // idempotent
  }
});

Deno.test("a send to a peer that reset returns -EPIPE or -ECONNRESET, never a signal", async () => {
  const { fd, port } = listenTcpSocket(LOOPBACK, 0, 16);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const ep = Epoll.create();
  ep.add(fd, EPOLLIN);
  ep.wait(5000);
  const cfd = new Acceptor(fd).accept();
  try {
    conn.close();
    const buf = new Uint8Array(65536);
    let r = 0;
    // The peer's RST comes back only after data reached its closed socket, and Deno closes the client
    // socket asynchronously: keep sending, a little at a time, until the error shows (bounded: ~5 s).
    const going = () => r >= 0 || r === -Errno.EAGAIN;
    for (let i = 0; i < 500 && going(); i++) {
      r = sendSome(cfd, buf, buf.length);
      if (going()) await new Promise((ok) => setTimeout(ok, 10));
    }
    assert.ok(r === -Errno.EPIPE || r === -Errno.ECONNRESET, `send gave ${r}`);
  } finally {
    closeFd(cfd);
    closeFd(fd);
    ep.close();
  }
});

Deno.test("an IPv6 wildcard listener is dual stack: an IPv4 client shows as ::ffff:a.b.c.d", async () => {
  const { fd, port } = listenTcpSocket(new Uint8Array(16), 0, 16);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const ep = Epoll.create();
  try {
    ep.add(fd, EPOLLIN);
    assert.equal(ep.wait(5000), 1);
    const acceptor = new Acceptor(fd);
    const cfd = acceptor.accept();
    assert.ok(cfd >= 0);
    closeFd(cfd);
    const peer = acceptor.peer()!;
    assert.equal(peer.family, 6);
    assert.deepEqual([...peer.address], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]);
  } finally {
    conn.close();
    closeFd(fd);
    ep.close();
  }
});

Deno.test("listenTcpSocket() on a port another listener holds without SO_REUSEPORT fails with EADDRINUSE", () => {
  const other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    assert.throws(
      () => listenTcpSocket(LOOPBACK, (other.addr as Deno.NetAddr).port, 16),
      (e: unknown) => e instanceof SyscallError && e.code === "EADDRINUSE" && e.syscall === "bind",
    );
  } finally {
    other.close();
  }
  assert.throws(() => listenTcpSocket(new Uint8Array(5), 0, 16), RangeError);
});

Deno.test("bindTcpSocket() holds a port that refuses connections; with reuseAddress a listener may share it", async () => {
  const held = bindTcpSocket(LOOPBACK, 0);
  try {
    assert.ok(held.port > 0);
    await assert.rejects(
      Deno.connect({ hostname: "127.0.0.1", port: held.port }),
      Deno.errors.ConnectionRefused,
    );
    // Without SO_REUSEADDR on the holder, nobody else binds the port, not even with SO_REUSEADDR.
    assert.throws(() => Deno.listen({ hostname: "127.0.0.1", port: held.port }), Deno.errors.AddrInUse);
  } finally {
    closeFd(held.fd);
  }
  const shared = bindTcpSocket(LOOPBACK, 0, true);
  try {
    // Deno's listeners set SO_REUSEADDR: they may bind a port a non-listening SO_REUSEADDR socket holds.
    using listener = Deno.listen({ hostname: "127.0.0.1", port: shared.port });
    const accepting = listener.accept();
    using conn = await Deno.connect({ hostname: "127.0.0.1", port: shared.port });
    using _accepted = await accepting;
    assert.equal(conn.remoteAddr.port, shared.port);
  } finally {
    closeFd(shared.fd);
  }
  assert.throws(() => bindTcpSocket(new Uint8Array(3), 0), RangeError);
});

Deno.test("decodeSockaddr() reads sockaddr_in and sockaddr_in6 and refuses other families", () => {
  const v4 = new Uint8Array(16);
  v4.set([2, 0, 0x1f, 0x90, 10, 0, 0, 1]);
  assert.deepEqual(decodeSockaddr(v4), { family: 4, address: Uint8Array.of(10, 0, 0, 1), port: 8080 });
  const v6 = new Uint8Array(28);
  v6.set([10, 0, 0, 80]);
  v6[23] = 1;
  const d = decodeSockaddr(v6)!;
  assert.equal(d.family, 6);
  assert.equal(d.port, 80);
  assert.equal(d.address[15], 1);
  assert.equal(decodeSockaddr(Uint8Array.of(1, 0, 0, 0)), undefined);
});
