/**
 * `inbound` / `outbound` on a live capture of any link type: the kernel's ancillary packet-type load
 * (SKF_AD_PKTTYPE, libpcap's `ldh [type]`), netkit's VM running it with a packet's metadata, the listings
 * next to tcpdump's on a real veth interface, and the refusal for a file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { compileFilter, filterAccepts } from "../../lib/filter/compile.ts";
import { disassemble, dumpC } from "../../lib/filter/disasm.ts";
import { FilterSyntaxError } from "../../lib/filter/errors.ts";
import { BPF, SKF_AD } from "../../lib/filter/opcodes.ts";
import { matches, runFilter } from "../../lib/filter/vm.ts";
import { repoPath, run, testIf } from "../_helpers.ts";
import { NEED_NETNS, vethPair } from "../capture/_netns.ts";

const PKTTYPE_K = SKF_AD.OFF + SKF_AD.PKTTYPE;
const RET = (k: number) => ({ code: BPF.RET | BPF.K, jt: 0, jf: 0, k });

/** An Ethernet frame of IPv4 carrying TCP (enough bytes for the ports). */
function etherTcp(): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20);
  f[12] = 0x08;
  f[14] = 0x45;
  f[14 + 9] = 6;
  return f;
}

/** A raw IPv6 packet whose TCP header sits behind `n` hop-by-hop/destination-options headers. */
function ipv6BehindExtensions(n: number): Uint8Array {
  const p = new Uint8Array(40 + n * 8 + 20);
  p[0] = 0x60;
  p[6] = n === 0 ? 6 : 0; // hop-by-hop first, then destination options
  for (let i = 0; i < n; i++) {
    p[40 + i * 8] = i === n - 1 ? 6 : 60;
    p[40 + i * 8 + 1] = 0; // 8 bytes
  }
  return p;
}

Deno.test("VM: an ancillary packet-type load reads the packet's metadata, of any load size", () => {
  for (const size of [BPF.W, BPF.H, BPF.B]) {
    const prog = [
      { code: BPF.LD | size | BPF.ABS, jt: 0, jf: 0, k: PKTTYPE_K },
      { code: BPF.RET | BPF.A, jt: 0, jf: 0, k: 0 },
    ];
    // ret a: returns the packet type itself, so 0 (host) would read as "reject": add 1 to see it.
    const plusOne = [prog[0], { code: BPF.ALU | BPF.ADD | BPF.K, jt: 0, jf: 0, k: 1 }, prog[1]];
    for (const pkttype of [0, 1, 2, 3, 4]) {
      assert.equal(runFilter(plusOne, new Uint8Array(0), 0, { pkttype }), pkttype + 1, `size ${size}`);
    }
  }
});

Deno.test("VM: without metadata (a file), or for an ancillary field netkit does not know, the load rejects", () => {
  const typeThen = (k: number) => [
    { code: BPF.LD | BPF.H | BPF.ABS, jt: 0, jf: 0, k },
    RET(1),
  ];
  assert.equal(runFilter(typeThen(PKTTYPE_K), new Uint8Array(64)), 0);
  assert.equal(runFilter(typeThen(PKTTYPE_K), new Uint8Array(64), 64, {}), 0);
  // SKF_AD_PROTOCOL (0) and SKF_AD_IFINDEX (8): the kernel knows them, netkit's VM has no value for them.
  assert.equal(runFilter(typeThen(SKF_AD.OFF), new Uint8Array(64), 64, { pkttype: 0 }), 0);
  assert.equal(runFilter(typeThen(SKF_AD.OFF + 8), new Uint8Array(64), 64, { pkttype: 0 }), 0);
  // An indexed load at a negative offset is still just out of bounds.
  const ind = [
    { code: BPF.LDX | BPF.IMM, jt: 0, jf: 0, k: 0 },
    { code: BPF.LD | BPF.H | BPF.IND, jt: 0, jf: 0, k: PKTTYPE_K },
    RET(1),
  ];
  assert.equal(runFilter(ind, new Uint8Array(64), 64, { pkttype: 0 }), 0);
  // A plain packet load is unaffected by metadata.
  assert.equal(runFilter(typeThen(12), new Uint8Array(64), 64, { pkttype: 4 }), 1);
});

Deno.test("live: inbound/outbound on every link type without a cooked header select by the packet type", () => {
  const frames: Record<number, Uint8Array> = {
    1: etherTcp(),
    101: ipv6BehindExtensions(0),
    105: new Uint8Array(64),
    127: new Uint8Array([0, 0, 8, 0, 0, 0, 0, 0, ...new Uint8Array(56)]),
  };
  for (const [lt, frame] of Object.entries(frames)) {
    const linktype = Number(lt);
    const inbound = compileFilter("inbound", { linktype, live: true });
    const outbound = compileFilter("outbound", { linktype, live: true });
    for (const pkttype of [0, 1, 2, 3]) {
      assert(filterAccepts(inbound, frame, frame.length, { pkttype }), `${lt} ${pkttype}`);
      assert(!filterAccepts(outbound, frame, frame.length, { pkttype }), `${lt} ${pkttype}`);
    }
    assert(!filterAccepts(inbound, frame, frame.length, { pkttype: 4 }), `${lt}`);
    assert(filterAccepts(outbound, frame, frame.length, { pkttype: 4 }), `${lt}`);
  }
  const tcp = compileFilter("outbound and tcp", { linktype: 1, live: true });
  assert(matches(tcp.program, etherTcp(), 54, { pkttype: 4 }));
  const udp = etherTcp();
  udp[14 + 9] = 17;
  assert(!matches(tcp.program, udp, 54, { pkttype: 4 }));
});

