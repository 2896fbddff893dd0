/**
 * Private: the text protocols tcpdump 4.99 prints through util-print.c's txtproto_print: HTTP (TCP 80 and
 * 8080, print-http.c), RTSP (TCP 554 and 8554), SIP (UDP 5060), FTP (TCP 21), SMTP (TCP 25) and WHOIS
 * (TCP 43).
 *
 * HTTP, RTSP and SIP segments are shown as a request or a response when their first token is one of the
 * protocol's methods (any case) or their second token is a 3-digit status code; otherwise only the
 * protocol's name (`HTTP`) is printed. FTP, SMTP and WHOIS text is always shown. Then:
 *
 * - by default, `HTTP: ` and the first line;
 * - with `-v`, `HTTP, length: N` and every line of printable ASCII (tabs allowed) on its own tab-indented
 *   line, up to the first line that is not (binary data, a lone CR, a CR at the segment's end).
 *
 * A line without its LF inside the segment is printed and marked ` [|http]` (the protocol's name), as is
 * a read past the captured bytes (in that case the line being read is not printed).
 *
 * @module
 */
import { Cut, type Printed, u8 } from "./_text.ts";

/** tcpdump's httpcmds: HTTP/1.1 and WebDAV methods (PATCH is not one of them). */
const HTTP_METHODS = new Set([
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
/** tcpdump's rtspcmds (RFC 2326). */
const RTSP_METHODS = new Set([
  "DESCRIBE",
  "ANNOUNCE",
  "GET_PARAMETER",
  "OPTIONS",
  "PAUSE",
  "PLAY",
  "RECORD",
  "REDIRECT",
  "SETUP",
  "SET_PARAMETER",
  "TEARDOWN",
]);

/** tcpdump's sipcmds (RFC 3261 and extensions). */
const SIP_METHODS = new Set([
  "ACK",
  "BYE",
  "CANCEL",
  "DO",
  "INFO",
  "INVITE",
  "MESSAGE",
  "NOTIFY",
  "OPTIONS",
  "PRACK",
  "QAUTH",
  "REFER",
  "REGISTER",
  "SPRACK",
  "SUBSCRIBE",
  "UPDATE",
  "PUBLISH",
]);

/** A text protocol: its name as tcpdump prints it and, for request/response protocols, its methods. */
export interface TextProtocol {
  /** `HTTP`: printed as is; in lower case in the truncation mark. */
  name: string;
  /** Methods that start a request; none: every segment is shown. */
  methods?: ReadonlySet<string>;
}

/** HTTP, TCP ports 80 and 8080. */
export const HTTP: TextProtocol = { name: "HTTP", methods: HTTP_METHODS };
/** RTSP, TCP ports 554 and 8554. */
export const RTSP: TextProtocol = { name: "RTSP", methods: RTSP_METHODS };
/** SIP, UDP port 5060. */
export const SIP: TextProtocol = { name: "SIP", methods: SIP_METHODS };
/** FTP's control connection, TCP port 21. */
export const FTP: TextProtocol = { name: "FTP" };
/** SMTP, TCP port 25. */
export const SMTP: TextProtocol = { name: "SMTP" };
/** WHOIS, TCP port 43. */
export const WHOIS: TextProtocol = { name: "WHOIS" };

/** tcpdump's token buffer holds 129 bytes with the NUL: longer tokens are not tokens. */
const MAX_TOKEN = 128;
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
  return textProtocolText(HTTP, p, len, verbose).text;
}

/**
 * tcpdump's text for a segment or datagram of a text protocol (txtproto_print).
 *
 * @param proto the protocol
 * @param p the captured bytes of the payload (to the IP payload's end)
 * @param len the payload's length
 * @param verbose `-v`
 * @returns the text (e.g. `FTP: USER anonymous`), and whether tcpdump's printer stopped by a long jump
 *   (a read past the captured bytes; its -x/-X then dump the whole frame)
 */
export function textProtocolText(proto: TextProtocol, p: Uint8Array, len: number, verbose = false): Printed {
  let show = !proto.methods;
  if (proto.methods) {
    let tok = token(p, 0, len);
    if (tok) {
      if (proto.methods.has(tok.text.toUpperCase())) show = true;
      tok = token(p, tok.next, len);
      if (tok && /^[0-9]{3}$/.test(tok.text)) show = true;
    }
  }
  const out = { s: proto.name, trunc: ` [|${proto.name.toLowerCase()}]` };
  if (!show) return { text: out.s, jump: false };
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
    return { text: out.s + out.trunc, jump: true };
  }
  return { text: out.s, jump: false };
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
function line(
  p: Uint8Array,
  at: number,
  len: number,
  prefix: string,
  out: { s: string; trunc: string },
): number {
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
  out.s += prefix + text(p, at, i) + out.trunc;
  return 0;
}

function text(p: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let k = from; k < to; k++) s += String.fromCharCode(p[k]);
  return s;
}
