/**
 * CFM (IEEE 802.1ag / Y.1731, EtherType 0x8902): tcpdump 4.99's text over hand-built frames (CCM at every MD
 * level and interval, with RDI, every MD and MA name format, names too long, NULs and control bytes in
 * names; LBM, LBR, LTM, LTR with every flag and relay action; Y.1731 opcodes tcpdump does not name; first TLV
 * offsets too large and too small; Port and Interface Status, Data, Reply Ingress/Egress, Organization
 * Specific, unknown and End TLVs; Sender ID TLVs with every chassis ID type, network addresses good and bad,
 * management domains and addresses, and each of its length errors; TLVs longer than the PDU; other versions;
 * a VLAN tag), whole and cut at every length, compared packet by packet; with `-x`, whether the dump starts
 * at the frame or at the PDU tells tcpdump's long jumps from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { cfmText } from "../../lib/wire/_cfm.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const u16 = (n: number) => bytes(n >> 8, n & 255);
const u32 = (n: number) => cat(u16(n >>> 16), u16(n & 0xffff));
const zeros = (n: number) => new Uint8Array(n);

const MAC = { src: "00:11:22:33:44:55", dst: "01:80:c2:00:00:30" };
const eth = (...parts: Uint8Array[]) => emitEthernet({ ...MAC, ethertype: 0x8902 }, cat(...parts));
/** The common header: MD level, opcode, flags, first TLV offset, version. */
const header = (level: number, opcode: number, flags: number, first: number, version = 0) =>
  bytes((level << 5) | version, opcode, flags, first);
/** A TLV; `len` overrides the length field. */
const tlv = (type: number, value: Uint8Array, len = value.length) => cat(bytes(type), u16(len), value);
const END = bytes(0);

const CCM = 1, LBR = 2, LBM = 3, LTR = 4, LTM = 5;
const MD_8021 = 0, MD_NONE = 1, MD_DNS = 2, MD_MAC = 3, MD_CHAR = 4;
const MA_8021 = 0, MA_VID = 1, MA_CHAR = 2, MA_INT = 3, MA_VPN = 4;

/** The CCM's 48-byte names field: MD format, length and name (none for format 1), MA format, length, name. */
const names = (
  mdFormat: number,
  md: Uint8Array | null,
  maFormat: number,
  ma: Uint8Array,
  maLen = ma.length,
) => {
  const n = md === null
    ? cat(bytes(mdFormat, maFormat, maLen), ma)
    : cat(bytes(mdFormat, md.length), md, bytes(maFormat, maLen), ma);
  return cat(n, zeros(48 - n.length)).subarray(0, 48);
};
/** A CCM: sequence, MEP ID, the names field, Y.1731's 16 bytes, then the TLVs. */
const ccm = (level: number, flags: number, nm: Uint8Array, ...tlvs: Uint8Array[]) =>
  eth(header(level, CCM, flags, 70), u32(0x12345678), u16(0x1fff), nm, zeros(16), ...tlvs);
const MD = text("example.com"), MA = text("ma-one");
/** An LBM carrying one TLV, then a Data TLV and an End TLV. */
const lbm = (t: Uint8Array) => eth(header(2, LBM, 0, 4), u32(1), t, tlv(4, bytes(9)), END);
/** An LBM with a Sender ID TLV of this value (and this length field). */
const sender = (value: Uint8Array, len?: number) => lbm(tlv(1, value, len));

