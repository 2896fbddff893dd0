/**
 * Golden tests of the compiler: listings equal to tcpdump 4.99's `-d`, `-dd` and `-ddd` output for simple
 * expressions, aliases that must compile to the same program, and link-type handling.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  compileFilter,
  disassemble,
  dumpC,
  dumpDecimal,
  FilterSyntaxError,
  validateProgram,
} from "../../lib/filter/mod.ts";
import { needCommands, run, testIf } from "../_helpers.ts";

/** tcpdump 4.99.3 / libpcap 1.10.3 `tcpdump -d -y EN10MB ip` etc., recorded so the test runs anywhere. */
const GOLDEN: Record<string, string> = {
  "ip": `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 3
(002) ret      #262144
(003) ret      #0
`,
  "arp": `(000) ldh      [12]
(001) jeq      #0x806           jt 2	jf 3
(002) ret      #262144
(003) ret      #0
`,
  "ip6": `(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 3
(002) ret      #262144
(003) ret      #0
`,
  "tcp": `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 4
(002) ldb      [23]
(003) jeq      #0x6             jt 10	jf 11
(004) jeq      #0x86dd          jt 5	jf 11
(005) ldb      [20]
(006) jeq      #0x6             jt 10	jf 7
(007) jeq      #0x2c            jt 8	jf 11
(008) ldb      [54]
(009) jeq      #0x6             jt 10	jf 11
(010) ret      #262144
(011) ret      #0
`,
  "host 10.0.0.1": `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 6
(002) ld       [26]
(003) jeq      #0xa000001       jt 12	jf 4
(004) ld       [30]
(005) jeq      #0xa000001       jt 12	jf 13
(006) jeq      #0x806           jt 8	jf 7
(007) jeq      #0x8035          jt 8	jf 13
(008) ld       [28]
(009) jeq      #0xa000001       jt 12	jf 10
(010) ld       [38]
(011) jeq      #0xa000001       jt 12	jf 13
(012) ret      #262144
(013) ret      #0
`,
  "port 80": `(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 10
(002) ldb      [20]
(003) jeq      #0x84            jt 6	jf 4
(004) jeq      #0x6             jt 6	jf 5
(005) jeq      #0x11            jt 6	jf 23
(006) ldh      [54]
(007) jeq      #0x50            jt 22	jf 8
(008) ldh      [56]
(009) jeq      #0x50            jt 22	jf 23
(010) jeq      #0x800           jt 11	jf 23
(011) ldb      [23]
(012) jeq      #0x84            jt 15	jf 13
(013) jeq      #0x6             jt 15	jf 14
(014) jeq      #0x11            jt 15	jf 23
(015) ldh      [20]
(016) jset     #0x1fff          jt 23	jf 17
(017) ldxb     4*([14]&0xf)
(018) ldh      [x + 14]
(019) jeq      #0x50            jt 22	jf 20
(020) ldh      [x + 16]
(021) jeq      #0x50            jt 22	jf 23
(022) ret      #262144
(023) ret      #0
`,
};

for (const [expr, listing] of Object.entries(GOLDEN)) {
  Deno.test(`compileFilter("${expr}") lists exactly as tcpdump -d (recorded)`, () => {
    const { program } = compileFilter(expr, { linktype: 1, dialect: "libpcap" });
    assert.equal(disassemble(program), listing);
    assert.equal(validateProgram(program), undefined);
  });
}

Deno.test("ip, ip6, arp and host compile the same in both dialects (no IPv6 transport involved)", () => {
  for (const expr of ["ip", "ip6", "arp", "host 10.0.0.1"]) {
    assert.deepEqual(compileFilter(expr).program, compileFilter(expr, { dialect: "libpcap" }).program, expr);
  }
});

const LIVE = [
  ...Object.keys(GOLDEN),
  "udp",
  "tcp port 80",
  "net 10.0.0.0/8",
  "ip proto 17",
  "vlan",
  "vlan 10 and tcp",
  "less 100",
  "greater 100 and ip",
  "tcp[13] & 2 != 0",
  "ether broadcast",
  "ether host 01:02:03:04:05:06",
  "ip multicast",
  "icmp",
  "portrange 10-20",
  "ip broadcast",
  "ip6 proto 6",
  "ip6 host ::1",
  "ip6 net fe80::/10",
  "src net 192.168 and not dst port 22",
  "tcp port 80 and not 22",
  "icmp[icmptype] = icmp-echo",
  "icmp6[0] = 128",
];

