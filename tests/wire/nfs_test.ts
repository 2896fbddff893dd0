/**
 * NFS over SUN RPC as tcpdump 4.99 prints it, over hand-built frames (XDR is big-endian 32-bit words): calls
 * of every v2 and v3 procedure (and v4's, read as v2), every file handle layout parsenfsfh.c guesses, the
 * credential and verifier skips with their edge lengths, replies matched to their calls through the xid map
 * (every procedure, OK and in error, with and without attributes, every RPC accept and reject status) and
 * replies it must not match (unseen xid, another address, the other IP version, a call forgotten by the
 * 64-entry ring), over UDP and TCP (record marks with and without the last-fragment bit, longer and
 * shorter than the segment), IPv4 and IPv6; whole and cut at every length from the IP header on, compared
 * packet by packet with tcpdump at each verbosity, with -e, -q and with -x (which tells tcpdump's long jumps
 * from its own truncation checks). One comparison is one capture, so the xid map carries across its frames.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitTcp } from "../../lib/wire/tcp.ts";
import { type NfsContext, nfsTcpText, nfsUdpText, NfsXids } from "../../lib/wire/_nfs.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

// ---- XDR and RPC builders ----

/** Big-endian 32-bit words. */
const w = (...ns: number[]): Uint8Array => {
  const b = new Uint8Array(ns.length * 4);
  ns.forEach((n, k) => new DataView(b.buffer).setUint32(k * 4, n >>> 0));
  return b;
};
const none = new Uint8Array(0);
const zeros = (n: number) => new Uint8Array(n);
/** Variable-length opaque data: its length, the bytes, padding to a word. */
const opaque = (b: Uint8Array): Uint8Array => cat(w(b.length), b, zeros((4 - (b.length & 3)) & 3));
const str = (s: string) => opaque(new TextEncoder().encode(s));

interface CallOpts {
  cred?: Uint8Array;
  verf?: Uint8Array;
  prog?: number;
}
/** An RPC call: xid, CALL, RPC version 2, the program (NFS), version, procedure, credentials, verifier. */
const call = (
  xid: number,
  vers: number,
  proc: number,
  args: Uint8Array = none,
  o: CallOpts = {},
): Uint8Array => cat(w(xid, 0, 2, o.prog ?? 100003, vers, proc), o.cred ?? w(0, 0), o.verf ?? w(0, 0), args);
/** An accepted RPC reply: xid, REPLY, MSG_ACCEPTED, a verifier, the accept status, the results. */
const ok = (xid: number, body: Uint8Array = none, astat = 0, verf: Uint8Array = w(0, 0)): Uint8Array =>
  cat(w(xid, 1, 0), verf, w(astat), body);
/** A TCP record mark (last-fragment bit, length) before a message. */
const mark = (m: Uint8Array, last = true, len = m.length) => cat(w((last ? 0x80000000 : 0) | len), m);

// ---- Frames ----

const C = "10.0.0.1", S = "10.0.0.2", OTHER = "10.0.0.3";
const C6 = "2001:db8::1", S6 = "2001:db8::2";
const MAC = { src: "00:11:22:33:44:55", dst: "00:66:77:88:99:aa" };
/** The client's port: one no tcpdump dissector claims (800 would be AppleTalk's KIP). */
const CP = 40001;

/** An IPv4 or IPv6 frame (by the address form) around a transport header. */
const ip = (proto: number, l4: Uint8Array, src: string, dst: string) =>
  src.includes(":")
    ? emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ src, dst, proto }, l4))
    : emitEthernet({ ...MAC, ethertype: 0x800 }, emitIpv4({ src, dst, proto }, l4));
const udp = (sport: number, dport: number, m: Uint8Array, src = C, dst = S) =>
  ip(17, emitUdp({ srcPort: sport, dstPort: dport }, m, { src, dst }), src, dst);
const tcp = (sport: number, dport: number, data: Uint8Array, src = C, dst = S) =>
  ip(
    6,
    emitTcp({ srcPort: sport, dstPort: dport, flags: 0x18, seq: 1, ack: 1 }, data, { src, dst }),
    src,
    dst,
  );
/** A call with a UDP length of its own (shorter than the payload: the bytes after it are still captured). */
const udpLen = (m: Uint8Array, length?: number) =>
  ip(17, emitUdp({ srcPort: CP, dstPort: 2049, length, checksum: 0 }, m), C, S);
/** A call from the client to the server, and a reply from the server to the client. */
const q = (m: Uint8Array) => udp(CP, 2049, m);
const r = (m: Uint8Array) => udp(2049, CP, m, S, C);

