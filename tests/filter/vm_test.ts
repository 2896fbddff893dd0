/**
 * The BPF virtual machine, one test per opcode family, the kernel-like validator's rejections, and a seeded
 * random-bytes test: the VM never throws on any packet for any compiled expression.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  BPF,
  type BpfInstruction,
  compileFilter,
  filterAccepts,
  matches,
  runFilter,
  validateProgram,
} from "../../lib/filter/mod.ts";

const I = (code: number, k = 0, jt = 0, jf = 0): BpfInstruction => ({ code, jt, jf, k });
const RET_A = I(BPF.RET | BPF.A);
const RET_K = (k: number) => I(BPF.RET | BPF.K, k);
const PKT = Uint8Array.from({ length: 64 }, (_, i) => i);

/** Runs `body` then `ret a` and returns A. */
function a(body: BpfInstruction[], packet = PKT, wireLen = packet.length): number {
  const program = [...body, RET_A];
  assert.equal(validateProgram(program), undefined);
  return runFilter(program, packet, wireLen);
}

Deno.test("ld/ldh/ldb absolute read big-endian words, halves and bytes", () => {
  assert.equal(a([I(BPF.LD | BPF.W | BPF.ABS, 4)]), 0x04050607);
  assert.equal(a([I(BPF.LD | BPF.H | BPF.ABS, 10)]), 0x0a0b);
  assert.equal(a([I(BPF.LD | BPF.B | BPF.ABS, 63)]), 63);
  assert.equal(a([I(BPF.LD | BPF.W | BPF.ABS, 0)], Uint8Array.of(0xff, 0xff, 0xff, 0xfe)), 0xfffffffe);
});

Deno.test("an absolute load past the captured bytes rejects the packet", () => {
  assert.equal(a([I(BPF.LD | BPF.W | BPF.ABS, 61)]), 0);
  assert.equal(a([I(BPF.LD | BPF.H | BPF.ABS, 63)]), 0);
  assert.equal(a([I(BPF.LD | BPF.B | BPF.ABS, 64)]), 0);
  assert.equal(a([I(BPF.LD | BPF.B | BPF.ABS, 0xffffffff)]), 0);
  // the captured length counts, not the wire length
  assert.equal(a([I(BPF.LD | BPF.B | BPF.ABS, 64)], PKT, 1500), 0);
});

Deno.test("indirect loads add X, and reject out of bounds and on X + k overflow", () => {
  assert.equal(a([I(BPF.LDX | BPF.IMM, 8), I(BPF.LD | BPF.W | BPF.IND, 2)]), 0x0a0b0c0d);
  assert.equal(a([I(BPF.LDX | BPF.IMM, 8), I(BPF.LD | BPF.H | BPF.IND, 2)]), 0x0a0b);
  assert.equal(a([I(BPF.LDX | BPF.IMM, 8), I(BPF.LD | BPF.B | BPF.IND, 2)]), 10);
  assert.equal(a([I(BPF.LDX | BPF.IMM, 60), I(BPF.LD | BPF.W | BPF.IND, 2)]), 0);
  assert.equal(a([I(BPF.LDX | BPF.IMM, 0xffffffff), I(BPF.LD | BPF.B | BPF.IND, 2)]), 0);
});

Deno.test("len loads the wire length into A or X", () => {
  assert.equal(a([I(BPF.LD | BPF.W | BPF.LEN)], PKT, 1514), 1514);
  assert.equal(a([I(BPF.LDX | BPF.W | BPF.LEN), I(BPF.MISC | BPF.TXA)], PKT, 99), 99);
});

