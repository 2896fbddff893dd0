/**
 * Private: sFlow version 5 (sflow.org's specification; UDP port 6343) as tcpdump 4.99 prints it
 * (print-sflow.c).
 *
 * A datagram is a header, then samples, each a `format (4) | length (4)` header and a body; flow samples
 * carry flow records and counter samples counter records, each a `format (4) | length (4)` header again:
 *
 * ```text
 * | version (4) | agent address type (4): 1 IPv4, 2 IPv6 | agent address (4 or 16) | sub-agent id (4) |
 * | sequence number (4) | uptime in ms (4) | number of samples (4) | samples ... |
 * ```
 *
 * tcpdump's text:
 * - Without `-v`, the header alone: `sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, length 335` (the UDP payload
 *   length); an address type other than 1 is taken for IPv6. Another version: `sFlow version 4 packet not
 *   supported`. A datagram shorter than its header: `sFlowv5 [length 20 < 28] (invalid)` (28 even for IPv6).
 * - With `-v`, ` seqnum 2, uptime 3, samples 3,` join the header line, then a line per sample,
 *   `\n\tflow sample (1), length 140,` and its fields: flow samples (` seqnum 10, type 1, idx 5, rate 100,
 *   pool 200, drops 0, input 1 output 2 records 3`), expanded flow samples, counter samples (` seqnum 7, type
 *   0, idx 9, records 2`) and expanded counter samples.
 * - Then a line per record: `\n\t    enterprise 0 Raw packet (1) length 24` for flow records,
 *   `\n\t    enterprise 0, Generic counter (1) length 88` for counter records (whose enterprise tcpdump takes
 *   from the format's top 12 bits, not 20), and a line or more of fields for those tcpdump decodes: raw packet
 *   header (protocol, lengths; not the sampled header itself), Ethernet frame (length and type), extended
 *   switch data; generic interface, Ethernet, 100BaseVG, VLAN and processor counters. Token ring counters and
 *   the other flow records it names (IPv4/IPv6 data, extended router/gateway/user/URL/MPLS/NAT/VLAN tunnel
 *   data) print nothing more; records of another enterprise are `Unknown`.
 * - Unknown sample types and unknown records of enterprise 0 are dumped in hex with `-v` but not with `-vv`.
 *
 * Lengths: each check is tcpdump's. Sample and record bodies are checked against what is left of the
 * datagram, not of the sample that holds them; a sample of type or length 0 ends the text; a failed check
 * appends ` (invalid)`. Truncation: the header and every sample are checked against the captured bytes
 * before they are printed, and every field is read with tcpdump's checked reads, so a cut datagram ends in
 * ` [|sflow]` by a long jump, also after ` (invalid)` when the rest of the datagram was not captured.
 *
 * @module
 */
import { Cut, type Out, type Printed, u16, u8 } from "./_text.ts";
import { formatIpv4Address, formatIpv6Address } from "./address.ts";

const CUT = " [|sflow]";
const INVALID = " (invalid)";

/** The header with an IPv4 agent address, and with an IPv6 one. */
const HEADER_V4 = 28, HEADER_V6 = 40;
/** A sample's or a record's `format | length` header. */
const TL_LEN = 8;
/** Bodies, fixed parts. */
const FLOW_SAMPLE_LEN = 32, EXPANDED_FLOW_SAMPLE_LEN = 44;
const COUNTER_SAMPLE_LEN = 12, EXPANDED_COUNTER_SAMPLE_LEN = 16;
const RAW_PACKET_LEN = 16, ETHERNET_FRAME_LEN = 24, SWITCH_DATA_LEN = 16;
const GENERIC_COUNTERS_LEN = 88, ETHERNET_COUNTERS_LEN = 52, BASEVG_COUNTERS_LEN = 80;
const VLAN_COUNTERS_LEN = 28, PROCESSOR_COUNTERS_LEN = 28;

