/**
 * tcpdump's text for IEEE 802.3 frames: the 802.2 LLC header (with `-e`), SNAP, spanning tree, and the
 * generic `Unnumbered`/`Supervisory`/`Information` line for SAPs it has no dissector for.
 *
 * After a frame it could not dissect (an unknown SAP's Unnumbered or Information frame, an XID without the
 * 0x81 format byte, SNAP with an OUI/PID it has no dissector for) tcpdump dumps the 802.3 payload from the
 * LLC header on, no further than the length field, as `\n\t0x0000:  3830 ...  80..` lines with ASCII
 * (its default print): not with `-q`, `-x` or `-X`. A cut LLC header (` [|llc]`) is dumped in every mode.
 * Supervisory frames and XID frames it reads are not dumped. {@link LlcTextInput.dump} holds the bytes,
 * {@link LlcTextInput.defaultPrint} says whether undissected frames are dumped.
 *
 * Not reproduced: IPX (SAP 0xE0 and raw 802.3 IPX), Cisco VTP/DTP/UDLD in SNAP. OSI (SAP 0xFE) is `_osi.ts`.
 *
 * @module
 */
import { LLC_UI, type LlcHeader, LlcSap } from "./llc.ts";
import { stpText } from "./_stp.ts";
import { cdpText } from "./_cdp.ts";
import { osiText } from "./_osi.ts";
import type { Printed } from "./_text.ts";
import { hexdump } from "./hexdump.ts";
import { ETHERTYPE_NAMES, ETHERTYPES_NAMED_ONLY } from "./_ethertypes.ts";

/** SAP names (tcpdump's `llc_values`), looked up with the I/G or C/R bit cleared. */
const SAP_TEXT: Record<number, string> = {
  0x00: "Null",
  0x02: "802.1B I",
  0x04: "SNA",
  0x06: "IP",
  0x0e: "ProWay NM",
  0x42: "STP",
  0x4e: "RS511",
  0x7e: "ISO8208",
  0x8e: "ProWay",
  0xaa: "SNAP",
  0xe0: "IPX",
  0xf0: "NetBeui",
  0xfe: "OSI",
};

const U_CMD: Record<number, string> = {
  0x03: "ui",
  0xe3: "test",
  0xaf: "xid",
  0x63: "ua",
  0x43: "disc",
  0x0f: "dm",
  0x6f: "sabme",
  0x87: "frmr",
};
const FLAG_TEXT: Record<number, string> = {
  0x000: "Command",
  0x001: "Response",
  0x010: "Poll",
  0x011: "Final",
  0x100: "Poll",
  0x101: "Final",
};
const SUPERVISORY = ["Receiver Ready", "Receiver not Ready", "Reject"];
const OUI_TEXT: Record<number, string> = {
  0x000000: "Ethernet",
  0x00000c: "Cisco",
  0x0000f8: "Cisco bridged",
};
const CISCO_PID_TEXT: Record<number, string> = {
  0x2000: "CDP",
  0x2003: "VTP",
  0x2004: "DTP",
  0x0111: "UDLD",
  0x010b: "PVST",
  0x010c: "VLAN Bridge",
};

const hex = (x: number, n: number) => x.toString(16).padStart(n, "0");

/** What {@link llcText} needs besides the header. */
export interface LlcTextInput {
  /** The LLC header, or null when it was cut short. */
  llc: LlcHeader | null;
  /** Captured bytes after the LLC (and SNAP) header. */
  rest: Uint8Array;
  /** The 802.3 payload length tcpdump uses: the length field, at most what the frame has. */
  length: number;
  /** `-e`. */
  link: boolean;
  /** `-v`. */
  verbose: boolean;
  /** `-q`. */
  quiet?: boolean;
  /** How many `-v` (0 for none). */
  verbosity: number;
  /** Called when tcpdump's printer would stop by a long jump (its -x/-X then dump the whole frame). */
  onJump: () => void;
  /** Source MAC as text (printed when tcpdump falls back to naming the addresses). */
  src: string;
  /** Destination MAC as text. */
  dst: string;
  /** The text of the network packet carried (SNAP with an EtherType, or SAP 0x06), or null. */
  inner: (() => string) | null;
  /** The captured 802.3 payload (LLC header included, cut to the length field). */
  dump: Uint8Array;
  /** Prints an IPv4 (linktype 228) or IPv6 (229) packet an OSI PDU's NLPID announces, as the sniffer would. */
  carried?: (linktype: number, bytes: Uint8Array, length: number) => Printed;
  /**
   * Whether to dump it after a frame tcpdump cannot dissect (its default print: not with `-q`, `-x`, `-X`,
   * nor for a caller that wants the one line). A cut header is dumped either way.
   */
  defaultPrint: boolean;
}

function pidText(oui: number, pid: number): string {
  const t = oui === 0 || oui === 0xf8 || oui === 0x080007
    ? ETHERTYPE_NAMES
    : oui === 0x0c
    ? CISCO_PID_TEXT
    : {};
  return t[pid] ?? "Unknown";
}

/**
 * The text after `802.3, length N: ` (with `-e`) or in place of the whole line (without).
 *
 * @param x the header, the bytes after it and the output options
 * @returns tcpdump's text
 */