Deno.test("immediate loads, and ldxb msh takes 4 * the low nibble", () => {
  assert.equal(a([I(BPF.LD | BPF.IMM, 0xdeadbeef)]), 0xdeadbeef);
  assert.equal(a([I(BPF.LDX | BPF.IMM, 7), I(BPF.MISC | BPF.TXA)]), 7);
  const ip = Uint8Array.of(0x46, 0, 0);
  assert.equal(a([I(BPF.LDX | BPF.B | BPF.MSH, 0), I(BPF.MISC | BPF.TXA)], ip), 24);
  assert.equal(a([I(BPF.LDX | BPF.B | BPF.MSH, 3), I(BPF.MISC | BPF.TXA)], ip), 0, "out of bounds rejects");
});

Deno.test("st/stx and ld/ldx M[] move words through scratch memory", () => {
  assert.equal(a([I(BPF.LD | BPF.IMM, 5), I(BPF.ST, 3), I(BPF.LD | BPF.IMM, 0), I(BPF.LD | BPF.MEM, 3)]), 5);
  assert.equal(
    a([I(BPF.LDX | BPF.IMM, 9), I(BPF.STX, 15), I(BPF.LDX | BPF.MEM, 15), I(BPF.MISC | BPF.TXA)]),
    9,
  );
});

Deno.test("tax and txa copy between A and X", () => {
  assert.equal(
    a([I(BPF.LD | BPF.IMM, 42), I(BPF.MISC | BPF.TAX), I(BPF.LD | BPF.IMM, 0), I(BPF.MISC | BPF.TXA)]),
    42,
  );
});

Deno.test("every ALU operation with K and with X, in unsigned 32-bit arithmetic", () => {
  const cases: [number, number, number, number][] = [
    [BPF.ADD, 0xffffffff, 2, 1],
    [BPF.SUB, 1, 2, 0xffffffff],
    [BPF.MUL, 0x10000, 0x10000, 0],
    [BPF.MUL, 7, 6, 42],
    [BPF.DIV, 100, 7, 14],
    [BPF.DIV, 0xffffffff, 2, 0x7fffffff],
    [BPF.MOD, 100, 7, 2],
    [BPF.AND, 0xf0f0, 0xff00, 0xf000],
    [BPF.OR, 0xf0, 0x0f, 0xff],
    [BPF.XOR, 0xff, 0x0f, 0xf0],
    [BPF.LSH, 1, 31, 0x80000000],
    [BPF.RSH, 0x80000000, 31, 1],
  ];
  for (const [op, x, y, want] of cases) {
    assert.equal(a([I(BPF.LD | BPF.IMM, x), I(BPF.ALU | op | BPF.K, y)]), want, `op ${op} K`);
    assert.equal(
      a([I(BPF.LDX | BPF.IMM, y), I(BPF.LD | BPF.IMM, x), I(BPF.ALU | op | BPF.X)]),
      want,
      `op ${op} X`,
    );
  }
  assert.equal(a([I(BPF.LD | BPF.IMM, 5), I(BPF.ALU | BPF.NEG)]), 0xfffffffb);
});

Deno.test("division and modulo by X = 0 reject the packet; shifts by X >= 32 give 0", () => {
  for (const op of [BPF.DIV, BPF.MOD]) {
    assert.equal(runFilter([I(BPF.LD | BPF.IMM, 9), I(BPF.ALU | op | BPF.X), RET_K(1)], PKT), 0);
  }
  assert.equal(a([I(BPF.LDX | BPF.IMM, 32), I(BPF.LD | BPF.IMM, 1), I(BPF.ALU | BPF.LSH | BPF.X)]), 0);
  assert.equal(a([I(BPF.LDX | BPF.IMM, 40), I(BPF.LD | BPF.IMM, 1), I(BPF.ALU | BPF.RSH | BPF.X)]), 0);
});

