/**
 * Test helpers for the filter tests: merging classic-pcap files (read and written with lib/pcap) with one
 * timestamp per packet index, so tcpdump's selection maps back to indexes, and a hand builder of
 * Ethernet/IPv4/IPv6 frames.
 *
 * @module
 */

import { encodePcap, PcapError, type PcapRecord, readPacketsSync } from "../../lib/pcap/mod.ts";

/**
 * Reads a classic pcap file with lib/pcap (either byte order, micro- or nanosecond); stops quietly at a cut
 * record.
 *
 * @param bytes the file
 * @returns the link type and the records (views of `bytes`), or undefined when it is not a classic pcap
 */
export function readPcap(bytes: Uint8Array): { linktype: number; records: PcapRecord[] } | undefined {
  const reader = readPacketsSync(bytes);
  let records: PcapRecord[];
  try {
    records = [...reader];
  } catch (e) {
    if (e instanceof PcapError) return undefined;
    throw e;
  }
  return reader.format === "pcap" ? { linktype: reader.linktype, records } : undefined;
}

/**
 * Merges records into a little-endian microsecond pcap whose record i has timestamp i seconds, so the
 * timestamps of a filtered copy name the indexes it kept (see {@link pcapSeconds}).
 *
 * @param linktype LINKTYPE_* of the file
 * @param records the packets
 * @returns the file bytes
 */
export function writePcap(linktype: number, records: PcapRecord[]): Uint8Array {
  return encodePcap(records.map((r, i) => ({ tsSec: i, data: r.data, len: r.len })), { linktype });
}

/**
 * The timestamps (seconds) of the records of a pcap, read back from tcpdump's `-w -` output.
 *
 * @param bytes a pcap written by tcpdump
 * @returns the seconds of each record, in order
 */
export function pcapSeconds(bytes: Uint8Array): number[] {
  if (bytes.length === 0) return [];
  return [...readPacketsSync(bytes)].map((p) => p.tsSec);
}

const hexBytes = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));

/**
 * An Ethernet frame: dst 02:00:00:00:00:0b, src 02:00:00:00:00:0a, the given EtherType and payload.
 *
 * @param ethertype the EtherType
 * @param payload the layer-3 bytes
 * @returns the frame
 */
export function ether(ethertype: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + payload.length);
  out.set(hexBytes("02000000000b02000000000a"));
  out[12] = ethertype >> 8;
  out[13] = ethertype & 0xff;
  out.set(payload, 14);
  return out;
}

/**
 * An IPv6 header (2001:db8::a -> 2001:db8::b) followed by `rest`; payload length filled in.
 *
 * @param nextHeader the first next-header value
 * @param rest extension headers and the transport header
 * @returns the bytes
 */
export function ipv6(nextHeader: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(40 + rest.length);
  out[0] = 0x60;
  out[4] = rest.length >> 8;
  out[5] = rest.length & 0xff;
  out[6] = nextHeader;
  out[7] = 64;
  out.set(hexBytes("20010db8000000000000000000000000"), 8);
  out[23] = 0x0a;
  out.set(hexBytes("20010db8000000000000000000000000"), 24);
  out[39] = 0x0b;
  out.set(rest, 40);
  return out;
}

/**
 * An 8-byte-multiple extension header (hop-by-hop, routing or destination options), padded with PadN.
 *
 * @param next the next-header value it carries
 * @param units length in 8-byte units beyond the first (the Hdr Ext Len field)
 * @returns the bytes
 */
export function extHeader(next: number, units = 0): Uint8Array {
  const out = new Uint8Array(8 * (units + 1));
  out[0] = next;
  out[1] = units;
  out[2] = 1; // PadN option filling the rest
  out[3] = out.length - 4;
  return out;
}

/**
 * An IPv6 fragment header.
 *
 * @param next the next-header value
 * @param offset the fragment offset in 8-byte units
 * @param more the M flag
 * @returns 8 bytes
 */
export function fragHeader(next: number, offset: number, more: boolean): Uint8Array {
  const out = new Uint8Array(8);
  out[0] = next;
  const v = (offset << 3) | (more ? 1 : 0);
  out[2] = v >> 8;
  out[3] = v & 0xff;
  out[7] = 0x2a;
  return out;
}

/**
 * A 20-byte TCP header.
 *
 * @param sport source port
 * @param dport destination port
 * @param flags the flags byte (0x02 SYN)
 * @returns the bytes
 */
export function tcpHeader(sport: number, dport: number, flags: number): Uint8Array {
  const out = new Uint8Array(20);
  out[0] = sport >> 8;
  out[1] = sport & 0xff;
  out[2] = dport >> 8;
  out[3] = dport & 0xff;
  out[12] = 0x50;
  out[13] = flags;
  return out;
}

/**
 * An 8-byte UDP header with no payload.
 *
 * @param sport source port
 * @param dport destination port
 * @returns the bytes
 */
export function udpHeader(sport: number, dport: number): Uint8Array {
  return Uint8Array.of(sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 8, 0, 0);
}

/** Expressions every link type's selection test runs (those libpcap takes on each link type netkit has). */
export const LINK_EXPRESSIONS: readonly string[] = [
  "ip",
  "ip6",
  "arp",
  "rarp",
  "tcp",
  "udp",
  "icmp",
  "icmp6",
  "sctp",
  "igmp",
  "host 10.0.0.1",
  "src host 10.0.0.1",
  "dst host 8.8.8.8",
  "net 10.0.0.0/8",
  "net 192.168",
  "ip6 host 2001:db8::a",
  "ip6 net 2001:db8::/32",
  "host fe80::1",
  "port 53",
  "tcp port 80",
  "udp port 53",
  "src port 53",
  "portrange 1-1023",
  "ip proto 2",
  "ip6 proto 58",
  "proto 6",
  "tcp[13] & 2 != 0",
  "tcp[tcpflags] & tcp-syn != 0",
  "udp[0:2] = 53",
  "icmp[icmptype] = icmp-echo",
  "icmp6[icmp6type] = icmp6-echo",
  "ip[8] < 5",
  "ip[6:2] & 0x1fff != 0",
  "ip6[7] < 10",
  "less 64",
  "greater 200",
  "len > 100",
  "not tcp and not udp",
  "tcp or udp",
  "host 10.0.0.1 and (port 80 or 443)",
  "ip multicast",
  "ip broadcast",
  "ip6 multicast",
  "ether proto 0x800",
  "ether proto 0x86dd",
  "ether[0] = 2",
  "link[3] = 2",
  "ether[2:2] = 0x21",
  "ether[2:2] = 0x800",
  "ether proto 0x8035",
  "not ip and not ip6",
];

/**
 * The packets `tcpdump -r FILE -w - EXPR` keeps, by index (see {@link writePcap}), or tcpdump's error text
 * when it refuses the expression (an expression it finds always false keeps nothing).
 *
 * @param file a pcap written by {@link writePcap}
 * @param expr the filter
 * @returns the kept indexes, or the error
 */
export async function tcpdumpSelects(file: string, expr: string): Promise<Set<number> | string> {
  const out = await new Deno.Command("tcpdump", {
    args: ["-r", file, "-w", "-", "--", expr],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) return new Set(pcapSeconds(out.stdout));
  const err = new TextDecoder().decode(out.stderr);
  return err.includes("rejects all packets") ? new Set() : err.trim();
}
