/**
 * Listings of a classic BPF program in tcpdump's three formats: `-d` (readable, libpcap's `bpf_image`),
 * `-dd` (C array initialisers) and `-ddd` (decimal, the count first).
 *
 * @module
 */

import { BPF, type BpfInstruction, SKF_AD } from "./opcodes.ts";

const hex = (v: number) => `#0x${(v >>> 0).toString(16)}`;

/** libpcap's names of the kernel's ancillary loads (bpf_image), by offset from SKF_AD_OFF. */
const ANCILLARY: Readonly<Record<number, string>> = {
  0: "proto",
  4: "type",
  8: "ifidx",
  12: "nla",
  16: "nlan",
  20: "mark",
  24: "queue",
  28: "hatype",
  32: "rxhash",
  36: "cpu",
  40: "xor_x",
  44: "vlan_tci",
  48: "vlanp",
  52: "poff",
  56: "random",
  60: "vlan_tpid",
};

/** An absolute load's operand: `[12]`, or an ancillary load's name (`[type]`). */
function absOperand(k: number): string {
  const name = (k >>> 0) >= SKF_AD.OFF ? ANCILLARY[(k >>> 0) - SKF_AD.OFF] : undefined;
  return `[${name ?? (k | 0)}]`;
}
const dec = (v: number) => `#${v | 0}`;

function opAndOperand(p: BpfInstruction, n: number): [string, string] {
  const c = p.code;
  switch (c) {
    case BPF.RET | BPF.K:
      return ["ret", dec(p.k)];
    case BPF.RET | BPF.A:
      return ["ret", "a"];
    case BPF.RET | BPF.X:
      return ["ret", "x"];
    case BPF.LD | BPF.W | BPF.ABS:
      return ["ld", absOperand(p.k)];
    case BPF.LD | BPF.H | BPF.ABS:
      return ["ldh", absOperand(p.k)];
    case BPF.LD | BPF.B | BPF.ABS:
      return ["ldb", absOperand(p.k)];
    case BPF.LD | BPF.W | BPF.LEN:
      return ["ld", "#pktlen"];
    case BPF.LD | BPF.W | BPF.IND:
      return ["ld", `[x + ${p.k | 0}]`];
    case BPF.LD | BPF.H | BPF.IND:
      return ["ldh", `[x + ${p.k | 0}]`];
    case BPF.LD | BPF.B | BPF.IND:
      return ["ldb", `[x + ${p.k | 0}]`];
    case BPF.LD | BPF.IMM:
      return ["ld", hex(p.k)];
    case BPF.LDX | BPF.IMM:
      return ["ldx", hex(p.k)];
    case BPF.LDX | BPF.W | BPF.LEN:
      return ["ldx", "#pktlen"];
    case BPF.LDX | BPF.MSH | BPF.B:
      return ["ldxb", `4*([${p.k | 0}]&0xf)`];
    case BPF.LD | BPF.MEM:
      return ["ld", `M[${p.k | 0}]`];
    case BPF.LDX | BPF.MEM:
      return ["ldx", `M[${p.k | 0}]`];
    case BPF.ST:
      return ["st", `M[${p.k | 0}]`];
    case BPF.STX:
      return ["stx", `M[${p.k | 0}]`];
    case BPF.JMP | BPF.JA:
      return ["ja", `${n + 1 + p.k}`];
    case BPF.ALU | BPF.NEG:
      return ["neg", ""];
    case BPF.MISC | BPF.TAX:
      return ["tax", ""];
    case BPF.MISC | BPF.TXA:
      return ["txa", ""];
  }
  if ((c & 0x07) === BPF.JMP) {
    const name = ({ [BPF.JEQ]: "jeq", [BPF.JGT]: "jgt", [BPF.JGE]: "jge", [BPF.JSET]: "jset" } as Record<
      number,
      string
    >)[
      c & 0xf0
    ];
    if (name && (c & ~0xf8) === BPF.JMP) return [name, c & BPF.X ? "x" : hex(p.k)];
  }
  if ((c & 0x07) === BPF.ALU) {
    const names: Record<number, [string, (v: number) => string]> = {
      [BPF.ADD]: ["add", dec],
      [BPF.SUB]: ["sub", dec],
      [BPF.MUL]: ["mul", dec],
      [BPF.DIV]: ["div", dec],
      [BPF.MOD]: ["mod", dec],
      [BPF.AND]: ["and", hex],
      [BPF.OR]: ["or", hex],
      [BPF.XOR]: ["xor", hex],
      [BPF.LSH]: ["lsh", dec],
      [BPF.RSH]: ["rsh", dec],
    };
    const entry = names[c & 0xf0];
    if (entry && (c & ~0xf8) === BPF.ALU) return [entry[0], c & BPF.X ? "x" : entry[1](p.k)];
  }
  return ["unimp", `0x${c.toString(16)}`];
}

/**
 * One instruction as `tcpdump -d` prints it.
 *
 * @param insn the instruction
 * @param n its index in the program
 * @returns e.g. `(000) ldh      [12]`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatInstruction } from "./disasm.ts";
 * assert(formatInstruction({ code: 0x28, jt: 0, jf: 0, k: 12 }, 0) === "(000) ldh      [12]");
 * ```
 */
export function formatInstruction(insn: BpfInstruction, n: number): string {
  const [op, operand] = opAndOperand(insn, n);
  const idx = String(n).padStart(3, "0");
  if ((insn.code & 0x07) === BPF.JMP && (insn.code & 0xf0) !== BPF.JA) {
    return `(${idx}) ${op.padEnd(8)} ${operand.padEnd(16)} jt ${n + 1 + insn.jt}\tjf ${n + 1 + insn.jf}`;
  }
  return `(${idx}) ${op.padEnd(8)} ${operand}`;
}

/**
 * The `tcpdump -d` listing of a program.
 *
 * @param program the instructions
 * @returns one line per instruction, each ending with `\n`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { disassemble } from "./disasm.ts";
 * const text = disassemble([{ code: 0x06, jt: 0, jf: 0, k: 262144 }]);
 * assert(text === "(000) ret      #262144\n");
 * ```
 */
export function disassemble(program: readonly BpfInstruction[]): string {
  return program.map((p, i) => formatInstruction(p, i) + "\n").join("");
}

/**
 * The `tcpdump -dd` listing: C initialisers of `struct sock_filter`.
 *
 * @param program the instructions
 * @returns one `{ 0x28, 0, 0, 0x0000000c },` line per instruction
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dumpC } from "./disasm.ts";
 * assert(dumpC([{ code: 0x28, jt: 0, jf: 0, k: 12 }]) === "{ 0x28, 0, 0, 0x0000000c },\n");
 * ```
 */
export function dumpC(program: readonly BpfInstruction[]): string {
  return program.map((p) =>
    `{ 0x${p.code.toString(16)}, ${p.jt}, ${p.jf}, 0x${(p.k >>> 0).toString(16).padStart(8, "0")} },\n`
  ).join("");
}

/**
 * The `tcpdump -ddd` listing: the instruction count, then `code jt jf k` in decimal per line.
 *
 * @param program the instructions
 * @returns the listing
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dumpDecimal } from "./disasm.ts";
 * assert(dumpDecimal([{ code: 6, jt: 0, jf: 0, k: 0 }]) === "1\n6 0 0 0\n");
 * ```
 */
export function dumpDecimal(program: readonly BpfInstruction[]): string {
  return `${program.length}\n` + program.map((p) => `${p.code} ${p.jt} ${p.jf} ${p.k >>> 0}\n`).join("");
}