const SAMPLE_TYPES: Record<number, string> = {
  1: "flow sample",
  2: "counter sample",
  3: "expanded flow sample",
  4: "expanded counter sample",
};
const FLOW_TYPES: Record<number, string> = {
  1: "Raw packet",
  2: "Ethernet frame",
  3: "IPv4 Data",
  4: "IPv6 Data",
  1001: "Extended Switch data",
  1002: "Extended Router data",
  1003: "Extended Gateway data",
  1004: "Extended User data",
  1005: "Extended URL data",
  1006: "Extended MPLS data",
  1007: "Extended NAT data",
  1008: "Extended MPLS tunnel",
  1009: "Extended MPLS VC",
  1010: "Extended MPLS FEC",
  1011: "Extended MPLS LVP FEC",
  1012: "Extended VLAN Tunnel",
};
const RAW_PROTOCOLS: Record<number, string> = { 1: "Ethernet", 11: "IPv4", 12: "IPv6" };
const COUNTER_TYPES: Record<number, string> = {
  1: "Generic counter",
  2: "Ethernet counter",
  3: "Token ring counter",
  4: "100 BaseVG counter",
  5: "Vlan counter",
  1001: "Processor counter",
};
const DIRECTIONS: Record<number, string> = {
  0: "unknown",
  1: "full-duplex",
  2: "half-duplex",
  3: "in",
  4: "out",
};

/** tcpdump's check that a sample or record fits in what is left of the datagram (`goto invalid`). */
class Invalid {}

/**
 * tcpdump's text for an sFlow datagram: what follows `sport > dport: `; null where netkit prints the
 * plain `UDP, length N` (never: tcpdump hands every datagram to or from port 6343 to this printer).
 *
 * @param p the captured bytes (to the end of what carries them)
 * @param length the length on the wire
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); or null
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sflowText } from "./_sflow.ts";
 * // Version 5, IPv4 agent 10.0.0.1, sub-agent 1, sequence number 2, uptime 3, no samples.
 * const header = new Uint8Array([0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0]);
 * assert.deepEqual(sflowText(header, 28, 0), {
 *   text: "sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, length 28",
 *   jump: false,
 * });
 * assert.equal(
 *   sflowText(header, 28, 1)?.text,
 *   "sFlowv5, IPv4 agent 10.0.0.1, agent-id 1, seqnum 2, uptime 3, samples 0, length 28",
 * );
 * assert.deepEqual(sflowText(header.subarray(0, 27), 28, 0), { text: " [|sflow]", jump: true });
 * ```
 */
export function sflowText(p: Uint8Array, length: number, verbosity: number): Printed | null {
  const o: Out = { s: "" };
  try {
    sflow(o, p, length, verbosity);
    return { text: o.s, jump: false };
  } catch (e) {
    if (e instanceof Cut) return { text: o.s + CUT, jump: true };
    throw e;
  }
}

function u32(p: Uint8Array, at: number): number {
  return ((u16(p, at) << 16) | u16(p, at + 2)) >>> 0;
}

function u64(p: Uint8Array, at: number): bigint {
  return (BigInt(u32(p, at)) << 32n) | BigInt(u32(p, at + 4));
}

/** tcpdump's ND_TCHECK_LEN: `n` bytes from `at` were captured, or a long jump. */
function check(p: Uint8Array, at: number, n: number): void {
  if (at + n > p.length) throw new Cut();
}

function sflow(o: Out, p: Uint8Array, len: number, v: number): void {
  const ipVersion = u32(p, 4);
  if ((len < HEADER_V4 && ipVersion === 1) || (len < HEADER_V6 && ipVersion === 2)) {
    o.s += `sFlowv${u32(p, 0)} [length ${len} < ${HEADER_V4}]${INVALID}`;
    return;
  }
  check(p, 0, HEADER_V4);
  const version = u32(p, 0);
  if (version !== 5) {
    o.s += `sFlow version ${version} packet not supported`;
    return;
  }
  const v4 = ipVersion === 1;
  // The fields after the address move with its size.
  const after = v4 ? 12 : 24;
  const agent = v4 ? formatIpv4Address(p, 8) : ipv6(p, 8);
  const agentId = u32(p, after);
  const family = v4 ? "IPv4" : "IPv6";
  if (v < 1) {
    o.s += `sFlowv5, ${family} agent ${agent}, agent-id ${agentId}, length ${len}`;
    return;
  }
  const samples = u32(p, after + 12);
  o.s += `sFlowv5, ${family} agent ${agent}, agent-id ${agentId}, seqnum ${u32(p, after + 4)}, ` +
    `uptime ${u32(p, after + 8)}, samples ${samples}, length ${len}`;
  let at = 0, left = len;
  try {
    const header = v4 ? HEADER_V4 : HEADER_V6;
    if (left < header) throw new Invalid();
    at += header, left -= header;
    for (let n = samples; n > 0 && left > 0; n--) {
      const type = u32(p, at) & 0xfff, sampleLen = u32(p, at + 4);
      if (left < TL_LEN) throw new Invalid();
      at += TL_LEN, left -= TL_LEN;
      o.s += `\n\t${SAMPLE_TYPES[type] ?? "Unknown"} (${type}), length ${sampleLen},`;
      if (type === 0 || sampleLen === 0) return;
      if (left < sampleLen) throw new Invalid();
      check(p, at, sampleLen);
      sample(o, p, at, left, type, sampleLen, v);
      at += sampleLen, left -= sampleLen;
    }
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    o.s += INVALID;
    check(p, at, left);
  }
}