Deno.test("conditional jumps with K and X take jt or jf; ja skips k instructions", () => {
  const jump = (op: number, av: number, k: number, src: number = BPF.K) => {
    const load = src === BPF.X ? [I(BPF.LDX | BPF.IMM, k)] : [];
    return runFilter(
      [...load, I(BPF.LD | BPF.IMM, av), I(BPF.JMP | op | src, k, 0, 1), RET_K(1), RET_K(2)],
      PKT,
    );
  };
  for (const src of [BPF.K, BPF.X]) {
    assert.equal(jump(BPF.JEQ, 5, 5, src), 1);
    assert.equal(jump(BPF.JEQ, 5, 6, src), 2);
    assert.equal(jump(BPF.JGT, 6, 5, src), 1);
    assert.equal(jump(BPF.JGT, 5, 5, src), 2);
    assert.equal(jump(BPF.JGE, 5, 5, src), 1);
    assert.equal(jump(BPF.JGE, 4, 5, src), 2);
    assert.equal(jump(BPF.JSET, 6, 2, src), 1);
    assert.equal(jump(BPF.JSET, 5, 2, src), 2);
    assert.equal(jump(BPF.JGT, 0xffffffff, 1, src), 1, "comparisons are unsigned");
  }
  assert.equal(runFilter([I(BPF.JMP | BPF.JA, 1), RET_K(1), RET_K(2)], PKT), 2);
});

Deno.test("ret k returns k, ret a returns A; matches() is ret != 0", () => {
  assert.equal(runFilter([RET_K(262144)], PKT), 262144);
  assert.equal(a([I(BPF.LD | BPF.IMM, 3)]), 3);
  assert.equal(matches([RET_K(0)], PKT), false);
  assert.equal(matches([RET_K(1)], PKT), true);
});

Deno.test("runFilter() throws a RangeError for an invalid program, never for a packet", () => {
  assert.throws(() => runFilter([I(0xff)], PKT), RangeError);
  assert.throws(() => runFilter([I(BPF.LD | BPF.IMM, 1)], PKT), RangeError);
});

Deno.test("validateProgram() rejects what the kernel rejects", () => {
  const bad: [BpfInstruction[], RegExp][] = [
    [[], /empty/],
    [Array.from({ length: 4097 }, () => RET_K(0)), /more than 4096/],
    [[I(0xff), RET_K(0)], /unknown opcode 0xff/],
    [[I(BPF.RET | BPF.X)], /unknown opcode/],
    [[I(BPF.LD | BPF.IMM, 1)], /last instruction must be a return/],
    [[I(BPF.JMP | BPF.JEQ | BPF.K, 0, 5, 0), RET_K(0)], /jump out of the program/],
    [[I(BPF.JMP | BPF.JEQ | BPF.K, 0, 0, 1), RET_K(0)], /jump out of the program/],
    [[I(BPF.JMP | BPF.JA, 1), RET_K(0)], /jump out of the program/],
    [[I(BPF.JMP | BPF.JEQ | BPF.K, 0, -1, 0), RET_K(0)], /jump offsets must be integers/],
    [[I(BPF.JMP | BPF.JEQ | BPF.K, 0, 256, 0), RET_K(0)], /jump offsets/],
    [[I(BPF.LD | BPF.IMM, 2 ** 32), RET_K(0)], /unsigned 32-bit/],
    [[I(BPF.ALU | BPF.DIV | BPF.K, 0), RET_K(0)], /division by constant zero/],
    [[I(BPF.ALU | BPF.MOD | BPF.K, 0), RET_K(0)], /division by constant zero/],
    [[I(BPF.ALU | BPF.LSH | BPF.K, 32), RET_K(0)], /shift by 32/],
    [[I(BPF.ST, 16), RET_K(0)], /scratch index 16/],
    [[I(BPF.LD | BPF.MEM, 0), RET_K(0)], /M\[0\] is read before any store/],
    [
      [I(BPF.JMP | BPF.JEQ | BPF.K, 1, 0, 1), I(BPF.ST, 2), I(BPF.LDX | BPF.MEM, 2), RET_K(0)],
      /M\[2\] is read before/,
    ],
  ];
  for (const [program, reason] of bad) {
    const err = validateProgram(program);
    assert.ok(err, `accepted: ${JSON.stringify(program.slice(0, 3))}`);
    assert.match(err.reason, reason);
  }
  assert.equal(
    validateProgram([I(BPF.LD | BPF.IMM, 1), I(BPF.ST, 2), I(BPF.LDX | BPF.MEM, 2), RET_A]),
    undefined,
  );
});

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const FUZZ_EXPRESSIONS = [
  "tcp port 80",
  "udp and not port 53",
  "host 10.0.0.1 or net 192.168.0.0/16",
  "ip6 net 2001:db8::/32 and tcp",
  "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn",
  "tcp[(tcp[12] >> 4) * 4] = 0x47",
  "icmp6[icmp6type] = icmp6-echo",
  "vlan 10 and ip",
  "ip[2:2] / ip[8] > 3",
  "udp[4:2] % (ip[8] - 64) = 1",
  "portrange 1000-2000 or less 60",
  "ether broadcast or ether multicast",
  "sctp or igmp or arp",
  "not (tcp or udp) and ip6",
];

