/**
 * HSRP (UDP destination port 1985) as tcpdump 4.99 prints it, over hand-built frames: every op code and state
 * (and unknown ones), the reserved byte, hello and hold times, authentication data with a NUL, without one,
 * and with bytes tcpdump escapes; versions 1, 2 and 255 (only named), an HSRPv2 TLV packet (which tcpdump
 * names HSRPv1), extra bytes, source port 1985 alone (not HSRP); whole and cut at every length, compared
 * packet by packet with and without `-v`; with `-x`, whether the dump starts at the frame or at the IP
 * header tells tcpdump's long jumps from its own checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { summarize } from "../../lib/wire/summary.ts";
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { hsrpText } from "../../lib/wire/_hsrp.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const V4 = { src: "10.0.0.1", dst: "224.0.0.2" };
const bytes = (...b: number[]) => new Uint8Array(b);

function udp4(data: Uint8Array, o: { sport?: number; dport?: number; dst?: string } = {}): Uint8Array {
  const a = { ...V4, dst: o.dst ?? V4.dst };
  const d = emitUdp({ srcPort: o.sport ?? 1985, dstPort: o.dport ?? 1985 }, data, a);
  return emitEthernet(
    { src: "00:00:0c:07:ac:01", dst: "01:00:5e:00:00:02", ethertype: 0x0800 },
    emitIpv4({ ...a, proto: 17, ttl: 1 }, d),
  );
}

interface Hsrp {
  version?: number;
  op?: number;
  state?: number;
  hello?: number;
  hold?: number;
  priority?: number;
  group?: number;
  reserved?: number;
  auth?: Uint8Array;
  address?: Uint8Array;
}
/** An RFC 2281 packet (20 bytes). */
const hsrp = (h: Hsrp = {}) =>
  cat(
    bytes(
      h.version ?? 0,
      h.op ?? 0,
      h.state ?? 16,
      h.hello ?? 3,
      h.hold ?? 10,
      h.priority ?? 100,
      h.group ?? 1,
    ),
    bytes(h.reserved ?? 0),
    h.auth ?? cat(text("cisco"), bytes(0, 0, 0)),
    h.address ?? bytes(10, 0, 0, 254),
  );

/** An HSRPv2 group state TLV (type 1, length 40) as Cisco sends it to 224.0.0.102. */
const HSRP_V2 = hex(
  "0128 02 00 06 00 0001 00000c9ff001 00000064 00000bb8 00002710 0a0000fe 000000000000000000000000",
);

const FRAMES: Uint8Array[] = [
  ...[0, 1, 2, 3, 255].map((op) => udp4(hsrp({ op }))),
  ...[0, 1, 2, 3, 4, 8, 16, 32, 255].map((state) => udp4(hsrp({ state }))),
  udp4(hsrp({ reserved: 5, hello: 0, hold: 255, priority: 255, group: 255, auth: text("abcdefgh") })),
  udp4(hsrp({ hello: 59, hold: 60, priority: 0, group: 0, reserved: 255 })),
  udp4(hsrp({ hello: 61, hold: 119, auth: hex("01 80 ff 7f 00 41 42 00") })),
  udp4(hsrp({ auth: new Uint8Array(8), address: bytes(0, 0, 0, 0) })),
  udp4(hsrp({ auth: hex("20 7e 21 00 ff ff ff ff"), address: bytes(255, 255, 255, 255) })),
  ...[1, 2, 255].map((version) => udp4(hsrp({ version }))),
  udp4(HSRP_V2, { dst: "224.0.0.102" }),
  udp4(cat(hsrp(), text("extra"))),
  udp4(hsrp().subarray(0, 19)),
  udp4(bytes(0)),
  udp4(bytes()),
  // The destination port decides: from 1985 to elsewhere is not HSRP, from elsewhere to 1985 is.
  udp4(hsrp(), { dport: 2000 }),
  udp4(hsrp(), { sport: 2000 }),
];

const FLAGS = [[], ["-v"], ["-vv"]];
const HEX_FLAGS = [["-x"], ["-v", "-x"]];

/** Every frame whole, then cut at every length inside it. */
function withCuts(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = frames.map((data) => ({ data }));
  for (const f of frames) {
    for (let n = 1; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  return out;
}

Deno.test("golden: tcpdump's HSRP text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  assert.equal(
    at(udp4(hsrp())),
    "IP 10.0.0.1.1985 > 224.0.0.2.1985: HSRPv0-hello 20: state=active group=1 addr=10.0.0.254",
  );
  assert.equal(
    at(udp4(hsrp({ op: 2, state: 8, reserved: 5, hold: 255, auth: hex("01 80 ff 7f 00 41 42 00") })), 1)
      .split("\n")[1],
    "    10.0.0.1.1985 > 224.0.0.2.1985: HSRPv0-resign 20: state=standby group=1 [reserved=5!] addr=10.0.0.254" +
      ' hellotime=3s holdtime=4m15s priority=100 auth="^AM-^@M-^?^?"',
  );
  assert.equal(
    at(udp4(hsrp({ op: 7, state: 3 }))),
    "IP 10.0.0.1.1985 > 224.0.0.2.1985: HSRPv0-unknown (7) 20: state=Unknown (3) group=1 addr=10.0.0.254",
  );
  assert.equal(at(udp4(HSRP_V2, { dst: "224.0.0.102" })), "IP 10.0.0.1.1985 > 224.0.0.102.1985: HSRPv1");
  assert.equal(at(udp4(bytes()), 1).split("\n")[1], "    10.0.0.1.1985 > 224.0.0.2.1985:  [|hsrp]");
});

Deno.test("hsrpText: every read past the capture is a long jump", () => {
  const h = hsrp();
  assert.deepEqual(hsrpText(h.subarray(0, 0), 20, 0), { text: " [|hsrp]", jump: true });
  assert.deepEqual(hsrpText(h.subarray(0, 1), 20, 0), { text: "HSRPv0- [|hsrp]", jump: true });
  assert.deepEqual(hsrpText(h.subarray(0, 19), 20, 1), {
    text: "HSRPv0-hello 20: state=active group=1  [|hsrp]",
    jump: true,
  });
  assert.deepEqual(hsrpText(hsrp({ version: 2 }).subarray(0, 1), 20, 1), { text: "HSRPv2", jump: false });
  for (let n = 0; n <= 25; n++) {
    for (const v of [0, 1, 2]) assert(hsrpText(cat(h, text("extra")).subarray(0, n), 25, v) !== null);
  }
});

testIf(
  "HSRP frames print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, FLAGS), frames.length * FLAGS.length);
  },
);

testIf(
  "HSRP with -x: the dump starts where tcpdump's does (the whole frame after a long jump)",
  needCommands("tcpdump"),
  async () => {
    const frames = withCuts(FRAMES);
    assert.equal(await compareFramesWithTcpdump(frames, HEX_FLAGS), frames.length * HEX_FLAGS.length);
  },
);
