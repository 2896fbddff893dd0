/**
 * Private: Cisco's VLAN Query Protocol (VQP/VMPS, UDP port 1589) as tcpdump 4.99 prints it (print-vqp.c).
 *
 * ```text
 * | version (1) | message type (1) | error code (1) | item count (1) | sequence (4) |
 * then items: | type (4) | length (2) | value |
 * ```
 *
 * tcpdump's text: `VQPv1 Request, Join Port Message, error-code No error (0), length 68`; with `-v` the
 * header on a line of its own with the sequence and item count, then each item (`Client IP Address`,
 * `Port Name`, `VLAN Name`, `VTP Domain`, `Ethernet Packet`, `MAC Null`, `MAC Address`, else `Unknown`) and
 * its value; an unknown item's value as a hex dump under `-v` alone. Another version is
 * `VQP version 2 packet not supported`; an item longer than the datagram ` (invalid)`; a read past the
 * captured bytes ` [|vqp]`.
 *
 * @module
 */
import { hexLines } from "./_nd.ts";
import { type Printed, textChar, u32 } from "./_text.ts";
import { formatIpv4Address, formatMac } from "./address.ts";

const HEADER = 8, ITEM = 6;
const MESSAGES: Record<number, string> = {
  1: "Request, Join Port",
  2: "Response, VLAN",
  3: "Request, Reconfirm",
  4: "Response, Reconfirm",
};
const ERRORS: Record<number, string> = {
  0: "No error",
  3: "Access denied",
  4: "Shutdown port",
  5: "Wrong VTP domain",
};
const IP_ADDRESS = 0x0c01, MAC_NULL = 0x0c06, MAC_ADDRESS = 0x0c08;
const ITEMS: Record<number, string> = {
  0x0c01: "Client IP Address",
  0x0c02: "Port Name",
  0x0c03: "VLAN Name",
  0x0c04: "VTP Domain",
  0x0c05: "Ethernet Packet",
  0x0c06: "MAC Null",
  0x0c08: "MAC Address",
};
const CUT = " [|vqp]", INVALID = " (invalid)";

const hex8 = (x: number) => x.toString(16).padStart(8, "0");

/**
 * tcpdump's text for a VQP datagram: what follows `sport > dport: `.
 *
 * @param p the UDP payload's captured bytes (to the end of the IP payload)
 * @param length the UDP payload's length
 * @param verbosity 0 without `-v`, else the number of `v`s
 * @returns the text, and whether tcpdump stopped by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vqpText } from "./_vqp.ts";
 * const p = new Uint8Array([1, 1, 0, 0, 0, 0, 0, 1]);
 * assert.equal(vqpText(p, 8, 0).text, "VQPv1 Request, Join Port Message, error-code No error (0), length 8");
 * ```
 */
export function vqpText(p: Uint8Array, length: number, verbosity: number): Printed {
  if (p.length < HEADER) return { text: CUT, jump: true };
  if (length < HEADER) return { text: INVALID, jump: false };
  const version = p[0], type = p[1], error = p[2];
  if (version !== 1) return { text: `VQP version ${version} packet not supported`, jump: false };
  const message = MESSAGES[type] ?? `unknown (${type})`;
  const errorText = `error-code ${ERRORS[error] ?? "unknown"} (${error})`;
  if (verbosity < 1) return { text: `VQPv1 ${message} Message, ${errorText}, length ${length}`, jump: false };
  let items = p[3];
  let s = `\n\tVQPv1, ${message} Message, ${errorText}, seq 0x${
    hex8(u32(p, 4))
  }, items ${items}, length ${length}`;
  let at = HEADER, left = length - HEADER;
  while (items !== 0 && left !== 0) {
    if (p.length < at + ITEM) return { text: s + CUT, jump: true };
    if (left < ITEM) return { text: s + INVALID, jump: false };
    const itemType = u32(p, at), len = (p[at + 4] << 8) | p[at + 5];
    at += ITEM;
    left -= ITEM;
    s += `\n\t  ${ITEMS[itemType] ?? "Unknown"} Object (0x${hex8(itemType)}), length ${len}, value: `;
    if (itemType === 0 || len === 0) return { text: s, jump: false };
    if (p.length < at + len) return { text: s + CUT, jump: true };
    if (len > left) return { text: s + INVALID, jump: false };
    switch (itemType) {
      case IP_ADDRESS:
        if (len !== 4) return { text: s + INVALID, jump: false };
        s += `${formatIpv4Address(p, at)} (0x${hex8(u32(p, at))})`;
        break;
      case MAC_ADDRESS:
      case MAC_NULL:
        if (len !== 6) return { text: s + INVALID, jump: false };
        s += formatMac(p.subarray(at, at + 6));
        break;
      default:
        if (ITEMS[itemType] !== undefined) {
          // Port, VLAN and domain names, the Ethernet packet: text up to a NUL (tcpdump's nd_printjnp).
          for (let k = 0; k < len && p[at + k] !== 0; k++) s += textChar(p[at + k]);
        } else if (verbosity <= 1) s += hexLines(p, at, len, "\n\t    ");
    }
    at += len;
    left -= len;
    items--;
  }
  return { text: s, jump: false };
}
