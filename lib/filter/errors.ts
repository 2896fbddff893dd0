/**
 * Errors of the filter compiler: {@link FilterSyntaxError} for a bad expression (with the offset and the
 * 1-based column of the problem) and {@link formatFilterError}, which prints the expression with a caret
 * under the problem for a command-line tool.
 *
 * @module
 */

/** Stable codes of {@link FilterSyntaxError}. */
export type FilterErrorCode =
  /** A token where another was expected, or an unknown keyword. */
  | "UNEXPECTED_TOKEN"
  /** The expression ended where more was expected. */
  | "UNEXPECTED_END"
  /** A malformed number, address or network. */
  | "BAD_VALUE"
  /** A number outside its allowed range (a port over 65535, a prefix over 32). */
  | "OUT_OF_RANGE"
  /** A host or service name: netkit does no DNS. */
  | "NAME_NOT_ALLOWED"
  /** Valid syntax that this link type or compiler cannot express. */
  | "UNSUPPORTED";

/**
 * A filter expression netkit cannot compile. `offset` is the 0-based index of the problem in `expression`,
 * `column` is `offset + 1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FilterSyntaxError } from "./errors.ts";
 * const e = new FilterSyntaxError("expected a port number", "tcp port x", 9, "UNEXPECTED_TOKEN");
 * assert(e.column === 10 && e instanceof SyntaxError);
 * ```
 */
export class FilterSyntaxError extends SyntaxError {
  /** 0-based offset of the problem in the expression. */
  readonly offset: number;
  /** 1-based column of the problem. */
  readonly column: number;
  /** The whole expression. */
  readonly expression: string;
  /** A stable code. */
  readonly code: FilterErrorCode;
  /** The message without the column, e.g. "expected a port number". */
  readonly reason: string;

  /**
   * @param reason what is wrong, without the position
   * @param expression the whole expression
   * @param offset 0-based offset of the problem
   * @param code a stable code
   */
  constructor(reason: string, expression: string, offset: number, code: FilterErrorCode) {
    const at = Math.max(0, Math.min(offset, expression.length));
    super(`${reason} at column ${at + 1}`);
    this.name = "FilterSyntaxError";
    this.reason = reason;
    this.expression = expression;
    this.offset = at;
    this.column = at + 1;
    this.code = code;
  }
}

/**
 * Formats a filter error for a terminal: one line `PREFIX: REASON at column N`, the expression, and a caret
 * line under the problem.
 *
 * @param error the error
 * @param prefix what comes before the message, e.g. `"sniffer: filter"`
 * @returns three lines joined by `\n` (no trailing newline)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FilterSyntaxError, formatFilterError } from "./errors.ts";
 * const e = new FilterSyntaxError("expected a port number", "tcp port x", 9, "UNEXPECTED_TOKEN");
 * assert(formatFilterError(e, "sniffer: filter") ===
 *   "sniffer: filter: expected a port number at column 10\ntcp port x\n         ^");
 * ```
 */
export function formatFilterError(error: FilterSyntaxError, prefix = "filter"): string {
  // Tabs keep their width in the caret line so the caret lines up under the expression.
  const pad = error.expression.slice(0, error.offset).replace(/[^\t]/g, " ");
  return `${prefix}: ${error.message}\n${error.expression}\n${pad}^`;
}
