/**
 * The flow key used to share a replay out over sending threads: equal for both directions of a
 * conversation, TCP by addresses and ports, other IP by addresses only (fragments stay with their flow),
 * VLAN tags looked through, non-IP by MAC pair; never throws on cut or random frames.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildPacket, type LayerSpec } from "../../lib/craft/mod.ts";
import { ethernetFlowKey } from "../../lib/wire/flow.ts";
import { Rng } from "./_rand.ts";

const A = "02:00:00:00:00:0a", B = "02:00:00:00:00:0b";

function ip4(src: string, dst: string, l4: LayerSpec[], ip: Record<string, unknown> = {}): Uint8Array {
  return buildPacket([
    { layer: "eth", src: A, dst: B },
    { layer: "ipv4", src, dst, ...ip } as LayerSpec,
    ...l4,
  ]);
}
function ip6(src: string, dst: string, l4: LayerSpec[]): Uint8Array {
  return buildPacket([{ layer: "eth", src: A, dst: B }, { layer: "ipv6", src, dst }, ...l4]);
}
const tcp = (s: number, d: number): LayerSpec[] => [{ layer: "tcp", srcPort: s, dstPort: d }];
const udp = (s: number, d: number): LayerSpec[] => [{ layer: "udp", srcPort: s, dstPort: d }];
const key = ethernetFlowKey;

Deno.test("ethernetFlowKey(): both directions of a TCP connection share a key, other connections differ", () => {
  assert.equal(
    key(ip4("10.0.0.1", "10.0.0.2", tcp(40000, 80))),
    key(ip4("10.0.0.2", "10.0.0.1", tcp(80, 40000))),
  );
  assert.notEqual(
    key(ip4("10.0.0.1", "10.0.0.2", tcp(40000, 80))),
    key(ip4("10.0.0.1", "10.0.0.2", tcp(40001, 80))),
  );
  assert.equal(
    key(ip6("2001:db8::1", "2001:db8::2", tcp(40000, 443))),
    key(ip6("2001:db8::2", "2001:db8::1", tcp(443, 40000))),
  );
  assert.notEqual(
    key(ip6("2001:db8::1", "2001:db8::2", tcp(40000, 443))),
    key(ip6("2001:db8::1", "2001:db8::2", tcp(40002, 443))),
  );
});

Deno.test("ethernetFlowKey(): UDP and fragments go by addresses only, as RSS does by default", () => {
  const whole = key(ip4("10.0.0.1", "10.0.0.2", udp(5000, 53)));
  assert.equal(whole, key(ip4("10.0.0.1", "10.0.0.2", udp(5001, 53))));
  assert.equal(whole, key(ip4("10.0.0.2", "10.0.0.1", udp(53, 5000))));
  // A later fragment (offset 8, no UDP header) and a first one (MF) of the same hosts.
  assert.equal(
    whole,
    key(ip4("10.0.0.1", "10.0.0.2", [{ layer: "raw", data: new Uint8Array(16) }], {
      proto: 17,
      fragOffset: 8,
    })),
  );
  assert.equal(whole, key(ip4("10.0.0.1", "10.0.0.2", udp(5000, 53), { mf: true })));
  // A fragmented TCP segment loses its ports: the key is the hosts' and the protocol's.
  assert.equal(
    key(ip4("10.0.0.1", "10.0.0.2", tcp(1, 2), { mf: true })),
    key(ip4("10.0.0.1", "10.0.0.2", tcp(3, 4), { mf: true })),
  );
  assert.notEqual(whole, key(ip4("10.0.0.1", "10.0.0.3", udp(5000, 53))));
});

Deno.test("ethernetFlowKey(): VLAN tags are looked through; non-IP goes by the MAC pair", () => {
  const plain = ip4("10.0.0.1", "10.0.0.2", tcp(1000, 22));
  const tagged = new Uint8Array(plain.length + 4);
  tagged.set(plain.subarray(0, 12));
  tagged.set([0x81, 0x00, 0x00, 0x64], 12);
  tagged.set(plain.subarray(12), 16);
  assert.equal(key(tagged), key(plain));
  const arp = (s: string, d: string) =>
    buildPacket([{ layer: "eth", src: s, dst: d }, {
      layer: "arp",
      op: 1,
      sha: s,
      spa: "10.0.0.1",
      tha: "00:00:00:00:00:00",
      tpa: "10.0.0.2",
    } as LayerSpec]);
  assert.equal(key(arp(A, B)), key(arp(B, A)));
  assert.notEqual(key(arp(A, B)), key(arp(A, "02:00:00:00:00:0c")));
});

Deno.test("ethernetFlowKey(): cut and random frames give a 32-bit key and never throw", () => {
  const rng = new Rng(0xf10);
  const seeds = [
    ip4("10.0.0.1", "10.0.0.2", tcp(1, 2)),
    ip6("::1", "::2", tcp(1, 2)),
    ip4("10.0.0.1", "10.0.0.2", udp(1, 2)),
  ];
  for (let i = 0; i < 20000; i++) {
    const f = i % 2 ? rng.bytes(rng.int(80)) : seeds[i % 3].slice(0, rng.int(seeds[i % 3].length + 1));
    const k = key(f);
    assert.ok(Number.isInteger(k) && k >= 0 && k <= 0xffffffff, `${k}`);
  }
});

Deno.test("ethernetFlowKey(): 250 hosts spread evenly over 2 and 4 shares", () => {
  for (const shares of [2, 4]) {
    const counts = new Array(shares).fill(0);
    for (let h = 1; h <= 250; h++) counts[key(ip4(`10.1.0.${h}`, "10.2.0.1", udp(4000, 9))) % shares]++;
    for (const c of counts) assert.ok(c > 250 / shares / 2, `${counts}`);
  }
});
