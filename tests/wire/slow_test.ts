/**
 * Slow Protocols (EtherType 0x8809): LACP, Marker and Ethernet OAM as tcpdump 4.99 prints them, over
 * hand-built frames (actor/partner/collector/terminator TLVs with every state bit, Marker information and
 * response, OAM information/event/variable/loopback/vendor PDUs with every OUI tcpdump names, wrong
 * versions, illegal and wrong TLV lengths, TLVs longer than the PDU, unknown subtypes, padding, a VLAN
 * tag), whole and cut at every length, compared packet by packet; with `-x`, whether the dump starts at the
 * frame or at the PDU tells tcpdump's long jumps from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { slowText } from "../../lib/wire/_slow.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "01:80:c2:00:00:02" };
const eth = (...parts: Uint8Array[]) => emitEthernet({ ...MAC, ethertype: 0x8809 }, cat(...parts));
const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);

/** An LACP Actor (1) or Partner (2) Information TLV. */
const actor = (type: number, state: number, o: { key?: number; port?: number; len?: number } = {}) =>
  cat(
    bytes(type, o.len ?? 20),
    u16(0x8000 + state),
    hex("0a0b0c0d0e0f"),
    u16(o.key ?? 0x1234),
    u16(0xff),
    u16(o.port ?? 7),
    bytes(state),
    zeros(3),
  );
const collector = (delay: number) => cat(bytes(3, 16), u16(delay), zeros(12));
const terminator = cat(bytes(0, 0), zeros(50));
const LACP = hex("0101"), MARKER = hex("0201");
/** A whole LACPDU (110 bytes) with these actor and partner states. */
const lacpdu = (a: number, p: number) => eth(LACP, actor(1, a), actor(2, p), collector(a * 100), terminator);
/** A Marker Information (1) or Marker Response (2) TLV. */
const marker = (type: number, len = 16) =>
  cat(bytes(type, len), u16(5), hex("aabbccddeeff"), u32(0xdeadbeef), zeros(2));

/** An OAMPDU: subtype 3, flags, code, the rest. */
const oam = (flags: number, code: number, ...rest: Uint8Array[]) =>
  eth(hex("03"), u16(flags), bytes(code), ...rest);
/** A Local (1) or Remote (2) Information TLV. */
const info = (type: number, state: number, config: number, oui: number, len = 16) =>
  cat(
    bytes(type, len, 1),
    u16(0x0102),
    bytes(state, config),
    u16(0xf800 | 1518),
    u32(oui).subarray(1),
    u32(0xcafe),
  );
/** A link event TLV of types 1-4. */
const event = (type: number, len = 40) =>
  cat(
    bytes(type, len),
    u16(7),
    u32(0),
    u32(1),
    u32(0),
    u32(2),
    u32(0),
    u32(3),
    hex("ffffffffffffffff"),
    u32(0xffffffff),
  );

const OUIS = [
  0x000000,
  0x00000c,
  0x00005e,
  0x000081,
  0x0000f8,
  0x0080c2,
  0x00a03e,
  0x00e02f,
  0x080007,
  0x009069,
  0x080009,
  0x00120f,
  0x0012bb,
  0x001b21,
  0x002320,
  0x5c16c7,
  0xb0d2f5,
  0x002481,
  0x748771,
  0xa42305,
  0x00049f,
  0x0015ad,
  0x001018,
  0x00e004,
  0xd0f0db,
  0x123456,
];