Deno.test("the VM never throws on random bytes for any compiled expression, on every link type", () => {
  const rand = rng(0x5eed);
  const programs = FUZZ_EXPRESSIONS.flatMap((e) =>
    [1, 113, 276, 101].flatMap((linktype) => {
      try {
        return [compileFilter(e, { linktype }), compileFilter(e, { linktype, dialect: "libpcap" })];
      } catch {
        return []; // vlan/ether on a cooked link: refused at compile time
      }
    })
  );
  assert.ok(programs.length > 80);
  let accepted = 0;
  for (let n = 0; n < 3000; n++) {
    const len = Math.floor(rand() * 120);
    const packet = Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
    // Make some packets look like IPv4/IPv6 over Ethernet so deeper code runs too.
    if (len > 14 && rand() < 0.5) {
      packet[12] = rand() < 0.5 ? 0x08 : 0x86;
      packet[13] = packet[12] === 0x08 ? 0x00 : 0xdd;
      packet[14] = packet[12] === 0x08 ? 0x45 : 0x60;
      if (len > 20 && rand() < 0.5) packet[20] = [0, 43, 44, 60, 6, 17][Math.floor(rand() * 6)];
    }
    for (const f of programs) if (filterAccepts(f, packet, len + Math.floor(rand() * 3))) accepted++;
  }
  assert.ok(accepted > 0, "some random packets should match something");
});

Deno.test("the optimizer changes no verdict: optimized and raw programs agree on random packets", () => {
  const rand = rng(0xc0ffee);
  const pairs = FUZZ_EXPRESSIONS.flatMap((e) =>
    (["netkit", "libpcap"] as const).map((dialect) => ({
      e,
      fast: compileFilter(e, { dialect, maxExtHeaders: 2 }).program,
      raw: compileFilter(e, { dialect, maxExtHeaders: 2, optimize: false }).program,
    }))
  );
  let differ = 0;
  for (let n = 0; n < 3000; n++) {
    const len = 14 + Math.floor(rand() * 100);
    const packet = Uint8Array.from(
      { length: len },
      () => Math.floor(rand() * 4) === 0 ? Math.floor(rand() * 256) : 0,
    );
    packet[12] = [0x08, 0x86, 0x81][Math.floor(rand() * 3)];
    packet[13] = packet[12] === 0x08 ? 0 : packet[12] === 0x86 ? 0xdd : 0;
    packet[14] = packet[12] === 0x08 ? 0x45 : 0x60;
    if (rand() < 0.5) packet[20] = [0, 43, 44, 60, 6, 17, 58][Math.floor(rand() * 7)];
    if (rand() < 0.5) packet[23] = [6, 17, 1, 2, 132][Math.floor(rand() * 5)];
    for (const { e, fast, raw } of pairs) {
      if (matches(fast, packet) !== matches(raw, packet)) {
        differ++;
        assert.fail(
          `'${e}' differs on ${Array.from(packet, (b) => b.toString(16).padStart(2, "0")).join("")}`,
        );
      }
    }
  }
  assert.equal(differ, 0);
});
