/**
 * Private: BOOTP and DHCP (RFC 951, RFC 2131/2132, UDP ports 67/68) as tcpdump 4.99's print-bootp.c writes
 * them. The default line is `BOOTP/DHCP, Request from 00:11:22:33:44:55, length 300`; `-v` adds the header
 * fields worth printing and, on tab-indented lines, the addresses, the server and file names and the
 * RFC 1048 options, each as `name (tag), length N: value`:
 *
 * ```text
 * BOOTP/DHCP, Request from 00:11:22:33:44:55, length 300, xid 0x1234, Flags [none]
 * 	  Client-Ethernet-Address 00:11:22:33:44:55
 * 	  Vendor-rfc1048 Extensions
 * 	    Magic Cookie 0x63825363
 * 	    DHCP-Message (53), length 1: Discover
 * 	    Parameter-Request (55), length 3:
 * 	      Subnet-Mask (1), Default-Gateway (3), Domain-Name-Server (6)
 * ```
 *
 * Each option's value is printed by the kind tcpdump's table gives it (addresses, numbers, text, bytes,
 * or a dedicated format); an unknown option by its length. PAD and END are skipped below `-vvv`; `-vv` adds
 * the flags' hex value. A field past the captured bytes ends the text with ` [|bootp]`.
 *
 * @module
 */
import { formatIpv4Address, formatMac } from "./address.ts";
import { Cut, textChar, u16, u32, u8, zeroTerminated } from "./_text.ts";
import { hexLines } from "./_nd.ts";

/**
 * tcpdump's option table: the first character is the value's format (`i` addresses, `p` address pairs,
 * `l` unsigned and `L` signed 32-bit numbers, `s` 16-bit numbers, `b` dotted bytes, `x` hex bytes, `a` text,
 * `B` booleans, `$` a format of its own, ` ` none), the rest the name.
 */
const TAGS: Record<number, string> = {
  0: " PAD",
  1: "iSubnet-Mask",
  2: "LTime-Zone",
  3: "iDefault-Gateway",
  4: "iTime-Server",
  5: "iIEN-Name-Server",
  6: "iDomain-Name-Server",
  7: "iLOG",
  8: "iCS",
  9: "iLPR-Server",
  10: "iIM",
  11: "iRL",
  12: "aHostname",
  13: "sBS",
  255: " END",
  14: "aDP",
  15: "aDomain-Name",
  16: "iSS",
  17: "aRP",
  18: "aEP",
  19: "BIPF",
  20: "BSRT",
  21: "pPF",
  22: "sRSZ",
  23: "bTTL",
  24: "lMTU-Timeout",
  25: "sMTU-Table",
  26: "sMTU",
  27: "BLSN",
  28: "iBR",
  29: "BMD",
  30: "BMS",
  31: "BRouter-Discovery",
  32: "iRSA",
  33: "pStatic-Route",
  34: "BUT",
  35: "lAT",
  36: "BIE",
  37: "bTT",
  38: "lKI",
  39: "BKG",
  40: "aYD",
  41: "iYS",
  42: "iNTP",
  43: "bVendor-Option",
  44: "iNetbios-Name-Server",
  45: "iWDD",
  46: "$Netbios-Node",
  47: "aNetbios-Scope",
  48: "iXFS",
  49: "iXDM",
  64: "sN+D",
  65: "iN+S",
  68: "iMH",
  69: "iSMTP",
  70: "iPOP3",
  71: "iNNTP",
  72: "iWWW",
  73: "iFG",
  74: "iIRC",
  75: "iSTS",
  76: "iSTDA",
  50: "iRequested-IP",
  51: "lLease-Time",
  52: "$OO",
  66: "aTFTP",
  67: "aBF",
  53: " DHCP-Message",
  54: "iServer-ID",
  55: "bParameter-Request",
  56: "aMSG",
  57: "sMSZ",
  58: "lRN",
  59: "lRB",
  60: "aVendor-Class",
  61: "$Client-ID",
  98: "aUAP",
  116: "BNOAUTO",
  78: "bSLP-DA",
  79: "bSLP-SCOPE",
  117: "sNSSEARCH",
  77: "$User-Class",
  118: "iSUBNET",
  121: "$Classless-Static-Route",
  249: "$Classless-Static-Route-Microsoft",
  150: "iTFTP-Server-Address",
  80: "aSLP-NA",
  81: "$FQDN",
  82: "$Agent-Information",
  83: "bARMT",
  88: "aTZSTR",
  89: "bFQDNS",
  90: "bAUTH",
  91: "LLast-Transaction-Time",
  92: "iAssociated-IP",
  93: "sARCH",
  94: "bNDI",
  97: "bGUID",
  95: "aLDAP",
  100: "aPOSIX-TZ",
  101: "aTZ-Name",
  112: "iNI",
  113: "aNITAG",
  114: "aURL",
  161: "aMUD-URL",
};
const DHCP_MESSAGES: Record<number, string> = {
  1: "Discover",
  2: "Offer",
  3: "Request",
  4: "Decline",
  5: "ACK",
  6: "NACK",
  7: "Release",
  8: "Inform",
  10: "LeaseQuery",
  11: "LeaseUnassigned",
  12: "LeaseUnknown",
  13: "LeaseActive",
};
const NETBIOS_NODES: Record<number, string> = { 1: "b-node", 2: "p-node", 4: "m-node", 8: "h-node" };
const OVERLOAD: Record<number, string> = { 1: "file", 2: "sname", 3: "file+sname" };
const HARDWARE: Record<number, string> = {
  1: "ether",
  6: "ieee802",
  7: "arcnet",
  15: "frelay",
  23: "strip",
  24: "ieee1394",
};
const AGENT_SUBOPTIONS: Record<number, string> = { 1: "Circuit-ID", 2: "Remote-ID", 6: "Subscriber-ID" };
const TRUNC = " [|bootp]";
/** Offsets in the fixed header (RFC 951). */
const F = {
  op: 0,
  htype: 1,
  hlen: 2,
  hops: 3,
  xid: 4,
  secs: 8,
  flags: 10,
  ciaddr: 12,
  yiaddr: 16,
  siaddr: 20,
  giaddr: 24,
  chaddr: 28,
  sname: 44,
  file: 108,
  vend: 236,
} as const;