/** One v2 (32-byte) file handle for each of parsenfsfh.c's guesses. */
const FH = {
  bsd44: hex("01020000 05060000 00000000 2a000000 00000000 00000000 00000000 00000000"),
  auspex: hex("00000000 00000709 00000000 0000012c 00000000 00000000 00000000 00000000"),
  decosf0: hex("00000102 05000000 0c000000 2a000000 00000000 00000000 00000000 00000000"),
  irix4: hex("00000102 00080000 0000abcd 00000000 00000000 00000000 00000000 00000000"),
  sunos4: hex("00000102 11223344 00000000 00001234 00000000 00000000 00000000 00000000"),
  ultrix: hex("01020000 05060708 00000000 00000000 00000000 00ff00ff 00000000 00000000"),
  sunos5a: hex("01020000 05060708 000a0000 00001234 00000000 00ff01ff 00000000 00000000"),
  unknown1: hex("01020000 05060708 00000000 00001234 00000000 00ff01ff 00000000 00000000"),
  decosf: hex("01020304 05060708 0c000000 2a000000 00000000 00000000 00000000 00000000"),
  hpux9: hex("01020304 00000000 000a0000 00000099 00000000 00000000 00000000 00000000"),
  sunos5b: hex("ff020304 05060702 000a0000 00000099 00000000 00000000 00000000 00000000"),
  sunos5c: hex("01fe0304 05060708 000a0000 00000099 00000000 00000000 00000000 00000000"),
  vms: hex("00414243 44454647 48494a4b 4c4d0000 00000000 00000000 0000005a 00000000"),
  vmsSpace: hex("00414220 44454647 48494a4b 4c4d0000 00000000 00000000 00000000 00000000"),
  vmsLong: hex("00414243 44454647 48494a4b 4c4d4e4f 50515253 54555657 58595a00 00000000"),
  vmsCtl: hex("00414243 44454647 48494a4b 4c4d4e07 7e000000 00000000 00000000 00000000"),
  vmsNotUcx: hex("00414200 44454647 48494a4b 4c4d0000 00000000 00000000 00000000 00000000"),
  unknown2: hex("01020304 05060708 090a0b0c 0d0e0f10 11121314 15161718 191a1b1c 1d1e1f20"),
};
const fh2 = FH.bsd44;
/** A v3 handle (24 bytes, BSD 4.4's layout: `fh 0,1/0`). */
const fh3 = opaque(hex("01000000 00000000 07000000 00000000 0a000000 01020304"));

interface SattrInit {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: number;
  mtime?: number;
}
/** A v3 sattr3 (an absent atime is "set to server time", an absent mtime "don't change"). */
const sattr = (o: SattrInit) =>
  cat(
    o.mode === undefined ? w(0) : w(1, o.mode),
    o.uid === undefined ? w(0) : w(1, o.uid),
    o.gid === undefined ? w(0) : w(1, o.gid),
    o.size === undefined ? w(0) : w(1, 0, o.size),
    o.atime === undefined ? w(1) : w(2, o.atime, 123),
    o.mtime === undefined ? w(0) : w(2, o.mtime, 999999),
  );
/** v3 file attributes (84 bytes): uid -2 shows tcpdump's signed ids. */
const fattr3 = (type = 1, mode = 0o100644) =>
  cat(
    w(type, mode, 2, 0xfffffffe, 100), // type, mode, nlink, uid, gid
    w(0, 4096, 0, 8192, 4, 5), // size, used, rdev
    w(0x11, 0x22334455, 0, 77), // fsid, fileid
    w(1700000000, 1, 1700000001, 2, 1700000002, 3), // atime, mtime, ctime
  );
/** v2 file attributes (68 bytes). */
const fattr2 = (type = 2, mode = 0o40755) =>
  cat(
    w(type, mode, 3, 0, 0, 512, 4096, 0x801, 1, 0x1234, 0xabcd),
    w(1600000000, 10, 1600000001, 20, 1600000002, 30),
  );
/** Post-operation attributes (present), pre-operation attributes, both (wcc_data), neither. */
const post = (type = 1) => cat(w(1), fattr3(type));
const pre = w(1, 0, 4096, 1700000000, 5, 1700000001, 6);
const wcc = cat(pre, post());
const wccNone = w(0, 0);

let xid = 1000;
/** A call of `proc` (version `vers`) and the server's reply to it, with a fresh xid. */
const pair = (
  vers: number,
  proc: number,
  args: Uint8Array,
  res: Uint8Array,
  astat = 0,
  verf?: Uint8Array,
) => {
  const x = ++xid;
  return [q(call(x, vers, proc, args)), r(ok(x, res, astat, verf))];
};

