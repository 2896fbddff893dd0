/**
 * The pcap-filter language compiled to classic BPF, in libpcap's phases (lexer -> parser -> syntax tree
 * -> code generation), a BPF virtual machine and validator that give files the kernel's semantics, and
 * tcpdump's `-d`/`-dd`/`-ddd` listings. Pure: no `Deno.*`, no FFI.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFilter, disassemble, filterAccepts } from "./mod.ts";
 * const f = compileFilter("ip6", { linktype: 1 });
 * assert(disassemble(f.program).startsWith("(000) ldh      [12]"));
 * assert(!filterAccepts(f, new Uint8Array(60)));
 * ```
 *
 * @module
 */

export type { AddressValue, ArithNode, Direction, FilterNode, ProtoName, RelOp } from "./ast.ts";
export {
  type CompiledFilter,
  compileFilter,
  type CompileOptions,
  explain,
  filterAccepts,
} from "./compile.ts";
export {
  type CodegenOptions,
  type CodegenResult,
  type FilterDialect,
  generateCode,
  SUPPORTED_LINKTYPES,
} from "./codegen.ts";
export { disassemble, dumpC, dumpDecimal, formatInstruction } from "./disasm.ts";
export { type FilterErrorCode, FilterSyntaxError, formatFilterError } from "./errors.ts";
export { parseIpv6Text, type Token, tokenize, type TokenKind } from "./lexer.ts";
export { BPF, type BpfInstruction, SKF_AD } from "./opcodes.ts";
export { ETHER_PROTOCOL_NAMES, FILTER_CONSTANTS, IP_PROTOCOL_NAMES, parseFilter } from "./parser.ts";
export { type BpfValidationError, matches, type PacketAux, runFilter, validateProgram } from "./vm.ts";
