/**
 * PPPoE (RFC 2516, EtherTypes 0x8863/0x8864, and pcap link type 51): the codec's standard set, the decoder's
 * layers and JSON against tshark's fields, and tcpdump 4.99's text over hand-built frames (every discovery
 * code, tags as text and hex, long and empty tags, End-Of-List, wrong lengths and versions; session frames
 * carrying IPv4, IPv6 and MPLS with every PPP header form; short and cut frames; VLAN tags, Ethernet
 * padding, a Linux cooked capture), whole and cut at every length, compared line by line. PPP's control
 * protocols inside a session are compared in ppp_ctrl_test.ts.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  emitPppoe,
  emitPppoeTags,
  parsePppoe,
  PPPOE_HEADER_LEN,
  PppoeCode,
  pppoeCodeName,
  PppoeTag,
  pppoeText,
} from "../../lib/wire/pppoe.ts";
import { readPppHeader } from "../../lib/wire/ppp.ts";
import { WireError } from "../../lib/wire/errors.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { jsonRecord } from "../../lib/wire/json.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { hexdumpFrame } from "../../lib/wire/hexdump.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitVlan } from "../../lib/wire/vlan.ts";
import { emitSll } from "../../lib/wire/sll.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitIcmpv6 } from "../../lib/wire/icmpv6.ts";
import { emitMpls } from "../../lib/wire/mpls.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame, tsharkFields } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { cat, hex, text } from "../_bytes.ts";

const A = { src: "10.0.0.1", dst: "10.0.0.2" };
const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const ip4 = emitIpv4({ ...A, proto: 1 }, emitIcmpv4({ type: 8, id: 7, seq: 1 }, text("ping")));
const udp4 = emitIpv4({ ...A, proto: 17 }, emitUdp({ srcPort: 1000, dstPort: 2000 }, text("abc"), A));
const ip6 = emitIpv6({ ...A6, proto: 58 }, emitIcmpv6({ type: 128, id: 1, seq: 1 }, new Uint8Array(0), A6));
const disc = (code: number, payload: Uint8Array, more: { session?: number; length?: number } = {}) =>
  emitEthernet({ ...MAC, ethertype: 0x8863 }, emitPppoe({ code, ...more }, payload));
const sess = (ppp: Uint8Array, more: { session?: number; length?: number; version?: number } = {}) =>
  emitEthernet({ ...MAC, ethertype: 0x8864 }, emitPppoe({ session: 0x11, ...more }, ppp));
/** Pads a frame to Ethernet's 60-byte minimum, as a NIC sends it. */
const pad = (f: Uint8Array) => f.length >= 60 ? f : cat(f, new Uint8Array(60 - f.length));
const tags = emitPppoeTags;