const ip4 = (p: Uint8Array, at: number) => {
  u8(p, at + 3);
  return formatIpv4Address(p, at);
};
const hex2 = (x: number) => x.toString(16).padStart(2, "0");

/**
 * tcpdump's BOOTP/DHCP text.
 *
 * @param p the captured bytes of the UDP payload (to the IP payload's end)
 * @param length the UDP payload length
 * @param verbosity how many `-v` were given
 * @returns the text after the ports
 */
export function bootpText(p: Uint8Array, length: number, verbosity = 0): string {
  const out = { s: "" };
  try {
    bootp(p, length, verbosity, out);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    out.s += TRUNC;
  }
  return out.s;
}

function bootp(p: Uint8Array, length: number, verbosity: number, out: { s: string }): void {
  const op = u8(p, F.op);
  out.s += `BOOTP/DHCP, ${op === 1 ? "Request" : op === 2 ? "Reply" : `unknown (0x${hex2(op)})`}`;
  const htype = u8(p, F.htype), hlen = u8(p, F.hlen);
  const ether = htype === 1 && hlen === 6;
  if (ether && op === 1) {
    u8(p, F.chaddr + 5);
    out.s += ` from ${formatMac(p, F.chaddr)}`;
  }
  out.s += `, length ${length}`;
  if (verbosity < 1) return;
  u8(p, F.secs + 1);
  if (htype !== 1) out.s += `, htype ${htype}`;
  if (!ether) out.s += `, hlen ${hlen}`;
  if (p[F.hops]) out.s += `, hops ${p[F.hops]}`;
  const xid = u32(p, F.xid);
  if (xid) out.s += `, xid 0x${xid.toString(16)}`;
  const secs = u16(p, F.secs);
  if (secs) out.s += `, secs ${secs}`;
  const flags = u16(p, F.flags);
  out.s += `, Flags [${flags & 0x8000 ? "Broadcast" : "none"}]`;
  if (verbosity > 1) out.s += ` (0x${flags.toString(16).padStart(4, "0")})`;
  const addrs: [number, string][] = [
    [F.ciaddr, "Client-IP"],
    [F.yiaddr, "Your-IP"],
    [F.siaddr, "Server-IP"],
    [F.giaddr, "Gateway-IP"],
  ];
  for (const [at, name] of addrs) if (u32(p, at)) out.s += `\n\t  ${name} ${ip4(p, at)}`;
  if (ether) {
    u8(p, F.chaddr + 5);
    out.s += `\n\t  Client-Ethernet-Address ${formatMac(p, F.chaddr)}`;
  }
  for (const [at, n, name] of [[F.sname, 64, "sname"], [F.file, 128, "file"]] as const) {
    if (!u8(p, at)) continue;
    const z = zeroTerminated(p, at, n);
    out.s += `\n\t  ${name} "${z.text}"`;
    // No NUL inside the field (or before the captured end): tcpdump takes the name as cut.
    if (!z.bytes) {
      out.s += TRUNC;
      return;
    }
  }
  const magic = u32(p, F.vend);
  if (magic === 0x63825363) rfc1048(p, F.vend, verbosity, out);
  else if (magic === 0x434d5500) cmu(p, F.vend, out);
  else if (magic !== 0) out.s += `\n\t  Vendor-#0x${magic.toString(16)}`;
}

