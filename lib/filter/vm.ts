/**
 * A classic BPF virtual machine and validator, so that a filter gives the same answer on a file as the
 * kernel gives on a live socket.
 *
 * Semantics follow the kernel and libpcap's `bpf_filter()`: registers A and X and 16 scratch words start at
 * 0; a packet load past the captured bytes ends the program with 0 (reject); `len` is the length on the
 * wire; division or modulo by X = 0 rejects; a shift by X >= 32 gives 0 (libpcap's rule); arithmetic is
 * unsigned 32-bit; an indexed load's X + k is not wrapped (libpcap). An absolute load from the kernel's
 * ancillary-data area (SKF_AD_OFF) reads the packet's {@link PacketAux} metadata: SKF_AD_PKTTYPE,
 * SKF_AD_VLAN_TAG_PRESENT and SKF_AD_VLAN_TAG; any other ancillary load, or one without metadata (a packet
 * from a file), rejects.
 * Indexed loads at negative offsets read as out of bounds.
 *
 * {@link validateProgram} applies the kernel's `bpf_check_classic()` rules: 1 to 4096 instructions, known
 * opcodes, jumps forward and inside the program, scratch indexes below 16, no division by a constant 0,
 * no constant shift of 32 or more, a return as the last instruction, and no scratch word read before some
 * store on every path to it.
 *
 * @module
 */

import { BPF, type BpfInstruction, SKF_AD } from "./opcodes.ts";

/**
 * What a live packet socket knows about a packet besides its bytes, for the kernel's ancillary loads.
 */
export interface PacketAux {
  /** `sll_pkttype`: 0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing (none: the load rejects). */
  pkttype?: number;
  /**
   * 1 when the kernel took a VLAN tag out of the bytes (then `vlanTci` is that tag), else 0 (default: the
   * frames netkit's capture hands over have the tag put back).
   */
  vlanTagPresent?: number;
  /** The TCI of the tag taken out (default 0). */
  vlanTci?: number;
}

/** The value of an ancillary load at `k`, or undefined (the load rejects). */
function ancillary(k: number, aux: PacketAux | undefined): number | undefined {
  if (aux === undefined) return undefined;
  switch (k - SKF_AD.OFF) {
    case SKF_AD.PKTTYPE:
      return aux.pkttype;
    case SKF_AD.VLAN_TAG_PRESENT:
      return aux.vlanTagPresent ?? 0;
    case SKF_AD.VLAN_TAG:
      return aux.vlanTci ?? 0;
  }
  return undefined;
}

/** Why a program is invalid, and where. */
export interface BpfValidationError {
  /** Index of the offending instruction (the program length for whole-program errors). */
  index: number;
  reason: string;
}

const VALID_CODES = new Set<number>([
  BPF.LD | BPF.W | BPF.ABS,
  BPF.LD | BPF.H | BPF.ABS,
  BPF.LD | BPF.B | BPF.ABS,
  BPF.LD | BPF.W | BPF.IND,
  BPF.LD | BPF.H | BPF.IND,
  BPF.LD | BPF.B | BPF.IND,
  BPF.LD | BPF.W | BPF.LEN,
  BPF.LD | BPF.IMM,
  BPF.LD | BPF.MEM,
  BPF.LDX | BPF.W | BPF.IMM,
  BPF.LDX | BPF.W | BPF.MEM,
  BPF.LDX | BPF.W | BPF.LEN,
  BPF.LDX | BPF.B | BPF.MSH,
  BPF.ST,
  BPF.STX,
  BPF.RET | BPF.K,
  BPF.RET | BPF.A,
  BPF.MISC | BPF.TAX,
  BPF.MISC | BPF.TXA,
  BPF.JMP | BPF.JA,
  BPF.ALU | BPF.NEG,
]);
for (const op of [BPF.ADD, BPF.SUB, BPF.MUL, BPF.DIV, BPF.MOD, BPF.AND, BPF.OR, BPF.XOR, BPF.LSH, BPF.RSH]) {
  VALID_CODES.add(BPF.ALU | op | BPF.K);
  VALID_CODES.add(BPF.ALU | op | BPF.X);
}
for (const op of [BPF.JEQ, BPF.JGT, BPF.JGE, BPF.JSET]) {
  VALID_CODES.add(BPF.JMP | op | BPF.K);
  VALID_CODES.add(BPF.JMP | op | BPF.X);
}