/** An IPv6 address, read whole first. */
function ipv6(p: Uint8Array, at: number): string {
  check(p, at, 16);
  return formatIpv6Address(p, at);
}

/** One sample's body at `at`, with `left` bytes of the datagram from there. */
function sample(o: Out, p: Uint8Array, at: number, left: number, type: number, sampleLen: number, v: number) {
  switch (type) {
    case 1: {
      if (left < FLOW_SAMPLE_LEN) throw new Invalid();
      const records = u32(p, at + 28);
      const index = (u8(p, at + 5) << 16) | u16(p, at + 6);
      const f = [0, 8, 12, 16, 20, 24].map((k) => u32(p, at + k));
      o.s +=
        ` seqnum ${f[0]}, type ${u8(p, at + 4)}, idx ${index}, rate ${f[1]}, pool ${f[2]}, drops ${f[3]},` +
        ` input ${f[4]} output ${f[5]} records ${records}`;
      return flowRecords(o, p, at + FLOW_SAMPLE_LEN, left - FLOW_SAMPLE_LEN, records, v);
    }
    case 3: {
      if (left < EXPANDED_FLOW_SAMPLE_LEN) throw new Invalid();
      const records = u32(p, at + 40);
      const f = [0, 4, 8, 12, 16, 20].map((k) => u32(p, at + k));
      o.s += ` seqnum ${f[0]}, type ${f[1]}, idx ${f[2]}, rate ${f[3]}, pool ${f[4]}, drops ${f[5]},` +
        ` records ${records}`;
      return flowRecords(o, p, at + EXPANDED_FLOW_SAMPLE_LEN, left - EXPANDED_FLOW_SAMPLE_LEN, records, v);
    }
    case 2: {
      if (left < COUNTER_SAMPLE_LEN) throw new Invalid();
      const records = u32(p, at + 8);
      const index = (u8(p, at + 5) << 16) | u16(p, at + 6);
      o.s += ` seqnum ${u32(p, at)}, type ${u8(p, at + 4)}, idx ${index}, records ${records}`;
      return counterRecords(o, p, at + COUNTER_SAMPLE_LEN, left - COUNTER_SAMPLE_LEN, records, v);
    }
    case 4: {
      if (left < EXPANDED_COUNTER_SAMPLE_LEN) throw new Invalid();
      const records = u32(p, at + 12);
      o.s += ` seqnum ${u32(p, at)}, type ${u32(p, at + 4)}, idx ${u32(p, at + 8)}, records ${records}`;
      return counterRecords(
        o,
        p,
        at + EXPANDED_COUNTER_SAMPLE_LEN,
        left - EXPANDED_COUNTER_SAMPLE_LEN,
        records,
        v,
      );
    }
    default:
      if (v <= 1) unknownData(o, p, at, "\n\t    ", sampleLen);
  }
}

function flowRecords(o: Out, p: Uint8Array, at: number, left: number, records: number, v: number): void {
  for (let n = records; n > 0; n--) {
    if (left < TL_LEN) throw new Invalid();
    const format = u32(p, at), type = format & 0xfff, enterprise = format >>> 12;
    const recordLen = u32(p, at + 4);
    const name = enterprise === 0 ? FLOW_TYPES[type] ?? "Unknown" : "Unknown";
    o.s += `\n\t    enterprise ${enterprise} ${name} (${type}) length ${recordLen}`;
    at += TL_LEN, left -= TL_LEN;
    if (left < recordLen) throw new Invalid();
    if (enterprise === 0) flowRecord(o, p, at, left, type, recordLen, v);
    at += recordLen, left -= recordLen;
  }
}

