/**
 * Cisco Discovery Protocol (802.3, LLC SNAP, OUI 0x00000c, PID 0x2000): tcpdump 4.99's text over hand-built
 * frames (every TLV type it names, address values with IPv4, IPv6 and other protocols, CDPv1, unknown and
 * malformed TLVs, lengths that do not add up, Ethernet padding, an 802.3 length beyond the frame), whole and
 * cut at every length, compared line by line, `-x` included (where the dump starts tells a long jump from
 * tcpdump's own checks).
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { cdpText } from "../../lib/wire/_cdp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const u16 = (n: number) => new Uint8Array([n >> 8, n & 255]);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));

/** A TLV: type, length (the 4 header bytes included, unless given), value. */
const tlv = (type: number, value: Uint8Array | string, len?: number) => {
  const v = typeof value === "string" ? text(value) : value;
  return cat(u16(type), u16(len ?? v.length + 4), v);
};

/** A CDP message: version, ttl, checksum (never verified), TLVs. */
const cdp = (tlvs: Uint8Array[], version = 2, ttl = 180, checksum = 0xb36a) =>
  cat(new Uint8Array([version, ttl]), u16(checksum), ...tlvs);

/** The 802.3 frame: addresses, length (LLC + SNAP + message, unless given), LLC/SNAP header, message. */
const frame = (message: Uint8Array, length = message.length + 8, padding = 0) =>
  cat(
    hex("01000ccccccc 001122334455"),
    u16(length),
    hex("aaaa03 00000c 2000"),
    message,
    new Uint8Array(padding),
  );

/** Address entries: IPv4 (NLPID 0xcc), IPv6 (an LLC/SNAP header naming 0x86dd), anything else. */
const ip4 = (a: string) => cat(hex("01 01 cc 0004"), hex(a));
const ip6 = (a: string) => cat(hex("02 08 aaaa0300000086dd 0010"), hex(a));
const addrs = (n: number, ...entries: Uint8Array[]) => cat(u32(n), ...entries);

const V6 = "20010db8000000000000000000000001";

const FULL = cdp([
  tlv(0x01, "switch1.example.com"),
  tlv(0x02, addrs(2, ip4("0a000001"), ip6(V6))),
  tlv(0x03, "GigabitEthernet0/1"),
  tlv(0x04, hex("00000029")),
  tlv(0x05, "Cisco IOS Software, C2960 Software\nVersion 15.0(2)SE\r\nCopyright (c) 1986-2013\n"),
  tlv(0x06, "cisco WS-C2960-24TT-L"),
  tlv(0x07, hex("0a00000008 c0a8011818")),
  tlv(0x08, hex("00000c 0112 b600000000 ff")),
  tlv(0x09, "VTPDOM"),
  tlv(0x0a, hex("0064")),
  tlv(0x0b, hex("01")),
  tlv(0x0e, hex("01 00c8")),
  tlv(0x0f, hex("2000")),
  tlv(0x10, hex("1770")),
  tlv(0x11, hex("000005dc")),
  tlv(0x12, hex("00")),
  tlv(0x13, hex("05")),
  tlv(0x14, "sw1-sysname"),
  tlv(0x15, hex("06082b0601040109")),
  tlv(0x16, addrs(1, ip4("c0a80101"))),
  tlv(0x17, cat(hex("01"), text("Bldg 3, room 7"))),
]);