const isU8 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 255;
const isU32 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/**
 * Checks a program as the kernel does before attaching it (SO_ATTACH_FILTER).
 *
 * @param program the instructions
 * @returns undefined when valid, else the first problem
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateProgram } from "./vm.ts";
 * assert(validateProgram([{ code: 0x06, jt: 0, jf: 0, k: 0 }]) === undefined);
 * assert(validateProgram([{ code: 0x28, jt: 0, jf: 0, k: 12 }])?.reason === "the last instruction must be a return");
 * ```
 */
export function validateProgram(program: readonly BpfInstruction[]): BpfValidationError | undefined {
  const n = program.length;
  if (n === 0) return { index: 0, reason: "the program is empty" };
  if (n > BPF.MAXINSNS) {
    return { index: n, reason: `the program has ${n} instructions, more than ${BPF.MAXINSNS}` };
  }
  for (let pc = 0; pc < n; pc++) {
    const p = program[pc];
    if (!Number.isInteger(p.code) || !VALID_CODES.has(p.code)) {
      return { index: pc, reason: `unknown opcode 0x${Number(p.code).toString(16)}` };
    }
    if (!isU8(p.jt) || !isU8(p.jf)) {
      return { index: pc, reason: "jump offsets must be integers from 0 to 255" };
    }
    if (!isU32(p.k)) return { index: pc, reason: "k must be an unsigned 32-bit integer" };
    const cls = p.code & 0x07;
    const op = p.code & 0xf0;
    if (cls === BPF.ALU && (p.code & BPF.X) === 0) {
      if ((op === BPF.DIV || op === BPF.MOD) && p.k === 0) {
        return { index: pc, reason: "division by constant zero" };
      }
      if ((op === BPF.LSH || op === BPF.RSH) && p.k >= 32) {
        return { index: pc, reason: "shift by 32 or more" };
      }
    }
    const mode = p.code & 0xe0;
    if (((cls === BPF.LD || cls === BPF.LDX) && mode === BPF.MEM) || cls === BPF.ST || cls === BPF.STX) {
      if (p.k >= BPF.MEMWORDS) {
        return { index: pc, reason: `scratch index ${p.k} is not below ${BPF.MEMWORDS}` };
      }
    }
    if (cls === BPF.JMP) {
      if (op === BPF.JA) {
        if (p.k >= n - pc - 1) return { index: pc, reason: "jump out of the program" };
      } else if (pc + 1 + p.jt >= n || pc + 1 + p.jf >= n) {
        return { index: pc, reason: "jump out of the program" };
      }
    }
  }
  const last = program[n - 1].code;
  if (last !== (BPF.RET | BPF.K) && last !== (BPF.RET | BPF.A)) {
    return { index: n - 1, reason: "the last instruction must be a return" };
  }
  // check_load_and_stores(): every path to a scratch read passes a store to that word.
  const stored: (number | undefined)[] = new Array(n).fill(undefined);
  stored[0] = 0;
  for (let pc = 0; pc < n; pc++) {
    const mask = stored[pc];
    if (mask === undefined) continue; // unreachable
    const p = program[pc];
    const cls = p.code & 0x07;
    let out = mask;
    if ((cls === BPF.LD || cls === BPF.LDX) && (p.code & 0xe0) === BPF.MEM && !(mask & (1 << p.k))) {
      return { index: pc, reason: `scratch word M[${p.k}] is read before any store` };
    }
    if (cls === BPF.ST || cls === BPF.STX) out = mask | (1 << p.k);
    const merge = (to: number) => {
      stored[to] = stored[to] === undefined ? out : stored[to]! & out;
    };
    if (cls === BPF.RET) continue;
    if (cls === BPF.JMP) {
      if ((p.code & 0xf0) === BPF.JA) merge(pc + 1 + p.k);
      else {
        merge(pc + 1 + p.jt);
        merge(pc + 1 + p.jf);
      }
    } else merge(pc + 1);
  }
  return undefined;
}

