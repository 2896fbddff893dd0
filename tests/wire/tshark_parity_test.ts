/**
 * Oracle parity: every corpus pcap (tests/fixtures/corpus, read with lib/pcap's reader) and the fixtures are
 * decoded with PacketDecoder + jsonRecord and compared field by field with tshark's dissection of the same
 * file (`tshark -n -T fields`, raw sequence numbers, no reassembly). Several occurrences of a field (the
 * datagram quoted in an ICMP error, stacked VLAN tags) are compared in order.
 *
 * Where tshark decodes a layer this package does not (GRE payloads, the TCP header quoted in 8 bytes of an
 * ICMP error), only the occurrences both sides have are compared.
 *
 * The same corpus files are also compared with `tcpdump -n -r FILE`, line by line, through the summary.
 */
import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { pcapBytes } from "./_pcap.ts";
import { needCommands, repoPath, run, testIf } from "../_helpers.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { type JsonLayer, jsonRecord } from "../../lib/wire/json.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { tcpdumpPackets } from "./_pcap.ts";

type Norm = (v: string) => string;
const num: Norm = (v) => String(Number(v)); // "0x0800" and "2048" both become "2048"
const str: Norm = (v) => v.toLowerCase();

/** tshark field, our layer, our field, how to read tshark's value, how to print ours. */
const FIELDS: [string, string, string, Norm, ((x: unknown) => string)?][] = [
  ["eth.src", "eth", "src", str],
  ["eth.dst", "eth", "dst", str],
  ["vlan.id", "vlan", "id", num],
  ["vlan.priority", "vlan", "pcp", num],
  ["vlan.etype", "vlan", "ethertype", num],
  ["ieee8021ad.id", "vlan-ad", "id", num],
  ["arp.opcode", "arp", "op", num],
  ["arp.src.hw_mac", "arp", "sha", str],
  ["arp.src.proto_ipv4", "arp", "spa", str],
  ["arp.dst.hw_mac", "arp", "tha", str],
  ["arp.dst.proto_ipv4", "arp", "tpa", str],
  ["ip.src", "ipv4", "src", str],
  ["ip.dst", "ipv4", "dst", str],
  ["ip.proto", "ipv4", "proto", num],
  ["ip.ttl", "ipv4", "ttl", num],
  ["ip.len", "ipv4", "totalLen", num],
  ["ip.id", "ipv4", "id", num],
  ["ip.flags.df", "ipv4", "df", num, (x) => (x ? "1" : "0")],
  ["ip.flags.mf", "ipv4", "mf", num, (x) => (x ? "1" : "0")],
  ["ip.frag_offset", "ipv4", "fragOffset", (v) => String(Number(v) * 8)],
  ["ip.hdr_len", "ipv4", "hdrLen", num],
  ["ipv6.src", "ipv6", "src", str],
  ["ipv6.dst", "ipv6", "dst", str],
  ["ipv6.nxt", "ipv6", "nextHeader", num],
  ["ipv6.hlim", "ipv6", "hopLimit", num],
  ["ipv6.plen", "ipv6", "payloadLen", num],
  ["ipv6.flow", "ipv6", "flowLabel", num],
  ["icmp.type", "icmp", "type", num],
  ["icmp.code", "icmp", "code", num],
  ["icmpv6.type", "icmpv6", "type", num],
  ["icmpv6.code", "icmpv6", "code", num],
  ["tcp.srcport", "tcp", "srcPort", num],
  ["tcp.dstport", "tcp", "dstPort", num],
  ["tcp.seq", "tcp", "seq", num],
  ["tcp.ack", "tcp", "ack", num],
  ["tcp.flags", "tcp", "flags", num],
  ["tcp.window_size_value", "tcp", "window", num],
  ["tcp.hdr_len", "tcp", "hdrLen", num],
  ["udp.srcport", "udp", "srcPort", num],
  ["udp.dstport", "udp", "dstPort", num],
  ["udp.length", "udp", "length", num],
  ["dns.id", "dns", "id", num],
  ["dns.flags.response", "dns", "qr", num, (x) => (x ? "1" : "0")],
  ["dns.qry.type", "dns", "qtype", num],
  ["dns.qry.name", "dns", "qname", (v) => (v === "<Root>" ? "" : v.toLowerCase())],
];

const TSHARK_ARGS = [
  "-n",
  "-o",
  "tcp.relative_sequence_numbers:FALSE",
  "-o",
  "tcp.desegment_tcp_streams:FALSE",
  "-o",
  "ip.defragment:FALSE",
  "-o",
  "ipv6.defragment:FALSE",
  "-T",
  "fields",
  "-E",
  "separator=\t",
  "-E",
  "occurrence=a",
  "-E",
  "aggregator=,",
];

interface Mismatch {
  where: string;
  field: string;
  ours: string[];
  theirs: string[];
}

