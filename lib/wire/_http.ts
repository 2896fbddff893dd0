/**
 * Private: HTTP over TCP as tcpdump 4.99 prints it (print-http.c through util-print.c's txtproto_print).
 *
 * A segment is shown as a request or a response when its first token is one of tcpdump's HTTP and WebDAV
 * methods (any case) or its second token is a 3-digit status code; otherwise only `HTTP` is printed. Then:
 *
 * - by default, `HTTP: ` and the first line;
 * - with `-v`, `HTTP, length: N` and every line of printable ASCII (tabs allowed) on its own tab-indented
 *   line, up to the first line that is not (binary data, a lone CR, a CR at the segment's end).
 *
 * A line without its LF inside the segment is printed and marked ` [|http]`, as is a read past the captured
 * bytes (in that case the line being read is not printed).
 *
 * @module
 */
import { Cut, u8 } from "./_text.ts";

/** tcpdump's httpcmds: HTTP/1.1 and WebDAV methods (PATCH is not one of them). */
const METHODS = new Set([
  "GET",
  "PUT",
  "COPY",
  "HEAD",
  "LOCK",
  "MOVE",
  "POLL",
  "POST",
  "BCOPY",
  "BMOVE",
  "MKCOL",
  "TRACE",
  "LABEL",
  "MERGE",
  "DELETE",
  "SEARCH",
  "UNLOCK",
  "REPORT",
  "UPDATE",
  "NOTIFY",
  "BDELETE",
  "CONNECT",
  "OPTIONS",
  "CHECKIN",
  "PROPFIND",
  "CHECKOUT",
  "CCM_POST",
  "SUBSCRIBE",
  "PROPPATCH",
  "BPROPFIND",
  "BPROPPATCH",
  "UNCHECKOUT",
  "MKACTIVITY",
  "MKWORKSPACE",
  "UNSUBSCRIBE",
  "RPC_CONNECT",
  "VERSION-CONTROL",
  "BASELINE-CONTROL",
]);
/** tcpdump's token buffer holds 129 bytes with the NUL: longer tokens are not tokens. */
const MAX_TOKEN = 128;
const TRUNC = " [|http]";
const printable = (c: number) => c >= 0x20 && c <= 0x7e;
const space = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * tcpdump's text for an HTTP segment: what follows `length N: `.
 *
 * @param p the captured bytes of the TCP payload (to the IP payload's end)
 * @param len the TCP payload length the IP header gives
 * @param verbose `-v`
 * @returns e.g. `HTTP: GET / HTTP/1.1`
 */
export function httpText(p: Uint8Array, len: number, verbose = false): string {
  let show = false;
  let tok = token(p, 0, len);
  if (tok) {
    if (METHODS.has(tok.text.toUpperCase())) show = true;
    tok = token(p, tok.next, len);
    if (tok && /^[0-9]{3}$/.test(tok.text)) show = true;
  }
  const out = { s: "HTTP" };
  if (!show) return out.s;
  try {
    if (verbose) {
      out.s += `, length: ${len}`;
      for (let at = 0; at < len;) {
        at = line(p, at, len, "\n\t", out);
        if (at === 0) break;
      }
    } else line(p, 0, len, ": ", out);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    out.s += TRUNC;
  }
  return out.s;
}

/**
 * A token from `at` (tcpdump's fetch_token): printable ASCII up to white space, and where the next one
 * starts (past blanks, not past the end of the line); null where tcpdump finds none.
 */
function token(p: Uint8Array, at: number, len: number): { text: string; next: number } | null {
  let text = "";
  let i = at;
  for (; i < len; i++) {
    if (i >= p.length) return null;
    const c = p[i];
    if (c & 0x80) return null;
    if (space(c)) break;
    if (!printable(c) || text.length + 1 > MAX_TOKEN) return null;
    text += String.fromCharCode(c);
  }
  if (!text) return null;
  for (; i < len && i < p.length; i++) {
    const c = p[i];
    if (c === 0x0d || c === 0x0a || !printable(c) || !space(c)) break;
  }
  return { text, next: i };
}

/**
 * Prints the line at `at` after `prefix` (tcpdump's print_txt_line); returns the offset after its end of
 * line, or 0 where the text stops (binary data, a CR without LF, the end of the segment).
 */
function line(p: Uint8Array, at: number, len: number, prefix: string, out: { s: string }): number {
  let i = at;
  while (i < len) {
    const c = u8(p, i);
    if (c === 0x0a) {
      out.s += prefix + text(p, at, i);
      return i + 1;
    }
    if (c === 0x0d) {
      if (i + 1 >= len || u8(p, i + 1) !== 0x0a) return 0;
      out.s += prefix + text(p, at, i);
      return i + 2;
    }
    if (!printable(c) && c !== 0x09) return 0;
    i++;
  }
  // Printable to the end without an end of line: tcpdump takes the line as cut.
  out.s += prefix + text(p, at, i) + TRUNC;
  return 0;
}

function text(p: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let k = from; k < to; k++) s += String.fromCharCode(p[k]);
  return s;
}