export function llcText(x: LlcTextInput): string {
  const l = x.llc;
  if (!l) return " [|llc]" + (x.dump.length ? "\n" + hexdump(x.dump, true) : "");
  const dump = x.dump.length && x.defaultPrint ? "\n" + hexdump(x.dump, true) : "";
  const dsap = l.dsap & 0xfe, ssap = l.ssap & 0xfe;
  const isU = l.hdrLen === 3;
  let s = "";
  if (x.link) {
    s +=
      `LLC, dsap ${SAP_TEXT[dsap] ?? "Unknown"} (0x${hex(dsap, 2)}) ${
        l.dsap & 1 ? "Group" : "Individual"
      }, ` +
      `ssap ${SAP_TEXT[ssap] ?? "Unknown"} (0x${hex(ssap, 2)}) ${l.ssap & 1 ? "Response" : "Command"}, ` +
      `ctrl 0x${hex(l.control, isU ? 2 : 4)}: `;
  }
  const len = x.length - l.hdrLen;
  if (l.snap) {
    if (l.oui === null || l.pid === null) return s + " [|snap]";
    const { oui, pid } = l;
    const after = len - 5;
    if (x.link) {
      s += `oui ${OUI_TEXT[oui] ?? "Unknown"} (0x${hex(oui, 6)}), ${oui === 0 ? "ethertype" : "pid"} ${
        pidText(oui, pid)
      } (0x${hex(pid, 4)}), length ${after}: `;
    }
    if ((oui === 0 || oui === 0xf8) && x.inner) return s + x.inner();
    if (oui === 0x0c && (pid === 0x010b || pid === 0x010c)) return s + stpText(x.rest, after, x.verbose);
    if (oui === 0x0c && pid === 0x2000) {
      const t = cdpText(x.rest, after, x.verbosity);
      if (t) {
        if (t.jump) x.onJump();
        return s + t.text;
      }
    }
    // The default print follows a PID tcpdump has no dissector for.
    const undissected = oui === 0 || oui === 0xf8
      ? !(pid in ETHERTYPE_NAMES) || ETHERTYPES_NAMED_ONLY.has(pid)
      : pidText(oui, pid) === "Unknown" || !(oui in OUI_TEXT);
    const tail = undissected ? dump : "";
    if (x.link) return s + tail;
    return s + `${x.src} > ${x.dst} ` +
      (oui === 0
        ? `SNAP, ethertype ${pidText(0, pid)} (0x${hex(pid, 4)}), length ${after}: `
        : `SNAP, oui ${OUI_TEXT[oui] ?? "Unknown"} (0x${hex(oui, 6)}), pid ${pidText(oui, pid)} (0x${
          hex(pid, 4)
        }), length ${after}: `) +
      tail;
  }
  if (dsap === LlcSap.STP && ssap === LlcSap.STP && l.control === LLC_UI) {
    return s + stpText(x.rest, len, x.verbose);
  }
  if (dsap === LlcSap.IP && ssap === LlcSap.IP && l.control === LLC_UI && x.inner) return s + x.inner();
  if (dsap === 0xfe && ssap === 0xfe && l.control === LLC_UI) {
    // OSI: IS-IS, ES-IS, CLNP (tcpdump's isoclns_print), with no addresses before it.
    const t = osiText(x.rest, len, {
      verbosity: x.verbosity,
      link: x.link,
      quiet: x.quiet === true,
      network: (nlpid, b, n) => x.carried?.(nlpid === 0xcc ? 228 : 229, b, n) ?? null,
    });
    if (t) {
      if (t.jump) x.onJump();
      return s + t.text;
    }
  }
  if (!x.link) {
    s += ssap === dsap
      ? `${x.src} > ${x.dst} ${SAP_TEXT[dsap] ?? `Unknown DSAP 0x${hex(dsap, 2)}`} `
      : `${x.src} ${SAP_TEXT[ssap] ?? `Unknown SSAP 0x${hex(ssap, 2)}`} > ${x.dst} ${
        SAP_TEXT[dsap] ?? `Unknown DSAP 0x${hex(dsap, 2)}`
      } `;
  }
  const cr = l.ssap & 1;
  if (isU) {
    s += `Unnumbered, ${U_CMD[l.control & 0xef] ?? hex(l.control & 0xef, 2)}, Flags [${
      FLAG_TEXT[cr | (l.control & 0x10)] ?? "?"
    }], length ${x.length}`;
    if ((l.control & 0xef) === 0xaf && len > 0) {
      // XID: the format identifier 0x81 announces two bytes tcpdump shows.
      if (x.rest.length < 1) return s + " [|llc]";
      if (x.rest[0] === 0x81) {
        // Cut inside the XID field: tcpdump dumps what it has of the field.
        return x.rest.length < 3 || len < 3
          ? s + " [|llc]" + "\n" + hexdump(x.rest.subarray(0, Math.min(len, 3)), true)
          : s + `: ${hex(x.rest[1], 2)} ${hex(x.rest[2], 2)}`;
      }
    }
    // An XID frame with no information field is not dumped.
    return (l.control & 0xef) === 0xaf && len <= 0 ? s : s + dump;
  }
  const nr = (l.control >> 9) & 0x7f;
  const flags = FLAG_TEXT[cr | (l.control & 0x100)] ?? "?";
  if ((l.control & 3) === 1) {
    return s + `Supervisory, ${SUPERVISORY[(l.control >> 2) & 3] ?? "?"}, rcv seq ${nr}, Flags [${flags}], ` +
      `length ${x.length}`;
  }
  return s +
    `Information, send seq ${(l.control >> 1) & 0x7f}, rcv seq ${nr}, Flags [${flags}], length ${x.length}` +
    dump;
}