/**
 * Runs a program on a packet and returns what the kernel would: the number of bytes to keep, 0 to drop.
 *
 * @param program the instructions (run {@link validateProgram} first on untrusted programs)
 * @param packet the captured bytes
 * @param wireLen the length on the wire (`len`); default the captured length
 * @param aux the packet's metadata for ancillary loads (live captures); none: such loads reject
 * @returns the program's return value (an unsigned 32-bit number)
 * @throws {RangeError} only for an invalid program (unknown opcode, jump out of range), never for a packet
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runFilter } from "./vm.ts";
 * // ldh [12]; jeq #0x800 jt 2 jf 3; ret #262144; ret #0  (the program of "ip" on Ethernet)
 * const ip = [
 *   { code: 0x28, jt: 0, jf: 0, k: 12 }, { code: 0x15, jt: 0, jf: 1, k: 0x800 },
 *   { code: 0x06, jt: 0, jf: 0, k: 262144 }, { code: 0x06, jt: 0, jf: 0, k: 0 },
 * ];
 * const frame = new Uint8Array(60);
 * frame[12] = 0x08;
 * assert(runFilter(ip, frame) === 262144);
 * assert(runFilter(ip, frame.subarray(0, 13)) === 0); // truncated: out of bounds rejects
 * ```
 */
