/**
 * `vlan` on a live Ethernet capture: the kernel usually takes a received frame's outer VLAN tag out of its
 * bytes and keeps it as metadata (`[vlanp]`, `[vlan_tci]`). A program compiled with `live` must select
 * from such a frame, given that metadata, what the file program selects from the frame with its tag, when
 * the expression tests `vlan` first; and the same as the file program from a frame whose tag is still in
 * its bytes, whatever the expression.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildPacket, type LayerSpec } from "../../lib/craft/build.ts";
import { compileFilter, filterAccepts } from "../../lib/filter/compile.ts";
import { disassemble } from "../../lib/filter/disasm.ts";
import { validateProgram } from "../../lib/filter/vm.ts";

const V4: LayerSpec = { layer: "ipv4", src: "10.9.0.2", dst: "10.9.0.1" };
const V6: LayerSpec = { layer: "ipv6", src: "fd00::2", dst: "fd00::1" };
const UDP: LayerSpec = { layer: "udp", srcPort: 5000, dstPort: 9 };
const TCP: LayerSpec = { layer: "tcp", srcPort: 5000, dstPort: 80, flags: 0x02 };
const ARP: LayerSpec = {
  layer: "arp",
  op: 1,
  sha: "02:00:00:00:00:02",
  spa: "10.9.0.2",
  tha: "00:00:00:00:00:00",
  tpa: "10.9.0.1",
};
const PAYLOAD: LayerSpec = { layer: "raw", data: new TextEncoder().encode("probe") };

/** IPv6 with `n` destination-options headers before TCP: more than the kernel program walks (4). */
function v6Deep(n: number): Uint8Array {
  const inner = buildPacket([V6, TCP, PAYLOAD]);
  const out = new Uint8Array(inner.length + n * 8);
  out.set(inner.subarray(0, 40));
  out[6] = 60;
  for (let i = 0; i < n; i++) out[40 + i * 8] = i === n - 1 ? 6 : 60;
  out.set(inner.subarray(40), 40 + n * 8);
  const plen = out.length - 40;
  out[4] = plen >> 8;
  out[5] = plen & 0xff;
  return out;
}

/** IPv4/UDP to Geneve's port, carrying an Ethernet frame of IPv4/TCP (VNI 5). */
function geneve(): Uint8Array {
  const inner = new Uint8Array([
    ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 3, 0x08, 0x00],
    ...buildPacket([V4, TCP, PAYLOAD]),
  ]);
  const header = new Uint8Array([0, 0, 0x65, 0x58, 0, 0, 5, 0]);
  return buildPacket([V4, { layer: "udp", srcPort: 5000, dstPort: 6081 }, {
    layer: "raw",
    data: new Uint8Array([...header, ...inner]),
  }]);
}

/** Network-layer packets that follow the tags (or the Ethernet header). */
const INNER: { name: string; ethertype: number; bytes: Uint8Array }[] = [
  { name: "ipv4/udp", ethertype: 0x0800, bytes: buildPacket([V4, UDP, PAYLOAD]) },
  { name: "ipv4/tcp", ethertype: 0x0800, bytes: buildPacket([V4, TCP, PAYLOAD]) },
  { name: "ipv6/udp", ethertype: 0x86dd, bytes: buildPacket([V6, UDP, PAYLOAD]) },
  { name: "ipv6/6 ext/tcp", ethertype: 0x86dd, bytes: v6Deep(6) },
  { name: "arp", ethertype: 0x0806, bytes: buildPacket([ARP]) },
  { name: "ipv4/udp/geneve/ipv4/tcp", ethertype: 0x0800, bytes: geneve() },
];

/** Tag stacks, outermost first: [TPID, TCI]. */
const STACKS: [number, number][][] = [
  [],
  [[0x8100, 10]],
  [[0x8100, 0xa014]], // PCP 5, VID 20
  [[0x88a8, 30], [0x8100, 40]],
  [[0x9100, 10], [0x8100, 20]],
  [[0x8100, 10], [0x8100, 20], [0x8100, 30]],
];

/** A frame: Ethernet, the tags, the inner packet. */
function frame(stack: [number, number][], inner: { ethertype: number; bytes: Uint8Array }): Uint8Array {
  const out = new Uint8Array(14 + stack.length * 4 + inner.bytes.length);
  out.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 2]);
  let at = 12;
  for (const [tpid, tci] of stack) {
    out.set([tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff], at);
    at += 4;
  }
  out.set([inner.ethertype >> 8, inner.ethertype & 0xff], at);
  out.set(inner.bytes, at + 2);
  return out;
}

/** The frame as the kernel holds it once it took the outer tag out: bytes 12 to 16 gone. */
function stripped(f: Uint8Array): Uint8Array {
  const out = new Uint8Array(f.length - 4);
  out.set(f.subarray(0, 12));
  out.set(f.subarray(16), 12);
  return out;
}

