/**
 * sFlow (UDP port 6343) as tcpdump 4.99.3 prints it, over hand-built Ethernet/IPv4 (and one IPv6) frames:
 * version 5 datagrams with IPv4, IPv6 and other agent address types; flow samples and expanded flow samples
 * with every flow record tcpdump names (raw packet header with each protocol, Ethernet frame, IPv4/IPv6 data,
 * the extended switch, router, gateway, user, URL, MPLS, NAT and VLAN tunnel data), unknown records of
 * enterprise 0 and records of other enterprises; counter samples and expanded counter samples with generic
 * interface, Ethernet, token ring, 100BaseVG, VLAN and processor counters, unknown counter records; unknown
 * sample types (dumped in hex with `-v`, not with `-vv`); other versions, datagrams shorter than their
 * header, samples of type or length 0, samples and records longer than the datagram or shorter than their
 * fixed part, more or fewer samples and records than announced. Each frame is compared whole and cut at
 * every length of its UDP payload with `[]`, `-v`, `-vv` and `-x` (whether the dump starts at the frame or at
 * the IP header tells tcpdump's long jumps from its own checks).
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
import { sflowText } from "../../lib/wire/_sflow.ts";
import { needCommands, testIf } from "../_helpers.ts";
import { compareFramesWithTcpdump, type Frame } from "./_pcap.ts";
import { cat, hex, text } from "../_bytes.ts";

const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };
const V4 = { src: "10.0.0.1", dst: "10.0.0.2" }, V6 = { src: "2001:db8::1", dst: "2001:db8::2" };
/** Ethernet + IP + UDP headers in front of the datagram. */
const HEAD4 = 14 + 20 + 8, HEAD6 = 14 + 40 + 8;

/** A UDP datagram from an agent's port to the collector's 6343 (or from 6343, with `reply`). */
function udp(data: Uint8Array, o: { v6?: boolean; reply?: boolean } = {}): Uint8Array {
  const ports = o.reply ? { srcPort: 6343, dstPort: 50000 } : { srcPort: 50000, dstPort: 6343 };
  const a = o.v6 ? V6 : V4;
  const d = emitUdp(ports, data, a);
  if (o.v6) return emitEthernet({ ...MAC, ethertype: 0x86dd }, emitIpv6({ ...a, proto: 17 }, d));
  return emitEthernet({ ...MAC, ethertype: 0x0800 }, emitIpv4({ ...a, proto: 17 }, d));
}

const be32 = (...vs: number[]) => cat(...vs.map((v) => new Uint8Array([v >>> 24, v >> 16, v >> 8, v])));
const be64 = (v: bigint) => cat(be32(Number(v >> 32n)), be32(Number(v & 0xffffffffn)));
/** A `format | length` header and its body (the length from the body unless given). */
const tlv = (format: number, body: Uint8Array, length = body.length) => cat(be32(format, length), body);

interface Header {
  version?: number;
  ipVersion?: number;
  agent?: Uint8Array;
  samples?: number;
}
/** A datagram: the header (sub-agent 1, sequence number 2, uptime 3) and the samples. */
function datagram(samples: Uint8Array[], h: Header = {}): Uint8Array {
  const agent = h.agent ?? hex("0a000001");
  return cat(
    be32(h.version ?? 5, h.ipVersion ?? (agent.length === 16 ? 2 : 1)),
    agent,
    be32(1, 2, 3, h.samples ?? samples.length),
    ...samples,
  );
}

/** A flow sample (format 1): sequence number, source id type and index, rate, pool, drops, in, out. */
const flowSample = (records: Uint8Array[], n = records.length) =>
  tlv(1, cat(be32(10, 0x01000005, 100, 200, 0, 1, 0x80000002, n), ...records));
/** An expanded flow sample (format 3). */
const expandedFlowSample = (records: Uint8Array[], n = records.length) =>
  tlv(3, cat(be32(11, 0, 0xffffff, 1, 2, 3, 0, 4, 0x40000000, 5, n), ...records));
/** A counter sample (format 2): sequence number, source id type and index. */
const counterSample = (records: Uint8Array[], n = records.length) =>
  tlv(2, cat(be32(7, 0xff000009, n), ...records));
