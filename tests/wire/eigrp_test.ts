/**
 * EIGRP (IP protocol 88): tcpdump 4.99's text over hand-built frames (every opcode and header flag, other
 * versions, every TLV it decodes: parameters, software version, IPv4 internal and external routes with every
 * prefix length and origin protocol, AppleTalk cable setup and routes; the ones it dumps: authentication,
 * sequence, next multicast sequence, IPX, unknown; values too short, illegal prefix lengths, TLV lengths
 * under 4 or past the message, bytes left over, IPv6), whole and cut at every length, compared packet by
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
import { eigrpText } from "../../lib/wire/_eigrp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => bytes(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
const u24 = (n: number) => u32(n).subarray(1);

const MAC = { src: "00:11:22:33:44:55", dst: "01:00:5e:00:00:0a" };
/** An Ethernet/IPv4 frame to 224.0.0.10 carrying the message as protocol 88. */
const ip4 = (m: Uint8Array) =>
  emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ src: "10.0.0.1", dst: "224.0.0.10", proto: 88 }, m));
const ip6 = (m: Uint8Array) =>
  emitEthernet(
    { src: MAC.src, dst: "33:33:00:00:00:0a", ethertype: 0x86dd },
    emitIpv6({ src: "fe80::1", dst: "ff02::a", proto: 88, hopLimit: 255 }, m),
  );

interface Header {
  version?: number;
  opcode?: number;
  flags?: number;
  seq?: number;
  ack?: number;
  vrid?: number;
  as?: number;
}
/** A message: the 20-byte header, then the TLVs. */
const eigrp = (h: Header, ...tlvs: Uint8Array[]) =>
  cat(
    bytes(h.version ?? 2, h.opcode ?? 5),
    u16(0xee2b),
    u32(h.flags ?? 0),
    u32(h.seq ?? 0),
    u32(h.ack ?? 0),
    u16(h.vrid ?? 0),
    u16(h.as ?? 100),
    ...tlvs,
  );
/** A TLV: type, length (the 4 header bytes included, unless given), value. */
const tlv = (type: number, value: Uint8Array, len = value.length + 4) => cat(u16(type), u16(len), value);

const params = (k: number[], hold: number) => tlv(1, cat(bytes(...k, 0), u16(hold)));
const version = (...v: number[]) => tlv(4, bytes(...v));
/** Delay (tens of us), bandwidth, MTU, hops, reliability, load, reserved. */
const METRIC = cat(u32(2560000), u32(100000), u24(1500), bytes(1, 255, 1), bytes(0, 0));
/** The prefix bytes after its length: as many as the length needs. */
const prefix = (bits: number, addr: number[]) => cat(bytes(bits), bytes(...addr.slice(0, (bits + 7) >> 3)));
const internal = (nexthop: number, bits: number, addr: number[], o: { len?: number } = {}) =>
  tlv(0x102, cat(u32(nexthop), METRIC, prefix(bits, addr)), o.len);
const external = (proto: number, bits: number, addr: number[], nexthop = 0x0a000002) =>
  tlv(
    0x103,
    cat(
      u32(nexthop),
      hex("0a000009"),
      u32(65000),
      u32(0xcafe0001),
      u32(7),
      bytes(0, 0, proto, 0x41),
      METRIC,
      prefix(bits, addr),
    ),
  );
const cable = tlv(0x204, cat(u16(100), u16(199), u32(0x01020304)));
const atInternal = (nexthop: number) => tlv(0x202, cat(u32(nexthop), METRIC, u16(10), u16(20)));
const atExternal = (nexthop: number, proto: number) =>
  tlv(
    0x203,
    cat(
      u32(nexthop),
      u32(99),
      u32(65001),
      u32(0xabcdef01),
      bytes(proto, 0x80),
      u16(300),
      METRIC,
      u16(10),
      u16(20),
    ),
  );

const PARAMS = params([1, 0, 1, 0, 0], 15), VERSION = version(12, 4, 1, 2);
const HELLO = eigrp({ flags: 0 }, PARAMS, VERSION);
const A = [192, 168, 129, 255];

