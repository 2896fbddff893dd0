/**
 * tcpdump is the oracle: for every expression of the tables below, the packets netkit's VM selects are
 * exactly the packets `tcpdump -r FILE -w - EXPR` selects, compared by packet index (the merged file gives
 * record i the timestamp i seconds, so tcpdump's output names the indexes it kept).
 *
 * Packets: the shared corpus (tests/fixtures/corpus/, when present) plus tests/filter/_extra.py's packets
 * (SCTP, IGMP, RARP, IP broadcast, VLAN ids, IPv6 extension headers), generated in a temp dir with scapy.
 * Add an expression to a table to extend the test.
 *
 * @module
 */

import assert from "node:assert/strict";
import { compileFilter, type CompileOptions, filterAccepts } from "../../lib/filter/mod.ts";
import { needCommands, repoPath, run, testIf } from "../_helpers.ts";
import type { PcapRecord } from "../../lib/pcap/mod.ts";
import { pcapSeconds, readPcap, writePcap } from "./_pcap.ts";

/** Expressions checked on Ethernet (LINKTYPE 1). */
const EN10MB_EXPRESSIONS = [
  // protocols
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
  "vlan",
  "vlan 10",
  "vlan 20",
  "vlan and ip",
  "vlan 10 and tcp",
  "vlan and vlan 20 and udp",
  // hosts and nets
  "host 10.0.0.1",
  "src host 10.0.0.1",
  "dst host 10.0.0.2",
  "host 10.0.0.1 and host 10.0.0.2",
  "src 10.0.0.1 and dst 10.0.0.2",
  "ip host 10.0.0.1",
  "arp host 10.0.0.1",
  "rarp host 10.0.0.1",
  "host 10.0.0.1 or 10.0.0.2",
  "src or dst host 10.0.0.2",
  "src and dst net 10.0.0.0/8",
  "net 10.0.0.0/8",
  "net 10",
  "net 10.0",
  "net 10.0.0",
  "net 192.168.0.0 mask 255.255.0.0",
  "dst net 172.16.0.0/12",
  "not net 10.0.0.0/24",
  "net 0.0.0.0/0",
  "ip6 host 2001:db8::a",
  "host 2001:db8::b",
  "ip6 net 2001:db8::/32",
  "ip6 net fe80::/10",
  "src net 2001:db8::/64",
  "dst host ff02::1",
  "ether host 02:00:00:00:00:0a",
  "ether src 02:00:00:00:00:0a",
  "ether dst ff:ff:ff:ff:ff:ff",
  "ether src 02:00:00:00:00:0a and ether dst 02:00:00:00:00:0b",
  "ether broadcast",
  "broadcast",
  "ether multicast",
  "multicast",
  "ip multicast",
  "ip6 multicast",
  "ip broadcast",
  // ports
  "port 80",
  "port 53",
  "tcp port 80",
  "udp port 53",
  "src port 53",
  "dst port 80",
  "tcp dst port 443",
  "port 80 or 443",
  "tcp port 80 and not 22",
  "portrange 1-1023",
  "tcp portrange 8000-9000",
  "udp src portrange 50000-65535",
  "sctp port 80",
  "sctp",
  "port 0x50",
  "port 0120",
  "src and dst port 80",
  // protocol numbers
  "ip proto 17",
  "ip proto \\tcp",
  "ip6 proto 58",
  "proto 6",
  "proto \\udp",
  "ether proto \\arp",
  "ether proto 0x86dd",
  "ip6 proto \\tcp",
  "ip proto 2",
  // lengths
  "less 64",
  "greater 1000",
  "len > 100",
  "len <= 60",
  "len - 14 >= 50",
  // packet data
  "tcp[13] & 2 != 0",
  "tcp[tcpflags] & tcp-syn != 0",
  "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
  "tcp[tcpflags] == tcp-rst|tcp-ack",
  "tcp[tcpflags] & (tcp-fin|tcp-push|tcp-urg|tcp-ece|tcp-cwr) != 0",
  "tcp[13] = 0x18",
  "tcp[0:2] = 80",
  "tcp[2:2] > 1023",
  "tcp[12] >> 4 > 5",
  "tcp[12:1] & 0xf0 = 0x50",
  "tcp[(tcp[12] >> 4) * 4 - 1] = 0",
  "udp[0:2] = 53",
  "udp[4:2] > 100",
  "icmp[icmptype] = icmp-echo",
  "icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
  "icmp[icmptype] = icmp-unreach and icmp[icmpcode] = 3",
  "icmp6[icmp6type] = icmp6-echo",
  "icmp6[0] = 135",
  "icmp6[icmp6type] = icmp6-neighborsolicit",
  "ip[0] & 0xf > 5",
  "ip[6:2] & 0x1fff != 0",
  "ip[8] < 5",
  "ip[2:2] - ((ip[0] & 0xf) << 2) > 100",
  "ip[9] % 7 = 3",
  "ip[16:4] & 0xffffff00 = 0x0a000000",
  "ip[1] ^ 0xff = 0xff",
  "ip[8] * 2 > 100",
  "ip[8] / 2 = 32",
  "ip[8] | 1 = 65",
  "-ip[8] + 64 = 0",
  "ip[ip[0] & 0x3] = 0",
  "ip6[6] = 0",
  "ip6[7] < 10",
  "ether[12:2] = 0x0800",
  "ether[0] & 1 = 1",
  "ether[6:4] = 0x02000000",
  "link[12:2] = 0x86dd",
  "arp[6:2] = 1",
  "arp[6:2] = 2",
  "1 = 1",
  "len = len",
  "ip[8] > ip[9]",
  // boolean structure
  "not tcp",
  "! udp",
  "tcp and not port 22",
  "tcp or udp",
  "(tcp or udp) and port 53",
  "tcp && port 80 || icmp",
  "not (icmp or arp)",
  "ip and not ip6",
  "icmp or icmp6 or arp",
  "tcp port 80 or udp port 53 and ip6",
  "host 10.0.0.1 and (port 80 or 443)",
  "ip and (tcp[13] & 2 != 0)",
  "vlan and host 10.0.0.1",
  "not not ip",
  "host 10.0.0.1 and not (host 10.0.0.2 or 8.8.8.8)",
];