const FRAMES: Uint8Array[] = [
  // Discovery: each code, text and binary tag values, empty tags, End-Of-List stopping the walk.
  disc(PppoeCode.PADI, tags([{ type: PppoeTag.SERVICE_NAME, value: "" }])),
  disc(
    PppoeCode.PADI,
    tags([{ type: PppoeTag.SERVICE_NAME, value: "" }, { type: 0x0103, value: hex("1a2b") }]),
  ),
  disc(
    PppoeCode.PADO,
    tags([
      { type: PppoeTag.AC_NAME, value: "bras-1" },
      { type: PppoeTag.SERVICE_NAME, value: "internet" },
      { type: PppoeTag.AC_COOKIE, value: hex("00112233445566778899aabbccddeeff") },
      { type: PppoeTag.HOST_UNIQ, value: hex("deadbeef") },
    ]),
  ),
  disc(
    PppoeCode.PADR,
    tags([{ type: 0x0101, value: "x" }, { type: 0, value: "" }, { type: 0x0102, value: "y" }]),
  ),
  disc(PppoeCode.PADS, tags([{ type: PppoeTag.PPP_MAX_PAYLOAD, value: hex("05dc") }]), { session: 0x1234 }),
  disc(PppoeCode.PADT, new Uint8Array(0), { session: 0xffff }),
  disc(PppoeCode.PADT, tags([{ type: PppoeTag.GENERIC_ERROR, value: "session closed" }]), { session: 1 }),
  disc(0x33, tags([{ type: 0x9999, value: "a".repeat(100) }, { type: 0x0105, value: hex("00000de9 0102") }])),
  disc(PppoeCode.PADI, tags([{ type: PppoeTag.RELAY_SESSION_ID, value: "ab\x01" }])),
  disc(PppoeCode.PADI, tags([{ type: PppoeTag.SERVICE_NAME_ERROR, value: "a\x01\x02" }])),
  disc(PppoeCode.PADI, tags([{ type: PppoeTag.AC_SYSTEM_ERROR, value: "ab\x01\x02" }])),
  disc(PppoeCode.PADI, tags([{ type: 0x0101, value: "\xe9t\xe9" }])),
  // Wrong lengths (more than the frame, PADI's limit), version and type.
  disc(PppoeCode.PADI, tags([{ type: 0x0101, value: "abc" }]), { length: 40 }),
  disc(PppoeCode.PADI, tags([{ type: 0x0101, value: "abc" }]), { length: 1500 }),
  disc(PppoeCode.PADI, tags([{ type: 0x0101, value: "abc" }, { type: 0x0102, value: "def" }]), { length: 7 }),
  emitEthernet({ ...MAC, ethertype: 0x8863 }, emitPppoe({ code: 9, version: 2, type: 3 }, tags([]))),
  // A tag running past the packet or the capture; a lone tag type.
  disc(PppoeCode.PADI, cat(hex("0101 0005"), text("ab"))),
  disc(PppoeCode.PADI, hex("0101")),
  // Session: IPv4 with each PPP header form, IPv6, MPLS, an unknown protocol (dumped), compressed data.
  sess(cat(hex("0021"), ip4)),
  sess(cat(hex("21"), udp4)),
  sess(cat(hex("ff03 0021"), ip4)),
  sess(cat(hex("0003 0021"), ip4)),
  sess(cat(hex("0103 0057"), ip6)),
  sess(cat(hex("0057"), ip6), { session: 0 }),
  sess(cat(hex("0281"), emitMpls([{ label: 16 }], ip4))),
  sess(cat(hex("1234"), hex("01020304 05060708 090a0b0c 0d0e0f10 11"))),
  sess(cat(hex("0025"), hex("0102"))),
  sess(cat(hex("00fd"), hex("0102"))),
  // LENGTH shorter than the IP packet, than an IP header, than a PPP header; nothing at all.
  sess(cat(hex("0021"), ip4), { length: 30 }),
  sess(cat(hex("0021"), ip4), { length: 10 }),
  sess(cat(hex("ff03 21"), ip4), { length: 3 }),
  sess(cat(hex("0021"), ip4), { length: 1 }),
  sess(hex("00")),
  sess(new Uint8Array(0)),
  sess(cat(hex("0057"), hex("6000"))),
  // Padded to 60 bytes, as on a real wire.
  pad(sess(cat(hex("0021"), emitIpv4({ ...A, proto: 17 }, emitUdp({ srcPort: 1, dstPort: 2 }, hex(""), A))))),
  pad(disc(PppoeCode.PADI, tags([{ type: 0x0101, value: "" }]))),
  // Short headers.
  emitEthernet({ ...MAC, ethertype: 0x8863 }, hex("1109")),
  emitEthernet({ ...MAC, ethertype: 0x8864 }, new Uint8Array(0)),
  // The stage comes from the code, not the EtherType.
  emitEthernet({ ...MAC, ethertype: 0x8863 }, emitPppoe({ session: 5 }, cat(hex("0021"), ip4))),
  emitEthernet({ ...MAC, ethertype: 0x8864 }, emitPppoe({ code: 9 }, ip4)),
  // Behind a VLAN tag.
  emitEthernet(
    { ...MAC, ethertype: 0x8100 },
    emitVlan({ id: 100, ethertype: 0x8864 }, emitPppoe({ session: 7 }, cat(hex("0021"), ip4))),
  ),
];

const FLAGS = [[], ["-e"], ["-q"], ["-v"], ["-x"], ["-e", "-v"]];

Deno.test("parsePppoe/emitPppoe/emitPppoeTags: fields, round trip, short input, bad values", () => {
  assert.deepEqual([...emitPppoe({ code: 0x65, session: 0xabcd }, hex("0101 0000"))], [
    0x11,
    0x65,
    0xab,
    0xcd,
    0,
    4,
    1,
    1,
    0,
    0,
  ]);
  const rng = new Rng(2516);
  for (let i = 0; i < 300; i++) {
    const h = { version: rng.int(16), type: rng.int(16), code: rng.int(256), session: rng.int(65536) };
    const body = new Uint8Array(rng.int(40));
    const b = emitPppoe(h, body);
    assert.deepEqual(parsePppoe(b), { ...h, length: body.length });
    assert.equal(b.length, PPPOE_HEADER_LEN + body.length);
  }
  for (let n = 0; n < PPPOE_HEADER_LEN; n++) {
    const e = parsePppoe(new Uint8Array(n));
    assert(e instanceof WireError && e.layer === "pppoe" && e.code === "WIRE_SHORT");
  }
  assert.throws(() => emitPppoe({ code: 256 }), RangeError);
  assert.throws(() => emitPppoe({ session: 65536 }), RangeError);
  assert.throws(() => emitPppoe({ version: 16 }), RangeError);
  assert.throws(() => emitPppoe({ length: -1 }), RangeError);
  assert.throws(() => emitPppoeTags([{ type: 0x10000, value: "" }]), RangeError);
  assert.deepEqual([...emitPppoeTags([{ type: 0x0101, value: "é" }])], [1, 1, 0, 2, 0xc3, 0xa9]);
  assert.equal(pppoeCodeName(0), "");
  assert.equal(pppoeCodeName(0x65), "PADS");
  assert.equal(pppoeCodeName(0xff), "PAD-ff");
});