const FRAMES: Uint8Array[] = [
  // File handles: each of parsenfsfh's guesses, in a v2 getattr call.
  ...Object.values(FH).map((f, k) => q(call(k + 1, 2, 1, f))),
  // v3 handles of odd lengths: none, 4 bytes, 5 (not a whole word), 12, 16, 24, 33, over 32 bytes.
  ...[
    "",
    "01020304",
    "0102030405",
    "0102030405060708090a0b0c",
    "0102030405060708090a0b0c0d0e0f10",
    "0102030405060708090a0b0c0d0e0f101112131415161718",
    "01".repeat(33),
    "ab".repeat(64),
  ].map((h, k) => q(call(100 + k, 3, 1, opaque(hex(h))))),
  q(call(110, 3, 1, w(0xffffffff))),
  // A UCX handle of 64 bytes: its name runs over 13 characters, into a control and a high byte.
  q(call(111, 3, 1, opaque(hex("00414243 44454647 48494a4b 4c4d074e e94f0000" + "00".repeat(44))))),
  // A UCX handle of 65 words whose name is longer than tcpdump's 64-byte copy of it.
  q(call(112, 3, 1, opaque(cat(zeros(1), new TextEncoder().encode("Z".repeat(90)), zeros(169))))),
  // Every v3 procedure's call.
  q(call(200, 3, 0)),
  q(call(201, 3, 1, fh3)),
  q(call(202, 3, 2, cat(fh3, sattr({ mode: 0o755 }), w(0)))),
  q(call(203, 3, 3, cat(fh3, str("hello.txt")))),
  ...[0, 1, 3, 0x1f, 0x3f, 0x40, 0x21, 0x24, 0x10].map((a, k) => q(call(210 + k, 3, 4, cat(fh3, w(a))))),
  q(call(220, 3, 5, fh3)),
  q(call(221, 3, 6, cat(fh3, w(1, 2), w(8192)))),
  ...[0, 1, 2, 7].map((m, k) => q(call(222 + k, 3, 7, cat(fh3, w(0, 4096), w(512), w(m), w(512))))),
  q(call(230, 3, 8, cat(fh3, str("new"), w(0), sattr({})))),
  q(call(231, 3, 9, cat(fh3, str("dir"), sattr({ mode: 0o700 })))),
  q(call(
    232,
    3,
    10,
    cat(fh3, str("link"), sattr({ mode: 0o777, uid: 5, gid: 6, atime: 7, mtime: 8 }), str("/t")),
  )),
  // tcpdump reads a set size as one word (it is two): what follows is read a word early.
  q(call(234, 3, 10, cat(fh3, str("link"), sattr({ size: 9, mtime: 8 }), str("/target")))),
  q(call(233, 3, 10, cat(fh3, str("link"), sattr({}), str("t")))),
  ...[1, 2, 3, 4, 5, 6, 7, 99].map((t, k) =>
    q(call(
      240 + k,
      3,
      11,
      cat(fh3, str("node"), w(t), sattr({ mode: 0o600, uid: 1, gid: 2, atime: 3 }), w(8, 1)),
    ))
  ),
  q(call(250, 3, 12, cat(fh3, str("gone")))),
  q(call(251, 3, 13, cat(fh3, str("olddir")))),
  q(call(252, 3, 14, cat(fh3, str("a"), fh3, str("bb")))),
  q(call(253, 3, 15, cat(fh3, fh3, str("hard")))),
  q(call(254, 3, 16, cat(fh3, w(0xffffffff, 0xffffffff), w(0x11223344, 0x55667788), w(4096)))),
  q(call(255, 3, 16, cat(fh3, w(0, 12), w(0, 0), w(1024)))),
  q(call(256, 3, 17, cat(fh3, w(0, 0), w(1, 2), w(512, 8192)))),
  q(call(257, 3, 18, fh3)),
  q(call(258, 3, 19, fh3)),
  q(call(259, 3, 20, fh3)),
  q(call(260, 3, 21, cat(fh3, w(0, 65536), w(4096)))),
  q(call(261, 3, 22, fh3)),
  q(call(262, 3, 25, fh3)),
  q(call(263, 3, 1000, fh3)),
  // Every v2 procedure's call (the same arguments for all), one past v2's table.
  ...Array.from(
    { length: 19 },
    (_, p) => q(call(300 + p, 2, p, cat(fh2, str("name"), fh2, w(1, 2, 3, 4, 5, 6)))),
  ),
  q(call(320, 2, 26, fh2)),
  q(call(321, 2, 13, cat(fh2, str("sym"), str("/to/path"), w(1, 2, 3, 4, 5, 6, 7, 8)))),
  // Version 4: NULL and COMPOUND (read as a v2 getattr); version 1.
  q(call(400, 4, 0)),
  q(call(401, 4, 1, cat(str("tag"), w(0, 1, 9), FH.unknown2))),
  q(call(402, 1, 6, cat(fh2, w(0, 100, 0)))),
  // Credentials and verifiers: AUTH_UNIX, RPCSEC_GSS, a verifier with a body, lengths at and over the limit,
  // another program.
  q(call(500, 3, 1, fh3, { cred: cat(w(1), opaque(cat(w(12345), str("client"), w(0, 0, 2, 10, 20)))) })),
  q(call(501, 3, 1, fh3, {
    cred: cat(w(6), opaque(w(1, 0, 1, 5, 4, 0xaabbccdd))),
    verf: cat(w(6), opaque(w(1))),
  })),
  q(call(502, 3, 1, fh3, { verf: cat(w(1), opaque(hex("0102030405"))) })),
  q(call(503, 3, 1, fh3, { cred: w(1, 1000) })),
  q(call(504, 3, 1, fh3, { cred: w(1, 0), verf: w(0, 1000) })),
  q(call(505, 3, 1, fh3, { cred: w(1, 36) })),
  q(call(506, 3, 1, fh3, { cred: w(1, 35) })),
  q(call(507, 3, 0, none, { cred: w(1, 0), verf: w(0, 0) })),
  q(call(508, 3, 0, none, { prog: 100005 })),
  // Names: control and high bytes, lengths not a multiple of 4, empty, past the datagram, unpaddable.
  q(call(600, 3, 3, cat(fh3, opaque(hex("41 00 01 7f 80 ff 0a 42 43"))))),
  q(call(601, 3, 3, cat(fh3, str("")))),
  q(call(602, 3, 3, cat(fh3, w(200), hex("41424344")))),
  q(call(603, 3, 3, cat(fh3, w(0xfffffffd)))),
  q(call(604, 3, 3, cat(fh3, w(0xfffffffc)))),
  q(call(605, 3, 3, cat(fh3, w(0xffffffff)))),
  // Calls too short for their arguments or their header.
  q(call(700, 3, 6, fh3)),
  q(call(701, 3, 7, cat(fh3, w(0, 1, 2, 3)))),
  q(call(702, 3, 11, cat(fh3, str("x"), w(3)))),
  q(w(703, 0, 2, 100003, 3)),
  q(w(704, 0, 2)),
  q(w(705, 0)),
  q(w(706)),
  // Not NFS: a call from 2049, a reply to 2049, another direction; 2049 on both sides.
  udp(2049, CP, call(800, 3, 0)),
  udp(CP, 2049, ok(801)),
  udp(CP, 2049, w(802, 2, 0, 0)),
  udp(2049, 2049, call(803, 3, 0)),
  udp(2049, 2049, ok(803)),

  // Replies to every v3 procedure, OK and in error, with and without attributes.
  ...pair(3, 0, none, none),
  ...pair(3, 1, fh3, cat(w(0), fattr3())),
  ...pair(3, 1, fh3, cat(w(0), fattr3(9, 0o7777))),
  ...pair(3, 1, fh3, w(70)),
  ...pair(3, 2, cat(fh3, sattr({})), cat(w(0), wcc)),
  ...pair(3, 2, cat(fh3, sattr({})), cat(w(1), wccNone)),
  ...pair(3, 3, cat(fh3, str("f")), cat(w(0), fh3, post(), post(2))),
  ...pair(3, 3, cat(fh3, str("f")), cat(w(0), fh3, w(0), w(0))),
  ...pair(3, 3, cat(fh3, str("f")), cat(w(2), post(2))),
  ...pair(3, 3, cat(fh3, str("f")), cat(w(2), w(0))),
  ...pair(3, 4, cat(fh3, w(0x1f)), cat(w(0), post(), w(0x1f))),
  ...pair(3, 4, cat(fh3, w(0x1f)), cat(w(0), w(0), w(3))),
  ...pair(3, 4, cat(fh3, w(0x1f)), cat(w(13), w(0))),
  ...pair(3, 5, fh3, cat(w(0), post(5), str("/some/where"))),
  ...pair(3, 5, fh3, cat(w(0), w(0), str("x"))),
  ...pair(3, 5, fh3, cat(w(22), w(0))),
  ...pair(3, 6, cat(fh3, w(0, 0, 512)), cat(w(0), post(), w(512, 1), opaque(zeros(16)))),
  ...pair(3, 6, cat(fh3, w(0, 0, 512)), cat(w(0), w(0), w(12, 0), opaque(zeros(12)))),
  ...pair(3, 6, cat(fh3, w(0, 0, 512)), cat(w(5), w(0))),
  ...pair(3, 7, cat(fh3, w(0, 0, 512, 2, 512)), cat(w(0), wcc, w(512, 2, 0x01020304, 0x05060708))),
  ...pair(3, 7, cat(fh3, w(0, 0, 512, 0, 512)), cat(w(0), wccNone, w(100, 9, 0, 1))),
  ...pair(3, 7, cat(fh3, w(0, 0, 512, 0, 512)), cat(w(28), wcc)),
  ...pair(3, 8, cat(fh3, str("c"), w(0), sattr({})), cat(w(0), w(1), fh3, post(), wcc)),
  ...pair(3, 8, cat(fh3, str("c"), w(0), sattr({})), cat(w(0), w(0), post(), wcc)),
  ...pair(3, 8, cat(fh3, str("c"), w(0), sattr({})), cat(w(17), wcc)),
  ...pair(3, 9, cat(fh3, str("d"), sattr({})), cat(w(0), w(1), fh3, w(0), wccNone)),
  ...pair(3, 10, cat(fh3, str("s"), sattr({}), str("t")), cat(w(0), w(1), fh3, post(5), wcc)),
  ...pair(3, 11, cat(fh3, str("n"), w(7), sattr({})), cat(w(0), w(1), fh3, post(7), wcc)),
  ...pair(3, 12, cat(fh3, str("r")), cat(w(0), wcc)),
  ...pair(3, 12, cat(fh3, str("r")), cat(w(2), wccNone)),
  ...pair(3, 13, cat(fh3, str("r")), cat(w(66), wcc)),
  ...pair(3, 14, cat(fh3, str("a"), fh3, str("b")), cat(w(0), wcc, wcc)),
  ...pair(3, 14, cat(fh3, str("a"), fh3, str("b")), cat(w(18), wccNone, wccNone)),
  ...pair(3, 15, cat(fh3, fh3, str("l")), cat(w(0), post(), wcc)),
  ...pair(3, 15, cat(fh3, fh3, str("l")), cat(w(31), w(0), wccNone)),
  ...pair(3, 16, cat(fh3, w(0, 0, 0, 0, 4096)), cat(w(0), post(2), w(0xdeadbeef, 0x12345678), w(0), w(1))),
  ...pair(3, 16, cat(fh3, w(0, 0, 0, 0, 4096)), cat(w(10003), w(0))),
  ...pair(3, 17, cat(fh3, w(0, 0, 0, 0, 4096, 8192)), cat(w(0), w(0), w(1, 2), w(0), w(1))),
  ...pair(3, 18, fh3, cat(w(0), post(2), w(0, 1e9, 0, 5e8, 0, 4e8, 0, 1000, 0, 500, 0, 400, 30))),
  ...pair(3, 18, fh3, cat(w(70), w(0))),
  ...pair(
    3,
    19,
    fh3,
    cat(w(0), post(2), w(65536, 32768, 4096, 65536, 32768, 4096, 8192), w(~0, ~0, 0, 1e6, 0x1b)),
  ),
  ...pair(3, 19, fh3, cat(w(0), w(0), w(1, 2, 3, 4, 5, 6, 7, 0, 8, 9, 10, 11))),
  ...pair(3, 19, fh3, cat(w(10006), w(0))),
  ...pair(3, 20, fh3, cat(w(0), post(2), w(32000, 255, 1, 0, 1, 0))),
  ...pair(3, 20, fh3, cat(w(0), w(0), w(1, 2, 0, 1, 0, 1))),
  ...pair(3, 20, fh3, cat(w(10004), w(0))),
  ...pair(3, 21, cat(fh3, w(0, 0, 0)), cat(w(0), wcc, w(0xcafe, 0xf00d))),
  ...pair(3, 21, cat(fh3, w(0, 0, 0)), cat(w(5), wccNone)),
  ...pair(3, 22, fh3, w(0, 1, 2, 3)),
  ...pair(3, 25, fh3, w(0)),
  // A status tcpdump has no name for; a status word past the datagram.
  ...pair(3, 1, fh3, w(12345)),
  ...pair(3, 1, fh3, none),
  // Replies to every v2 procedure, and to v4's (read as v2).
  ...pair(2, 0, none, none),
  ...pair(2, 1, fh2, cat(w(0), fattr2())),
  ...pair(2, 1, fh2, cat(w(0), fattr2(8))),
  ...pair(2, 2, fh2, cat(w(0), fattr2())),
  ...pair(2, 2, fh2, w(1)),
  ...pair(2, 3, fh2, none),
  ...pair(2, 4, cat(fh2, str("f")), cat(w(0), fh2, fattr2(1, 0o100600))),
  ...pair(2, 4, cat(fh2, str("f")), w(2)),
  ...pair(2, 5, fh2, cat(w(0), str("/target"))),
  ...pair(2, 6, cat(fh2, w(0, 512, 0)), cat(w(0), fattr2(1), opaque(zeros(4)))),
  ...pair(2, 8, cat(fh2, w(0, 0, 4, 4)), cat(w(0), fattr2(1))),
  ...pair(2, 9, cat(fh2, str("n")), cat(w(0), fh2, fattr2(1))),
  ...pair(2, 10, cat(fh2, str("n")), w(0)),
  ...pair(2, 10, cat(fh2, str("n")), w(13)),
  ...pair(2, 11, cat(fh2, str("n"), fh2, str("m")), w(0)),
  ...pair(2, 12, cat(fh2, fh2, str("m")), w(0)),
  ...pair(2, 13, cat(fh2, str("n"), str("t")), w(0)),
  ...pair(2, 14, cat(fh2, str("n")), cat(w(0), fh2, fattr2())),
  ...pair(2, 15, cat(fh2, str("n")), w(0)),
  ...pair(2, 16, cat(fh2, w(0, 1024)), cat(w(0), w(1, 7), str("x"), w(8, 0, 1))),
  ...pair(2, 16, cat(fh2, w(0, 1024)), cat(w(0), w(0, 0, 0))),
  ...pair(2, 17, fh2, cat(w(0), w(8192, 4096, 1000, 500, 400))),
  ...pair(2, 17, fh2, w(28)),
  ...pair(2, 18, fh2, w(0)),
  ...pair(4, 1, cat(str(""), w(0, 1)), cat(w(0), fattr2())),
  ...pair(4, 0, none, none),
  // RPC-level outcomes: every accept status, a verifier with a body, verifiers as long as the reply or nearly.
  ...[1, 2, 3, 4, 5, 9].flatMap((a) => pair(3, 1, fh3, w(0, 0), a)),
  ...pair(3, 1, fh3, cat(w(0), fattr3()), 0, cat(w(1), opaque(hex("0102030405")))),
  ...pair(3, 1, fh3, w(0), 0, w(1, 20)),
  ...pair(3, 1, fh3, w(0), 0, w(1, 19)),
  ...pair(3, 1, fh3, w(0), 0, w(1, 28)),
  ...pair(3, 1, fh3, w(0), 0, w(1, 27)),
  // Denied: RPC version mismatch, every auth error, an unknown reason; an unknown reply status; cut short.
  r(w(900, 1, 1, 0, 2, 2)),
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((why) => r(w(901 + why, 1, 1, 1, why))),
  r(w(910, 1, 1, 7)),
  r(w(911, 1, 2, 0)),
  r(w(912, 1, 1)),
  r(w(913, 1)),
  // Replies whose call was not seen, or that come from another address or go to one.
  r(ok(5000, cat(w(0), fattr3()))),
  q(call(5001, 3, 1, fh3)),
  udp(2049, CP, ok(5001, cat(w(0), fattr3())), OTHER, C),
  udp(2049, CP, ok(5001, cat(w(0), fattr3())), S, OTHER),
  r(ok(5001, cat(w(0), fattr3()))),
  r(ok(5001, cat(w(0), fattr3()))),
  // The xid map: two calls with one xid (the search starts where the last match was found: a reply to a
  // call between them moves it past the first), then more calls than its 64 entries, so that the first
  // ones are forgotten.
  q(call(9000, 3, 1, fh3)),
  q(call(9000, 3, 3, cat(fh3, str("dup")))),
  r(ok(9000, cat(w(0), fattr3()))),
  r(ok(9000, cat(w(0), fattr3()))),
  q(call(9010, 3, 1, fh3)),
  q(call(9011, 3, 0)),
  q(call(9010, 3, 3, cat(fh3, str("dup")))),
  r(ok(9011)),
  r(ok(9010, cat(w(0), fh3, w(0), w(0)))),
  r(ok(9010, cat(w(0), fh3, w(0), w(0)))),
  ...Array.from({ length: 70 }, (_, k) => q(call(9100 + k, 3, 0))),
  ...[9100, 9105, 9106, 9107, 9169, 9000].map((x) => r(ok(x))),
  // A UDP length shorter than the payload: tcpdump's lengths follow it, its reads the captured bytes. Then
  // credential and verifier lengths near 2^32 (they round to 0 but are skipped in full).
  udpLen(cat(w(9200, 0, 2, 100003, 3, 1), w(1, 40), zeros(40), w(0, 0), fh3), 8 + 24 + 8 + 40),
  udpLen(cat(w(9201, 0, 2, 100003, 3, 1), w(1, 40), zeros(40), w(0, 0), fh3), 8 + 24 + 8 + 49),
  udpLen(cat(w(9202, 0, 2, 100003, 3, 1), w(1, 0), w(1, 40), zeros(40), fh3), 8 + 24 + 16 + 40),
  udpLen(cat(w(9203, 0, 2, 100003, 3, 1), w(1, 0), w(1, 40), zeros(40), fh3), 8 + 24 + 16 + 41),
  udpLen(cat(w(9204, 0, 2, 100003, 3, 1), w(1, 0xfffffffe), w(0, 0), fh3)),
  udpLen(cat(w(9205, 0, 2, 100003, 3, 1), w(1, 0), w(1, 0xfffffffe), fh3)),
  udpLen(cat(w(9206, 0, 2, 100003, 3, 1), w(1, 4), zeros(4), w(0, 0), fh3), 8 + 9),
  // A verifier that ends the message exactly, one byte short of it; one that starts where 8 bytes are left.
  udpLen(cat(w(9207, 0, 2, 100003, 3, 1), w(1, 0), w(1, 40), zeros(40), fh3), 8 + 56),
  udpLen(cat(w(9208, 0, 2, 100003, 3, 1), w(1, 0), w(1, 40), zeros(40), fh3), 8 + 57),
  udpLen(cat(w(9209, 0, 2, 100003, 3, 1), w(1, 8), zeros(8), w(0, 0), fh3), 8 + 24),
  // No UDP length left for the message, 4 bytes; a wrong checksum (NFS comes before the -v checksum note).
  udpLen(call(9211, 3, 0), 8),
  udpLen(call(9212, 3, 0), 12),
  ip(17, emitUdp({ srcPort: CP, dstPort: 2049, checksum: 0x1234 }, call(9213, 3, 0)), C, S),
  // The first fragment of a datagram longer than itself.
  emitEthernet(
    { ...MAC, ethertype: 0x800 },
    emitIpv4(
      { src: C, dst: S, proto: 17, mf: true, id: 7 },
      emitUdp(
        { srcPort: CP, dstPort: 2049, length: 2000, checksum: 0 },
        call(9300, 3, 3, cat(fh3, str("frag"))),
      ),
    ),
  ),
  // IPv6: a call and its reply; a reply with the same xid over IPv4 does not match it.
  udp(CP, 2049, call(6000, 3, 3, cat(fh3, str("v6"))), C6, S6),
  udp(2049, CP, ok(6000, cat(w(0), fh3, post(), w(0))), S6, C6),
  udp(2049, CP, ok(6000, cat(w(0), fh3, post(), w(0))), S, C),
  // TCP: record marks with and without the last-fragment bit, longer and shorter than the segment, 0; a
  // segment too short for a mark, for the direction; IPv6; another port's dissector first.
  tcp(CP, 2049, mark(call(7000, 3, 1, fh3))),
  tcp(2049, CP, mark(ok(7000, cat(w(0), fattr3()))), S, C),
  tcp(CP, 2049, mark(call(7001, 3, 3, cat(fh3, str("frag"))), false)),
  tcp(2049, CP, mark(ok(7001, cat(w(0), fh3, w(0), w(0))), false), S, C),
  tcp(CP, 2049, mark(call(7002, 3, 3, cat(fh3, str("long"))), true, 5000)),
  tcp(CP, 2049, mark(call(7003, 3, 3, cat(fh3, str("short"))), true, 60)),
  tcp(CP, 2049, mark(call(7004, 3, 1, fh3), true, 20)),
  tcp(2049, CP, mark(ok(7004, cat(w(0), fattr3())), true, 16), S, C),
  tcp(CP, 2049, mark(call(7005, 3, 6, cat(fh3, w(0, 1, 2))), true, 0)),
  tcp(CP, 2049, mark(call(7010, 3, 1, fh3), true, 6)),
  tcp(CP, 2049, hex("8000")),
  tcp(CP, 2049, w(0x80000004, 7006)),
  tcp(CP, 2049, w(0x80000008, 7007, 1)),
  tcp(2049, CP, w(0x80000008, 7007, 0), S, C),
  tcp(CP, 2049, mark(call(7008, 3, 0)), C6, S6),
  tcp(2049, CP, mark(ok(7008)), S6, C6),
  tcp(80, 2049, mark(call(7009, 3, 0))),
];