Deno.test("live: a cooked header still gives the direction itself; a file of another link type is refused", () => {
  // LINUX_SLL2: the packet type at byte 10; live or not, the same program (tcpdump -i any -d inbound).
  for (const live of [false, true]) {
    assert.equal(
      disassemble(compileFilter("inbound", { linktype: 276, live }).program),
      "(000) ldb      [10]\n(001) jeq      #0x4             jt 2\tjf 3\n(002) ret      #0\n(003) ret      #262144\n",
    );
  }
  for (const [linktype, name] of [[1, "EN10MB"], [101, "RAW"], [127, "IEEE802_11_RADIO"]] as const) {
    for (const expr of ["inbound", "tcp and outbound"]) {
      assert.throws(() => compileFilter(expr, { linktype }), (e: unknown) => {
        assert(e instanceof FilterSyntaxError);
        assert.match(
          e.message,
          new RegExp(`^inbound/outbound not supported on ${name} when reading savefiles`),
        );
        return true;
      });
    }
  }
});

Deno.test("live: the IPv6 walk's user-space check runs with the packet type too", () => {
  // Six extension headers: more than the kernel program walks (4), so user space decides.
  const f = compileFilter("inbound and tcp", { linktype: 101, live: true });
  assert(f.userspace, "the kernel program is a prefilter here");
  const p = ipv6BehindExtensions(6);
  assert(filterAccepts(f, p, p.length, { pkttype: 0 }));
  assert(!filterAccepts(f, p, p.length, { pkttype: 4 }));
  assert(!filterAccepts(f, p, p.length), "no packet type: the ancillary load rejects");
});

Deno.test("disassembly names the kernel's ancillary loads as libpcap's bpf_image does", () => {
  const names: [number, string][] = [
    [0, "proto"],
    [4, "type"],
    [8, "ifidx"],
    [20, "mark"],
    [28, "hatype"],
    [44, "vlan_tci"],
    [48, "vlanp"],
    [60, "vlan_tpid"],
    [64, "-4032"], // no name: the offset, as a signed number
  ];
  for (const [off, name] of names) {
    const prog = [{ code: BPF.LD | BPF.B | BPF.ABS, jt: 0, jf: 0, k: SKF_AD.OFF + off }, RET(0)];
    assert.equal(disassemble(prog).split("\n")[0], `(000) ldb      [${name}]`);
  }
  assert.equal(
    dumpC([{ code: BPF.LD | BPF.H | BPF.ABS, jt: 0, jf: 0, k: PKTTYPE_K }, RET(0)]).split("\n")[0],
    "{ 0x28, 0, 0, 0xfffff004 },",
  );
});

const LISTED = [
  "inbound",
  "outbound",
  "inbound and ip",
  "not outbound and arp",
  "outbound and tcp port 80",
  "inbound or udp",
  "ether src 02:00:00:00:00:01 and inbound",
  "vlan",
  "inbound and vlan",
];

testIf(
  "golden: -d and -dd of inbound/outbound on a veth interface and on any equal tcpdump's (libpcap dialect)",
  NEED_NETNS,
  async () => {
    const pair = await vethPair("dir", "d");
    try {
      for (const expr of LISTED) {
        for (const [iface, linktype] of [[pair.a, 1], ["any", 276]] as const) {
          for (const [flag, format] of [["-d", disassemble], ["-dd", dumpC]] as const) {
            const r = await run("ip", ["netns", "exec", pair.nsA, "tcpdump", flag, "-i", iface, expr], {
              timeoutMs: 20_000,
            });
            const opts = { linktype, live: true, dialect: "libpcap" } as const;
            if (r.code !== 0) {
              // libpcap refuses it there (an Ethernet address on a cooked header): so does netkit.
              assert.throws(
                () => compileFilter(expr, opts),
                FilterSyntaxError,
                `${iface} ${expr}: ${r.stderr}`,
              );
              continue;
            }
            const ours = format(compileFilter(expr, opts).program);
            assert.equal(ours, r.stdout, `${flag} -i ${iface} ${expr}`);
          }
        }
      }
      // Reading a file of Ethernet frames, tcpdump refuses them with the message netkit gives.
      const file = repoPath("tests/fixtures/corpus/ethernet.pcap");
      const r = await run("tcpdump", ["-r", file, "inbound"], { timeoutMs: 20_000 });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /inbound\/outbound not supported on Ethernet when reading savefiles/);
    } finally {
      await pair.close();
    }
  },
);
