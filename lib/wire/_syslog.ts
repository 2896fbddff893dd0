/**
 * tcpdump's text for BSD syslog (RFC 3164; UDP port 514): the priority `<PRI>` that starts the message,
 * split into facility (PRI / 8) and severity (PRI % 8).
 *
 * - Default: `SYSLOG local0.notice, length: 30`; a facility past local7 is `unknown (N)`.
 * - `-v`: `SYSLOG, length: 30` and two more lines, `Facility local0 (16), Severity notice (5)` and
 *   `Msg: ` with the rest of the datagram, control bytes as `^X` and high bytes as `M-x`.
 *
 * tcpdump reads at most three digits and masks PRI to 10 bits; a datagram that does not start with `<`, or
 * whose digits are not closed by `>`, is ` (invalid)`. Its reads are bounded by the capture, not the UDP
 * length: a priority past the captured bytes is ` [|syslog]`.
 *
 * @module
 */
import { Cut, textChar, u8 } from "./_text.ts";

const SEVERITY = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"];
// 15 is "cron" again in tcpdump's table (RFC 3164 lists two clock daemons).
const FACILITY = [
  "kernel",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "security",
  "console",
  "cron",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
];
const MAX_DIGITS = 3;

/**
 * The text for a syslog datagram.
 *
 * @param p the captured payload (it may run past `length`: tcpdump reads up to the captured end)
 * @param length the datagram's payload length
 * @param verbose `-v`: the facility/severity and message lines
 * @returns the text after the ports
 */
export function syslogText(p: Uint8Array, length: number, verbose = false): string {
  let s = "";
  try {
    if (u8(p, 0) !== 0x3c) return " (invalid)";
    let at = 1, pri = 0;
    while (at <= MAX_DIGITS && u8(p, at) >= 0x30 && u8(p, at) <= 0x39) pri = pri * 10 + p[at++] - 0x30;
    if (u8(p, at++) !== 0x3e) return " (invalid)";
    const fac = (pri & 0x3f8) >> 3, sev = pri & 7;
    const facility = FACILITY[fac] ?? `unknown (${fac})`;
    if (!verbose) return `SYSLOG ${facility}.${SEVERITY[sev]}, length: ${length}`;
    s = `SYSLOG, length: ${length}\n\tFacility ${facility} (${fac}), Severity ${
      SEVERITY[sev]
    } (${sev})\n\tMsg: `;
    for (; at < length; at++) s += textChar(u8(p, at));
    return s;
  } catch (e) {
    if (e instanceof Cut) return s + " [|syslog]";
    throw e;
  }
}