const FRAMES: Uint8Array[] = [
  frame(FULL),
  // CDPv1, as old IOS sends it.
  frame(cdp(
    [
      tlv(0x01, "r1"),
      tlv(0x02, addrs(1, ip4("ac100001"))),
      tlv(0x03, "Ethernet0"),
      tlv(0x04, hex("00000001")),
      tlv(0x05, "IOS (tm) 2500 Software\nVersion 11.2"),
      tlv(0x06, "cisco 2500"),
    ],
    1,
    60,
    0x0000,
  )),
  // Header only; Device-ID alone; a checksum nobody verifies.
  frame(cdp([])),
  frame(cdp([tlv(0x01, "sw1")], 2, 0, 0xffff)),
  frame(cdp([tlv(0x01, ""), tlv(0x03, "")], 255, 255)),
  // Text with control, high and NUL bytes; a version string of newlines and carriage returns.
  frame(cdp([tlv(0x01, hex("00 61 ff 7f 0a 80 09")), tlv(0x06, hex("c1 c2 00 1b"))])),
  frame(cdp([tlv(0x05, hex("0a 0a 41 0d 0a 00 ff 0a")), tlv(0x05, "")])),
  // Types in the table without a name or printer, and types beyond it, with values of 0, 1, 17, 40 bytes.
  frame(cdp([
    tlv(0x00, hex("0102")),
    tlv(0x0c, hex("")),
    tlv(0x0d, hex("ff")),
    tlv(0x18, hex("")),
    tlv(0x19, hex("ab")),
    tlv(0x1a, hex("0001 0002 00002710 00003a98")),
    tlv(0xff, new Uint8Array(17).map((_, i) => i)),
    tlv(0x100, new Uint8Array(40).map((_, i) => 0x41 + i)),
    tlv(0x1234, hex("01")),
    tlv(0x01, "after"),
  ])),
  // Every bounded type with a value too short and too long (0 bytes too).
  frame(cdp([
    tlv(0x04, hex("000001")),
    tlv(0x04, hex("0000000100")),
    tlv(0x0a, hex("01")),
    tlv(0x0a, hex("000100")),
    tlv(0x0b, hex("")),
    tlv(0x0b, hex("0000")),
    tlv(0x0e, hex("0102")),
    tlv(0x0e, hex("01020304")),
    tlv(0x0f, hex("01")),
    tlv(0x0f, hex("01020304")),
    tlv(0x10, hex("")),
    tlv(0x10, hex("01020304")),
    tlv(0x11, hex("000100")),
    tlv(0x11, hex("0001000000")),
    tlv(0x12, hex("")),
    tlv(0x12, hex("0102")),
    tlv(0x13, hex("")),
    tlv(0x13, hex("0102")),
    tlv(0x17, hex("")),
  ])),
  // Values at their bounds: power in 1 and 3 bytes, half duplex, VLAN 4095, every capability, none.
  frame(cdp([
    tlv(0x10, hex("ff")),
    tlv(0x10, hex("0186a5")),
    tlv(0x10, hex("ffffff")),
    tlv(0x10, hex("000005")),
    tlv(0x0b, hex("00")),
    tlv(0x0a, hex("ffff")),
    tlv(0x0e, hex("ff 0fff")),
    tlv(0x0f, hex("02 0005")),
    tlv(0x11, hex("ffffffff")),
    tlv(0x04, hex("ffffffff")),
    tlv(0x04, hex("ffffff80")),
    tlv(0x17, hex("ff")),
  ])),
  // Addresses: none, IPv6 with odd forms, other protocols, an IPv4 entry with a longer address.
  frame(cdp([
    tlv(0x02, addrs(0)),
    tlv(
      0x02,
      addrs(3, ip6("00000000000000000000000000000000"), ip6("fe800000000000000000000000000001"), ip6(V6)),
    ),
    tlv(0x02, addrs(1, ip6("00000000000000000000ffff0a000001"))),
    // IPv4-compatible: tcpdump keeps the dotted quad, unless the quad is 0.0.0.x.
    tlv(
      0x02,
      addrs(
        4,
        ...["01020304", "01020000", "00000001", "00000102"].map((a) => ip6("000000000000000000000000" + a)),
      ),
    ),
    tlv(0x02, addrs(2, hex("02 02 abcd 0003 0a0000"), hex("01 01 cc 0006 001122334455"))),
    tlv(0x02, addrs(1, hex("01 01 81 0004 0a000001"))),
    tlv(0x02, addrs(1, hex("02 08 aaaa0300000086dd 0004 0a000001"))),
    tlv(0x02, addrs(1, hex("02 08 aaaa030000000800 0010"), hex(V6))),
    tlv(0x02, addrs(1, hex("05 00 0000"))),
    tlv(0x16, addrs(2, ip4("0a000002"), ip4("0a000003"))),
  ])),
  // Addresses that do not add up: the walk goes on with the next TLV.
  frame(cdp([
    tlv(0x02, hex("")),
    tlv(0x02, hex("000001")),
    tlv(0x02, addrs(1)),
    tlv(0x02, addrs(1, hex("01"))),
    tlv(0x02, addrs(1, hex("0101cc00"))),
    tlv(0x02, addrs(1, hex("0101cc0004 0a00"))),
    tlv(0x02, addrs(1, hex("0208aaaa0300000086dd0010 20010db8"))),
    tlv(0x02, addrs(1, hex("0202abcd0003 0a00"))),
    tlv(0x02, addrs(2, ip4("0a000001"))),
    tlv(0x02, cat(addrs(1, ip4("0a000001")), hex("ffff"))),
    tlv(0x02, cat(addrs(0), hex("ab"))),
    tlv(0x16, hex("00")),
    tlv(0x01, "still here"),
  ])),
  // Prefixes: none, three, a length not a multiple of 5 (the walk goes on).
  frame(cdp([
    tlv(0x07, hex("")),
    tlv(0x07, hex("0a00000008 c0a8010018 0000000000")),
    tlv(0x07, hex("0a000000")),
    tlv(0x01, "x"),
  ])),
  // Physical location: the byte alone, with text.
  frame(cdp([tlv(0x17, hex("00")), tlv(0x17, cat(hex("7f"), hex("41 00 42")))])),
  // TLV lengths below the header (0, 3), beyond the message; remaining bytes fewer than a TLV header.
  frame(cdp([tlv(0x01, "a"), tlv(0x03, hex(""), 0)])),
  frame(cdp([tlv(0x01, "a"), tlv(0x1234, hex(""), 3)])),
  frame(cdp([tlv(0x03, "Gi0/1"), tlv(0x99, hex(""), 2)])),
  frame(cdp([tlv(0x01, "sw1", 20)])),
  frame(cdp([tlv(0x01, "sw1"), hex("0003")])),
  frame(cdp([tlv(0x01, "sw1"), hex("00")])),
  // Messages shorter than the header.
  frame(hex("02b4b3")),
  frame(hex("02")),
  frame(hex("")),
  // Ethernet padding after a short message; an 802.3 length beyond the frame; one short of the message.
  frame(cdp([tlv(0x01, "p")]), undefined, 30),
  frame(cdp([tlv(0x01, "sw1"), tlv(0x03, "Gi0/2")]), 60),
  frame(cdp([tlv(0x01, "sw1"), tlv(0x03, "Gi0/2")]), 26),
];

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-x"], ["-e", "-v"], ["-v", "-x"]];