Deno.test("readPppHeader: address/control pairs, compressed and full protocol fields, short input", () => {
  assert.deepEqual(readPppHeader(hex("0021 45")), {
    address: null,
    control: null,
    protocol: 0x21,
    hdrLen: 2,
  });
  assert.deepEqual(readPppHeader(hex("21 45")), { address: null, control: null, protocol: 0x21, hdrLen: 1 });
  assert.deepEqual(readPppHeader(hex("ff03 c021")), {
    address: 0xff,
    control: 3,
    protocol: 0xc021,
    hdrLen: 4,
  });
  assert.deepEqual(readPppHeader(hex("0103 57")), { address: 1, control: 3, protocol: 0x57, hdrLen: 3 });
  // ff 04 is no address/control pair: an odd first byte is a compressed protocol field.
  assert.deepEqual(readPppHeader(hex("ff04")), { address: null, control: null, protocol: 0xff, hdrLen: 1 });
  for (const b of [hex(""), hex("21"), hex("ff03"), hex("ff03 00")]) {
    const e = readPppHeader(b);
    assert(e instanceof WireError && e.code === "WIRE_SHORT", `${b.length}`);
  }
});

Deno.test("decoder: a pppoe layer, a session's ppp layer and what it carries; cuts flagged, never thrown", () => {
  const d = new PacketDecoder();
  const names = (f: Uint8Array, lt = 1) => d.decode(f, lt).layers.map((l) => l.layer).join();
  assert.equal(names(FRAMES[0]), "eth,pppoe");
  assert.equal(names(FRAMES[18]), "eth,pppoe,ppp,ipv4,icmp");
  assert.equal(names(FRAMES[19]), "eth,pppoe,ppp,ipv4,udp");
  assert.equal(names(FRAMES[22]), "eth,pppoe,ppp,ipv6,icmpv6");
  assert.equal(names(FRAMES[24]), "eth,pppoe,ppp,mpls,ipv4,icmp");
  assert.equal(names(FRAMES[FRAMES.length - 1]), "eth,vlan,pppoe,ppp,ipv4,icmp");
  assert.equal(names(FRAMES[18].subarray(14), 51), "pppoe,ppp,ipv4,icmp");
  const r = d.decode(FRAMES[20], 1);
  assert(!r.truncated && !r.malformed);
  const j = jsonRecord(r, { n: 1, ts: 0, len: 0, caplen: 0 });
  assert.deepEqual(j.layers[1], {
    layer: "pppoe",
    version: 1,
    type: 1,
    code: 0,
    session: 0x11,
    length: 4 + ip4.length,
  });
  assert.deepEqual(j.layers[2], { layer: "ppp", address: 0xff, control: 3, protocol: 0x21 });
  const short = d.decode(FRAMES[32], 1); // one PPP byte
  assert.equal(short.layers.map((l) => l.layer).join(), "eth,pppoe");
  assert(short.truncated || short.malformed);
  for (const f of FRAMES) {
    for (let n = 0; n <= f.length; n++) {
      for (const lt of [1, 51]) {
        const b = lt === 1 ? f.subarray(0, n) : f.subarray(14, Math.max(14, n));
        const res = d.decode(b, lt);
        summarize(res, { verbose: true, verbosity: 2, link: true, dumpUndecoded: true });
        hexdumpFrame(b, res, "x");
      }
    }
  }
});