testIf(
  "the -d, -dd and -ddd listings equal the installed tcpdump's for simple expressions",
  needCommands("tcpdump"),
  async () => {
    for (
      const [linktype, name] of [[1, "EN10MB"], [113, "LINUX_SLL"], [276, "LINUX_SLL2"], [
        101,
        "RAW",
      ]] as const
    ) {
      for (const expr of LIVE) {
        if (linktype !== 1 && /ether|vlan|broadcast$|arp|^host/.test(expr)) continue;
        const { program } = compileFilter(expr, { linktype, dialect: "libpcap" });
        for (const [flag, format] of [["-d", disassemble], ["-dd", dumpC], ["-ddd", dumpDecimal]] as const) {
          const r = await run("tcpdump", [flag, "-y", name, "--", expr], { timeoutMs: 20_000 });
          assert.equal(r.code, 0, r.stderr);
          assert.equal(format(program), r.stdout, `${flag} -y ${name} '${expr}'`);
        }
      }
    }
  },
);

/** Pairs that must compile to the very same program. */
const ALIASES: [string, string][] = [
  ["tcp && port 80", "tcp and port 80"],
  ["tcp || udp", "tcp or udp"],
  ["!tcp", "not tcp"],
  ["host 10.0.0.1 or 10.0.0.2", "host 10.0.0.1 or host 10.0.0.2"],
  ["tcp port 80 and not 22", "tcp port 80 and not tcp port 22"],
  ["src 10.0.0.1", "src host 10.0.0.1"],
  ["host 10.0.0.1", "src or dst host 10.0.0.1"],
  ["port 80", "src or dst port 80"],
  ["ip proto \\tcp", "ip proto 6"],
  ["ether proto \\arp", "arp"],
  ["ether proto 0x800", "ip"],
  ["port 0x50", "port 80"],
  ["port 0120", "port 80"],
  ["tcp[13] == 2", "tcp[13] = 2"],
  ["tcp[tcpflags] & tcp-syn != 0", "tcp[13] & 2 != 0"],
  ["icmp[icmptype] = icmp-echo", "icmp[0] = 8"],
  ["icmp6[icmp6type] = icmp6-echo", "icmp6[0] = 128"],
  ["link[0] = 1", "ether[0] = 1"],
  ["net 10", "net 10.0.0.0/8"],
  ["net 10.1", "net 10.1.0.0/16"],
  ["net 192.168.0.0 mask 255.255.0.0", "net 192.168.0.0/16"],
  ["less 100", "len <= 100"],
  ["greater 100", "len >= 100"],
  ["2 < tcp[13]", "tcp[13] > 2"],
  ["tcp[1 + 2 * 3]", "tcp[7]"].map((e) => `${e} = 1`) as [string, string],
  ["host 10.0.0.1 and (10.0.0.2 or 10.0.0.3)", "host 10.0.0.1 and (host 10.0.0.2 or host 10.0.0.3)"],
  ["(tcp)", "tcp"],
  ["portrange 20-10", "portrange 10-20"],
];

for (const [a, b] of ALIASES) {
  Deno.test(`"${a}" compiles to the same program as "${b}"`, () => {
    for (const dialect of ["netkit", "libpcap"] as const) {
      assert.deepEqual(compileFilter(a, { dialect }).program, compileFilter(b, { dialect }).program, dialect);
    }
  });
}

Deno.test("and and or have equal precedence and associate left, as in libpcap", () => {
  assert.deepEqual(
    compileFilter("tcp or udp and ip6").program,
    compileFilter("(tcp or udp) and ip6").program,
  );
  assert.notDeepEqual(
    compileFilter("tcp or udp and ip6").program,
    compileFilter("tcp or (udp and ip6)").program,
  );
});

Deno.test("every compiled program passes the kernel validator, in both dialects, with and without the optimizer", () => {
  for (
    const expr of [...LIVE, "tcp[tcp[12] >> 4] = 1", "udp[2:2] + udp[0:2] > len", "tcp port 80", "icmp6"]
  ) {
    for (const dialect of ["netkit", "libpcap"] as const) {
      for (const optimize of [true, false]) {
        const { program } = compileFilter(expr, { dialect, optimize });
        assert.equal(validateProgram(program), undefined, `${expr} ${dialect} ${optimize}`);
      }
    }
  }
});