/** RFC 1048 options from the magic cookie at `at` to the captured end (tcpdump's rfc1048_print). */
function rfc1048(p: Uint8Array, at: number, verbosity: number, out: { s: string }): void {
  out.s += "\n\t  Vendor-rfc1048 Extensions";
  out.s += `\n\t    Magic Cookie 0x${u32(p, at).toString(16).padStart(8, "0")}`;
  let bp = at + 4;
  while (bp < p.length) {
    const tag = p[bp++];
    if ((tag === 0 || tag === 255) && verbosity < 3) {
      if (tag === 255) return;
      continue;
    }
    const entry = TAGS[tag] ?? "?Unknown";
    let kind = entry[0];
    let len = 0;
    if (tag !== 0 && tag !== 255) len = u8(p, bp++);
    out.s += `\n\t    ${entry.slice(1)} (${tag}), length ${len}${len > 0 ? ": " : ""}`;
    if (tag === 0 && verbosity > 2) {
      let n = 1;
      while (bp < p.length && p[bp] === 0) {
        bp++;
        n++;
      }
      if (n > 1) out.s += `, occurs ${n}`;
    }
    if (bp + len > p.length) {
      out.s += TRUNC;
      return;
    }
    if (tag === 53 && len === 1) {
      out.s += DHCP_MESSAGES[p[bp]] ?? `Unknown (${p[bp]})`;
      bp++;
      continue;
    }
    if (tag === 55) {
      for (let k = 0; k < len; k++) {
        const inner = p[bp + k];
        out.s += `${k % 4 === 0 ? "\n\t      " : ", "}${(TAGS[inner] ?? "?Unknown").slice(1)} (${inner})`;
      }
      bp += len;
      continue;
    }
    if (kind === "?") kind = len & 1 ? "b" : len & 2 ? "s" : "l";
    const v = p.subarray(bp, bp + len);
    const left = kind === "$" ? special(v, tag, out) : plain(v, kind, out);
    bp += len;
    // A length the format does not use up: tcpdump says how much.
    if (left) out.s += `\n\t  trailing data length ${left}`;
  }
}

/** A value in one of the table's plain formats; returns the bytes it leaves unprinted. */
function plain(v: Uint8Array, kind: string, out: { s: string }): number {
  let k = 0;
  const parts: string[] = [];
  switch (kind) {
    case "a":
      out.s += `"${text(v, 0, v.length)}"`;
      return 0;
    case "i":
    case "l":
    case "L":
      for (; k + 4 <= v.length; k += 4) {
        const x = u32(v, k);
        parts.push(kind === "i" ? formatIpv4Address(v, k) : kind === "L" ? `${x | 0}` : `${x}`);
      }
      break;
    case "p":
      for (; k + 8 <= v.length; k += 8) {
        parts.push(`(${formatIpv4Address(v, k)}:${formatIpv4Address(v, k + 4)})`);
      }
      break;
    case "s":
      for (; k + 2 <= v.length; k += 2) parts.push(`${u16(v, k)}`);
      break;
    case "B":
      for (; k < v.length; k++) parts.push(v[k] === 0 ? "N" : v[k] === 1 ? "Y" : `${v[k]}?`);
      break;
    default:
      for (; k < v.length; k++) parts.push(kind === "x" ? hex2(v[k]) : `${v[k]}`);
      out.s += parts.join(kind === "x" ? ":" : ".");
      return 0;
  }
  out.s += parts.join(",");
  return v.length - k;
}