/** Expressions that test `vlan` before anything else in the frame. */
const VLAN_FIRST = [
  "vlan",
  "vlan 10",
  "vlan 20",
  "vlan 30",
  "not vlan",
  "vlan and ip",
  "vlan and udp",
  "vlan and udp port 9",
  "vlan 10 and tcp port 80",
  "vlan and ip6",
  "vlan and ip6 and tcp",
  "vlan and arp",
  "vlan and host 10.9.0.1",
  "vlan and ip6 host fd00::1",
  "vlan and vlan",
  "vlan and vlan 40",
  "vlan 30 and vlan 40 and udp",
  "vlan 10 and vlan 20 and vlan 30",
  "vlan and vlan and vlan and arp",
  "vlan or ip",
  "vlan and (udp or tcp)",
  "not vlan and ip",
  "vlan and not vlan 20",
  "vlan and ether broadcast",
  "vlan and ip[9] = 17",
  "vlan and ip protochain 6",
  "vlan and ip6 protochain 6",
  "vlan 10 and protochain 17",
  "vlan and geneve",
  "vlan and geneve 5 and tcp port 80",
  "vlan and geneve and ip host 10.9.0.1",
];

/** Expressions whose first tests read the frame before any `vlan`. */
const OTHERS = [
  "ip",
  "udp",
  "tcp port 80",
  "ip6",
  "arp",
  "ip or vlan",
  "(ip and vlan) or tcp",
  "ip6 and udp",
];

Deno.test("live vlan: a frame whose tag the kernel took out selects what the tagged frame selects from a file", () => {
  let taken = 0;
  for (const expr of VLAN_FIRST) {
    const file = compileFilter(expr, { linktype: 1 });
    const live = compileFilter(expr, { linktype: 1, live: true });
    assert.equal(validateProgram(live.program), undefined, expr);
    for (const stack of STACKS.filter((s) => s.length > 0)) {
      for (const inner of INNER) {
        const tagged = frame(stack, inner);
        const want = filterAccepts(file, tagged);
        const aux = { pkttype: 0, vlanTagPresent: 1, vlanTci: stack[0][1] };
        const got = filterAccepts(live, stripped(tagged), tagged.length - 4, aux);
        assert.equal(got, want, `${expr}: ${stack.map(([t, v]) => `${t.toString(16)}/${v}`)} ${inner.name}`);
        if (want) taken++;
      }
    }
  }
  assert(taken > 100, `the expressions select something (${taken})`);
});

Deno.test("live vlan: with the tag still in the bytes, or no tag, every expression selects what it selects from a file", () => {
  for (const expr of [...VLAN_FIRST, ...OTHERS]) {
    const file = compileFilter(expr, { linktype: 1 });
    const live = compileFilter(expr, { linktype: 1, live: true });
    assert.equal(validateProgram(live.program), undefined, expr);
    for (const stack of STACKS) {
      for (const inner of INNER) {
        const f = frame(stack, inner);
        assert.equal(
          filterAccepts(live, f, f.length, { pkttype: 0, vlanTagPresent: 0 }),
          filterAccepts(file, f),
          `${expr}: ${stack.length} tags, ${inner.name}`,
        );
      }
    }
  }
});

Deno.test("live vlan: before any vlan, a frame is read as the kernel holds it, as libpcap does", () => {
  // tcpdump -i eth0 ip: a received IPv4 frame with an offloaded tag is IPv4 to the kernel's program.
  const tagged = frame([[0x8100, 10]], INNER[0]);
  const aux = { pkttype: 0, vlanTagPresent: 1, vlanTci: 10 };
  assert(filterAccepts(compileFilter("ip", { linktype: 1, live: true }), stripped(tagged), 0, aux));
  assert(!filterAccepts(compileFilter("ip", { linktype: 1 }), tagged));
});

Deno.test("live vlan: the preamble only where a later load needs the offset; the plain test is libpcap's", () => {
  const listing = (expr: string) => disassemble(compileFilter(expr, { linktype: 1, live: true }).program);
  assert.equal(
    listing("vlan"),
    [
      "(000) ldb      [vlanp]",
      "(001) jeq      #0x1             jt 6\tjf 2",
      "(002) ldh      [12]",
      "(003) jeq      #0x8100          jt 6\tjf 4",
      "(004) jeq      #0x88a8          jt 6\tjf 5",
      "(005) jeq      #0x9100          jt 6\tjf 7",
      "(006) ret      #262144",
      "(007) ret      #0",
      "",
    ].join("\n"),
  );
  assert.match(listing("vlan 10"), /ldh {6}\[vlan_tci\]/);
  assert.doesNotMatch(listing("vlan 10"), /M\[/);
  // Behind it, the offset word: set first, on every path.
  assert.match(
    listing("vlan and ip"),
    /^\(000\) ldb {6}\[vlanp\]\n\(001\) xor {6}#0x1\n\(002\) lsh {6}#2\n\(003\) st {7}M\[0\]\n/,
  );
  // Files and other link types: no ancillary load at all.
  assert.doesNotMatch(disassemble(compileFilter("vlan and ip", { linktype: 1 }).program), /vlan/);
  assert.doesNotMatch(
    disassemble(compileFilter("vlan and ip", { linktype: 105, live: true }).program),
    /vlanp/,
  );
});