/** A flow record's body: those tcpdump decodes, names without more, or a hex dump of an unknown one. */
function flowRecord(
  o: Out,
  p: Uint8Array,
  at: number,
  left: number,
  type: number,
  recordLen: number,
  v: number,
) {
  switch (type) {
    case 1: {
      if (left < RAW_PACKET_LEN) throw new Invalid();
      const protocol = u32(p, at);
      o.s +=
        `\n\t      protocol ${RAW_PROTOCOLS[protocol] ?? "Unknown"} (${protocol}), length ${
          u32(p, at + 4)
        },` +
        ` stripped bytes ${u32(p, at + 8)}, header_size ${u32(p, at + 12)}`;
      return;
    }
    case 2:
      if (left < ETHERNET_FRAME_LEN) throw new Invalid();
      o.s += `\n\t      frame len ${u32(p, at)}, type ${u32(p, at + 20)}`;
      return;
    case 1001: {
      if (left < SWITCH_DATA_LEN) throw new Invalid();
      const f = [0, 4, 8, 12].map((k) => u32(p, at + k));
      o.s += `\n\t      src vlan ${f[0]}, src pri ${f[1]}, dst vlan ${f[2]}, dst pri ${f[3]}`;
      return;
    }
    default:
      if (!(type in FLOW_TYPES) && v <= 1) unknownData(o, p, at, "\n\t\t", recordLen);
  }
}

function counterRecords(o: Out, p: Uint8Array, at: number, left: number, records: number, v: number): void {
  for (let n = records; n > 0; n--) {
    if (left < TL_LEN) throw new Invalid();
    // tcpdump shifts the format by 20 here (by 12 for flow records): the enterprise is its top 12 bits.
    const format = u32(p, at), type = format & 0xfff, enterprise = format >>> 20;
    const recordLen = u32(p, at + 4);
    const name = enterprise === 0 ? COUNTER_TYPES[type] ?? "Unknown" : "Unknown";
    o.s += `\n\t    enterprise ${enterprise}, ${name} (${type}) length ${recordLen}`;
    at += TL_LEN, left -= TL_LEN;
    if (left < recordLen) throw new Invalid();
    if (enterprise === 0) counterRecord(o, p, at, left, type, recordLen, v);
    at += recordLen, left -= recordLen;
  }
}

/** The 32-bit fields at these offsets from `at`. */
const u32s = (p: Uint8Array, at: number, ...offsets: number[]) => offsets.map((k) => u32(p, at + k));