Deno.test("golden: tcpdump's PPPoE text", () => {
  const d = new PacketDecoder();
  const line = (f: Uint8Array, o = {}) => summarize(d.decode(f, 1), { dumpUndecoded: true, ...o });
  assert.equal(line(FRAMES[0]), "PPPoE PADI [Service-Name]");
  assert.equal(
    line(FRAMES[2]),
    'PPPoE PADO [AC-Name "bras-1"] [Service-Name "internet"] [AC-Cookie 0x00112233445566778899AABBCCDDEEFF] ' +
      "[Host-Uniq 0xDEADBEEF]",
  );
  assert.equal(
    line(FRAMES[18]),
    "PPPoE  [ses 0x11] IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 12",
  );
  assert.equal(
    line(FRAMES[18], { link: true }),
    "00:11:22:33:44:55 > 66:77:88:99:aa:bb, ethertype PPPoE S (0x8864), length 54: PPPoE  [ses 0x11] " +
      "IP (0x0021), length 34: 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 12",
  );
  assert.equal(line(FRAMES[29]), "PPPoE  [ses 0x11] IP truncated-ip 8");
  assert.equal(
    line(FRAMES[25]),
    "PPPoE  [ses 0x11] unknown PPP protocol (0x1234) \n" +
      "\t0x0000:  0102 0304 0506 0708 090a 0b0c 0d0e 0f10\n\t0x0010:  11",
  );
  assert.deepEqual(pppoeText(hex("1109"), 2), { text: " (length 2 < 6) (invalid)", ppp: -1, cut: false });
  assert.deepEqual(pppoeText(hex("1109 0000 0008 0101 0004 61"), 14), {
    text: "PPPoE PADI [|pppoe]",
    ppp: -1,
    cut: true,
  });
});

testIf(
  "PPPoE frames print as tcpdump prints them, whole and cut at every length, on Ethernet and as link type 51",
  needCommands("tcpdump"),
  async () => {
    const frames: Frame[] = FRAMES.map((data) => ({ data }));
    for (const k of [2, 7, 16, 18, 20, 22, 24, 25, FRAMES.length - 1]) {
      const f = FRAMES[k];
      for (let n = 14; n < f.length; n++) frames.push({ data: f.slice(0, n), len: f.length });
    }
    let n = await compareFramesWithTcpdump(frames, FLAGS);
    assert.equal(n, frames.length * FLAGS.length);
    // The same PPPoE packets without their Ethernet header (BSD's DLT_PPP_ETHER); an empty record is
    // tcpdump's "[Invalid header: caplen==0...]", not a packet.
    const bare = frames.filter((f) => f.data.length > 14).map((f) => ({
      data: f.data.slice(14),
      len: (f.len ?? f.data.length) - 14,
    }));
    n = await compareFramesWithTcpdump(bare, [[], ["-e"], ["-v"], ["-x"], ["-X"]], 51);
    assert.equal(n, bare.length * 5);
    // Read through a Linux cooked header (a capture on -i any).
    const sll = FRAMES.slice(0, 30).map((f) => ({
      data: emitSll(
        { packetType: 0, arphrdType: 1, addr: f.slice(6, 12), protocol: (f[12] << 8) | f[13] },
        f.slice(14),
      ),
    }));
    n = await compareFramesWithTcpdump(sll, [[], ["-e"]], 113);
    assert.equal(n, sll.length * 2);
  },
);

testIf(
  "pppoe and ppp layers agree with tshark's fields",
  needCommands("tshark"),
  async () => {
    const fields = ["pppoe.version", "pppoe.type", "pppoe.code", "pppoe.session_id", "pppoe.payload_length"];
    const rows = await tsharkFields(FRAMES.map((data) => ({ data })), [...fields, "ppp.protocol", "ip.src"]);
    const d = new PacketDecoder();
    let compared = 0;
    FRAMES.forEach((f, k) => {
      const r = d.decode(f, 1);
      const ls = jsonRecord(r, { n: 1, ts: 0, len: 0, caplen: 0 }).layers;
      const p = ls.find((l) => l.layer === "pppoe");
      if (!p) return;
      const h16 = (x: unknown, w: number) => `0x${Number(x).toString(16).padStart(w, "0")}`;
      const theirs = rows[k];
      assert.deepEqual(
        [[String(p.version)], [String(p.type)], [h16(p.code, 2)], [h16(p.session, 4)], [String(p.length)]],
        theirs.slice(0, 5),
        `frame ${k + 1}`,
      );
      // tshark reads the PPP header only on 0x8864 with code 0 and a LENGTH that holds it, and takes ff 03
      // as a protocol.
      const ppp = ls.find((l) => l.layer === "ppp");
      const type = (f[12] << 8) | f[13];
      if (ppp && type === 0x8864 && ppp.address === null && Number(p.length) >= 2) {
        assert.deepEqual([h16(ppp.protocol, 4)], theirs[5], `frame ${k + 1}: the PPP protocol`);
        const ip = ls.find((l) => l.layer === "ipv4");
        // tshark reads IP only when PPPoE's LENGTH covers it.
        if (ip && Number(ip.totalLen) + 2 <= Number(p.length)) {
          assert.deepEqual([String(ip.src)], theirs[6], `frame ${k + 1}: the packet`);
        }
      }
      compared++;
    });
    assert(compared >= 35, `${compared}`);
  },
);
