/**
 * Private: DHCPv6 (RFC 8415, UDP ports 546/547) as tcpdump 4.99's print-dhcp6.c writes it. The default text
 * is `dhcp6 solicit`; `-v` adds, in parentheses, the transaction id (or a relay's link and peer addresses)
 * and every option, each as ` (name value)`:
 *
 * ```text
 * dhcp6 solicit (xid=d81eb8 (client-ID hwaddr/time type 1 time 704766329 000c29a1b2c3) (elapsed-time 0)
 *   (option-request DNS-server DNS-search-list) (IA_NA IAID:1 T1:0 T2:0))
 * ```
 *
 * Options nest (IA_NA holds IA_ADDR, a relay message holds a whole message). An option whose length does
 * not fit its kind reads ` ?)`; an option running past the message ends the list with ` [|dhcp6]` and the
 * enclosing parentheses still close; a read past the captured bytes ends the whole text with ` [|dhcp6]`.
 *
 * @module
 */
import { formatIpv6Address } from "./address.ts";
import { Cut, textChar, u16, u32, u8 } from "./_text.ts";
import { fqdnText } from "./_names.ts";

const TYPES = [
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
const RELAY_FORW = 12, RELAY_REPLY = 13;

/** Option names (tcpdump's dh6opt_str). */
const OPTIONS: Record<number, string> = {
  1: "client-ID",
  2: "server-ID",
  3: "IA_NA",
  4: "IA_TA",
  5: "IA_ADDR",
  6: "option-request",
  7: "preference",
  8: "elapsed-time",
  9: "relay-message",
  11: "authentication",
  12: "server-unicast",
  13: "status-code",
  14: "rapid-commit",
  15: "user-class",
  16: "vendor-class",
  17: "vendor-specific-info",
  18: "interface-ID",
  19: "reconfigure-message",
  20: "reconfigure-accept",
  21: "SIP-servers-domain",
  22: "SIP-servers-address",
  23: "DNS-server",
  24: "DNS-search-list",
  25: "IA_PD",
  26: "IA_PD-prefix",
  27: "NIS-server",
  28: "NIS+-server",
  29: "NIS-domain-name",
  30: "NIS+-domain-name",
  31: "SNTP-servers",
  32: "lifetime",
  33: "BCMCS-domain-name",
  34: "BCMCS-server",
  36: "Geoconf-Civic",
  37: "Remote-ID",
  38: "Subscriber-ID",
  39: "Client-FQDN",
  40: "PANA-agent",
  41: "POSIX-timezone",
  42: "POSIX-tz-database",
  43: "Echo-request-option",
  44: "Lease-query",
  45: "LQ-client-data",
  46: "Clt-time",
  47: "LQ-relay-data",
  48: "LQ-client-link",
  56: "NTP-server",
  64: "AFTR-Name",
  112: "MUD-URL",
};
const STATUS = [
  "Success",
  "UnspecFail",
  "NoAddrsAvail",
  "NoBinding",
  "NotOnLink",
  "UseMulticast",
  "NoPrefixAvail",
  "UnknownQueryType",
  "MalformedQuery",
  "NotConfigured",
  "NotAllowed",
];
/** Options that hold IPv6 addresses only. */
const ADDRESS_LISTS = new Set([22, 23, 31, 27, 28, 34, 40, 48]);
const TRUNC = " [|dhcp6]";

const optName = (t: number) => OPTIONS[t] ?? `opt_${t}`;
const hex2 = (x: number) => x.toString(16).padStart(2, "0");
/** An IPv6 address whose 16 bytes must all have been captured. */
const ip6 = (p: Uint8Array, at: number) => {
  u8(p, at + 15);
  return formatIpv6Address(p, at);
};
/** `n` bytes from `at` in hex, without separators. */
const hexRun = (p: Uint8Array, at: number, n: number) => {
  let s = "";
  for (let k = 0; k < n; k++) s += hex2(u8(p, at + k));
  return s;
};

/**
 * tcpdump's DHCPv6 text.
 *
 * @param p the captured bytes of the UDP payload (to the IP payload's end)
 * @param length the UDP payload length
 * @param verbose `-v`
 * @returns the text after the ports
 */
export function dhcp6Text(p: Uint8Array, length: number, verbose = false): string {
  const out = { s: "" };
  try {
    message(p, 0, Math.min(p.length, length), verbose, out);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    out.s += TRUNC;
  }
  return out.s;
}

/**
 * One message from `at` to `end` (tcpdump's dhcp6_print). `p` is cut to what the enclosing option allows,
 * as tcpdump moves its snapshot end for a relayed message.
 */
function message(p: Uint8Array, at: number, end: number, verbose: boolean, out: { s: string }): void {
  out.s += "dhcp6";
  if (at + 4 > p.length) {
    out.s += TRUNC;
    return;
  }
  const type = p[at];
  const name = TYPES[type] || `msgtype-${type}`;
  if (!verbose) {
    out.s += ` ${name}`;
    return;
  }
  out.s += ` ${name} (`;
  if (type !== RELAY_FORW && type !== RELAY_REPLY) {
    out.s += `xid=${(u32(p, at) & 0xffffff).toString(16)}`;
    options(p, at + 4, end, out);
  } else {
    out.s += `linkaddr=${ip6(p, at + 2)}`;
    out.s += ` peeraddr=${ip6(p, at + 18)}`;
    options(p, at + 34, end, out);
  }
  out.s += ")";
}

/**
 * The options from `at` to `end` (tcpdump's dhcp6opt_print). An option that does not fit prints the
 * truncation mark and ends this list only; a read past the captured bytes throws {@link Cut}.
 */
function options(p: Uint8Array, at: number, end: number, out: { s: string }): void {
  while (at < end) {
    if (end < at + 4) {
      out.s += TRUNC;
      return;
    }
    const len = u16(p, at + 2);
    const d = at + 4, stop = d + len;
    if (end < stop) {
      out.s += TRUNC;
      return;
    }
    const type = u16(p, at);
    out.s += ` (${optName(type)}`;
    if (!option(p, type, d, len, out)) {
      out.s += TRUNC;
      return;
    }
    at = stop;
  }
}

/** One option's value and closing parenthesis; false where tcpdump jumps to its truncation mark. */
function option(p: Uint8Array, type: number, d: number, len: number, out: { s: string }): boolean {
  const bad = () => {
    out.s += " ?)";
    return true;
  };
  switch (type) {
    case 1:
    case 2: {
      if (len < 2) return bad();
      const duid = u16(p, d);
      if (duid === 1) {
        if (len < 8) return bad();
        out.s += ` hwaddr/time type ${u16(p, d + 2)} time ${u32(p, d + 4)} ${hexRun(p, d + 8, len - 8)})`;
      } else if (duid === 2) {
        // tcpdump 4.99.3 shows the enterprise number and the identifier's first 4 bytes as one hex run.
        if (len < 10) return bad();
        out.s += ` vid ${hexRun(p, d + 2, 8)})`;
      } else if (duid === 3) {
        if (len < 4) return bad();
        out.s += ` hwaddr type ${u16(p, d + 2)} ${hexRun(p, d + 4, len - 4)})`;
      } else out.s += ` type ${duid})`;
      return true;
    }
    case 5:
      if (len < 24) return bad();
      out.s += ` ${ip6(p, d)} pltime:${u32(p, d + 16)} vltime:${u32(p, d + 20)}`;
      if (len > 24) options(p, d + 24, d + len, out);
      out.s += ")";
      return true;
    case 6:
    case 43:
      if (len % 2) return bad();
      for (let k = 0; k < len; k += 2) out.s += ` ${optName(u16(p, d + k))}`;
      out.s += ")";
      return true;
    case 7:
      if (len !== 1) return bad();
      out.s += ` ${u8(p, d)})`;
      return true;
    case 8:
      if (len !== 2) return bad();
      out.s += ` ${u16(p, d)})`;
      return true;
    case 9: {
      out.s += " (";
      // The relayed message may not read past this option (tcpdump moves its snapshot end there).
      message(p.subarray(0, Math.min(d + len, p.length)), d, d + len, true, out);
      out.s += ")";
      return true;
    }
    case 11:
      return auth(p, d, len, out);
    case 14:
    case 20:
      out.s += ")";
      return true;
    case 18:
    case 38:
      out.s += ` ${hexRun(p, d, Math.min(len, 10))}...)`;
      return true;
    case 19: {
      if (len !== 1) return bad();
      const t = u8(p, d);
      out.s += t === 5 ? " for renew)" : t === 11 ? " for inf-req)" : ` for ???(${hex2(t)}))`;
      return true;
    }
    case 21:
    case 24:
      for (let tp = d; tp < d + len;) {
        out.s += " ";
        tp = fqdnText(p, tp, d + len, out);
        if (tp < 0) return false;
      }
      out.s += ")";
      return true;
    case 13:
      if (len < 2) return bad();
      {
        const code = u16(p, d);
        out.s += ` ${code > 255 ? "INVALID code" : STATUS[code] ?? `code${code}`})`;
      }
      return true;
    case 3:
    case 25:
      if (len < 12) return bad();
      out.s += ` IAID:${u32(p, d)} T1:${u32(p, d + 4)} T2:${u32(p, d + 8)}`;
      if (len > 12) options(p, d + 12, d + len, out);
      out.s += ")";
      return true;
    case 4:
      if (len < 4) return bad();
      out.s += ` IAID:${u32(p, d)}`;
      if (len > 4) options(p, d + 4, d + len, out);
      out.s += ")";
      return true;
    case 26:
      if (len < 25) return bad();
      out.s += ` ${ip6(p, d + 9)}/${u8(p, d + 8)} pltime:${u32(p, d)} vltime:${u32(p, d + 4)}`;
      if (len > 25) options(p, d + 25, d + len, out);
      out.s += ")";
      return true;
    case 32:
    case 46:
      if (len !== 4) return bad();
      out.s += ` ${u32(p, d)})`;
      return true;
    case 37:
      if (len < 4) return bad();
      out.s += ` ${u32(p, d)} ${hexRun(p, d + 4, Math.min(len, 14) - 4)}...)`;
      return true;
    case 44: {
      if (len < 17) return bad();
      const q = u8(p, d);
      out.s += q === 1 ? " by-address" : q === 2 ? " by-clientID" : ` type_${q}`;
      out.s += ` ${ip6(p, d + 1)}`;
      if (len > 17) options(p, d + 17, d + len, out);
      out.s += ")";
      return true;
    }
    case 45:
      if (len > 0) options(p, d, d + len, out);
      out.s += ")";
      return true;
    case 47:
      if (len < 16) return bad();
      out.s += ` ${ip6(p, d)} ${hexRun(p, d + 16, Math.min(len, 26) - 16)}...)`;
      return true;
    default:
      if (ADDRESS_LISTS.has(type)) {
        if (len % 16) return bad();
        for (let k = 0; k < len; k += 16) out.s += ` ${ip6(p, d + k)}`;
        out.s += ")";
        return true;
      }
      return other(p, type, d, len, out);
  }
}

/** The options printed as text or as NTP sub-options. */
function other(p: Uint8Array, type: number, d: number, len: number, out: { s: string }): boolean {
  switch (type) {
    case 56: {
      if (len < 4) {
        out.s += " ?)";
        return true;
      }
      let tp = d;
      while (tp < d + len - 4) {
        const code = u16(p, tp), sublen = u16(p, tp + 2);
        tp += 4;
        if (tp + sublen > d + len) return false;
        out.s += ` subopt:${code}`;
        if (code === 1 || code === 2) out.s += sublen === 16 ? ` ${ip6(p, tp)}` : " ?";
        else if (code === 3) {
          out.s += " ";
          if (fqdnText(p, tp, tp + sublen, out) < 0) return false;
        } else out.s += " ?";
        tp += sublen;
      }
      out.s += ")";
      return true;
    }
    case 64: {
      if (len < 3) {
        out.s += " ?)";
        return true;
      }
      let tp = d, remain = len;
      out.s += " ";
      while (remain && u8(p, tp)) {
        const label = u8(p, tp++);
        if (label < remain - 1) {
          out.s += textUntilNul(p, tp, label);
          tp += label;
          remain -= label + 1;
          if (u8(p, tp)) out.s += ".";
        } else {
          out.s += " ?";
          break;
        }
      }
      out.s += ")";
      return true;
    }
    case 41:
    case 42:
    case 112:
      if (len < 5) {
        out.s += " ?)";
        return true;
      }
      out.s += ` ${textUntilNul(p, d, len)})`;
      return true;
    default:
      out.s += ")";
      return true;
  }
}

/** Up to `n` bytes as text, stopping at a NUL (tcpdump's nd_printjnp). */
function textUntilNul(p: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let k = 0; k < n; k++) {
    const c = u8(p, at + k);
    if (c === 0) break;
    s += textChar(c);
  }
  return s;
}