/** A counter record's body: the counters tcpdump decodes, or a hex dump of an unknown one. */
function counterRecord(
  o: Out,
  p: Uint8Array,
  at: number,
  left: number,
  type: number,
  recordLen: number,
  v: number,
) {
  const line = "\n\t      ";
  switch (type) {
    case 1: {
      if (left < GENERIC_COUNTERS_LEN) throw new Invalid();
      const [index, ifType] = u32s(p, at, 0, 4), speed = u64(p, at + 8), direction = u32(p, at + 16);
      o.s += `${line}ifindex ${index}, iftype ${ifType}, ifspeed ${speed}, ifdirection ${direction}` +
        ` (${DIRECTIONS[direction] ?? "Unknown"})`;
      const status = u32(p, at + 20);
      o.s += `${line}ifstatus ${status}, adminstatus: ${status & 1 ? "up" : "down"},` +
        ` operstatus: ${(status >>> 1) & 1 ? "up" : "down"}`;
      const inOctets = u64(p, at + 24), inPkts = u32s(p, at, 32, 36, 40, 44);
      o.s += `${line}In octets ${inOctets}, unicast pkts ${inPkts[0]}, multicast pkts ${inPkts[1]},` +
        ` broadcast pkts ${inPkts[2]}, discards ${inPkts[3]}`;
      const inErrors = u32s(p, at, 48, 52);
      o.s += `${line}In errors ${inErrors[0]}, unknown protos ${inErrors[1]}`;
      const outOctets = u64(p, at + 56), outPkts = u32s(p, at, 64, 68, 72, 76);
      o.s += `${line}Out octets ${outOctets}, unicast pkts ${outPkts[0]}, multicast pkts ${outPkts[1]},` +
        ` broadcast pkts ${outPkts[2]}, discards ${outPkts[3]}`;
      const out = u32s(p, at, 80, 84);
      o.s += `${line}Out errors ${out[0]}, promisc mode ${out[1]}`;
      return;
    }
    case 2: {
      if (left < ETHERNET_COUNTERS_LEN) throw new Invalid();
      const a = u32s(p, at, 0, 4, 8, 12, 16);
      o.s += `${line}align errors ${a[0]}, fcs errors ${a[1]}, single collision ${a[2]},` +
        ` multiple collision ${a[3]}, test error ${a[4]}`;
      const b = u32s(p, at, 20, 24, 28, 32);
      o.s += `${line}deferred ${b[0]}, late collision ${b[1]}, excessive collision ${b[2]},` +
        ` mac trans error ${b[3]}`;
      const c = u32s(p, at, 36, 40, 44, 48);
      o.s += `${line}carrier error ${c[0]}, frames too long ${c[1]}, mac receive errors ${c[2]},` +
        ` symbol errors ${c[3]}`;
      return;
    }
    case 3: // token ring: named, not decoded
      return;
    case 4: {
      if (left < BASEVG_COUNTERS_LEN) throw new Invalid();
      const highFrames = u32(p, at), highOctets = u64(p, at + 4);
      o.s += `${line}in high prio frames ${highFrames}, in high prio octets ${highOctets}`;
      const normFrames = u32(p, at + 12), normOctets = u64(p, at + 16);
      o.s += `${line}in norm prio frames ${normFrames}, in norm prio octets ${normOctets}`;
      const e = u32s(p, at, 24, 28, 32, 36);
      o.s += `${line}in ipm errors ${e[0]}, oversized ${e[1]}, in data errors ${e[2]},` +
        ` null addressed frames ${e[3]}`;
      const outFrames = u32(p, at + 40), outOctets = u64(p, at + 44), into = u32(p, at + 52);
      o.s += `${line}out high prio frames ${outFrames}, out high prio octets ${outOctets},` +
        ` trans into frames ${into}`;
      const hc = [56, 64, 72].map((k) => u64(p, at + k));
      o.s += `${line}in hc high prio octets ${hc[0]}, in hc norm prio octets ${hc[1]},` +
        ` out hc high prio octets ${hc[2]}`;
      return;
    }
    case 5: {
      if (left < VLAN_COUNTERS_LEN) throw new Invalid();
      const id = u32(p, at), octets = u64(p, at + 4), f = u32s(p, at, 12, 16, 20, 24);
      o.s += `${line}vlan_id ${id}, octets ${octets}, unicast_pkt ${f[0]}, multicast_pkt ${f[1]},` +
        ` broadcast_pkt ${f[2]}, discards ${f[3]}`;
      return;
    }
    case 1001: {
      if (left < PROCESSOR_COUNTERS_LEN) throw new Invalid();
      const f = u32s(p, at, 0, 4, 8), total = u64(p, at + 12), free = u64(p, at + 20);
      // tcpdump names the free memory total_mem too.
      o.s += `${line}5sec ${f[0]}, 1min ${f[1]}, 5min ${f[2]}, total_mem ${total}, total_mem ${free}`;
      return;
    }
    default:
      if (v <= 1) unknownData(o, p, at, "\n\t\t", recordLen);
  }
}

const hex2 = (x: number) => x.toString(16).padStart(2, "0");

/**
 * tcpdump's print_unknown_data: a hex dump of `n` bytes from `at` (no further than the captured bytes), 16 a
 * line in 2-byte groups, each line after `indent`.
 */
function unknownData(o: Out, p: Uint8Array, at: number, indent: string, n: number): void {
  if (at > p.length) {
    o.s += `${indent}Dissector error: print_unknown_data called with pointer past end of packet`;
    return;
  }
  n = Math.min(n, p.length - at);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    if (k % 16 === 0) o.s += `${indent}0x${k.toString(16).padStart(4, "0")}: `;
    o.s += ` ${hex2(p[at + k])}${hex2(p[at + k + 1])}`;
  }
  if (n & 1) {
    if (k % 16 === 0) o.s += `${indent}0x${k.toString(16).padStart(4, "0")}: `;
    o.s += ` ${hex2(p[at + k])}`;
  }
}
