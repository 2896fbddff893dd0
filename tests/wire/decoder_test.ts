import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES, type WireFixture } from "./_fixtures.ts";
import { Rng } from "./_rand.ts";
import { LinkType, PacketDecoder } from "../../lib/wire/decoder.ts";
import { WireError } from "../../lib/wire/errors.ts";
import { parseEthernet } from "../../lib/wire/ethernet.ts";
import { parseVlan } from "../../lib/wire/vlan.ts";
import { parseSll } from "../../lib/wire/sll.ts";
import { parseSll2 } from "../../lib/wire/sll2.ts";
import { parseArp } from "../../lib/wire/arp.ts";
import { parseIpv4 } from "../../lib/wire/ipv4.ts";
import { parseIpv6 } from "../../lib/wire/ipv6.ts";
import { parseIcmpv4 } from "../../lib/wire/icmpv4.ts";
import { parseIcmpv6, parseNdp } from "../../lib/wire/icmpv6.ts";
import { parseTcp } from "../../lib/wire/tcp.ts";
import { parseUdp } from "../../lib/wire/udp.ts";
import { parseDns } from "../../lib/wire/dns.ts";
import { PacketSummarizer } from "../../lib/wire/summary.ts";
import { jsonRecord } from "../../lib/wire/json.ts";
import { hexdumpFrame } from "../../lib/wire/hexdump.ts";

const fx = (name: string): WireFixture => FIXTURES.find((f) => f.name === name)!;
const names = (f: WireFixture) =>
  new PacketDecoder().decode(fixtureBytes(f), f.linktype).layers.map((l) => l.layer);

Deno.test("decode() walks every link type to the innermost layer", () => {
  assert.deepEqual(names(fx("tcp_syn")), ["eth", "ipv4", "tcp"]);
  assert.deepEqual(names(fx("dns_query_v6")), ["eth", "ipv6", "udp", "dns"]);
  assert.deepEqual(names(fx("arp_request")), ["eth", "arp"]);
  assert.deepEqual(names(fx("qinq_udp")), ["eth", "vlan", "vlan", "ipv4", "udp"]);
  assert.deepEqual(names(fx("sll_ipv4_tcp")), ["sll", "ipv4", "tcp"]);
  assert.deepEqual(names(fx("sll2_ipv4_udp")), ["sll2", "ipv4", "udp"]);
  assert.deepEqual(names(fx("raw_ipv6_icmpv6")), ["ipv6", "icmpv6"]);
  assert.deepEqual(names(fx("null_ipv4_icmp")), ["null", "ipv4", "icmp"]);
  assert.deepEqual(names(fx("ipv6_hbh_dst_udp")), ["eth", "ipv6", "udp"]);
});

Deno.test("decode() reads 228/229 and 12/14 as bare IP", () => {
  const f = fixtureBytes(fx("raw_ipv4_udp"));
  const d = new PacketDecoder();
  for (const lt of [12, 14, 228]) {
    assert.deepEqual(d.decode(f, lt).layers.map((l) => l.layer), ["ipv4", "udp"]);
  }
  const f6 = fixtureBytes(fx("raw_ipv6_icmpv6"));
  assert.deepEqual(d.decode(f6, LinkType.IPV6).layers.map((l) => l.layer), ["ipv6", "icmpv6"]);
});

Deno.test("decode() follows an ICMP error with the quoted datagram's layers", () => {
  const d = new PacketDecoder();
  const r = d.decode(fixtureBytes(fx("icmp_port_unreachable")), 1);
  assert.deepEqual(r.layers.map((l) => l.layer), ["eth", "ipv4", "icmp", "ipv4", "udp"]);
  assert.equal(r.quotedAt, 3);
  assert.equal(r.truncated, false);
  assert.equal(r.malformed, false);
  const r6 = d.decode(fixtureBytes(fx("icmpv6_port_unreachable")), 1);
  assert.deepEqual(r6.layers.map((l) => l.layer), ["eth", "ipv6", "icmpv6", "ipv6", "udp"]);
  // A quoted TCP header is cut after 8 bytes: no tcp layer, and no flag on the outer packet.
  const rt = d.decode(fixtureBytes(fx("icmp_time_exceeded")), 1);
  assert.deepEqual(rt.layers.map((l) => l.layer), ["eth", "ipv4", "icmp", "ipv4"]);
  assert.equal(rt.truncated || rt.malformed, false);
});

Deno.test("decode() stops at a later fragment and keeps the first fragment's transport header", () => {
  assert.deepEqual(names(fx("ipv4_frag_first")), ["eth", "ipv4", "udp"]);
  assert.deepEqual(names(fx("ipv4_frag_last")), ["eth", "ipv4"]);
  assert.deepEqual(names(fx("ipv6_frag_first")), ["eth", "ipv6", "icmpv6"]);
  assert.deepEqual(names(fx("ipv6_frag_later")), ["eth", "ipv6"]);
});

