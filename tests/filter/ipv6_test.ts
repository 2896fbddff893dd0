/**
 * What libpcap cannot do and netkit does: IPv6 transport tests behind extension headers (hop-by-hop 0,
 * routing 43, fragment 44, destination options 60), checked against hand-built packets and hand-written
 * expectations; the kernel walk's depth limit and the user-space check beyond it.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  compileFilter,
  type CompileOptions,
  filterAccepts,
  matches,
  validateProgram,
} from "../../lib/filter/mod.ts";
import { concat } from "../_helpers.ts";
import { ether, extHeader, fragHeader, ipv6, tcpHeader, udpHeader } from "./_pcap.ts";

const HBH = 0, ROUTING = 43, FRAG = 44, DSTOPT = 60, TCP = 6, UDP = 17, ICMP6 = 58;
const SYN = 0x02;
const echo = Uint8Array.of(128, 0, 0, 0, 0, 1, 0, 1);

const PACKETS = {
  plainTcp: ether(0x86dd, ipv6(TCP, tcpHeader(1234, 80, SYN))),
  hbhTcp: ether(0x86dd, ipv6(HBH, concat(extHeader(TCP), tcpHeader(1234, 80, SYN)))),
  routingDstUdp: ether(0x86dd, ipv6(ROUTING, concat(extHeader(DSTOPT), extHeader(UDP), udpHeader(5353, 53)))),
  firstFragUdp: ether(0x86dd, ipv6(FRAG, concat(fragHeader(UDP, 0, true), udpHeader(5353, 53)))),
  laterFragUdp: ether(0x86dd, ipv6(FRAG, concat(fragHeader(UDP, 5, false), udpHeader(5353, 53)))),
  longHbhTcp: ether(
    0x86dd,
    ipv6(HBH, concat(extHeader(DSTOPT, 1), extHeader(TCP, 2), tcpHeader(80, 4000, 0x10))),
  ),
  hbhIcmp6: ether(0x86dd, ipv6(HBH, concat(extHeader(ICMP6), echo))),
  truncatedWalk: ether(0x86dd, ipv6(HBH, Uint8Array.of(TCP, 9, 1, 2))),
};

/** [expression, packet, netkit expects, libpcap expects] */
const CASES: [string, keyof typeof PACKETS, boolean, boolean][] = [
  ["tcp", "plainTcp", true, true],
  ["tcp port 80", "plainTcp", true, true],
  ["tcp[13] & 2 != 0", "plainTcp", true, false], // libpcap reads tcp[] on IPv4 only
  ["tcp", "hbhTcp", true, false],
  ["tcp port 80", "hbhTcp", true, false],
  ["tcp dst port 80", "hbhTcp", true, false],
  ["tcp src port 80", "hbhTcp", false, false],
  ["port 80", "hbhTcp", true, false],
  ["portrange 70-90", "hbhTcp", true, false],
  ["tcp[tcpflags] & tcp-syn != 0", "hbhTcp", true, false],
  ["tcp[0:2] = 1234 and tcp[2:2] = 80", "hbhTcp", true, false],
  ["ip6 proto 6", "hbhTcp", true, false],
  ["ip6 proto 0", "hbhTcp", true, true],
  ["udp", "hbhTcp", false, false],
  ["not tcp", "hbhTcp", false, true],
  ["udp", "routingDstUdp", true, false],
  ["udp port 53", "routingDstUdp", true, false],
  ["udp[2:2] = 53", "routingDstUdp", true, false],
  ["tcp", "routingDstUdp", false, false],
  ["udp", "firstFragUdp", true, true], // libpcap looks through one fragment header for the protocol
  ["udp port 53", "firstFragUdp", true, false],
  ["udp", "laterFragUdp", true, true], // a later fragment is still "udp", as in libpcap
  ["udp port 53", "laterFragUdp", false, false], // but it has no UDP header to read
  ["udp[0:2] = 5353", "laterFragUdp", false, false],
  ["tcp", "longHbhTcp", true, false],
  ["tcp src port 80", "longHbhTcp", true, false],
  ["tcp[13] = 0x10", "longHbhTcp", true, false],
  ["icmp6", "hbhIcmp6", true, false],
  ["icmp6[icmp6type] = icmp6-echo", "hbhIcmp6", true, false],
  // The chain says TCP (the hop-by-hop header is cut short, but its next-header byte is there), as libpcap
  // would say of a fragment header; reading the ports goes past the captured bytes, which rejects.
  ["tcp", "truncatedWalk", true, false],
  ["tcp port 80", "truncatedWalk", false, false],
];

