/**
 * tcpdump's text for TFTP (RFC 1350, options RFC 2347; UDP port 69), default and `-v` alike:
 *
 * ```text
 * opcode (2) | RRQ/WRQ: filename NUL mode NUL [option NUL value NUL ...]
 *            | DATA/ACK: block (2) [data]
 *            | ERROR: code (2) message NUL
 *            | OACK: option NUL value NUL ...
 * ```
 *
 * `TFTP, length 17, RRQ "file.txt" octet`, `TFTP, length 4, ACK block 5`,
 * `TFTP, length 19, ERROR ENOTFOUND "File not found"`, `TFTP, length 15, OACK blksize 1428`.
 *
 * tcpdump's quirks kept: an unknown opcode prints `tftp-#N` and nothing after; an unknown error code prints
 * `tftp-err-#N "` before the quoted message (its format string carries the quote); an empty string between
 * options prints nothing, not even its separating space; a string with no NUL before the datagram's end, or
 * a field missing from the datagram, ends the text with ` [|tftp]` just as a capture cut does.
 *
 * @module
 */
import { Cut, type Out, u16, u8, zeroTerminated } from "./_text.ts";

const OPCODE = ["", "RRQ", "WRQ", "DATA", "ACK", "ERROR", "OACK"];
const ERROR = ["EUNDEF", "ENOTFOUND", "EACCESS", "ENOSPACE", "EBADOP", "EBADID", "EEXISTS", "ENOUSER"];

/** Raised where tcpdump gives up on a datagram too short for its next field (same mark as a cut). */
class Short {}

/**
 * The text for a TFTP datagram.
 *
 * @param p the captured payload (it may run past `length`: tcpdump reads up to the captured end)
 * @param length the datagram's payload length
 * @returns the text after the ports
 */
export function tftpText(p: Uint8Array, length: number): string {
  const o: Out = { s: `TFTP, length ${length}` };
  try {
    body(o, p, length);
    return o.s;
  } catch (e) {
    if (e instanceof Cut || e instanceof Short) return o.s + " [|tftp]";
    throw e;
  }
}

function body(o: Out, p: Uint8Array, length: number): void {
  if (length < 2) throw new Short();
  const op = u16(p, 0);
  const name = OPCODE[op];
  if (!name) {
    o.s += `, tftp-#${op}`;
    return;
  }
  o.s += `, ${name}`;
  let at = 2, left = length - 2;
  // One NUL-terminated string; `Short` when it does not end inside the datagram and the capture.
  const str = () => {
    const z = zeroTerminated(p, at, left);
    at += z.bytes;
    left -= z.bytes;
    return z;
  };
  const options = () => {
    while (left !== 0) {
      // Reading the first byte is a real read: past the capture it is a cut.
      if (u8(p, at) !== 0) o.s += " ";
      const z = str();
      o.s += z.text;
      if (z.bytes === 0) throw new Short();
    }
  };
  switch (op) {
    case 1:
    case 2: {
      if (left === 0) throw new Short();
      const file = str();
      o.s += ` "${file.text}"`;
      if (file.bytes === 0) throw new Short();
      if (left === 0) throw new Short();
      const mode = str();
      o.s += ` ${mode.text}`;
      if (mode.bytes === 0) throw new Short();
      options();
      return;
    }
    case 6:
      options();
      return;
    case 3:
    case 4:
      if (left < 2) throw new Short();
      o.s += ` block ${u16(p, at)}`;
      return;
    case 5: {
      if (left < 2) throw new Short();
      const code = u16(p, at);
      o.s += ` ${ERROR[code] ?? `tftp-err-#${code} "`}`;
      at += 2;
      left -= 2;
      if (left === 0) throw new Short();
      const msg = str();
      o.s += ` "${msg.text}"`;
      if (msg.bytes === 0) throw new Short();
      return;
    }
  }
}