const FRAMES: Uint8Array[] = [
  // CCM: every MD level and interval, RDI on odd ones.
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => ccm(k, k | (k & 1 ? 0x80 : 0), names(MD_DNS, MD, MA_CHAR, MA), END)),
  // Every name format, unknown ones, a MAC of the wrong length, NULs and control bytes, long names.
  ccm(7, 0x84, names(MD_NONE, null, MA_VID, u16(100)), END),
  ccm(0, 3, names(MD_MAC, hex("001122334455"), MA_INT, u16(7)), END),
  ccm(0, 3, names(MD_MAC, hex("00112233445566"), MA_VPN, hex("00112233445566")), END),
  ccm(
    0,
    3,
    names(MD_8021, hex("0102030405060708090a0b0c0d0e0f101112"), MA_8021, hex("0102030405060708090a")),
    END,
  ),
  ccm(0, 3, names(9, hex("01020304"), 9, hex("01020304")), END),
  ccm(0, 3, names(MD_CHAR, text("ab\u0000cd"), MA_CHAR, bytes(0x78, 1, 0x7f, 0xc3, 0x79)), END),
  ccm(0, 3, names(MD_CHAR, zeros(43).fill(0x61), MA_CHAR, bytes(0x62)), END),
  ccm(0, 3, names(MD_CHAR, zeros(44).fill(0x61), MA_CHAR, zeros(0)), END),
  ccm(0, 3, cat(bytes(MD_CHAR, 200), zeros(46)), END),
  ccm(0, 3, cat(bytes(MD_NONE, MA_CHAR, 46), zeros(45).fill(0x41)), END),
  ccm(0, 3, cat(bytes(MD_NONE, MA_CHAR, 45), zeros(45).fill(0x41)), END),
  ccm(0, 3, cat(bytes(MD_CHAR, 2, 0x41, 0x42, MA_CHAR, 43), zeros(42)), END),
  ccm(0, 3, cat(bytes(MD_CHAR, 2, 0x41, 0x42, MA_CHAR, 42), zeros(42).fill(0x43)), END),
  // CCM with Port and Interface Status (every value), Organization Specific, short ones; no TLV at all.
  ccm(
    1,
    1,
    names(MD_CHAR, text("md"), MA_CHAR, text("ma")),
    ...[1, 2, 9].map((s) => tlv(2, bytes(s))),
    ...[1, 2, 3, 4, 5, 6, 7].map((s) => tlv(3, bytes(s))),
    tlv(3, bytes(6, 7, 8)),
    END,
  ),
  ccm(1, 1, names(MD_CHAR, text("md"), MA_CHAR, text("ma")), tlv(2, zeros(0)), END),
  ccm(1, 1, names(MD_CHAR, text("md"), MA_CHAR, text("ma")), tlv(3, zeros(0)), END),
  ccm(
    1,
    1,
    names(MD_CHAR, text("md"), MA_CHAR, text("ma")),
    tlv(31, hex("0080c2 07 aabbcc")),
    tlv(31, hex("00000c 01 0102030405060708090a0b0c0d0e0f1011")),
    tlv(31, hex("123456 01")),
    tlv(31, hex("00000c")),
    END,
  ),
  ccm(1, 1, names(MD_CHAR, text("md"), MA_CHAR, text("ma"))),
  // First TLV offsets: too small for CCM, LTM and LTR, too large, a PDU too short for the message.
  eth(header(0, CCM, 0, 69), zeros(80)),
  eth(header(0, CCM, 0, 100), zeros(80)),
  eth(header(0, CCM, 0, 74), zeros(74)),
  eth(header(0, CCM, 0, 70), zeros(60)),
  eth(header(0, LTM, 0, 16), zeros(20)),
  eth(header(0, LTM, 0, 17), zeros(10)),
  eth(header(0, LTR, 0, 5), zeros(10)),
  eth(header(0, LTR, 0, 6), zeros(3)),
  // LBM and LBR: Data TLVs, unknown TLVs, offsets past the transaction ID, TLVs cut short by the PDU.
  eth(header(2, LBM, 0, 4), u32(1), tlv(4, text("payload data bytes 0123456789")), END),
  eth(header(2, LBR, 0xff, 4), u32(1), tlv(4, zeros(0)), tlv(7, hex("0102")), tlv(0x7f, zeros(3)), END),
  eth(header(2, LBM, 0, 8), u32(1), u32(2), tlv(4, bytes(1)), END),
  eth(header(2, LBM, 0, 0), tlv(4, bytes(1)), END),
  eth(header(2, LBM, 0, 4), u32(1), tlv(4, bytes(1, 2, 3), 9)),
  eth(header(2, LBM, 0, 4), u32(1), bytes(4, 0)),
  eth(header(2, LBM, 0, 4), u32(1), bytes(4)),
  eth(header(2, LBM, 0, 4), u32(1), tlv(4, bytes(1))),
  // LTM and LTR: every flag, every relay action, Reply Ingress and Egress TLVs.
  eth(
    header(3, LTM, 0x80, 17),
    u32(0xabcdef01),
    bytes(64),
    hex("001122334455 66778899aabb"),
    tlv(7, zeros(8)),
    END,
  ),
  eth(header(3, LTM, 0x7f, 17), u32(0xabcdef01), bytes(64), hex("001122334455 66778899aabb"), END),
  eth(
    header(3, LTR, 0xe0, 6),
    u32(5),
    bytes(63, 1),
    tlv(5, hex("01 001122334455")),
    tlv(6, hex("02 001122334455 02 0005 112233445566")),
    END,
  ),
  ...[0x40, 0x20, 0x00].map((flags, k) =>
    eth(header(3, LTR, flags, 6), u32(5), bytes(63, [2, 3, 9][k]), END)
  ),
  // Sender ID: every chassis ID type, good and bad MAC and network addresses, text with a NUL.
  sender(hex("06 04 001122334455")),
  sender(hex("05 04 0011223344")),
  sender(hex("05 05 01 0a000001")),
  sender(hex("11 05 02 20010db8000000000000000000000001")),
  sender(hex("04 05 01 0a0000")),
  sender(hex("06 05 02 0a000001 00")),
  sender(hex("02 05 09 0a")),
  sender(cat(bytes(5, 6), text("eth0/"))),
  sender(cat(bytes(5, 1), text("chas1"))),
  sender(cat(bytes(3, 2), text("al1"))),
  sender(cat(bytes(3, 3), text("p1\u0000"))),
  sender(cat(bytes(3, 7), text("loc"))),
  sender(cat(bytes(3, 0), text("loc"))),
  sender(cat(bytes(3, 8), text("loc"))),
  // Sender ID length errors: empty, a chassis ID with no type, one longer than the TLV (the walk then
  // resumes a byte early), management domains and addresses of every length, missing and too long.
  sender(zeros(0)),
  sender(bytes(0)),
  sender(bytes(3)),
  sender(bytes(3, 7, 0x41)),
  sender(bytes(0, 0)),
  sender(hex("00 03 2b0601 04 0a000001")),
  sender(hex("00 03 2b0601")),
  sender(hex("00 03 2b0601 00")),
  sender(hex("00 03 2b0601 08 0a00")),
  sender(hex("00 05 2b06")),
  sender(
    hex("03 07 616263 12 0102030405060708090a0b0c0d0e0f101112 14 0102030405060708090a0b0c0d0e0f1011121314"),
  ),
  sender(hex("03 07 616263 00 ff")),
  sender(hex("06 04 001122334455 02 2b06 02 0102 ee")),
  // Other versions; opcodes tcpdump does not name (Y.1731's AIS 33, LCK 35, TST 37, ...); short PDUs.
  eth(header(0, CCM, 0, 70, 1), zeros(10)),
  eth(header(5, 33, 0, 0, 31)),
  ...[0, 6, 33, 35, 37, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 255].map((op) =>
    eth(header(7, op, 0x55, 4), u32(op), END)
  ),
  eth(header(0, CCM, 0, 0)),
  eth(bytes(0, 3, 0)),
  eth(bytes(0)),
  eth(),
  // Behind a VLAN tag.
  emitEthernet(
    { ...MAC, ethertype: 0x8100 },
    cat(hex("0064 8902"), header(2, LBM, 0, 4), u32(1), tlv(4, bytes(1)), END),
  ),
];

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-vv"], ["-e", "-v"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"], ["-vv", "-X"]];