/** An expanded counter sample (format 4). */
const expandedCounterSample = (records: Uint8Array[], n = records.length) =>
  tlv(4, cat(be32(8, 2, 0x12345678, n), ...records));

// Flow records.
const rawPacket = (protocol: number, header = hex("ffffffffffff001122334455080045")) =>
  tlv(1, cat(be32(protocol, 64, 4, header.length), header, new Uint8Array((4 - header.length % 4) % 4)));
const ethernetFrame = tlv(
  2,
  cat(be32(1514), hex("001122334455 0000"), hex("66778899aabb 0000"), be32(0x86dd)),
);
const ipv4Data = tlv(3, cat(be32(84), hex("0a000001 0a000002"), be32(6, 1234, 80, 0x18, 0)));
const ipv6Data = tlv(
  4,
  cat(be32(104, 17), hex("20010db8000000000000000000000001"), new Uint8Array(16), be32(1, 2, 0, 0)),
);
const switchData = tlv(1001, be32(10, 3, 20, 0xffffffff));
const routerData = tlv(1002, cat(be32(1), hex("0a0000fe"), be32(24, 24)));
const gatewayData = tlv(1003, cat(be32(1), hex("0a0000fe"), be32(65001, 65002, 65003, 0, 0, 0)));
const userData = tlv(1004, cat(be32(3, 4), text("user"), be32(3, 4), text("dest")));
const urlData = tlv(1005, cat(be32(1, 1), text("/"), new Uint8Array(3), be32(0)));
/** Flow records tcpdump names without decoding them: MPLS, NAT, MPLS tunnel/VC/FEC/LVP FEC, VLAN tunnel. */
const namedOnly = [1006, 1007, 1008, 1009, 1010, 1011, 1012].map((t) => tlv(t, be32(t, 0)));
const unknownFlowRecords = [
  tlv(5, hex("0102030405")),
  tlv(1013, hex(`${"ab".repeat(18)}`)),
  tlv(0, new Uint8Array(0)),
];
/** Enterprise 1 (format 0x1001) and 4095 records: `Unknown`, never decoded. */
const otherEnterpriseFlow = [tlv(0x1001, be32(1, 2, 3, 4)), tlv(0xfff001, be32(9))];

// Counter records.
const generic = (direction: number, status: number) =>
  tlv(
    1,
    cat(
      be32(3, 6),
      be64(10000000000n),
      be32(direction, status),
      be64(0xffffffffffffffffn),
      be32(1, 2, 3, 4, 5, 6),
      be64(0x123456789abcdefn),
      be32(7, 8, 9, 10, 11, 1),
    ),
  );
const ethernetCounters = tlv(2, be32(...Array.from({ length: 13 }, (_, k) => k * 1000 + k)));
const tokenRing = tlv(3, be32(...Array.from({ length: 18 }, (_, k) => k)));
const baseVg = tlv(
  4,
  cat(
    be32(1),
    be64(2n),
    be32(3),
    be64(4n),
    be32(5, 6, 7, 8, 9),
    be64(10n),
    be32(11),
    be64(1n << 40n),
    be64(13n),
    be64(14n),
  ),
);
const vlanCounters = tlv(5, cat(be32(100), be64(5000000000n), be32(1, 2, 3, 0xffffffff)));
const processor = tlv(1001, cat(be32(5, 10, 15), be64(8n << 30n), be64(1n << 30n)));
const unknownCounterRecords = [tlv(6, hex("0a0b0c")), tlv(1002, be32(1, 2, 3, 4, 5))];
/** Enterprise by tcpdump's 20-bit shift: 0x1001 is still enterprise 0 (generic), 0x100001 is enterprise 1. */
const otherEnterpriseCounters = [tlv(0x100001, be32(1)), tlv(0xfff00005, be32(2, 3))];