Deno.test("golden: tcpdump's CDP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), o);
  const v = { verbose: true, verbosity: 1 };
  assert.equal(at(FRAMES[3]), "CDPv2, ttl: 0s, Device-ID 'sw1', length 11");
  assert.equal(
    at(FRAMES[3], v),
    "CDPv2, ttl: 0s, checksum: 0xffff (unverified), length 11\n\tDevice-ID (0x01), value length: 3 bytes: 'sw1'",
  );
  assert.equal(
    at(FRAMES[3], { link: true }),
    "00:11:22:33:44:55 > 01:00:0c:cc:cc:cc, 802.3, length 19: LLC, dsap SNAP (0xaa) Individual, " +
      "ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco (0x00000c), pid CDP (0x2000), length 11: " +
      "CDPv2, ttl: 0s, Device-ID 'sw1', length 11",
  );
  const full = at(FRAMES[0], v).split("\n");
  assert.equal(full[0], `CDPv2, ttl: 180s, checksum: 0xb36a (unverified), length ${FULL.length}`);
  assert.equal(full[2], "\tAddress (0x02), value length: 41 bytes: IPv4 (2) 10.0.0.1 IPv6 (1) 2001:db8::1");
  assert.equal(
    full[4],
    "\tCapability (0x04), value length: 4 bytes: (0x00000029): Router, L2 Switch, IGMP snooping",
  );
  assert.equal(full[7], "\t  Version 15.0(2)SE^M");
  assert.equal(
    full[11],
    "\tPrefixes (0x07), value length: 10 bytes:  IPv4 Prefixes (2): 10.0.0.0/8 192.168.1.24/24",
  );
  assert.equal(full.at(-1), "\tPhysical Location (0x17), value length: 15 bytes: 0x01/Bldg 3, room 7");
  // Without -v every TLV but the Device-ID is a hex dump; a TLV length below 4 ends the message.
  assert.equal(
    at(FRAMES[16]),
    "CDPv2, ttl: 180s\n\t  0x0000:  4769 302f 31, unknown field type TLV length 2 too short (invalid)",
  );
});

