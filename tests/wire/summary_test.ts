/**
 * Golden tests of the tcpdump-style summary: against the lines tcpdump printed when the fixtures were made,
 * and against tcpdump run now on the same packets (default, -e, -q, -S, -v) and on the shared corpus.
 */
import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { compareWithTcpdump, pcapBytes, tcpdumpPackets } from "./_pcap.ts";
import { needCommands, repoPath, run, testIf } from "../_helpers.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer, summarize, type SummaryOptions, TcpSeqTracker } from "../../lib/wire/summary.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";
import { emitIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { emitDns } from "../../lib/wire/dns.ts";
import { emitTcp } from "../../lib/wire/tcp.ts";

const byLinktype = new Map<number, typeof FIXTURES>();
for (const f of FIXTURES) byLinktype.set(f.linktype, [...(byLinktype.get(f.linktype) ?? []), f]);

Deno.test("summaries of the fixtures equal the lines tcpdump printed for them", () => {
  const d = new PacketDecoder();
  for (const group of byLinktype.values()) {
    const s = new PacketSummarizer();
    for (const f of group) {
      assert.equal(s.summarize(d.decode(fixtureBytes(f), f.linktype)), f.summary, f.name);
    }
  }
});

function opts(flags: string[]): SummaryOptions {
  return {
    link: flags.includes("-e"),
    quiet: flags.includes("-q"),
    absolute: flags.includes("-S"),
    verbose: flags.includes("-v"),
  };
}

async function tcpdump(file: string, flags: string[]): Promise<string[]> {
  const r = await run("tcpdump", ["-n", ...flags, "-r", file], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  return tcpdumpPackets(r.stdout);
}

testIf(
  "summaries match tcpdump run now on the fixtures: default, -e, -q, -S, -e -S",
  needCommands("tcpdump"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-wire-" });
    try {
      for (const [lt, group] of byLinktype) {
        const file = `${dir}/lt${lt}.pcap`;
        await Deno.writeFile(file, pcapBytes(lt, group.map((f) => ({ data: fixtureBytes(f) }))));
        for (const flags of [[], ["-q"], ["-S"], ...(lt === 276 ? [] : [["-e"], ["-e", "-S"]])]) {
          const want = await tcpdump(file, flags);
          const d = new PacketDecoder(), s = new PacketSummarizer(opts(flags));
          group.forEach((f, i) => {
            let w = want[i].split("\n")[0];
            if (lt === 276) w = w.replace(/^\S+\s+(In|Out|B|M|P)\s+/, "");
            assert.equal(s.summarize(d.decode(fixtureBytes(f), lt)), w, `${f.name} ${flags.join(" ")}`);
          });
        }
        // -v: everything but an unknown EtherType's hex dump, which tcpdump prints on further lines: for
        // that one the first line.
        const want = await tcpdump(file, ["-v"]);
        const d = new PacketDecoder(), s = new PacketSummarizer({ verbose: true });
        group.forEach((f, i) => {
          if (lt === 276) return;
          const got = s.summarize(d.decode(fixtureBytes(f), lt));
          const firstOnly = /^unknown_ethertype$/.test(f.name);
          assert.equal(got, firstOnly ? want[i].split("\n")[0] : want[i], `${f.name} -v`);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

const CORPUS = repoPath("tests/fixtures/corpus");
const corpusFiles = (() => {
  try {
    return [...Deno.readDirSync(CORPUS)].map((e) => e.name).filter((n) => n.endsWith(".pcap")).sort();
  } catch {
    return [];
  }
})();

testIf(
  "summaries match tcpdump -e, -q and -S on the corpus files they cover",
  needCommands("tcpdump") ?? (corpusFiles.length ? undefined : "tests/fixtures/corpus not generated"),
  async () => {
    const cases: [string, string[]][] = [
      ["tcp.pcap", ["-e"]],
      ["tcp.pcap", ["-S"]],
      ["tcp.pcap", ["-q"]],
      ["dns.pcap", ["-e"]],
      ["dns.pcap", ["-q"]],
      ["icmpv6.pcap", ["-e"]],
      ["vlan.pcap", ["-e"]],
      ["sll.pcap", ["-e"]],
      ["arp.pcap", ["-e"]],
      ["mixed.pcap", ["-e"]],
      ["mixed.pcap", ["-q"]],
      ["malformed_packets.pcap", ["-e"]],
    ];
    for (const [name, flags] of cases) {
      const file = `${CORPUS}/${name}`;
      const want = await tcpdump(file, flags);
      const d = new PacketDecoder(), s = new PacketSummarizer(opts(flags));
      [...readPacketsSync(Deno.readFileSync(file))].forEach((rec, i) => {
        assert.equal(
          s.summarize(d.decode(rec.data, rec.linktype), rec.len),
          want[i].split("\n")[0],
          `${name} ${flags} #${i + 1}`,
        );
      });
    }
  },
);

testIf(
  "-v summaries match tcpdump -v on the corpus files they cover",
  needCommands("tcpdump") ?? (corpusFiles.length ? undefined : "tests/fixtures/corpus not generated"),
  async () => {
    const files = ["tcp", "dns", "ipv6_ext", "icmp", "icmpv6", "arp", "raw_ip", "vlan", "sll"];
    let compared = 0;
    for (const name of files.map((f) => `${f}.pcap`)) {
      const file = `${CORPUS}/${name}`;
      const want = await tcpdump(file, ["-v"]);
      const d = new PacketDecoder(), s = new PacketSummarizer({ verbose: true });
      [...readPacketsSync(Deno.readFileSync(file))].forEach((rec, i) => {
        const got = s.summarize(d.decode(rec.data, rec.linktype), rec.len);
        assert.equal(got, want[i], `${name} -v #${i + 1}`);
        compared++;
      });
    }
    assert.ok(compared > 330, `compared ${compared}`);
  },
);

Deno.test("TcpSeqTracker: relative numbers start at the SYN+ACK, -S keeps them absolute", () => {
  const a = "10.0.0.1", b = "10.0.0.2";
  const seg = (
    src: string,
    dst: string,
    sp: number,
    dp: number,
    flags: number,
    seq: number,
    ack: number,
    data = 0,
  ) =>
    emitIpv4(
      { src, dst, proto: 6 },
      emitTcp({ srcPort: sp, dstPort: dp, flags, seq, ack, window: 512 }, new Uint8Array(data)),
    );
  const pkts = [
    seg(a, b, 4000, 80, 0x02, 1000, 0),
    seg(b, a, 80, 4000, 0x12, 5000, 1001),
    seg(a, b, 4000, 80, 0x18, 1001, 5001, 10),
    seg(b, a, 80, 4000, 0x10, 5001, 1011),
  ];
  const d = new PacketDecoder();
  const rel = new PacketSummarizer(), abs = new PacketSummarizer({ absolute: true });
  const lines = pkts.map((p) => rel.summarize(d.decode(p, 101)));
  assert.match(lines[0], /Flags \[S\], seq 1000, win 512/);
  assert.match(lines[1], /Flags \[S\.\], seq 5000, ack 1001/);
  assert.match(lines[2], /Flags \[P\.\], seq 1:11, ack 1, win 512, length 10/);
  assert.match(lines[3], /Flags \[\.\], ack 11, win 512/);
  assert.match(abs.summarize(d.decode(pkts[2], 101)), /seq 1001:1011, ack 5001/);
  // summarize() without a tracker is absolute.
  assert.match(summarize(d.decode(pkts[3], 101)), /ack 1011/);
  const t = new TcpSeqTracker();
  t.apply(new Uint8Array(4), new Uint8Array(4), 1, 1, 0x10, 10, 20);
  t.clear();
  assert.equal(t.apply(new Uint8Array(4), new Uint8Array(4), 1, 1, 0x10, 15, 25).seq, 15);
});

/** An IPv4 datagram to 224.0.0.22 whose protocol field is `proto`, with 8 bytes after the header. */
function ipv4WithProto(proto: number): Uint8Array {
  const hex = "01005e00001602fc0000000108004500001c00010000400090ca0a000001e00000162200fafc00000000";
  const b = Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  b[14 + 9] = proto;
  return b;
}

const V6_ONLY_PROTOS = [0, 43, 44, 59, 60];

Deno.test("IPv4 whose protocol is an IPv6 extension header number prints ip-proto-N, as tcpdump does", () => {
  const d = new PacketDecoder();
  for (const p of V6_ONLY_PROTOS) {
    assert.equal(
      summarize(d.decode(ipv4WithProto(p), 1)),
      p === 59 ? "IP 10.0.0.1 > 224.0.0.22: no next header" : `IP 10.0.0.1 > 224.0.0.22:  ip-proto-${p} 8`,
    );
  }
});

testIf("... and tcpdump prints the same for each", needCommands("tcpdump"), async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const file = `${dir}/v6only.pcap`;
    const frames = V6_ONLY_PROTOS.map((p) => ({ data: ipv4WithProto(p) }));
    Deno.writeFileSync(file, pcapBytes(1, frames));
    const want = await tcpdump(file, []);
    const d = new PacketDecoder();
    assert.deepEqual(frames.map((f) => summarize(d.decode(f.data, 1))), want);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** IP in IP (4in4, 4in6, 6in4) and an IPv4 header with TTL 0, as raw IP (linktype 101). */
function tunnelled(): Uint8Array[] {
  const o4 = { src: "10.0.0.1", dst: "10.0.0.2" }, i4 = { src: "192.168.0.1", dst: "192.168.0.2" };
  const o6 = { src: "2001:db8::1", dst: "2001:db8::2" }, i6 = { src: "2001:db8::a", dst: "2001:db8::b" };
  const udp4 = emitIpv4({ ...i4, proto: 17 }, emitUdp({ srcPort: 3, dstPort: 4 }, Uint8Array.of(1), i4));
  const udp6 = emitIpv6({ ...i6, proto: 17 }, emitUdp({ srcPort: 5, dstPort: 6 }, Uint8Array.of(2), i6));
  const ping = emitIpv4({ ...i4, proto: 1 }, emitIcmpv4({ type: 8, rest: 0x00070001 }));
  return [
    emitIpv4({ ...o4, proto: 4 }, ping),
    emitIpv4({ ...o4, proto: 4 }, udp4),
    emitIpv6({ ...o6, proto: 4 }, udp4),
    emitIpv4({ ...o4, proto: 41 }, udp6),
    emitIpv4({ ...o4, proto: 17, ttl: 0 }, emitUdp({ srcPort: 1, dstPort: 2 }, Uint8Array.of(9), o4)),
  ];
}

Deno.test("IP in IP prints the outer addresses, then the inner datagram; -v leaves a TTL of 0 out", () => {
  const d = new PacketDecoder();
  const lines = tunnelled().map((f) => summarize(d.decode(f, 101)));
  assert.deepEqual(lines, [
    "IP 10.0.0.1 > 10.0.0.2: IP 192.168.0.1 > 192.168.0.2: ICMP echo request, id 7, seq 1, length 8",
    "IP 10.0.0.1 > 10.0.0.2: IP 192.168.0.1.3 > 192.168.0.2.4: UDP, length 1",
    "IP6 2001:db8::1 > 2001:db8::2: IP 192.168.0.1.3 > 192.168.0.2.4: UDP, length 1",
    "IP 10.0.0.1 > 10.0.0.2: IP6 2001:db8::a.5 > 2001:db8::b.6: UDP, length 1",
    "IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 1",
  ]);
  assert.match(
    summarize(d.decode(tunnelled()[4], 101), { verbose: true }),
    /^IP \(tos 0x0, id \d+, offset 0,/,
  );
});

testIf("... and tcpdump prints the same, also with -v, -q", needCommands("tcpdump"), async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const file = `${dir}/tunnels.pcap`;
    Deno.writeFileSync(file, pcapBytes(101, tunnelled().map((data) => ({ data }))));
    for (const flags of [[], ["-v"], ["-q"]]) assert.equal(await compareWithTcpdump(file, flags), 5);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** What -vv adds: IPv4 UDP checksums (ok, bad, none; not on a fragment), every TCP seq, a response's question. */
function veryVerbose(): Uint8Array[] {
  const a = { src: "10.0.0.1", dst: "10.0.0.2" };
  const udp = (init: { checksum?: number }, ip: { mf?: boolean } = {}) =>
    emitIpv4(
      { ...a, ...ip, proto: 17 },
      emitUdp({ srcPort: 1000, dstPort: 2000, ...init }, Uint8Array.of(1, 2), a),
    );
  const answer = emitDns({
    id: 4097,
    qr: true,
    rd: true,
    ra: true,
    question: { name: "example.com.", qtype: 1 },
    answers: [
      { name: "example.com.", type: 1, ttl: 60, rdata: Uint8Array.of(192, 0, 2, 1) },
      // Times to live -vvv prints: none, days and hours, years; a class other than IN.
      { name: "example.com.", type: 1, ttl: 0, rdata: Uint8Array.of(192, 0, 2, 2) },
      { name: "example.com.", type: 1, ttl: 90061, rdata: Uint8Array.of(192, 0, 2, 3) },
      { name: "example.com.", type: 1, class: 3, ttl: 40000000, rdata: Uint8Array.of(192, 0, 2, 4) },
    ],
  });
  return [
    udp({}),
    udp({ checksum: 0x1234 }),
    udp({ checksum: 0 }),
    udp({}, { mf: true }),
    emitIpv4(
      { ...a, proto: 6 },
      emitTcp({ srcPort: 80, dstPort: 4000, flags: 0x10, seq: 7, ack: 9, window: 512 }, undefined, a),
    ),
    emitIpv4({ ...a, proto: 17 }, emitUdp({ srcPort: 53, dstPort: 3333 }, answer, a)),
  ];
}

testIf(
  "-vv: IPv4 UDP checksums, every TCP seq and a DNS response's question; -vvv: DNS times to live; as tcpdump prints them",
  needCommands("tcpdump"),
  async () => {
    const dir = Deno.makeTempDirSync();
    try {
      const file = `${dir}/vv.pcap`;
      Deno.writeFileSync(file, pcapBytes(101, veryVerbose().map((data) => ({ data }))));
      for (const flags of [["-v"], ["-vv"], ["-vvv"]]) assert.equal(await compareWithTcpdump(file, flags), 6);
      // And it is -vv that adds them.
      const d = new PacketDecoder();
      const [ok, bad, none, frag, ack, dns] = veryVerbose().map((f) =>
        summarize(d.decode(f, 101), { verbose: true, verbosity: 2 }).split("\n")[1]
      );
      assert.match(ok, /: \[udp sum ok\] UDP, length 2$/);
      assert.match(bad, /: \[bad udp cksum 0x1234 -> 0x[0-9a-f]{4}!\] UDP/);
      assert.match(none, /: \[no cksum\] UDP/);
      assert.doesNotMatch(frag, /sum/);
      assert.match(ack, /Flags \[\.\], cksum 0x[0-9a-f]{4} \(correct\), seq 7, ack 9,/);
      assert.match(dns, / 4097 q: A\? example\.com\. 4\/0\/0 example\.com\. A 192\.0\.2\.1, /);
      const ttls = summarize(d.decode(veryVerbose()[5], 101), { verbose: true, verbosity: 3 });
      assert.match(
        ttls,
        / \[1m\] A 192\.0\.2\.1, example\.com\. \[0s\] A .* \[1d1h1m1s\] A .* CHAOS \[1y13w6d23h6m40s\] A /,
      );
      const v1 = summarize(d.decode(veryVerbose()[0], 101), { verbose: true });
      assert.doesNotMatch(v1, /sum/, "-v alone checks no IPv4 UDP checksum");
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

/** IPv4 options -v names: route records, every kind of timestamp option (broken ones too), RA, security. */
const IPV4_OPTIONS = [
  "070b08010101010202020200", // RR, pointer past the first address
  "4408050000000001", // timestamp, TSONLY, pointer at the first entry
  "440c0d01010203040000000700000000", // TS+ADDR, full
  "440c0531000000090000000a", // TSONLY, 3 hops not recorded
  "4414 0d03 01020304 0000000a 05060708 00000000", // PRESPEC
  "440b0501010203040000000000", // bad length
  "4408050201020304", // bad type
  "440305", // too short
  "4408070001020304", // bad pointer
  "94040005", // RA value 5
  "94040000", // RA
  "820b000000000000000000", // security
  "88040001", // SATID: unknown 136
].map((h) => Uint8Array.from(h.replace(/\s/g, "").match(/../g)!.map((x) => parseInt(x, 16))));

testIf(
  "-v prints IPv4 options as tcpdump does, timestamps and broken ones included",
  needCommands("tcpdump"),
  async () => {
    const a = { src: "10.0.0.1", dst: "10.0.0.2" };
    const frames = IPV4_OPTIONS.map((options) =>
      emitIpv4({ ...a, proto: 1, options }, emitIcmpv4({ type: 8, rest: 0x00010001 }))
    );
    const d = new PacketDecoder();
    const first = summarize(d.decode(frames[2], 101), { verbose: true }).split("\n")[0];
    assert.match(first, /, options \(timestamp TS\{TS\+ADDR 7@1\.2\.3\.4 \^ \},EOL\)\)$/);
    const dir = Deno.makeTempDirSync();
    try {
      const file = `${dir}/options.pcap`;
      Deno.writeFileSync(file, pcapBytes(101, frames.map((data) => ({ data }))));
      assert.equal(await compareWithTcpdump(file, ["-v"]), IPV4_OPTIONS.length);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