/** Every frame whole, then cut at every length inside it (the link header too). */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

Deno.test("golden: tcpdump's CFM text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const ccm5 = ccm(5, 0x85, names(MD_DNS, MD, MA_CHAR, MA), tlv(2, bytes(2)), END);
  assert.equal(at(ccm5), "CFMv0 Continuity Check Message, MD Level 5, length 79");
  assert.equal(
    at(ccm5, 1),
    "CFMv0 Continuity Check Message, MD Level 5, length 79" +
      "\n\tFirst TLV offset 70, Flags [CCM Interval 5, RDI]" +
      "\n\t  CCM Interval 10.000s, min CCM Lifetime 32.500s, max CCM Lifetime 35.000s" +
      "\n\t  Sequence Number 0x12345678, MA-End-Point-ID 0x1fff" +
      "\n\t  MD Name Format DNS string (2), MD Name length 11" +
      "\n\t  MD Name: example.com" +
      "\n\t  MA Name-Format Character string (2), MA name length 6" +
      "\n\t  MA Name: ma-one" +
      "\n\tPort status TLV (0x02), length 1, Status: Up (2)" +
      "\n\tEnd TLV (0x00)",
  );
  assert.equal(
    at(ccm5, 2).split("\n").slice(-2).join("\n"),
    "\t  0x0000:  02\n\tEnd TLV (0x00)",
  );
  assert.equal(
    at(eth(header(3, LTR, 0xe0, 6), u32(5), bytes(63, 1), tlv(5, hex("01 001122334455")), END), 1),
    "CFMv0 Linktrace Reply, MD Level 3, length 21" +
      "\n\tFirst TLV offset 6, Flags [UseFDB Only, FwdYes, Terminal MEP]" +
      "\n\t  Transaction-ID 0x00000005, ttl 63" +
      "\n\t  Replay-Action Exact Match (1)" +
      "\n\tReply Ingress TLV (0x05), length 7" +
      "\n\t  0x0000:  0100 1122 3344 55" +
      "\n\tEnd TLV (0x00)",
  );
  assert.equal(
    at(sender(hex("06 04 001122334455 02 2b06 02 0102")), 1).split("\n").slice(4, 10).join("\n"),
    "\tSender ID TLV (0x01), length 14" +
      "\n\t  Chassis-ID Type MAC address (4), Chassis-ID length 6" +
      "\n\t  MAC 00:11:22:33:44:55" +
      "\n\t  Management Address Domain Length 2" +
      "\n\t  Management Address Domain: 0x0000:  2b06" +
      "\n\t  Management Address Length 2",
  );
  assert.equal(at(eth(header(6, 47, 0, 4), u32(1), END)), "CFMv0 unknown (47), MD Level 6, length 9");
  assert.equal(at(eth(header(0, CCM, 0, 70, 2), zeros(10))), "CFMv2 not supported, length 14");
  assert.equal(
    at(eth(header(0, CCM, 0, 69), zeros(80)), 1).split("\n")[1],
    "\tFirst TLV offset 69 (too small 1, must be >= 70)",
  );
  assert.equal(at(eth(bytes(0, 3, 0))), "\n\t\t packet is too short");
});