Deno.test("the snapshot length is what an accepted packet returns", () => {
  const { program } = compileFilter("ip", { snaplen: 96 });
  assert.equal(program[2].k, 96);
  assert.throws(() => compileFilter("ip", { snaplen: 0 }), RangeError);
});

Deno.test("an empty expression accepts everything", () => {
  assert.deepEqual(compileFilter("  ").program, [{ code: 6, jt: 0, jf: 0, k: 262144 }]);
});

Deno.test("unsupported link types are refused with a RangeError naming them", () => {
  assert.throws(() => compileFilter("ip", { linktype: 192 }), {
    name: "RangeError",
    message: /link type 192/,
  });
});

Deno.test("bad options are refused", () => {
  assert.throws(() => compileFilter("ip", { maxExtHeaders: 99 }), RangeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => compileFilter("ip", { dialect: "bsd" as any }), RangeError);
});

Deno.test("what a link type cannot express is a FilterSyntaxError pointing at it", () => {
  const cases: [string, number, number][] = [
    ["tcp and ether host 01:02:03:04:05:06", 113, 9],
    ["vlan 10", 101, 1],
    ["broadcast", 276, 1],
    ["ether multicast", 113, 1],
    ["ip6 broadcast", 1, 1],
    ["ip[1 / 0] = 1", 1, 8],
    ["ip[1 % 0] = 1", 1, 8],
  ];
  for (const [expr, linktype, column] of cases) {
    assert.throws(() => compileFilter(expr, { linktype }), (e: unknown) => {
      assert.ok(e instanceof FilterSyntaxError, expr);
      assert.equal(e.code, "UNSUPPORTED", expr);
      assert.equal(e.column, column, expr);
      return true;
    });
  }
});

Deno.test("arp on a raw IP link can never match: the program is a single reject", () => {
  assert.deepEqual(compileFilter("arp", { linktype: 101 }).program, [{ code: 6, jt: 0, jf: 0, k: 0 }]);
  assert.deepEqual(compileFilter("not arp", { linktype: 101 }).program, [{
    code: 6,
    jt: 0,
    jf: 0,
    k: 262144,
  }]);
});

Deno.test("ip broadcast uses the netmask option", () => {
  const { program } = compileFilter("ip broadcast", { netmask: 0xffffff00 });
  assert.ok(program.some((p) => p.code === 0x54 && p.k === 0xff), disassemble(program));
});

Deno.test("explain() says the whole expression runs in the kernel, or what needs user space", () => {
  assert.match(compileFilter("arp").explanation, /^kernel: the whole expression \(4 instructions\)\.$/);
  const f = compileFilter("tcp port 80", { maxExtHeaders: 2 });
  assert.ok(f.userspace);
  assert.match(f.explanation, /up to 2 IPv6 extension headers for port at column 1; user space/);
  assert.match(compileFilter("tcp port 80", { dialect: "libpcap" }).explanation, /libpcap dialect/);
});

Deno.test("limits: 16 scratch words, 4096 instructions, and huge expressions fail cleanly", () => {
  let nested = "ip[0]";
  for (let i = 1; i < 18; i++) nested = `ip[${i}] + (${nested})`;
  const expectUnsupported = (expr: string, pattern: RegExp, options = {}) =>
    assert.throws(() => compileFilter(expr, options), (e: unknown) => {
      assert.ok(e instanceof FilterSyntaxError && e.code === "UNSUPPORTED", String(e));
      assert.match(e.message, pattern);
      return true;
    });
  expectUnsupported(`${nested} = 1`, /more than 16 scratch memory words/);
  const twelve = Array.from({ length: 12 }, (_, i) => `tcp[${i}] = 1`).join(" or ");
  expectUnsupported(twelve, /needs \d+ instructions, more than the kernel's 4096/, { maxExtHeaders: 16 });
  expectUnsupported("not ".repeat(20000) + "tcp", /nested too deeply|too large to compile/);
  expectUnsupported("(".repeat(20000) + "tcp" + ")".repeat(20000), /nested too deeply/);
});

Deno.test("far jumps go through ja trampolines and the program stays valid", () => {
  const { program } = compileFilter("tcp[0] = 1 or udp[0] = 2 or tcp[1] = 3", { maxExtHeaders: 16 });
  assert.ok(program.length > 256);
  assert.ok(program.some((p) => p.code === 0x05), "expected a ja");
  assert.equal(validateProgram(program), undefined);
});
