/**
 * tcpdump's one-line text (its default output) for UDP applications it names: BOOTP/DHCP (RFC 2131, ports
 * 67/68), NTP (RFC 5905, port 123) and DHCPv6 (RFC 8415, ports 546/547). With `-v` tcpdump adds fields and
 * lines these do not reproduce (for NTP the first line is the same). TFTP and RIP, which come earlier in
 * tcpdump's order, are named only by their truncation mark when the datagram is empty.
 *
 * tcpdump picks a dissector by port in a fixed order (print-udp.c); a datagram with ports of two dissectors
 * goes to the earlier one, so the ports of dissectors this package does not have are kept in the table too:
 * for those the caller keeps its plain `UDP, length N`.
 *
 * Truncation follows tcpdump's reads: a field past the captured bytes ends the text with ` [|name]`.
 *
 * @module
 */
import { formatMac } from "./address.ts";

type App = "bootp" | "ntp" | "dhcp6" | "tftp" | "rip" | "ripng" | "other";

/** Port dissectors in tcpdump 4.99's order, from TIMED on (DNS and mDNS are handled before). */
const ORDER: [(p: number) => boolean, App][] = [
  [(p) => p === 525, "other"], // timed
  [(p) => p === 69, "tftp"],
  [(p) => p === 67 || p === 68, "bootp"],
  [(p) => p === 520, "rip"],
  [(p) => p === 654, "other"], // AODV
  [(p) => p === 500 || p === 4500 || p === 7500 || p === 8500, "other"], // ISAKMP
  [(p) => p === 161 || p === 162, "other"], // SNMP
  [(p) => p === 123, "ntp"],
  [(p) => p === 88 || p === 750, "other"], // Kerberos
  [(p) => p === 1701, "other"], // L2TP
  [(p) => p === 2103 || p === 2104, "other"], // Zephyr
  [(p) => p >= 7000 && p <= 7009, "other"], // AFS RX
  [(p) => p === 521, "ripng"],
  [(p) => p === 546 || p === 547, "dhcp6"],
];

const NTP_MODE = [
  "unspecified",
  "symmetric active",
  "symmetric passive",
  "Client",
  "Server",
  "Broadcast",
  "Control Message",
  "Reserved",
];

const DHCP6_TYPE = [
  "",
  "solicit",
  "advertise",
  "request",
  "confirm",
  "renew",
  "rebind",
  "reply",
  "release",
  "decline",
  "reconfigure",
  "inf-req",
  "relay-fwd",
  "relay-reply",
  "leasequery",
  "leasequery-reply",
];

/**
 * The text tcpdump prints after the ports for a UDP datagram of one of these applications, or null when
 * another (or no) dissector takes it.
 *
 * @param sp source port
 * @param dp destination port
 * @param data the captured payload
 * @param length the payload length tcpdump uses (the UDP length, at most what the IP header leaves)
 * @returns the text, or null
 */
export function udpAppText(sp: number, dp: number, data: Uint8Array, length: number): string | null {
  const app = ORDER.find(([is]) => is(sp) || is(dp))?.[1];
  switch (app) {
    case "bootp":
      return bootp(data, length);
    case "ntp":
      return data.length < 1 ? " [|ntp]" : ntp(data[0], length);
    case "dhcp6":
      return dhcp6(data);
    // Not dissected here, but with nothing to read what tcpdump prints is known.
    case "tftp":
      return data.length === 0 ? `TFTP, length ${length} [|tftp]` : null;
    case "rip":
    case "ripng":
      return data.length === 0 ? ` [|${app}]` : null;
    default:
      return null;
  }
}

function bootp(b: Uint8Array, length: number): string {
  if (b.length < 1) return " [|bootp]";
  const op = b[0];
  let s = `BOOTP/DHCP, ${
    op === 1 ? "Request" : op === 2 ? "Reply" : `unknown (0x${op.toString(16).padStart(2, "0")})`
  }`;
  if (b.length < 3) return s + " [|bootp]";
  // Only a request from an Ethernet client names it: chaddr, 6 bytes at offset 28.
  if (b[1] === 1 && b[2] === 6 && op === 1) {
    if (b.length < 34) return s + " [|bootp]";
    s += ` from ${formatMac(b, 28)}`;
  }
  return s + `, length ${length}`;
}

function ntp(status: number, length: number): string {
  return `NTPv${(status >> 3) & 7}, ${NTP_MODE[status & 7]}, length ${length}`;
}

function dhcp6(b: Uint8Array): string {
  // tcpdump reads the message type and transaction id (4 bytes) before printing the type.
  if (b.length < 4) return "dhcp6 [|dhcp6]";
  return `dhcp6 ${DHCP6_TYPE[b[0]] || `msgtype-${b[0]}`}`;
}