const FRAMES: Uint8Array[] = [
  // Every opcode and unknown ones; other versions.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 255].map((opcode) => ip4(eigrp({ opcode, seq: 0x10 + opcode }, PARAMS))),
  ...[0, 1, 3, 255].map((v) => ip4(eigrp({ version: v }, PARAMS))),
  // Flags: each, all, unknown bits only; header fields.
  ...[1, 2, 4, 8, 0x0f, 0x10, 0xffffffff].map((flags) => ip4(eigrp({ opcode: 1, flags }))),
  ip4(eigrp({ seq: 0xffffffff, ack: 0x12345678, vrid: 0x8001, as: 65535 })),
  ip4(HELLO),
  // Parameters and version: odd values, too short, longer than needed.
  ip4(eigrp({}, params([255, 254, 253, 252, 251], 65535), version(0, 0, 255, 255))),
  ip4(eigrp({}, tlv(1, bytes(1, 0, 1, 0, 0, 0, 0)), tlv(4, bytes(1, 2, 3)))),
  ip4(eigrp({}, tlv(1, bytes(1, 0, 1, 0, 0, 0, 0, 15, 9, 9)), tlv(4, bytes(1, 2, 3, 4, 5)))),
  // IPv4 internal routes: every prefix length class, a next hop, too short, illegal, a prefix past the TLV.
  ip4(eigrp({ opcode: 1 }, ...[0, 1, 8, 9, 16, 17, 24, 25, 32].map((b) => internal(0, b, A)))),
  ip4(eigrp({ opcode: 1 }, internal(0x0a000002, 24, [10, 1, 2]), internal(0xc0a80101, 32, [1, 2, 3, 4]))),
  ip4(eigrp({ opcode: 1 }, internal(0, 33, A), internal(0, 255, []))),
  ip4(eigrp({ opcode: 1 }, tlv(0x102, cat(u32(0), METRIC)))),
  ip4(eigrp({ opcode: 1 }, internal(0, 32, A, { len: 26 }).subarray(0, 26), PARAMS)),
  ip4(eigrp({ opcode: 1 }, internal(0, 24, A, { len: 26 }).subarray(0, 26), hex("0a0b"))),
  // IPv4 external routes: every origin protocol, unknown ones, too short, illegal.
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 255].map((p) =>
    ip4(eigrp({ opcode: 1 }, external(p, 16, [172, 16])))
  ),
  ip4(eigrp({ opcode: 4 }, external(6, 0, [], 0), external(2, 32, A))),
  ip4(eigrp({ opcode: 3 }, tlv(0x103, new Uint8Array(41)), external(6, 40, A))),
  // AppleTalk.
  ip4(
    eigrp(
      { opcode: 1 },
      cable,
      atInternal(0),
      atInternal(0x00640001),
      atExternal(0, 6),
      atExternal(0x00c80002, 99),
    ),
  ),
  ip4(
    eigrp(
      { opcode: 1 },
      tlv(0x204, bytes(1)),
      tlv(0x202, new Uint8Array(23)),
      tlv(0x203, new Uint8Array(39)),
    ),
  ),
  // Dumped TLVs: authentication, sequence, next multicast sequence, IPX, unknown; empty and odd-sized values.
  ip4(eigrp(
    { opcode: 5 },
    tlv(2, hex("0002 0010 00000000 00000000 00000000 00000000 0123456789abcdef0123456789abcdef")),
    tlv(3, hex("04 0a000002")),
    tlv(5, u32(42)),
  )),
  ip4(
    eigrp(
      { opcode: 6 },
      tlv(0x302, hex("0102030405")),
      tlv(0x303, new Uint8Array(0)),
      tlv(0x9999, hex("ff")),
    ),
  ),
  // TLV lengths under 4 or past the message; bytes left over short of a TLV header.
  ip4(eigrp({}, PARAMS, tlv(1, bytes(1, 2, 3, 4, 5, 6), 2))),
  ip4(eigrp({}, tlv(0x102, new Uint8Array(30), 200))),
  ip4(eigrp({}, tlv(7, new Uint8Array(0), 0), hex("00112233445566778899aabbccddeeff0011"))),
  ip4(eigrp({}, PARAMS, hex("0001"))),
  // Only the header; less than the header; nothing.
  ip4(eigrp({ opcode: 7 })),
  ip4(eigrp({}).subarray(0, 19)),
  ip4(new Uint8Array(0)),
  // IPv6.
  ip6(eigrp({ flags: 1 }, PARAMS, VERSION, tlv(0x402, hex("20010db8")))),
];

/** Frames cut at every length: enough to pass through every field of every kind of text. */
const CUT_FRAMES = [
  ip4(HELLO),
  ip4(eigrp({ opcode: 1, flags: 9 }, internal(0x0a000002, 24, [10, 1, 2]), external(6, 32, A))),
  ip4(eigrp({ opcode: 1 }, internal(0, 32, A, { len: 26 }).subarray(0, 26), hex("0a0b01"))),
  ip4(eigrp({ opcode: 1 }, cable, atExternal(0x00c80002, 3))),
  ip4(eigrp({}, tlv(3, hex("04 0a000002")), tlv(1, bytes(1, 2), 3))),
  ip6(eigrp({}, PARAMS, tlv(5, u32(42)))),
];

/** Every frame whole, then the cut frames at every length. */
function withCuts(frames: Uint8Array[], cut: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of cut) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

const FLAGS = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"], ["-vv", "-x"]];