Deno.test("cdpText: a cut value keeps what was printed and ends in a long jump; tcpdump's own checks do not", () => {
  const m = cdp([tlv(0x01, "sw1"), tlv(0x07, hex("0a00000008 0a01020318"))]);
  assert.deepEqual(cdpText(m, m.length, 0), {
    text: "CDPv2, ttl: 180s, Device-ID 'sw1'\n\t  0x0000:  0a00 0000 080a 0102 0318, length 25",
    jump: false,
  });
  assert.deepEqual(cdpText(m.subarray(0, 10), m.length, 0), {
    text: "CDPv2, ttl: 180s, Device-ID 'sw [|cdp]",
    jump: true,
  });
  assert.deepEqual(cdpText(m.subarray(0, 20), m.length, 1), {
    text: "CDPv2, ttl: 180s, checksum: 0xb36a (unverified), length 25" +
      "\n\tDevice-ID (0x01), value length: 3 bytes: 'sw1'" +
      "\n\tPrefixes (0x07), value length: 10 bytes:  IPv4 Prefixes (2): 10.0.0.0/8 [|cdp]",
    jump: true,
  });
  // Without -v the value is checked whole before its dump: nothing of it is printed.
  assert.deepEqual(cdpText(m.subarray(0, 20), m.length, 0), {
    text: "CDPv2, ttl: 180s, Device-ID 'sw1' [|cdp]",
    jump: true,
  });
  assert.deepEqual(cdpText(m.subarray(0, 3), m.length, 1), { text: "CDPv2, ttl: 180s [|cdp]", jump: true });
  assert.deepEqual(cdpText(m.subarray(0, 1), m.length, 1), { text: " [|cdp]", jump: true });
  // A TLV longer than the message: invalid, and a jump only when the rest of the message was not captured.
  assert.deepEqual(cdpText(m, 20, 0), {
    text: "CDPv2, ttl: 180s, Device-ID 'sw1' (TLV length 14 > 9) (invalid)",
    jump: false,
  });
  assert.deepEqual(cdpText(m.subarray(0, 15), 20, 0), {
    text: "CDPv2, ttl: 180s, Device-ID 'sw1' (TLV length 14 > 9) (invalid) [|cdp]",
    jump: true,
  });
  assert.deepEqual(cdpText(m, 2, 0), { text: " (packet length 2 < 4) (invalid)", jump: false });
  assert.deepEqual(cdpText(m.subarray(0, 2), 3, 0), {
    text: " (packet length 3 < 4) (invalid) [|cdp]",
    jump: true,
  });
});

testIf(
  "CDP frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = FRAMES.map((data) => ({ data }));
    for (const f of FRAMES) {
      for (let n = 1; n < f.length; n++) frames.push({ data: f.slice(0, n), len: f.length });
    }
    const n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
  },
);