/** Expressions checked on cooked and raw links (113, 276, 101). */
const OTHER_EXPRESSIONS = [
  "ip",
  "ip6",
  "arp",
  "tcp",
  "udp",
  "icmp",
  "icmp6",
  "sctp",
  "host 10.0.0.1",
  "net 10.0.0.0/8",
  "ip6 net 2001:db8::/32",
  "port 53",
  "tcp port 80",
  "portrange 1-1023",
  "ip proto 2",
  "tcp[13] & 2 != 0",
  "udp[0:2] = 53",
  "icmp[icmptype] = icmp-echo",
  "ip[8] < 5",
  "ip[6:2] & 0x1fff != 0",
  "less 64",
  "greater 200",
  "not tcp and not udp",
  "ip multicast",
  "ip6 multicast",
  "ether[0] = 0x45",
];

async function collect(tmp: string): Promise<Map<number, PcapRecord[]>> {
  const byLink = new Map<number, PcapRecord[]>();
  const add = (file: string) => {
    const parsed = readPcap(Deno.readFileSync(file));
    if (!parsed || ![1, 101, 113, 276].includes(parsed.linktype)) return;
    const list = byLink.get(parsed.linktype) ?? [];
    list.push(...parsed.records);
    byLink.set(parsed.linktype, list);
  };
  const corpus = repoPath("tests/fixtures/corpus");
  try {
    const manifest = JSON.parse(Deno.readTextFileSync(`${corpus}/manifest.json`)) as Record<
      string,
      { format?: string; error?: string }
    >;
    for (const [name, info] of Object.entries(manifest)) {
      if (info.format === "pcap" && !info.error) add(`${corpus}/${name}`);
    }
  } catch { /* no corpus yet: the extra packets alone */ }
  const gen = await run("/usr/bin/python3", [repoPath("tests/filter/_extra.py"), tmp], { timeoutMs: 60_000 });
  assert.equal(gen.code, 0, `_extra.py failed: ${gen.stderr}`);
  for (const name of ["extra_en10mb", "extra_sll", "extra_sll2", "extra_raw"]) add(`${tmp}/${name}.pcap`);
  return byLink;
}