Deno.test("cfmText: only a TLV type past the capture is a long jump; tcpdump's own checks are not", () => {
  const f = eth(header(2, LBM, 0, 4), u32(1), tlv(4, bytes(1, 2)), END).subarray(14);
  assert.deepEqual(cfmText(f.subarray(0, 3), f.length, 0), { text: " [|cfm]", jump: false });
  assert.deepEqual(cfmText(f.subarray(0, 10), f.length, 1), {
    text:
      "CFMv0 Loopback Message, MD Level 2, length 14\n\tFirst TLV offset 4\n\t  0x0000:  0000 0001 0400\n\t" +
      "Data TLV (0x04) [|cfm]",
    jump: false,
  });
  assert.deepEqual(cfmText(f.subarray(0, 8), f.length, 1), {
    text:
      "CFMv0 Loopback Message, MD Level 2, length 14\n\tFirst TLV offset 4\n\t  0x0000:  0000 0001 [|cfm]",
    jump: true,
  });
  assert.deepEqual(cfmText(f.subarray(0, 8), f.length, 0), {
    text: "CFMv0 Loopback Message, MD Level 2, length 14",
    jump: false,
  });
  // No cut throws, at any verbosity.
  for (const g of FRAMES) {
    for (let n = 0; n <= g.length - 14; n++) {
      for (const v of [0, 1, 2]) assert(cfmText(g.subarray(14, 14 + n), g.length - 14, v) !== null);
    }
  }
});

testIf(
  "CFM frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "CFM with -x/-X: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