export function runFilter(
  program: readonly BpfInstruction[],
  packet: Uint8Array,
  wireLen = packet.length,
  aux?: PacketAux,
): number {
  const buflen = packet.length;
  const mem = new Uint32Array(BPF.MEMWORDS);
  let a = 0;
  let x = 0;
  let pc = 0;
  const n = program.length;
  // Reads `size` bytes at `off` big-endian; -1 when out of bounds.
  const load = (off: number, size: number): number => {
    if (off + size > buflen) return -1;
    if (size === 4) {
      return ((packet[off] << 24) | (packet[off + 1] << 16) | (packet[off + 2] << 8) | packet[off + 3]) >>> 0;
    }
    if (size === 2) return (packet[off] << 8) | packet[off + 1];
    return packet[off];
  };
  while (pc < n) {
    const p = program[pc++];
    const k = p.k >>> 0;
    switch (p.code) {
      case BPF.RET | BPF.K:
        return k;
      case BPF.RET | BPF.A:
        return a >>> 0;
      case BPF.LD | BPF.W | BPF.ABS:
      case BPF.LD | BPF.H | BPF.ABS:
      case BPF.LD | BPF.B | BPF.ABS:
      case BPF.LD | BPF.W | BPF.IND:
      case BPF.LD | BPF.H | BPF.IND:
      case BPF.LD | BPF.B | BPF.IND: {
        const size = (p.code & 0x18) === BPF.W ? 4 : (p.code & 0x18) === BPF.H ? 2 : 1;
        // libpcap's rule: X + k is not wrapped to 32 bits, so a huge X is out of bounds.
        const off = (p.code & 0xe0) === BPF.IND ? x + k : k;
        if (off >= SKF_AD.OFF && (p.code & 0xe0) === BPF.ABS) {
          // The kernel's ancillary data (the load's size does not matter there).
          const v = ancillary(off, aux);
          if (v === undefined) return 0;
          a = v >>> 0;
          break;
        }
        const v = load(off, size);
        if (v < 0) return 0;
        a = v;
        break;
      }
      case BPF.LD | BPF.W | BPF.LEN:
        a = wireLen >>> 0;
        break;
      case BPF.LDX | BPF.W | BPF.LEN:
        x = wireLen >>> 0;
        break;
      case BPF.LD | BPF.IMM:
        a = k;
        break;
      case BPF.LDX | BPF.IMM:
        x = k;
        break;
      case BPF.LD | BPF.MEM:
        a = mem[k & 15];
        break;
      case BPF.LDX | BPF.MEM:
        x = mem[k & 15];
        break;
      case BPF.LDX | BPF.B | BPF.MSH: {
        const v = load(k, 1);
        if (v < 0) return 0;
        x = (v & 0xf) << 2;
        break;
      }
      case BPF.ST:
        mem[k & 15] = a;
        break;
      case BPF.STX:
        mem[k & 15] = x;
        break;
      case BPF.MISC | BPF.TAX:
        x = a;
        break;
      case BPF.MISC | BPF.TXA:
        a = x;
        break;
      case BPF.ALU | BPF.NEG:
        a = (-a) >>> 0;
        break;
      case BPF.JMP | BPF.JA:
        pc += k;
        break;
      default: {
        const cls = p.code & 0x07;
        const src = p.code & BPF.X ? x : k;
        if (cls === BPF.ALU) {
          switch (p.code & 0xf0) {
            case BPF.ADD:
              a = (a + src) >>> 0;
              break;
            case BPF.SUB:
              a = (a - src) >>> 0;
              break;
            case BPF.MUL:
              a = Math.imul(a, src) >>> 0;
              break;
            case BPF.DIV:
              if (src === 0) return 0;
              a = Math.floor(a / src) >>> 0;
              break;
            case BPF.MOD:
              if (src === 0) return 0;
              a = (a % src) >>> 0;
              break;
            case BPF.AND:
              a = (a & src) >>> 0;
              break;
            case BPF.OR:
              a = (a | src) >>> 0;
              break;
            case BPF.XOR:
              a = (a ^ src) >>> 0;
              break;
            case BPF.LSH:
              a = src >= 32 ? 0 : (a << src) >>> 0;
              break;
            case BPF.RSH:
              a = src >= 32 ? 0 : a >>> src;
              break;
            default:
              throw new RangeError(`unknown ALU opcode 0x${p.code.toString(16)} at ${pc - 1}`);
          }
          break;
        }
        if (cls === BPF.JMP) {
          let cond: boolean;
          switch (p.code & 0xf0) {
            case BPF.JEQ:
              cond = a === src;
              break;
            case BPF.JGT:
              cond = a > src;
              break;
            case BPF.JGE:
              cond = a >= src;
              break;
            case BPF.JSET:
              cond = (a & src) !== 0;
              break;
            default:
              throw new RangeError(`unknown jump opcode 0x${p.code.toString(16)} at ${pc - 1}`);
          }
          pc += cond ? p.jt : p.jf;
          break;
        }
        throw new RangeError(`unknown opcode 0x${p.code.toString(16)} at ${pc - 1}`);
      }
    }
  }
  throw new RangeError("the program ran past its end (it does not end with a return)");
}

/**
 * Whether a program accepts a packet (returns non-zero).
 *
 * @param program the instructions
 * @param packet the captured bytes
 * @param wireLen the length on the wire; default the captured length
 * @param aux the packet's metadata for ancillary loads (live captures)
 * @returns true when accepted
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matches } from "./vm.ts";
 * assert(matches([{ code: 0x06, jt: 0, jf: 0, k: 1 }], new Uint8Array(0)));
 * ```
 */
export function matches(
  program: readonly BpfInstruction[],
  packet: Uint8Array,
  wireLen = packet.length,
  aux?: PacketAux,
): boolean {
  return runFilter(program, packet, wireLen, aux) !== 0;
}