/**
 * A UDP length past the IP payload: NFS's text bounds the message by the payload. Compared whole and without
 * -q only: cut before the direction word, or with -q, it falls to the plain UDP line, whose `bad length`
 * text is summary.ts's (not NFS's) to match.
 */
const LONG_UDP = [udpLen(call(9210, 3, 0), 100)];

/** Every frame whole, then cut at every length from the IP header's end on (earlier cuts never reach NFS). */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 34; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"], ["-vvv"], ["-e"], ["-q"], ["-e", "-v"]];
const CUT_FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"], ["-vv", "-X"]];

/** The frames of the golden tests (also compared with tcpdump below). */
const GOLDEN = [
  q(call(77, 3, 3, cat(fh3, str("hello.txt")))),
  r(ok(77, cat(w(0), fh3, post(), w(0)))),
  r(ok(77, w(2))),
  udp(2049, CP, ok(77, w(0)), OTHER, C),
  r(ok(78, w(0))),
  q(call(79, 2, 1, FH.vms)),
  q(call(80, 3, 4, cat(fh3, w(0x21)))),
  q(call(81, 3, 1, opaque(hex("0102030405060708090a0b0c")))),
  r(w(82, 1, 1, 1, 5)),
  q(call(83, 3, 1, fh3, { cred: w(1, 1000) })),
  tcp(CP, 2049, mark(call(84, 3, 7, cat(fh3, w(0, 4096), w(512), w(2), w(512))), false)),
];
const WRITE_PAIR = [
  q(call(90, 3, 7, cat(fh3, w(0, 0, 512, 2, 512)))),
  r(ok(90, cat(w(0), wcc, w(512, 2, 1, 2)))),
];