/** Runs up to `limit` async jobs at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

testIf(
  "compiled filters select exactly the packets tcpdump selects, on every supported link type",
  needCommands("tcpdump", "/usr/bin/python3"),
  async () => {
    const tmp = await Deno.makeTempDir({ prefix: "netkit_filter_parity_" });
    try {
      const byLink = await collect(tmp);
      const failures: string[] = [];
      let checked = 0;
      const jobs: { linktype: number; expr: string; file: string; records: PcapRecord[] }[] = [];
      for (const [linktype, records] of byLink) {
        const file = `${tmp}/merged_${linktype}.pcap`;
        Deno.writeFileSync(file, writePcap(linktype, records));
        for (const expr of linktype === 1 ? EN10MB_EXPRESSIONS : OTHER_EXPRESSIONS) {
          jobs.push({ linktype, expr, file, records });
        }
      }
      assert.ok(byLink.get(1)!.length > 200, "expected a few hundred Ethernet packets");
      await pool(jobs, 3, async ({ linktype, expr, file, records }) => {
        // tcpdump -w - writes binary pcap to stdout; run() decodes text, so ask for raw bytes instead.
        const out = await new Deno.Command("tcpdump", {
          args: ["-r", file, "-w", "-", "--", expr],
          stdout: "piped",
          stderr: "piped",
        })
          .output();
        let expected: Set<number>;
        if (!out.success) {
          const err = new TextDecoder().decode(out.stderr);
          if (!err.includes("rejects all packets")) {
            failures.push(`[${linktype}] tcpdump refused '${expr}': ${err.trim()}`);
            return;
          }
          expected = new Set();
        } else expected = new Set(pcapSeconds(out.stdout));
        const options: CompileOptions = { linktype, dialect: "libpcap" };
        const pcapStyle = compileFilter(expr, options);
        const netkit = compileFilter(expr, { linktype });
        // (vlan shifts the offsets of everything after it, even across "or": one program per depth.)
        const ip6 = (linktype === 1 ? ["ip6", "vlan and ip6", "vlan and vlan and ip6"] : ["ip6"])
          .map((e) => compileFilter(e, { linktype }));
        const wrong: number[] = [];
        const wrongNetkit: number[] = [];
        records.forEach((r, i) => {
          const want = expected.has(i);
          if (filterAccepts(pcapStyle, r.data, r.len) !== want) wrong.push(i);
          // The netkit dialect differs from libpcap only on IPv6 (extension headers, tcp[] on IPv6).
          if (
            !ip6.some((f) => filterAccepts(f, r.data, r.len)) &&
            filterAccepts(netkit, r.data, r.len) !== want
          ) {
            wrongNetkit.push(i);
          }
        });
        checked++;
        if (wrong.length) {
          failures.push(`[${linktype}] '${expr}' (libpcap dialect) differs on packets ${wrong.slice(0, 8)}`);
        }
        if (wrongNetkit.length) {
          failures.push(
            `[${linktype}] '${expr}' (netkit dialect) differs on non-IPv6 packets ${wrongNetkit.slice(0, 8)}`,
          );
        }
      });
      assert.deepEqual(failures, []);
      assert.ok(checked >= 80 + 3 * 20, `only ${checked} expressions checked`);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
);