Deno.test("golden: tcpdump's EIGRP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const tail = (f: Uint8Array, verbosity: number) => at(f, verbosity).split("\n").slice(1).join("\n");
  assert.equal(at(ip4(HELLO)), "IP 10.0.0.1 > 224.0.0.10: EIGRP Hello, length: 40");
  assert.equal(at(ip4(eigrp({ opcode: 9 }))), "IP 10.0.0.1 > 224.0.0.10: EIGRP unknown (9), length: 20");
  assert.equal(
    at(ip4(eigrp({ version: 1 }))),
    "IP 10.0.0.1 > 224.0.0.10: EIGRP version 1 packet not supported",
  );
  assert.equal(
    tail(ip4(eigrp({ flags: 0x0b, seq: 7, ack: 9 }, PARAMS, VERSION)), 2),
    "    10.0.0.1 > 224.0.0.10: " +
      "\n\tEIGRP v2, opcode: Hello (5), chksum: 0xee2b, Flags: [Init, Conditionally Received, End-of-Table]" +
      "\n\tseq: 0x00000007, ack: 0x00000009, VRID: 0, AS: 100, length: 20" +
      "\n\t  General Parameters TLV (0x0001), length: 12" +
      "\n\t    holdtime: 15s, k1 1, k2 0, k3 1, k4 0, k5 0" +
      "\n\t    0x0000:  0100 0100 0000 000f" +
      "\n\t  Software Version TLV (0x0004), length: 8" +
      "\n\t    IOS version: 12.4, EIGRP version 1.2" +
      "\n\t    0x0000:  0c04 0102",
  );
  assert.equal(
    tail(ip4(eigrp({ opcode: 1 }, internal(0, 9, A), external(6, 24, [10, 1, 2], 0x0a000002))), 1)
      .split("\n").slice(4).join("\n"),
    "\t    IPv4 prefix:     192.168.0.0/9, nexthop: self" +
      "\n\t      delay 25600 ms, bandwidth 100000 Kbps, mtu 1500, hop 1, reliability 255, load 1" +
      "\n\t  IP External routes TLV (0x0103), length: 48" +
      "\n\t    IPv4 prefix:        10.1.2.0/24, nexthop: 10.0.0.2" +
      "\n\t      origin-router 10.0.0.9, origin-as 65000, origin-proto OSPF, flags [0x41], tag 0xcafe0001, metric 7" +
      "\n\t      delay 25600 ms, bandwidth 100000 Kbps, mtu 1500, hop 1, reliability 255, load 1",
  );
  assert.equal(
    tail(ip4(eigrp({}, tlv(3, hex("04 0a000002")), tlv(0x102, new Uint8Array(4)))), 1).split("\n").slice(3)
      .join("\n"),
    "\t  Sequence TLV (0x0003), length: 9\n\t    0x0000:  040a 0000 02" +
      "\n\t  IP Internal routes TLV (0x0102), length: 8 (too short, < 26)",
  );
  assert.equal(at(ip4(eigrp({}).subarray(0, 19))), "IP 10.0.0.1 > 224.0.0.10:  [|eigrp]");
});

Deno.test("eigrpText: only a prefix read past the capture is a long jump", () => {
  const m = eigrp({ opcode: 1 }, internal(0, 32, A, { len: 26 }).subarray(0, 26), hex("0a0b0c0d"));
  // Whole: the prefix's last 3 bytes come from after the TLV, whose length then ends the walk with a dump.
  const whole = eigrpText(m, m.length, 1);
  assert.equal(whole.jump, false);
  assert.match(whole.text, /IPv4 prefix: {4}192\.10\.11\.12\/32, nexthop: self\n.*load 1$/);
  const cut = eigrpText(m.subarray(0, 48), m.length, 1);
  assert.equal(cut.jump, true);
  assert.match(cut.text, /length: 26 \[\|eigrp\]$/);
  assert.deepEqual(eigrpText(HELLO.subarray(0, 30), HELLO.length, 1).jump, false);
  assert.deepEqual(eigrpText(HELLO.subarray(0, 30), HELLO.length, 0), {
    text: "EIGRP Hello, length: 40",
    jump: false,
  });
  assert.deepEqual(eigrpText(new Uint8Array(0), 0, 2), { text: " [|eigrp]", jump: false });
  // A length under the header's size cannot reach its check (the capture is never longer): tcpdump's text.
  assert.equal(eigrpText(HELLO, 12, 1).text, "EIGRP Hello, length: 12 (too short, < 20)");
  // No cut throws, at any verbosity.
  for (const f of [...FRAMES, ...CUT_FRAMES]) {
    const at = f[12] === 0x86 ? 14 + 40 : 14 + 20;
    for (let n = 0; n <= f.length - at; n++) {
      for (const v of [0, 1, 2]) {
        assert(typeof eigrpText(f.subarray(at, at + n), f.length - at, v).text === "string");
      }
    }
  }
});

testIf(
  "EIGRP packets print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES, CUT_FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);