/** netkit's lines for the frames, read in order by one summarizer (so with one xid map). */
function lines(frames: Uint8Array[], verbosity = 0): string[] {
  const d = new PacketDecoder(), s = new PacketSummarizer({ verbose: verbosity > 0, verbosity });
  return frames.map((f) => s.summarize(d.decode(f, 1)));
}

Deno.test("golden: tcpdump's text for NFS calls, replies matched to them, and replies it cannot match", () => {
  const h = "IP 10.0.0.1.40001 > 10.0.0.2.2049: ", b = "IP 10.0.0.2.2049 > 10.0.0.1.40001: ";
  const got = lines(GOLDEN);
  assert.deepEqual(got, [
    h + 'NFS request xid 77 84 lookup fh 0,1/0 "hello.txt"',
    b + "NFS reply xid 77 reply ok 148 lookup fh 0,1/0",
    b + "NFS reply xid 77 reply ok 28 lookup ERROR: No such file or directory",
    "IP 10.0.0.3.2049 > 10.0.0.1.40001: NFS reply xid 77 reply ok 28",
    b + "NFS reply xid 78 reply ok 28",
    h + "NFS request xid 79 72 getattr fh ABCDEFGH/5898240",
    h + "NFS request xid 80 72 access fh 0,1/0 NFS_ACCESS_READ|NFS_ACCESS_EXECUTE",
    h + "NFS request xid 81 56 getattr fh Unk/0102030405060708090A0B0C",
    b + "NFS reply xid 82 reply ERR 20: Auth Credentials are too weak",
    h + "NFS request xid 83 68 getattr [|nfs]",
    h +
    "Flags [P.], seq 1:93, ack 1, win 65535, length 92: NFS request xid 84 88 write fh 0,1/0 512 (512) bytes @ 4096",
  ]);
});

