/**
 * The filter compiler's front door: {@link compileFilter} runs lexer -> parser -> code generation and
 * returns the kernel program, an optional user-space check, and an explanation of what runs where.
 *
 * @module
 */

import { type FilterDialect, generateCode, SUPPORTED_LINKTYPES, unsupportedLinkMessage } from "./codegen.ts";
import type { BpfInstruction } from "./opcodes.ts";
import { parseFilter } from "./parser.ts";
import { matches, type PacketAux } from "./vm.ts";

/** Options of {@link compileFilter}. */
export interface CompileOptions {
  /**
   * LINKTYPE_* of the packets: 1 EN10MB (default), 113 LINUX_SLL, 276 LINUX_SLL2, 101 RAW, 0 NULL, 108 LOOP,
   * 9 PPP, 50 PPP_HDLC, 104 C_HDLC, 105 IEEE802_11, 127 IEEE802_11_RADIO (radiotap).
   */
  linktype?: number;
  /**
   * LINKTYPE_NULL only: byte order of the address family word, which libpcap takes from the file being read
   * (pass the reader's `byteOrder`); default this machine's order, as libpcap on a live capture.
   */
  nullByteOrder?: "little" | "big";
  /** Value returned for an accepted packet; default 262144, as libpcap. */
  snaplen?: number;
  /**
   * IPv4 netmask used by `ip broadcast` (a 32-bit number). Default 0, which is what tcpdump uses when it
   * reads a file: `ip broadcast` then matches only 0.0.0.0 and 255.255.255.255 destinations.
   */
  netmask?: number;
  /** `"netkit"` (default) walks IPv6 extension headers; `"libpcap"` generates libpcap 1.10's code. */
  dialect?: FilterDialect;
  /** Extension headers the kernel program walks before handing a packet to user space; default 4. */
  maxExtHeaders?: number;
  /** Run the optimizer (default true). */
  optimize?: boolean;
  /**
   * The program filters a live Linux packet socket (default false: a file). Then `inbound`/`outbound` work
   * on every link type, reading the kernel's packet type (an ancillary load, libpcap's `ldh [type]`); run
   * such a program in user space with the packet's {@link PacketAux}.
   */
  live?: boolean;
}

/** A compiled filter. */
export interface CompiledFilter {
  /** The classic BPF program for the kernel (`struct sock_filter` entries). */
  program: BpfInstruction[];
  /**
   * Present when the kernel program is only a prefilter: a packet it accepts matches only if this also
   * returns true. Runs the same filter with deeper extension-header walks (up to 256 headers).
   */
  userspace?: (packet: Uint8Array, wireLen?: number, aux?: PacketAux) => boolean;
  /** Which part of the expression runs where, in one paragraph. */
  explanation: string;
}

const DEFAULT_SNAPLEN = 262144;
/**
 * Walk depths user space tries in turn. Past the last, a packet counts as not matching the walked
 * primitives (256 extension headers are at least 2 KiB of headers: no real stack sends that).
 */
const USERSPACE_DEPTHS = [16, 64, 256];

/**
 * Compiles a pcap-filter expression to classic BPF.
 *
 * @param expression the filter, e.g. `"tcp port 80 and not host 10.0.0.1"`; `""` accepts everything
 * @param options link type, snapshot length, dialect
 * @returns the program, the optional user-space check and the explanation
 * @throws {FilterSyntaxError} for a bad or unsupported expression (with the column)
 * @throws {RangeError} for an unsupported link type or a bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFilter } from "./compile.ts";
 * import { matches, type PacketAux } from "./vm.ts";
 * const { program } = compileFilter("ip", { linktype: 1 });
 * const frame = new Uint8Array(34);
 * frame[12] = 0x08; // EtherType 0x0800
 * assert(matches(program, frame));
 * ```
 */