for (const [expr, name, netkit, libpcap] of CASES) {
  Deno.test(`"${expr}" on ${name}: netkit ${netkit ? "matches" : "does not match"}, libpcap dialect ${libpcap ? "matches" : "does not"}`, () => {
    const packet = PACKETS[name];
    const nk = compileFilter(expr);
    assert.equal(validateProgram(nk.program), undefined);
    assert.equal(filterAccepts(nk, packet), netkit, "netkit dialect");
    // Within the kernel walk's depth the kernel program alone decides, and agrees with user space.
    assert.equal(matches(nk.program, packet), netkit, "kernel program");
    if (nk.userspace) assert.equal(nk.userspace(packet), netkit, "user-space check");
    assert.equal(
      filterAccepts(compileFilter(expr, { dialect: "libpcap" }), packet),
      libpcap,
      "libpcap dialect",
    );
  });
}

Deno.test("the walk works on cooked and raw links and behind a VLAN tag", () => {
  const l3 = ipv6(HBH, concat(extHeader(TCP), tcpHeader(1234, 80, SYN)));
  const sll = concat(new Uint8Array(14), Uint8Array.of(0x86, 0xdd), l3);
  const sll2 = concat(Uint8Array.of(0x86, 0xdd), new Uint8Array(18), l3);
  const vlan = concat(ether(0x8100, Uint8Array.of(0, 10, 0x86, 0xdd)), l3);
  const cases: [Uint8Array, CompileOptions, string][] = [
    [l3, { linktype: 101 }, "tcp port 80"],
    [sll, { linktype: 113 }, "tcp port 80"],
    [sll2, { linktype: 276 }, "tcp[13] & tcp-syn != 0"],
    [vlan, { linktype: 1 }, "vlan 10 and tcp port 80"],
  ];
  for (const [packet, options, expr] of cases) {
    assert.ok(filterAccepts(compileFilter(expr, options), packet), `${expr} on ${options.linktype}`);
    assert.ok(
      !filterAccepts(compileFilter(expr.replace("80", "81"), options), packet) || !expr.includes("80"),
    );
  }
});

Deno.test("past the kernel walk's depth, the kernel program passes candidates and user space decides", () => {
  // Six destination-options headers before TCP port 80; the kernel walks 4.
  let rest = tcpHeader(1234, 80, SYN);
  for (let i = 0; i < 6; i++) rest = concat(extHeader(i === 0 ? TCP : DSTOPT), rest);
  const packet = ether(0x86dd, ipv6(DSTOPT, rest));
  const options: CompileOptions = { maxExtHeaders: 4 };
  const hit = compileFilter("tcp port 80", options);
  const miss = compileFilter("tcp port 81", options);
  const negated = compileFilter("not tcp port 80", options);
  assert.ok(hit.userspace && miss.userspace && negated.userspace);
  assert.equal(matches(hit.program, packet), true, "candidate");
  assert.equal(filterAccepts(hit, packet), true);
  assert.equal(matches(miss.program, packet), true, "candidate");
  assert.equal(filterAccepts(miss, packet), false, "user space says no");
  assert.equal(matches(negated.program, packet), true, "under not, an overflow is a candidate too");
  assert.equal(filterAccepts(negated, packet), false);
  // A deep enough kernel walk decides alone.
  assert.equal(matches(compileFilter("tcp port 81", { maxExtHeaders: 8 }).program, packet), false);
  assert.equal(matches(compileFilter("tcp port 80", { maxExtHeaders: 8 }).program, packet), true);
  assert.match(hit.explanation, /user space/);
});

Deno.test("the kernel walk stays within the kernel's limits at its largest depth", () => {
  for (const expr of ["tcp port 80", "port 53 or portrange 1000-2000", "tcp[13] & 2 != 0 and udp[0:2] = 1"]) {
    const { program } = compileFilter(expr, { maxExtHeaders: 16 });
    assert.equal(validateProgram(program), undefined, expr);
  }
});

Deno.test("user space goes as deep as the packet needs (20 headers), and stops at 256", () => {
  const build = (count: number, dport: number) => {
    let rest = tcpHeader(1234, dport, SYN);
    for (let i = 0; i < count; i++) rest = concat(extHeader(i === 0 ? TCP : DSTOPT), rest);
    return ether(0x86dd, ipv6(DSTOPT, rest));
  };
  const f = compileFilter("tcp dst port 80");
  assert.equal(filterAccepts(f, build(20, 80)), true);
  assert.equal(filterAccepts(f, build(20, 81)), false);
  assert.equal(filterAccepts(compileFilter("not tcp dst port 80"), build(20, 80)), false);
  assert.equal(filterAccepts(compileFilter("not tcp dst port 80"), build(20, 81)), true);
  // Past 256 headers the walked primitive counts as not matching (documented limit).
  assert.equal(filterAccepts(f, build(300, 80)), false);
});
