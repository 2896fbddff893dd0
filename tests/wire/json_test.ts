import assert from "node:assert/strict";
import { fixtureBytes, FIXTURES } from "./_fixtures.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { formatJson, jsonRecord } from "../../lib/wire/json.ts";

const d = new PacketDecoder();
const rec = (name: string, meta: Partial<Parameters<typeof jsonRecord>[1]> = {}) => {
  const f = FIXTURES.find((x) => x.name === name)!;
  const b = fixtureBytes(f);
  return JSON.parse(
    formatJson(d.decode(b, f.linktype), {
      n: 1,
      ts: 1700000000.25,
      len: b.length,
      caplen: b.length,
      ...meta,
    }),
  );
};

const KEYS: Record<string, string[]> = {
  eth: ["layer", "src", "dst", "ethertype"],
  vlan: ["layer", "id", "pcp", "ethertype"],
  arp: ["layer", "op", "sha", "spa", "tha", "tpa"],
  ipv4: ["layer", "src", "dst", "proto", "ttl", "totalLen", "id", "df", "mf", "fragOffset", "hdrLen"],
  ipv6: ["layer", "src", "dst", "nextHeader", "hopLimit", "payloadLen", "flowLabel", "extHeaders", "proto"],
  icmp: ["layer", "type", "code"],
  icmpv6: ["layer", "type", "code"],
  tcp: ["layer", "srcPort", "dstPort", "seq", "ack", "flags", "window", "hdrLen", "payloadLen"],
  udp: ["layer", "srcPort", "dstPort", "length"],
  dns: ["layer", "id", "qr", "qname", "qtype"],
  sll: ["layer", "packetType", "arphrdType", "addr", "protocol"],
  sll2: ["layer", "ifindex", "packetType", "arphrdType", "addr", "protocol"],
  null: ["layer", "family"],
};

Deno.test("every JSON layer has exactly the schema's keys", () => {
  for (const f of FIXTURES) {
    const j = rec(f.name);
    assert.deepEqual(Object.keys(j), ["n", "ts", "len", "caplen", "layers", "truncated", "malformed"]);
    for (const l of j.layers) assert.deepEqual(Object.keys(l), KEYS[l.layer], `${f.name} ${l.layer}`);
  }
});

Deno.test("JSON record of a TCP SYN carries raw numbers and formatted addresses", () => {
  const j = rec("tcp_syn", { ifname: "lo", dir: "out" });
  assert.equal(j.ifname, "lo");
  assert.equal(j.dir, "out");
  assert.equal(j.ts, 1700000000.25);
  assert.deepEqual(j.layers[0], {
    layer: "eth",
    src: "02:00:00:00:00:01",
    dst: "02:00:00:00:00:02",
    ethertype: 0x0800,
  });
  assert.deepEqual(j.layers[1], {
    layer: "ipv4",
    src: "127.0.0.1",
    dst: "127.0.0.1",
    proto: 6,
    ttl: 64,
    totalLen: 60,
    id: 0,
    df: true,
    mf: false,
    fragOffset: 0,
    hdrLen: 20,
  });
  assert.deepEqual(j.layers[2], {
    layer: "tcp",
    srcPort: 53034,
    dstPort: 8000,
    seq: 123,
    ack: 0,
    flags: 2,
    window: 65495,
    hdrLen: 40,
    payloadLen: 0,
  });
});

Deno.test("JSON: IPv6 extension headers, DNS question, fragments in bytes, quoted datagram after icmp", () => {
  const e = rec("ipv6_hbh_dst_udp").layers[1];
  assert.deepEqual(e.extHeaders, [0, 60]);
  assert.equal(e.nextHeader, 0);
  assert.equal(e.proto, 17);
  const q = rec("dns_query_v6").layers;
  assert.deepEqual(q[3], { layer: "dns", id: 12345, qr: false, qname: "example.com", qtype: 1 });
  assert.equal(q[1].src, "::1");
  assert.equal(rec("ipv4_frag_last").layers[1].fragOffset, 64);
  const u = rec("icmp_port_unreachable").layers.map((l: { layer: string }) => l.layer);
  assert.deepEqual(u, ["eth", "ipv4", "icmp", "ipv4", "udp"]);
  const t = rec("truncated_tcp");
  assert.equal(t.truncated, true);
  assert.equal(t.malformed, false);
});