Deno.test("golden: -v and -vv add attributes to a matched reply", () => {
  const frames = [
    q(call(90, 3, 7, cat(fh3, w(0, 0, 512, 2, 512)))),
    r(ok(90, cat(w(0), wcc, w(512, 2, 1, 2)))),
  ];
  const text = (v: number) => lines(frames, v)[1].split(": ").slice(1).join(": ");
  assert.equal(text(0), "NFS reply xid 90 reply ok 160 write");
  assert.equal(
    text(1),
    "NFS reply xid 90 reply ok 160 write POST: REG 100644 ids -2/100 sz 4096 512 bytes",
  );
  assert.equal(
    text(2),
    "NFS reply xid 90 reply ok 160 write PRE: sz 4096 mtime 1700000000.000005 ctime 1700000001.000006" +
      " POST: REG 100644 ids -2/100 sz 4096 nlink 2 rdev 4/5 fsid 1122334455 fileid 4d" +
      " a/m/ctime 1700000000.000001 1700000001.000002 1700000002.000003 512 bytes <filesync> verf 100000002",
  );
});

/** A context for the printers: client 10.0.0.1:40001, server 10.0.0.2:2049, one xid map. */
function context(reply = false, verbosity = 0, xids = new NfsXids()): NfsContext {
  const c = new Uint8Array([10, 0, 0, 1]), s = new Uint8Array([10, 0, 0, 2]);
  return reply
    ? { xids, src: s, dst: c, sport: 2049, dport: CP, verbosity }
    : { xids, src: c, dst: s, sport: CP, dport: 2049, verbosity };
}