/** Compares one file; returns the mismatches and how many values agreed. */
async function compareFile(path: string, recs: { data: Uint8Array; linktype: number; len: number }[]) {
  const fields = FIELDS.flatMap(([f]) => ["-e", f]);
  const r = await run("tshark", ["-r", path, ...TSHARK_ARGS, ...fields], { timeoutMs: 120_000 });
  // tshark exits 2 on a file cut inside a record, after printing the whole packets: as lib/pcap does.
  const cut = /cut short/.test(r.stderr);
  assert.ok(r.code === 0 || cut, `${path}: ${r.stderr}`);
  const rows = r.stdout.split("\n").filter((l) => l !== "");
  assert.equal(
    rows.length,
    recs.length,
    `${path}: tshark saw ${rows.length} packets, we read ${recs.length}`,
  );
  const d = new PacketDecoder();
  const bad: Mismatch[] = [];
  let agreed = 0;
  recs.forEach((rec, i) => {
    const res = d.decode(rec.data, rec.linktype);
    const j = jsonRecord(res, { n: i + 1, ts: 0, len: rec.len, caplen: rec.data.length });
    // tshark files an 802.1ad (0x88a8) tag under ieee8021ad.*, an 802.1Q one under vlan.*.
    const layers = j.layers.map((l, k) =>
      l.layer === "vlan" && k > 0 && j.layers[k - 1].ethertype === 0x88a8 ? { ...l, layer: "vlan-ad" } : l
    );
    const cols = rows[i].split("\t");
    FIELDS.forEach(([tf, layer, key, norm, show], k) => {
      const theirs = (cols[k] ?? "").split(",").filter((v) => v !== "").map(norm);
      const ours = layers.filter((l: JsonLayer) => l.layer === layer && l[key] !== null).map((l: JsonLayer) =>
        show ? show(l[key]) : typeof l[key] === "number" ? String(l[key]) : String(l[key]).toLowerCase()
      );
      const n = Math.min(ours.length, theirs.length);
      let ok = ours.slice(0, n).join() === theirs.slice(0, n).join();
      // The outermost occurrence must exist on both sides unless the packet is cut or broken.
      // (tshark also reads a TCP header cut to 8 bytes inside an ICMP error; we stop there.)
      if (ours.length === 0 && theirs.length > 0 && !j.truncated && !j.malformed && res.quotedAt < 0) {
        ok = false;
      }
      if (theirs.length === 0 && ours.length > 0) ok = false;
      if (ok) agreed += n;
      else bad.push({ where: `${path.split("/").pop()} #${i + 1}`, field: tf, ours, theirs });
    });
  });
  return { bad, agreed };
}

const CORPUS = repoPath("tests/fixtures/corpus");

testIf(
  "decoder + json agree with tshark field by field on the fixtures",
  needCommands("tshark"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-tshark-" });
    try {
      let agreed = 0;
      const bad: Mismatch[] = [];
      for (const lt of new Set(FIXTURES.map((f) => f.linktype))) {
        const group = FIXTURES.filter((f) => f.linktype === lt);
        const file = `${dir}/lt${lt}.pcap`;
        await Deno.writeFile(file, pcapBytes(lt, group.map((f) => ({ data: fixtureBytes(f) }))));
        const res = await compareFile(
          file,
          group.map((f) => ({ data: fixtureBytes(f), linktype: lt, len: f.hex.length / 2 })),
        );
        agreed += res.agreed;
        bad.push(...res.bad);
      }
      assert.deepEqual(bad, []);
      assert.ok(agreed > 300, `${agreed} values compared`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

const corpusFiles = (() => {
  try {
    return [...Deno.readDirSync(CORPUS)].map((e) => e.name).filter((n) => /\.pcap(ng)?$/.test(n)).sort();
  } catch {
    return [];
  }
})();

/** Known disagreements in the shared corpus, each with its reason. Keyed "file #n field". */
const KNOWN: Record<string, string> = {};

testIf(
  "decoder + json agree with tshark field by field on the shared corpus",
  needCommands("tshark") ?? (corpusFiles.length ? undefined : "tests/fixtures/corpus not generated"),
  async () => {
    let agreed = 0;
    const bad: Mismatch[] = [];
    for (const name of corpusFiles) {
      const path = `${CORPUS}/${name}`;
      let recs;
      try {
        recs = [...readPacketsSync(Deno.readFileSync(path))];
      } catch {
        continue; // the deliberately corrupt files: lib/pcap's own tests cover them
      }
      if (recs.length === 0) continue;
      const res = await compareFile(path, recs);
      agreed += res.agreed;
      bad.push(...res.bad.filter((m) => !KNOWN[`${m.where} ${m.field}`]));
    }
    assert.deepEqual(bad, []);
    assert.ok(agreed > 20000, `${agreed} values compared`);
  },
);

/** tcpdump dissectors this package does not have: a corpus line tcpdump writes with one is not compared. */
const SUMMARY_GAPS: [RegExp, string][] = [];

testIf(
  "summary lines agree with tcpdump -n line for line on the shared corpus",
  needCommands("tcpdump") ?? (corpusFiles.length ? undefined : "tests/fixtures/corpus not generated"),
  async () => {
    let compared = 0;
    for (const name of corpusFiles) {
      const path = `${CORPUS}/${name}`;
      let recs;
      try {
        recs = [...readPacketsSync(Deno.readFileSync(path))];
      } catch {
        continue; // the deliberately corrupt files
      }
      const r = await run("tcpdump", ["-n", "-r", path], { timeoutMs: 60_000 });
      if (r.code !== 0) continue; // files libpcap refuses (see tests/fixtures/README.md)
      const want = tcpdumpPackets(r.stdout);
      const d = new PacketDecoder(), s = new PacketSummarizer();
      recs.forEach((rec, i) => {
        let w = (want[i] ?? "").split("\n")[0];
        // tcpdump's interface and direction columns for LINUX_SLL2 are not part of the summary.
        if (rec.linktype === 276) w = w.replace(/^\S+\s+(In|Out|B|M|P)\s+/, "");
        const got = s.summarize(d.decode(rec.data, rec.linktype), rec.len);
        if (SUMMARY_GAPS.some(([re]) => re.test(w))) return;
        assert.equal(got, w, `${name} packet ${i + 1}`);
        compared++;
      });
    }
    assert.ok(compared > 4000, `compared ${compared}`);
  },
);
