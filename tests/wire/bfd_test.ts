/**
 * BFD over UDP (ports 3784 control, 4784 multihop, 6784 LAG, 3785 echo): tcpdump 4.99's text over hand-built
 * frames (version 1 with every state, diagnostic and flag, version 0, other versions, detect multipliers
 * whose detection time wraps, authentication sections of every type with good and bad lengths, a missing
 * one, a UDP length shorter than the datagram, IPv6), whole and cut at every length, compared packet by
 * packet; with `-x`, whether the dump starts at the frame or at the IP header tells tcpdump's long jumps from
 * its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { bfdText } from "../../lib/wire/_bfd.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u32 = (n: number) => bytes(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);

const V4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const MAC = { src: "00:11:22:33:44:55", dst: "00:aa:bb:cc:dd:ee" };
const CONTROL = 3784, MULTIHOP = 4784, LAG = 6784, ECHO = 3785;

/** An Ethernet/IPv4/UDP frame from port 49153 (49152 is Broadcom LI's) to `port`; `ulen`: a shorter UDP length. */
const udp4 = (port: number, data: Uint8Array, ulen?: number) => {
  const u = emitUdp(
    { srcPort: 49153, dstPort: port, length: ulen === undefined ? undefined : ulen + 8 },
    data,
    V4,
  );
  if (ulen !== undefined) u[6] = u[7] = 0;
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...V4, proto: 17 }, u));
};
const udp6 = (port: number, data: Uint8Array) =>
  emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...V6, proto: 17 }, emitUdp({ srcPort: 49153, dstPort: port }, data, V6)),
  );

interface Control {
  version?: number;
  diag?: number;
  flags?: number;
  mult?: number;
  len?: number;
  my?: number;
  your?: number;
  tx?: number;
  rx?: number;
  echo?: number;
}
/** A control packet's 24-byte header. */
const control = (c: Control = {}) =>
  cat(
    bytes(((c.version ?? 1) << 5) | (c.diag ?? 0), c.flags ?? 0xc0, c.mult ?? 3, c.len ?? 24),
    u32(c.my ?? 0x11223344),
    u32(c.your ?? 0x55667788),
    u32(c.tx ?? 300000),
    u32(c.rx ?? 250000),
    u32(c.echo ?? 50000),
  );
/** An authentication section: type, length, key ID, the rest. */
const auth = (type: number, len: number, rest: Uint8Array) => cat(bytes(type, len, 7), rest);
const digest = (n: number) => Uint8Array.from({ length: n }, (_, k) => 0xa0 + k);
/** A control packet with the A flag and an authentication section; the header's length covers both. */
const withAuth = (a: Uint8Array, flags = 0xc4) => cat(control({ flags, len: 24 + a.length }), a);

const MD5 = (type: number, len = 24) => withAuth(auth(type, len, cat(bytes(0), u32(0xdeadbeef), digest(16))));
const SHA1 = (type: number, len = 28) =>
  withAuth(auth(type, len, cat(bytes(0), u32(0x01020304), digest(20))));
const PASSWORD = (pw: Uint8Array, len = pw.length + 3) => withAuth(auth(1, len, pw));