/** Datagrams whole: the frames are cut at every length of these. */
const DATAGRAMS: Uint8Array[] = [
  datagram([
    flowSample([rawPacket(1), ethernetFrame, ipv4Data, ipv6Data, switchData, routerData, gatewayData]),
    counterSample([generic(1, 3), ethernetCounters, processor]),
  ]),
  datagram([flowSample([userData, urlData, ...namedOnly, ...unknownFlowRecords, ...otherEnterpriseFlow])]),
  datagram([
    expandedFlowSample([rawPacket(11), rawPacket(12, new Uint8Array(0)), rawPacket(99), switchData]),
  ]),
  datagram([
    counterSample([tokenRing, baseVg, vlanCounters, ...unknownCounterRecords, ...otherEnterpriseCounters]),
  ]),
  datagram([
    expandedCounterSample([generic(0, 0), generic(2, 1), generic(3, 2), generic(4, 0), generic(5, 0xff)]),
  ]),
  datagram([counterSample([tlv(0x1001, tlv(1, new Uint8Array(80)).subarray(8))])]),
  // An IPv6 agent; address types other than 1 and 2 are taken for IPv6.
  datagram([counterSample([processor])], { agent: hex("20010db8000000000000000000000099") }),
  datagram([counterSample([processor])], { agent: hex("fe800000000000000000000000000001"), ipVersion: 3 }),
  datagram([], { agent: new Uint8Array(16), ipVersion: 0 }),
  // Unknown sample types (with a hex dump of two lines, one of an odd length), a sample format with the
  // enterprise bits set (tcpdump keeps the low 12 bits), more samples announced than present, fewer.
  datagram([tlv(99, hex(`${"cd".repeat(17)}`)), tlv(0x5002, be32(1, 0, 0)), tlv(5, hex("01"))]),
  datagram([counterSample([])], { samples: 5 }),
  datagram([counterSample([]), counterSample([])], { samples: 1 }),
  datagram([], { samples: 0xffffffff }),
  // Samples of type 0 or length 0 end the walk.
  datagram([tlv(0, be32(1)), counterSample([])]),
  datagram([tlv(2, new Uint8Array(0)), counterSample([])]),
  // A sample longer than the datagram; a flow sample shorter than its fixed part (read on into the next
  // bytes of the datagram, or invalid at its end); a sample header cut by the datagram's end.
  datagram([tlv(2, be32(1, 0, 0), 100)]),
  datagram([tlv(1, be32(1, 2)), tlv(2, be32(1, 0, 0, 0, 0, 0, 0, 0, 0))]),
  datagram([tlv(1, be32(1, 2))]),
  datagram([tlv(3, be32(1, 2, 3))]),
  datagram([tlv(2, be32(1))]),
  datagram([tlv(4, be32(1, 2))]),
  datagram([counterSample([]), be32(2)]),
  // Records: more announced than present, longer than the datagram, shorter than their fixed part.
  datagram([flowSample([switchData], 3)]),
  datagram([counterSample([processor], 2)]),
  datagram([flowSample([tlv(1001, be32(1, 2, 3, 4), 200)])]),
  datagram([counterSample([tlv(5, be32(1), 64)])]),
  datagram([flowSample([tlv(1, be32(1, 2))])]),
  datagram([flowSample([tlv(1, be32(1, 2)), tlv(2, be32(3, 4))])]),
  datagram([flowSample([tlv(2, be32(1)), tlv(1001, be32(1, 2, 3, 4)), switchData])]),
  datagram([counterSample([tlv(1, be32(1, 2))])]),
  datagram([counterSample([tlv(2, be32(1, 2)), tlv(4, be32(1))])]),
  datagram([counterSample([tlv(1001, new Uint8Array(0)), tlv(5, new Uint8Array(0)), vlanCounters])]),
  datagram([expandedCounterSample([tlv(4, new Uint8Array(0)), baseVg])]),
  // Other versions; datagrams shorter than their header.
  datagram([], { version: 4 }),
  datagram([], { version: 2 }).subarray(0, 20),
  datagram([], { version: 0xffffffff }),
  datagram([]).subarray(0, 27),
  datagram([], { agent: new Uint8Array(16) }).subarray(0, 39),
  datagram([], { agent: new Uint8Array(16) }).subarray(0, 28),
  datagram([], { agent: new Uint8Array(16), ipVersion: 7 }).subarray(0, 30),
  datagram([], { version: 4 }).subarray(0, 10),
  hex("00000005 00000001"),
];