Deno.test("nfsUdpText: tcpdump's own checks end without a long jump, reads past the capture with one", () => {
  const m = call(5, 3, 6, cat(fh3, w(0, 0, 512)));
  const at = (n: number, v = 0) => nfsUdpText(m.subarray(0, n), m.length, context(false, v));
  assert.deepEqual(at(m.length), { text: "NFS request xid 5 80 read fh 0,1/0 512 bytes @ 0", jump: false });
  // The procedure word missing: a check. The credentials' length missing: a read.
  assert.deepEqual(at(20), { text: "NFS request xid 5 80 [|nfs]", jump: false });
  assert.deepEqual(at(30), { text: "NFS request xid 5 80 read [|nfs]", jump: true });
  // The handle cut: a check. The count cut: a read.
  assert.deepEqual(at(60), { text: "NFS request xid 5 80 read [|nfs]", jump: false });
  assert.deepEqual(at(76), { text: "NFS request xid 5 80 read fh 0,1/0 [|nfs]", jump: true });
  // Not NFS: too short for the direction, or the wrong direction for the ports.
  assert.equal(at(7), null);
  assert.equal(nfsUdpText(m, m.length, context(true)), null);
  // After an error status nothing marks a cut.
  const xids = new NfsXids();
  nfsUdpText(call(6, 3, 1, fh3), 68, context(false, 0, xids));
  const e = ok(6, w(70, 1));
  assert.deepEqual(nfsUdpText(e, e.length, context(true, 2, xids)), {
    text: "NFS reply xid 6 reply ok 32 getattr ERROR: Stale NFS file handle",
    jump: false,
  });
});