const FRAMES: Uint8Array[] = [
  // Version 1: every state with a flag each, all flags, none.
  ...[0, 1, 2, 3].map((s) => udp4(CONTROL, control({ flags: (s << 6) | (1 << s) }))),
  ...[0x20, 0x10, 0x08, 0x02, 0x01, 0x3b, 0].map((f) => udp4(CONTROL, control({ flags: 0xc0 | f }))),
  // Every diagnostic, and unknown ones.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31].map((diag) => udp4(CONTROL, control({ diag, flags: 0x40 }))),
  // The other ports; echo.
  udp4(MULTIHOP, control({ flags: 0x80 })),
  udp4(LAG, control({ flags: 0xe8 })),
  udp4(ECHO, control()),
  udp4(ECHO, text("echo-payload!")),
  udp4(ECHO, new Uint8Array(0)),
  // Multipliers and intervals: zero, large, a detection time that wraps at 2^32 in C.
  udp4(CONTROL, control({ mult: 0, tx: 0, rx: 0, echo: 0 })),
  udp4(
    CONTROL,
    control({ mult: 255, tx: 0xffffffff, rx: 0xffffffff, echo: 12345678, my: 0, your: 0xffffffff }),
  ),
  udp4(CONTROL, control({ mult: 50, tx: 100000000, len: 0 })),
  // Version 0: each flag, all, none; other versions.
  ...[0x80, 0x40, 0x20, 0x10, 0x08, 0x02, 0x01, 0xfb, 0].map((f) =>
    udp4(CONTROL, control({ version: 0, flags: f }))
  ),
  ...[2, 3, 7].map((version) => udp4(CONTROL, control({ version, diag: 5 }))),
  udp4(MULTIHOP, control({ version: 0, flags: 0x84, diag: 2 })),
  // Authentication: simple passwords (shortest, longest, too short, too long, non-printable).
  udp4(CONTROL, PASSWORD(text("p"))),
  udp4(CONTROL, PASSWORD(text("sixteen-chars-pw"))),
  udp4(CONTROL, PASSWORD(text(""), 3)),
  udp4(CONTROL, PASSWORD(text("seventeen-chars-p"))),
  udp4(CONTROL, PASSWORD(bytes(0x01, 0x7f, 0x80, 0xe9, 0x20, 0x41))),
  // A password length past the datagram.
  udp4(CONTROL, PASSWORD(text("abc"), 12)),
  // Keyed and meticulous MD5 and SHA1; wrong lengths.
  udp4(CONTROL, MD5(2)),
  udp4(CONTROL, MD5(3)),
  udp4(CONTROL, MD5(2, 28)),
  udp4(CONTROL, SHA1(4)),
  udp4(LAG, SHA1(5)),
  udp4(CONTROL, SHA1(5, 24)),
  // Unknown types; the A flag on version 0; the A flag with no section.
  udp4(CONTROL, withAuth(auth(0, 4, bytes(0)))),
  udp4(CONTROL, withAuth(auth(6, 8, bytes(1, 2, 3, 4, 5)))),
  udp4(CONTROL, withAuth(auth(255, 2, bytes(0)))),
  udp4(CONTROL, cat(control({ version: 0, flags: 0x04 }), auth(2, 24, cat(bytes(0), u32(9), digest(16))))),
  udp4(CONTROL, control({ flags: 0xc4 })),
  // A UDP length shorter than the datagram (tcpdump reads on to the IP payload's end); trailing bytes.
  udp4(CONTROL, control(), 10),
  udp4(ECHO, text("0123456789abcdef"), 5),
  udp4(CONTROL, cat(control(), hex("cafe"))),
  // Datagrams shorter than the header.
  udp4(CONTROL, control().subarray(0, 23)),
  udp4(MULTIHOP, new Uint8Array(0)),
  // IPv6.
  udp6(CONTROL, MD5(2)),
];

/** Frames cut at every length: enough to pass through every field of every kind of text. */
const CUT_FRAMES = [
  udp4(CONTROL, control({ flags: 0xff })),
  udp4(ECHO, text("echo-payload!")),
  udp4(CONTROL, control({ version: 0, flags: 0xff })),
  udp4(CONTROL, control({ version: 5 })),
  udp4(CONTROL, PASSWORD(text("secret"))),
  udp4(CONTROL, PASSWORD(text("x"), 2)),
  udp4(CONTROL, MD5(3)),
  udp4(CONTROL, SHA1(4)),
  udp4(CONTROL, withAuth(auth(9, 4, bytes(0)))),
  udp6(MULTIHOP, SHA1(5)),
];

/** Every frame whole, then the cut frames at every length. */
function withCuts(frames: Uint8Array[], cut: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of cut) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"]];