Deno.test("decode() flags a cut frame as truncated and a DNS pointer loop as malformed", () => {
  const d = new PacketDecoder();
  const t = d.decode(fixtureBytes(fx("truncated_tcp")), 1);
  assert.equal(t.truncated, true);
  assert.deepEqual(t.layers.map((l) => l.layer), ["eth", "ipv4"]);
  const m = d.decode(fixtureBytes(fx("dns_pointer_loop")), 1);
  assert.equal(m.malformed, true);
  assert.equal(m.error?.code, "WIRE_BAD_POINTER");
});

Deno.test("decode() reuses one result object and clears it between frames", () => {
  const d = new PacketDecoder();
  const a = d.decode(fixtureBytes(fx("truncated_tcp")), 1);
  const b = d.decode(fixtureBytes(fx("arp_reply")), 1);
  assert.equal(a, b);
  assert.equal(b.truncated, false);
  assert.equal(b.error, null);
  assert.deepEqual(b.layers.map((l) => l.layer), ["eth", "arp"]);
});

Deno.test("decode() marks an unknown link type malformed without throwing", () => {
  const r = new PacketDecoder().decode(new Uint8Array(20), 9999);
  assert.equal(r.malformed, true);
  assert.equal(r.layers.length, 0);
});

Deno.test("every clean fixture decodes with no flag", () => {
  const d = new PacketDecoder();
  for (const f of FIXTURES) {
    if (f.name === "truncated_tcp" || f.name === "dns_pointer_loop") continue;
    const r = d.decode(fixtureBytes(f), f.linktype);
    assert.equal(r.truncated || r.malformed, false, `${f.name}: ${r.error?.message}`);
  }
});

const PARSERS: Record<string, (b: Uint8Array) => unknown> = {
  eth: parseEthernet,
  vlan: parseVlan,
  sll: parseSll,
  sll2: parseSll2,
  arp: parseArp,
  ipv4: parseIpv4,
  ipv6: parseIpv6,
  icmp: parseIcmpv4,
  icmpv6: (b) => (parseIcmpv6(b), parseNdp(b)),
  tcp: parseTcp,
  udp: parseUdp,
  dns: parseDns,
};

Deno.test("truncation sweep: every prefix of every fixture yields a flag or a WireError, never a raw error", () => {
  const d = new PacketDecoder();
  const s = new PacketSummarizer();
  let parses = 0;
  for (const f of FIXTURES) {
    const full = fixtureBytes(f);
    const whole = d.decode(full, f.linktype);
    const layerStarts = whole.layers.map((l, i) => [l.layer, whole.offsets[i]] as const);
    for (let n = 0; n < full.length; n++) {
      const prefix = full.subarray(0, n);
      const r = d.decode(prefix, f.linktype);
      // Past the Ethernet header of an unknown EtherType no length field claims the bytes.
      const unclaimed = f.name === "unknown_ethertype" && n >= 14;
      assert.ok(r.truncated || r.malformed || unclaimed, `${f.name}[0:${n}] decoded without a flag`);
      s.summarize(r, full.length);
      jsonRecord(r, { n: 1, ts: 0, len: full.length, caplen: n });
      hexdumpFrame(prefix, r, "XX");
      for (const [layer, start] of layerStarts) {
        if (start > n || !PARSERS[layer]) continue;
        try {
          PARSERS[layer](prefix.subarray(start));
        } catch (e) {
          assert.ok(e instanceof WireError, `${f.name}[0:${n}] ${layer}: ${e}`);
        }
        parses++;
      }
    }
  }
  assert.ok(parses > 5000);
});

Deno.test("fuzz: random bytes and mutated fixtures never make the decoder throw", () => {
  const rng = new Rng(20261124);
  const d = new PacketDecoder();
  const s = new PacketSummarizer();
  const lts = [0, 1, 12, 101, 105, 113, 127, 228, 229, 276];
  let flagged = 0;
  for (let i = 0; i < 3000; i++) {
    const frame = rng.bytes(rng.int(120));
    const r = d.decode(frame, rng.pick(lts));
    if (r.truncated || r.malformed) flagged++;
    s.summarize(r);
    jsonRecord(r, { n: i + 1, ts: 0, len: frame.length, caplen: frame.length });
  }
  for (let i = 0; i < 6000; i++) {
    const f = rng.pick(FIXTURES);
    const frame = fixtureBytes(f);
    for (let k = 1 + rng.int(4); k > 0; k--) frame[rng.int(frame.length)] = rng.u32() & 0xff;
    const cut = rng.int(4) === 0 ? frame.subarray(0, rng.int(frame.length + 1)) : frame;
    const r = d.decode(cut, f.linktype);
    const line = s.summarize(r, frame.length);
    assert.equal(typeof line, "string");
    JSON.stringify(jsonRecord(r, { n: i + 1, ts: 0, len: frame.length, caplen: cut.length }));
  }
  assert.ok(flagged > 100);
});