const FRAMES: Uint8Array[] = [
  // LACP: each state bit on the actor, the others on the partner; all, none.
  ...[0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80].map((bit) => lacpdu(bit, 0xff ^ bit)),
  lacpdu(0x3d, 0x3f),
  lacpdu(0, 0xff),
  // Another version; only the header; a subtype with no version byte.
  eth(hex("0102"), actor(1, 0)),
  eth(LACP),
  eth(hex("01")),
  // TLVs: an illegal length (0, 1), wrong lengths, unknown types, one longer than the PDU, a byte left over,
  // a terminator with a length, none at all.
  eth(LACP, bytes(1, 0), terminator),
  eth(LACP, bytes(2, 1), terminator),
  eth(LACP, actor(1, 0x3d, { len: 21 }), zeros(1), terminator),
  eth(LACP, actor(2, 0x3d, { len: 6 }).subarray(0, 6), terminator),
  eth(LACP, bytes(3, 4, 1, 2), terminator),
  eth(LACP, bytes(3, 18), u16(9), zeros(14), terminator),
  eth(LACP, bytes(9, 4, 1, 2), bytes(0x80, 2), bytes(0xff, 19), zeros(17), terminator),
  eth(LACP, bytes(9, 40), zeros(20)),
  eth(LACP, actor(1, 0x45), bytes(9)),
  eth(LACP, bytes(0, 7)),
  eth(LACP, actor(1, 0x45), actor(2, 0x45)),
  // Marker: information, response (a TLV tcpdump does not name), a wrong length, another version.
  eth(MARKER, marker(1), terminator),
  eth(MARKER, marker(2), terminator),
  eth(MARKER, marker(1, 10).subarray(0, 10), terminator),
  eth(MARKER, collector(1), terminator),
  eth(hex("0207"), marker(1)),
  eth(hex("02")),
  // OAM Information: every flag, local and remote with every parser/mux state and config bit, every OUI.
  ...OUIS.map((oui, k) =>
    oam(1 << (k % 8), 0, info(1 + (k & 1), k & 7, 1 << (k % 6), oui), info(2, 5, 0x1f, oui), bytes(0, 0))
  ),
  oam(0x7f, 0, info(1, 0, 0, 0x00000c), bytes(0xfe, 6, 0, 0x12, 0x0f, 9), bytes(7, 3, 1), bytes(0, 0)),
  oam(0xffff, 0, info(1, 0xff, 0xff, 0x00000c, 15).subarray(0, 15), bytes(0, 0)),
  oam(0, 0, info(2, 0, 0, 0, 20), zeros(4)),
  oam(0, 0, bytes(1, 1)),
  oam(0, 0, bytes(1, 20), zeros(10)),
  oam(0, 0, bytes(1)),
  oam(0, 0),
  oam(0, 0, bytes(0, 9, 1, 2)),
  oam(0x40, 0, info(1, 1, 1, 0x0080c2), zeros(26)),
  // OAM Event Notification: the four event types, organization specific, reserved, a wrong length.
  oam(1, 1, u16(300), event(1), event(2), event(3), event(4), bytes(0xfe, 5, 1, 2, 3), bytes(9, 2)),
  oam(2, 1, u16(0xffff), event(1, 20).subarray(0, 20), bytes(0, 0)),
  oam(0, 1, u16(1)),
  oam(0, 1, bytes(1)),
  oam(0, 1, u16(1), bytes(1)),
  oam(0, 1, u16(1), bytes(1, 1)),
  oam(0, 1, u16(1), bytes(1, 50), zeros(10)),
  // Variable request and response, loopback control, vendor private, an unknown code.
  oam(0, 2, hex("07 0002 07 0003")),
  oam(0, 3, hex("07 0002 01 09")),
  oam(0, 4, bytes(1)),
  oam(0, 4, bytes(2, 9)),
  oam(0, 4, bytes(3)),
  oam(0, 4),
  oam(0, 0xfe, hex("00120f 010203")),
  oam(0, 0x33, hex("010203")),
  oam(0, 0x33),
  eth(hex("0300")),
  eth(hex("030000")),
  // Unknown subtypes and nothing at all.
  eth(hex("00 0102030405")),
  eth(hex("04")),
  eth(hex("0a 0102030405060708090a0b0c0d0e0f1011")),
  eth(hex("ff 01")),
  eth(),
  // Behind a VLAN tag.
  emitEthernet({ ...MAC, ethertype: 0x8100 }, cat(hex("0064 8809"), LACP, actor(1, 0x3d), terminator)),
];

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-e", "-v"], ["-q", "-vv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-X"]];

/** Every frame whole, then cut at every length inside it (the link header too). */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

Deno.test("golden: tcpdump's LACP, Marker and OAM text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  assert.equal(at(lacpdu(0x3d, 0)), "LACPv1, length 110");
  assert.equal(
    at(lacpdu(0x3d, 0xc2), 1),
    "LACPv1, length 110" +
      "\n\tActor Information TLV (0x01), length 20" +
      "\n\t  System 0a:0b:0c:0d:0e:0f, System Priority 32829, Key 4660, Port 7, Port Priority 255" +
      "\n\t  State Flags [Activity, Aggregation, Synchronization, Collecting, Distributing]" +
      "\n\tPartner Information TLV (0x02), length 20" +
      "\n\t  System 0a:0b:0c:0d:0e:0f, System Priority 32962, Key 4660, Port 7, Port Priority 255" +
      "\n\t  State Flags [Timeout, Default, Expired]" +
      "\n\tCollector Information TLV (0x03), length 16" +
      "\n\t  Max Delay 6100" +
      "\n\tTerminator TLV (0x00), length 0",
  );
  assert.equal(
    at(eth(MARKER, marker(1), terminator), 2).split("\n").slice(2).join("\n"),
    "\t  Request System aa:bb:cc:dd:ee:ff, Request Port 5, Request Transaction ID 0xdeadbeef" +
      "\n\t  0x0000:  0005 aabb ccdd eeff dead beef 0000" +
      "\n\tTerminator TLV (0x00), length 0",
  );
  assert.equal(
    at(oam(0x41, 4, bytes(2)), 1),
    "OAM, length 5\n\tCode Loopback Control OAM PDU, Flags [Link Fault, Remote Stable]" +
      "\n\t  Command Disable OAM Remote Loopback (2)",
  );
  assert.equal(at(eth(hex("0a 0102"))), "unknown (10), length 3\n\t0x0000:  0a01 02");
  assert.equal(at(eth(hex("0102"))), "LACP version 2 packet not supported");
  assert.equal(at(eth()), " (packet is too short)");
  assert.equal(at(eth(LACP, bytes(9, 40), zeros(20)), 1).split("\n").pop(), "\t\t packet is too short");
});

Deno.test("slowText: reads past the capture are long jumps, tcpdump's own length checks are not", () => {
  const f = lacpdu(1, 2).subarray(14);
  assert.deepEqual(slowText(f.subarray(0, 1), f.length, 0), { text: " [|slow]", jump: true });
  assert.deepEqual(slowText(f.subarray(0, 20), f.length, 1), {
    text: "LACPv1, length 110\n\tActor Information TLV (0x01), length 20 [|slow]",
    jump: true,
  });
  assert.deepEqual(slowText(f.subarray(0, 20), f.length, 0), { text: "LACPv1, length 110", jump: false });
  assert.equal(slowText(hex("0101 0928 00"), 5, 1)?.jump, false);
  assert.equal(slowText(hex("0300 0001 0001 0101"), 8, 1)?.jump, false);
  // No cut throws, at any verbosity.
  for (const g of FRAMES) {
    for (let n = 0; n <= g.length - 14; n++) {
      for (const v of [0, 1, 2]) assert(slowText(g.subarray(14, 14 + n), g.length - 14, v) !== null);
    }
  }
});

testIf(
  "Slow Protocols frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "Slow Protocols with -x/-X: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