Deno.test("golden: tcpdump's BFD text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const ports = "IP 10.0.0.1.49153 > 10.0.0.2.";
  assert.equal(
    at(udp4(CONTROL, control({ flags: 0xe5 }))),
    ports + "3784: BFDv1, Control, State Up, Flags: [Poll, Authentication Present, Multipoint], length: 24",
  );
  assert.equal(
    at(udp4(LAG, control({ flags: 0x02 }))),
    ports + "6784: BFDv1, Lag, State AdminDown, Flags: [Demand], length: 24",
  );
  assert.equal(
    at(udp4(CONTROL, control({ version: 0, flags: 0x90 }))),
    ports + "3784: BFDv0, Control, Flags: [I Hear You, Final], length: 24",
  );
  assert.equal(at(udp4(CONTROL, control({ version: 6 }))), ports + "3784: BFDv6, Control, length: 24");
  assert.equal(
    at(udp4(ECHO, text("abc")), 1).split("\n").slice(1).join("\n"),
    "    10.0.0.1.49153 > 10.0.0.2.3785: BFD, Echo, length: 3\n\t0x0000:  6162 63",
  );
  const lines = at(udp4(MULTIHOP, MD5(3)), 1).split("\n").slice(1).join("\n");
  assert.equal(
    lines,
    "    10.0.0.1.49153 > 10.0.0.2.4784: BFDv1, length: 48" +
      "\n\tMultihop, State Up, Flags: [Authentication Present], Diagnostic: No Diagnostic (0x00)" +
      "\n\tDetection Timer Multiplier: 3 (900 ms Detection time), BFD Length: 48" +
      "\n\tMy Discriminator: 0x11223344, Your Discriminator: 0x55667788" +
      "\n\t  Desired min Tx Interval:     300 ms" +
      "\n\t  Required min Rx Interval:    250 ms" +
      "\n\t  Required min Echo Interval:   50 ms" +
      "\n\tAuthentication: Meticulous Keyed MD5 (3), length: 24" +
      "\n\t  Auth Key ID: 7, Sequence Number: 0xdeadbeef" +
      "\n\t  Digest: a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
  );
  const pw = at(udp4(CONTROL, PASSWORD(bytes(0x01, 0x80, 0x41))), 1).split("\n").slice(-2).join("\n");
  assert.equal(pw, "\tAuthentication: Simple Password (1), length: 6\n\t  Auth Key ID: 7, Password: ^AM-^@A");
  const bad = at(udp4(CONTROL, SHA1(4, 24)), 1).split("\n").slice(-1)[0];
  assert.equal(bad, "\t  Auth Key ID: 7[invalid length 24]");
  const wrap = at(udp4(CONTROL, control({ mult: 255, tx: 0xffffffff })), 1).split("\n")[3];
  assert.equal(wrap, "\tDetection Timer Multiplier: 255 (4294967 ms Detection time), BFD Length: 24");
  assert.equal(
    at(udp4(CONTROL, control().subarray(0, 23))),
    "IP 10.0.0.1.49153 > 10.0.0.2.3784:  [|bfd]",
  );
});

Deno.test("bfdText: every read past the capture is a long jump; the dumps stop quietly", () => {
  const c = control({ flags: 0xc4 });
  assert.deepEqual(bfdText(c.subarray(0, 23), 24, 0, CONTROL), { text: " [|bfd]", jump: true });
  const noAuth = bfdText(c, 24, 1, CONTROL)!;
  assert.equal(noAuth.jump, true);
  assert.match(noAuth.text, /Required min Echo Interval: {3}50 ms \[\|bfd\]$/);
  const md5 = MD5(2).subarray(0, 40);
  assert.deepEqual(bfdText(md5, 48, 1, CONTROL)?.text.split("\n").slice(-1), [
    "\t  Auth Key ID: 7, Sequence Number: 0xdeadbeef [|bfd]",
  ]);
  const pw = PASSWORD(text("secret")).subarray(0, 30);
  assert.match(bfdText(pw, 33, 1, CONTROL)!.text, /Password: sec \[\|bfd\]$/);
  assert.deepEqual(bfdText(text("ab"), 9, 1, ECHO), {
    text: "BFD, Echo, length: 9\n\t0x0000:  6162",
    jump: false,
  });
  assert.deepEqual(bfdText(new Uint8Array(0), 0, 2, ECHO), { text: "BFD, Echo, length: 0", jump: false });
  assert.deepEqual(bfdText(text("ab"), 2, 0, 9999), { text: "BFD, unknown (9999), length: 2", jump: false });
  // No cut throws, at any verbosity.
  for (const f of [...FRAMES, ...CUT_FRAMES]) {
    const at = f[12] === 0x86 ? 14 + 40 + 8 : 14 + 20 + 8;
    for (let n = 0; n <= f.length - at; n++) {
      for (const v of [0, 1, 2]) {
        for (const port of [CONTROL, MULTIHOP, LAG, ECHO]) {
          assert(bfdText(f.subarray(at, at + n), f.length - at, v, port) !== null);
        }
      }
    }
  }
});

testIf(
  "BFD datagrams print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES, CUT_FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);