Deno.test("nfsTcpText: the record mark's length, at most the segment's, is the message's", () => {
  const m = call(9, 3, 0);
  const at = (data: Uint8Array, len = data.length) => nfsTcpText(data, len, context())?.text;
  assert.equal(at(mark(m)), ": NFS request xid 9 40 null");
  assert.equal(at(mark(m, false, 9999)), ": NFS request xid 9 40 null");
  assert.equal(at(mark(m, true, 12)), ": NFS request xid 9 12 null");
  assert.equal(at(mark(m).subarray(0, 11), 44), undefined);
  assert.equal(at(mark(m), 3), undefined);
});

Deno.test("NfsXids: 64 entries in a ring, a reply matches only from the call's server to its client", () => {
  const xids = new NfsXids();
  const a = new Uint8Array([10, 0, 0, 1]), b = new Uint8Array([10, 0, 0, 2]);
  const a6 = new Uint8Array(16).fill(1), b6 = new Uint8Array(16).fill(2);
  for (let x = 0; x < 65; x++) xids.enter(x, a, b, x % 22, 3);
  assert.equal(xids.find(0, b, a), null);
  assert.deepEqual(xids.find(1, b, a), { proc: 1, vers: 3 });
  assert.deepEqual(xids.find(64, b, a), { proc: 20, vers: 3 });
  assert.equal(xids.find(64, a, b), null);
  xids.enter(7, a6, b6, 1, 2);
  assert.deepEqual(xids.find(7, b6, a6), { proc: 1, vers: 2 });
  assert.deepEqual(xids.find(7, b, a), { proc: 7, vers: 3 });
});

Deno.test("the NFS printers never throw, for any cut at any verbosity", () => {
  const xids = new NfsXids();
  for (const f of FRAMES) {
    // The transport payload, wherever the frame carries it.
    const six = f[12] === 0x86;
    const l4 = six ? 54 : 34, isTcp = f[six ? 20 : 23] === 6;
    const data = f.subarray(l4 + (isTcp ? 20 : 8));
    for (let n = 0; n <= data.length; n++) {
      for (const v of [0, 1, 2]) {
        for (const reply of [false, true]) {
          const ctx = context(reply, v, xids);
          if (isTcp) nfsTcpText(data.subarray(0, n), data.length, ctx);
          else nfsUdpText(data.subarray(0, n), data.length, ctx);
        }
      }
    }
  }
});

testIf(
  "NFS frames print as tcpdump prints them, at every verbosity, with -e and -q",
  needCommands("tcpdump"),
  async () => {
    const frames = FRAMES.map((data) => ({ data }));
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
    const golden = [...GOLDEN, ...WRITE_PAIR].map((data) => ({ data }));
    const long = LONG_UDP.map((data) => ({ data }));
    assert.equal(await compareFramesWithTcpdump(long, [[], ["-v"], ["-x"]]), long.length * 3);
    assert.equal(await compareFramesWithTcpdump(golden, FLAGS), golden.length * FLAGS.length);
  },
);

testIf(
  "NFS frames cut at every length print as tcpdump's, and -x/-X dump from where tcpdump's does",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, CUT_FLAGS), frames.length * CUT_FLAGS.length);
  },
);