export function compileFilter(expression: string, options: CompileOptions = {}): CompiledFilter {
  const linktype = options.linktype ?? 1;
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  const dialect = options.dialect ?? "netkit";
  const maxExtHeaders = options.maxExtHeaders ?? 4;
  if (!SUPPORTED_LINKTYPES.includes(linktype)) {
    throw new RangeError(unsupportedLinkMessage(linktype));
  }
  if (!Number.isInteger(snaplen) || snaplen <= 0 || snaplen > 0xffffffff) {
    throw new RangeError(`snaplen must be a positive 32-bit integer, not ${snaplen}`);
  }
  if (dialect !== "netkit" && dialect !== "libpcap") throw new RangeError(`unknown dialect '${dialect}'`);
  const nullByteOrder = options.nullByteOrder;
  if (nullByteOrder !== undefined && nullByteOrder !== "little" && nullByteOrder !== "big") {
    throw new RangeError(`nullByteOrder must be "little" or "big", not ${nullByteOrder}`);
  }
  if (!Number.isInteger(maxExtHeaders) || maxExtHeaders < 0 || maxExtHeaders > 16) {
    throw new RangeError(`maxExtHeaders must be an integer from 0 to 16, not ${maxExtHeaders}`);
  }
  if (expression.trim() === "") {
    return {
      program: [{ code: 0x06, jt: 0, jf: 0, k: snaplen }],
      explanation: "kernel: an empty filter accepts every packet (1 instruction).",
    };
  }
  const ast = parseFilter(expression);
  const base = {
    linktype,
    snaplen,
    netmask: (options.netmask ?? 0) >>> 0,
    dialect,
    optimize: options.optimize ?? true,
    nullByteOrder,
    live: options.live ?? false,
  };
  const result = generateCode(ast, expression, { ...base, maxExtHeaders, forKernel: true });
  const size = `${result.program.length} instruction${result.program.length === 1 ? "" : "s"}`;
  if (!result.needsUserspace) {
    const note = dialect === "libpcap"
      ? " (libpcap dialect: IPv6 transport fields are read right after the fixed header)"
      : "";
    return { program: result.program, explanation: `kernel: the whole expression (${size})${note}.` };
  }
  const where = result.walkedPrimitives.map((w) => `${w.kind} at column ${w.offset + 1}`).join(", ");
  const explanation = `kernel: the whole expression (${size}), walking up to ${maxExtHeaders} IPv6 ` +
    `extension headers for ${where}; user space: a packet with more extension headers than that passes ` +
    `the kernel as a candidate and is decided by the same expression with a deeper walk.`;
  // User space: the same tree compiled twice per depth, counting a too-deep walk once as a match and once
  // as no match. When both agree the walk was deep enough and the verdict is exact; else go deeper.
  const deep = new Map<string, BpfInstruction[]>();
  const program = (depth: number, overflow: "over" | "under"): BpfInstruction[] => {
    let p = deep.get(`${depth}${overflow}`);
    if (!p) {
      p =
        generateCode(ast, expression, { ...base, maxExtHeaders: depth, overflow, forKernel: false }).program;
      deep.set(`${depth}${overflow}`, p);
    }
    return p;
  };
  const userspace = (packet: Uint8Array, wireLen = packet.length, aux?: PacketAux): boolean => {
    let verdict = false;
    for (const depth of USERSPACE_DEPTHS) {
      const over = matches(program(depth, "over"), packet, wireLen, aux);
      verdict = matches(program(depth, "under"), packet, wireLen, aux);
      if (over === verdict) break;
    }
    return verdict;
  };
  return { program: result.program, userspace, explanation };
}

/**
 * Whether a compiled filter accepts a packet: its program, then its user-space check if it has one.
 *
 * @param filter what {@link compileFilter} returned
 * @param packet the captured bytes
 * @param wireLen the length on the wire; default the captured length
 * @param aux the packet's metadata, for a program compiled with `live` (see {@link PacketAux})
 * @returns true when the packet matches
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFilter, filterAccepts } from "./compile.ts";
 * const f = compileFilter("tcp", { linktype: 101 });
 * const ip6 = new Uint8Array(60);
 * ip6[0] = 0x60; // IPv6, next header: hop-by-hop options (0), which then says TCP (6)
 * ip6[6] = 0;
 * ip6[40] = 6;
 * assert(filterAccepts(f, ip6));
 * ```
 */
export function filterAccepts(
  filter: CompiledFilter,
  packet: Uint8Array,
  wireLen = packet.length,
  aux?: PacketAux,
): boolean {
  if (!matches(filter.program, packet, wireLen, aux)) return false;
  return filter.userspace ? filter.userspace(packet, wireLen, aux) : true;
}

/**
 * Says which part of an expression runs in the kernel and which in user space (the CLI's `--explain`).
 *
 * @param expression the filter
 * @param options as for {@link compileFilter}
 * @returns the explanation
 * @throws {FilterSyntaxError} for a bad expression
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explain } from "./compile.ts";
 * assert(explain("arp").startsWith("kernel: the whole expression"));
 * ```
 */
export function explain(expression: string, options: CompileOptions = {}): string {
  return compileFilter(expression, options).explanation;
}
