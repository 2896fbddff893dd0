/**
 * The lexer of the pcap-filter language: turns an expression into tokens (numbers in decimal, hex `0x..`
 * and octal `0..`; IPv4 addresses, full or partial like `10.1`; IPv6 addresses; MAC addresses; keywords and
 * names such as `tcp-syn`; `\name` escapes; operators). Each token keeps its offset for error messages.
 *
 * @module
 */

import { FilterSyntaxError } from "./errors.ts";

/** The kinds of token. */
export type TokenKind =
  | "number"
  | "ipv4"
  | "ipv6"
  | "mac"
  /** Two dotted decimal numbers that are no IPv4 address, such as a DECnet `area.node` (`63.1023`). */
  | "dotted"
  | "word"
  | "escaped"
  | "op"
  | "end";

/** One token: its kind, its text as written, its offset, and a decoded value where it has one. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly offset: number;
  /** number: its value; ipv4: the address as a 32-bit number with the parts given left-aligned. */
  readonly value?: number;
  /** ipv4: how many dotted parts were written (1 to 4). */
  readonly parts?: number;
  /** ipv6: 16 bytes; mac: 6 bytes. */
  readonly bytes?: Uint8Array;
}

const OPERATORS = [
  "&&",
  "||",
  "<<",
  ">>",
  "==",
  "!=",
  "<=",
  ">=",
  "(",
  ")",
  "[",
  "]",
  ":",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "=",
  "<",
  ">",
  "!",
];

const MAC_RE = /^[0-9a-fA-F]{1,2}([:.-])[0-9a-fA-F]{1,2}(?:\1[0-9a-fA-F]{1,2}){4}(?![0-9A-Za-z:._-])/;
const V6_RE = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*/;

/**
 * Parses the text of an IPv6 address (with `::` and an optional dotted IPv4 tail).
 *
 * @param text the address
 * @returns 16 bytes, or undefined when it is not an IPv6 address
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIpv6Text } from "./lexer.ts";
 * assert(parseIpv6Text("::1")![15] === 1);
 * assert(parseIpv6Text("1:2") === undefined);
 * ```
 */
export function parseIpv6Text(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    const parts = s.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = p.split(".");
        if (v4.length !== 4 || v4.some((q) => !/^\d{1,3}$/.test(q) || Number(q) > 255)) return undefined;
        out.push((Number(v4[0]) << 8) | Number(v4[1]), (Number(v4[2]) << 8) | Number(v4[3]));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let all: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    all = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

function parseNumberText(text: string): number | undefined {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) v = parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) v = parseInt(text, 10);
  else return undefined;
  return v;
}

/**
 * Splits a filter expression into tokens, ending with one `end` token.
 *
 * @param expression the filter expression
 * @returns the tokens
 * @throws {FilterSyntaxError} on a character or number the language does not have
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * const kinds = tokenize("tcp[13] & 0x12 != 0").map((t) => t.kind);
 * assert(kinds.join(" ") === "word op number op op number op number end");
 * ```
 */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let depth = 0; // inside [ ], a colon separates an offset from a size
  const fail = (reason: string, at: number, code: "BAD_VALUE" | "UNEXPECTED_TOKEN" = "BAD_VALUE"): never => {
    throw new FilterSyntaxError(reason, expression, at, code);
  };
  while (i < expression.length) {
    const c = expression[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = expression.slice(i);
    // MAC and IPv6 addresses first: they can start with a digit or a letter.
    const mac = MAC_RE.exec(rest);
    if (mac) {
      const bytes = Uint8Array.from(mac[0].split(mac[1]).map((h) => parseInt(h, 16)));
      tokens.push({ kind: "mac", text: mac[0], offset: i, bytes });
      i += mac[0].length;
      continue;
    }
    if (depth === 0) {
      const v6 = V6_RE.exec(rest);
      if (v6 && (v6[0].match(/:/g)?.length ?? 0) >= 2 && !/^[0-9A-Za-z]/.test(rest.slice(v6[0].length))) {
        const bytes = parseIpv6Text(v6[0]);
        if (!bytes) fail(`bad IPv6 address '${v6[0]}'`, i);
        tokens.push({ kind: "ipv6", text: v6[0], offset: i, bytes });
        i += v6[0].length;
        continue;
      }
    }
    if (/[0-9]/.test(c)) {
      const text = /^[0-9][0-9A-Za-z.]*/.exec(rest)![0];
      if (text.includes(".")) {
        const parts = text.split(".");
        if (/^\d+\.\d+$/.test(text) && parts.some((p) => p.length > 3 || Number(p) > 255)) {
          tokens.push({ kind: "dotted", text, offset: i });
          i += text.length;
          continue;
        }
        if (parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
          fail(`bad IPv4 address '${text}'`, i);
        }
        let v = 0;
        for (let k = 0; k < 4; k++) v = v * 256 + (k < parts.length ? Number(parts[k]) : 0);
        tokens.push({ kind: "ipv4", text, offset: i, value: v, parts: parts.length });
      } else {
        const v = parseNumberText(text);
        if (v === undefined) fail(`bad number '${text}'`, i);
        if (v! > 0xffffffff) fail(`number '${text}' does not fit in 32 bits`, i);
        tokens.push({ kind: "number", text, offset: i, value: v });
      }
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      // A name may hold '-', '.' and '_' inside (tcp-syn, icmp-echoreply) but not at its end.
      const text = /^[A-Za-z_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?/.exec(rest)![0];
      tokens.push({ kind: "word", text, offset: i });
      i += text.length;
      continue;
    }
    if (c === "\\") {
      const m = /^\\([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/.exec(rest);
      if (!m) fail("expected a name after '\\'", i, "UNEXPECTED_TOKEN");
      tokens.push({ kind: "escaped", text: m![1], offset: i });
      i += m![0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) fail(`unexpected character '${c}'`, i, "UNEXPECTED_TOKEN");
    if (op === "[") depth++;
    if (op === "]") depth = Math.max(0, depth - 1);
    tokens.push({ kind: "op", text: op!, offset: i });
    i += op!.length;
  }
  tokens.push({ kind: "end", text: "", offset: expression.length });
  return tokens;
}