/** The options with a format of their own; returns the bytes left unprinted. */
function special(v: Uint8Array, tag: number, out: { s: string }): number {
  const len = v.length;
  switch (tag) {
    case 46:
    case 52: {
      if (len < 1) {
        out.s += "[ERROR: length < 1 bytes]";
        return 0;
      }
      out.s += (tag === 46 ? NETBIOS_NODES : OVERLOAD)[v[0]] ?? `#${v[0]}`;
      return len - 1;
    }
    case 81: {
      if (len < 3) {
        out.s += "[ERROR: length < 3 bytes]";
        return 0;
      }
      if (v[0] & 0xf0) out.s += `[ERROR: MBZ nibble 0x${((v[0] & 0xf0) >> 4).toString(16)} != 0] `;
      if (v[0] & 0x0f) {
        out.s += `[${
          [[1, "S"], [2, "O"], [4, "E"], [8, "N"]].filter(([b]) => v[0] & (b as number)).map(([, n]) => n)
            .join("")
        }] `;
      }
      if (v[1] || v[2]) out.s += `${v[1]}/${v[2]} `;
      out.s += `"${text(v, 3, len)}"`;
      return 0;
    }
    case 61: {
      if (len < 1) {
        out.s += "[ERROR: length < 1 bytes]";
        return 0;
      }
      const type = v[0];
      if (type === 0) out.s += `"${text(v, 1, len)}"`;
      else {
        out.s += `${HARDWARE[type] ?? `hardware-type ${type},`} `;
        out.s += [...v.subarray(1)].map(hex2).join(":");
      }
      return 0;
    }
    case 82:
      return agent(v, out);
    case 121:
    case 249:
      return routes(v, out);
    case 77:
      return userClass(v, out);
    default:
      out.s += `[unknown special tag ${tag}, size ${len}]`;
      return 0;
  }
}

/** Relay agent information (RFC 3046): its sub-options, the known ones as text, others as hex. */
function agent(v: Uint8Array, out: { s: string }): number {
  let k = 0;
  let len = v.length;
  while (len >= 2) {
    const sub = v[k], sublen = v[k + 1];
    k += 2;
    len -= 2;
    out.s += `\n\t      ${AGENT_SUBOPTIONS[sub] ?? "Unknown"} SubOption ${sub}, length ${sublen}: `;
    if (sublen > len) {
      out.s += "length goes past end of option";
      return 0;
    }
    if (sub === 1 || sub === 2 || sub === 6) out.s += text(v, k, k + sublen);
    else out.s += hexLines(v, k, sublen, "\n\t\t");
    len -= sublen;
    k += sublen;
  }
  return len;
}

/** Classless static routes (RFC 3442): `(net/width:router)`, `default` for width 0. */
function routes(v: Uint8Array, out: { s: string }): number {
  let len = v.length;
  if (len < 5) {
    out.s += "[ERROR: length < 5 bytes]";
    return 0;
  }
  let k = 0;
  let first = true;
  while (len > 0) {
    if (!first) out.s += ",";
    const width = v[k++];
    len--;
    if (width > 32) {
      out.s += `[ERROR: Mask width (${width}) > 32]`;
      return 0;
    }
    const octets = Math.floor((width + 7) / 8);
    if (len < octets + 4) {
      out.s += `[ERROR: Remaining length (${len}) < ${octets + 4} bytes]`;
      return 0;
    }
    out.s += "(";
    if (width === 0) out.s += "default";
    else {
      const net = [...v.subarray(k, k + octets)].map(String);
      while (net.length < 4) net.push("0");
      out.s += `${net.join(".")}/${width}`;
      k += octets;
    }
    out.s += `:${formatIpv4Address(v, k)})`;
    k += 4;
    len -= octets + 4;
    first = false;
  }
  return 0;
}

/** User classes (RFC 3004): one `instance#N` line each. */
function userClass(v: Uint8Array, out: { s: string }): number {
  let len = v.length;
  if (len < 2) {
    out.s += "[ERROR: length < 2 bytes]";
    return 0;
  }
  let k = 0;
  for (let n = 1; len > 0; n++) {
    const sublen = v[k++];
    len--;
    out.s += `\n\t      instance#${n}: `;
    if (sublen === 0) {
      out.s += "[ERROR: suboption length must be non-zero]";
      return 0;
    }
    if (len < sublen) {
      out.s += "[ERROR: invalid option]";
      return 0;
    }
    out.s += `"${text(v, k, k + sublen)}", length ${sublen}`;
    len -= sublen;
    k += sublen;
  }
  return 0;
}

/** The CMU vendor area: the gateway, mask and servers that are set (tcpdump's cmu_print). */
function cmu(p: Uint8Array, at: number, out: { s: string }): void {
  out.s += " vend-cmu";
  u8(p, at + 7);
  const flags = p[at + 4];
  if (flags & ~1) out.s += ` F:0x${flags.toString(16)}`;
  const fields: [number, string][] = [
    [12, "DG"],
    [8, flags & 1 ? "SM" : "SM*"],
    [16, "NS1"],
    [20, "NS2"],
    [24, "IEN1"],
    [28, "IEN2"],
    [32, "TS1"],
    [36, "TS2"],
  ];
  for (const [off, name] of fields) {
    if (u32(p, at + off)) out.s += ` ${name}:${formatIpv4Address(p, at + off)}`;
  }
}

function text(v: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let k = from; k < to; k++) s += textChar(v[k]);
  return s;
}