Deno.test("golden: tcpdump's sFlow text", () => {
  const d = new PacketDecoder();
  const at = (f: Uint8Array, verbosity = 0) =>
    summarize(d.decode(f, 1), { verbose: verbosity > 0, verbosity, dumpUndecoded: true });
  const counters = datagram([counterSample([processor, tlv(6, hex("0a0b0c"))])]);
  assert.equal(
    at(udp(counters)),
    "IP 10.0.0.1.50000 > 10.0.0.2.6343: sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, length 95",
  );
  assert.equal(
    sflowText(counters, counters.length, 1)?.text,
    "sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, seqnum 2, uptime 3, samples 1, length 95" +
      "\n\tcounter sample (2), length 59, seqnum 7, type 255, idx 9, records 2" +
      "\n\t    enterprise 0, Processor counter (1001) length 28" +
      "\n\t      5sec 5, 1min 10, 5min 15, total_mem 8589934592, total_mem 1073741824" +
      "\n\t    enterprise 0, Unknown (6) length 3" +
      "\n\t\t0x0000:  0a0b 0c",
  );
  const flows = datagram([flowSample([rawPacket(1), ethernetFrame, switchData, ipv4Data])]);
  assert.equal(
    sflowText(flows, flows.length, 2)?.text,
    "sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, seqnum 2, uptime 3, samples 1, length 204" +
      "\n\tflow sample (1), length 168, seqnum 10, type 1, idx 5, rate 100, pool 200, drops 0," +
      " input 1 output 2147483650 records 4" +
      "\n\t    enterprise 0 Raw packet (1) length 32" +
      "\n\t      protocol Ethernet (1), length 64, stripped bytes 4, header_size 15" +
      "\n\t    enterprise 0 Ethernet frame (2) length 24" +
      "\n\t      frame len 1514, type 34525" +
      "\n\t    enterprise 0 Extended Switch data (1001) length 16" +
      "\n\t      src vlan 10, src pri 3, dst vlan 20, dst pri 4294967295" +
      "\n\t    enterprise 0 IPv4 Data (3) length 32",
  );
  assert.equal(
    sflowText(datagram([], { agent: hex("20010db8000000000000000000000099") }), 40, 0)?.text,
    "sFlowv5, IPv6 agent 2001:db8::99, agent-id 1, length 40",
  );
  assert.deepEqual(sflowText(datagram([], { version: 4 }), 28, 1), {
    text: "sFlow version 4 packet not supported",
    jump: false,
  });
  assert.deepEqual(sflowText(datagram([]).subarray(0, 20), 20, 0), {
    text: "sFlowv5 [length 20 < 28] (invalid)",
    jump: false,
  });
  // A sample longer than the datagram: invalid, then the long jump when the rest was not captured.
  const long = datagram([tlv(2, be32(1, 0, 0), 100)]);
  assert.equal(
    sflowText(long, long.length, 1)?.text,
    "sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, seqnum 2, uptime 3, samples 1, length 48" +
      "\n\tcounter sample (2), length 100, (invalid)",
  );
  assert.deepEqual(sflowText(long.subarray(0, 40), long.length, 1), {
    text: "sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, seqnum 2, uptime 3, samples 1, length 48" +
      "\n\tcounter sample (2), length 100, (invalid) [|sflow]",
    jump: true,
  });
  assert.deepEqual(sflowText(new Uint8Array(7), 28, 0), { text: " [|sflow]", jump: true });
});

/** Every datagram in a frame whole, then cut at every length of it; a few from port 6343 and over IPv6. */
function frames(): Frame[] {
  const out: Frame[] = [];
  for (const g of DATAGRAMS) {
    const f = udp(g);
    out.push({ data: f });
    for (let n = HEAD4; n < f.length; n++) out.push({ data: f.slice(0, n), len: f.length });
  }
  out.push({ data: udp(DATAGRAMS[3], { reply: true }) });
  const v6 = udp(DATAGRAMS[6], { v6: true });
  out.push({ data: v6 });
  for (let n = HEAD6; n < v6.length; n += 7) out.push({ data: v6.slice(0, n), len: v6.length });
  return out;
}

testIf(
  "sFlow datagrams print as tcpdump prints them, whole and cut at every length",
  needCommands("tcpdump"),
  async () => {
    const f = frames();
    const flags = [[], ["-v"], ["-vv"], ["-x"], ["-v", "-x"]];
    assert.equal(await compareFramesWithTcpdump(f, flags), f.length * flags.length);
  },
);