/** The authentication option (RFC 8415 section 21.11). */
function auth(p: Uint8Array, d: number, len: number, out: { s: string }): boolean {
  if (len < 11) {
    out.s += " ?)";
    return true;
  }
  const proto = u8(p, d), alg = u8(p, d + 1), rdm = u8(p, d + 2);
  out.s += proto === 2 ? " proto: delayed" : proto === 3 ? " proto: reconfigure" : ` proto: ${proto}`;
  out.s += alg === 1 ? ", alg: HMAC-MD5" : `, alg: ${alg}`;
  out.s += rdm === 0 ? ", RDM: mono" : `, RDM: ${rdm}`;
  out.s += ", RD:";
  let tp = d + 3;
  for (let k = 0; k < 4; k++, tp += 2) out.s += ` ${u16(p, tp).toString(16).padStart(4, "0")}`;
  const info = len - 11;
  const word = (at: number) => u32(p, at).toString(16).padStart(8, "0");
  if (proto === 2) {
    if (info !== 0) {
      if (info < 20) out.s += " ??";
      else {
        const realm = info - 20;
        if (realm > 0) out.s += ", realm: ";
        for (let k = 0; k < realm; k++, tp++) out.s += hex2(u8(p, tp));
        out.s += `, key ID: ${word(tp)}`;
        tp += 4;
        out.s += ", HMAC-MD5:";
        for (let k = 0; k < 4; k++, tp += 4) out.s += ` ${word(tp)}`;
      }
    }
  } else if (proto === 3) {
    if (info !== 17) out.s += " ??";
    else {
      const t = u8(p, tp++);
      out.s += t === 1 ? " reconfig-key" : t === 2 ? " type: HMAC-MD5" : " type: ??";
      out.s += " value:";
      for (let k = 0; k < 4; k++, tp += 4) out.s += ` ${word(tp)}`;
    }
  } else out.s += " ??";
  out.s += ")";
  return true;
}
