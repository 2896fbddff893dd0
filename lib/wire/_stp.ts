/**
 * tcpdump's text for IEEE 802.1D/802.1w/802.1s spanning tree BPDUs (the payload of an LLC frame with
 * DSAP = SSAP = 0x42, or of Cisco's PVST SNAP frames).
 *
 * ```text
 * protocol id (2) | version (1) | BPDU type (1) | flags (1) | root id (8) | root path cost (4) |
 * bridge id (8) | port id (2) | message age (2) | max age (2) | hello time (2) | forward delay (2) |
 * version 1 length (1, RSTP on) | version 3 length (2, MSTP on) ...
 * ```
 *
 * Timers count 1/256 s. A bridge id prints as `prio.mac`, the port id appended: `8000.00:11:22:33:44:55.8001`.
 * The `length` tcpdump checks is the one the 802.3 header claims; a BPDU shorter than its type needs reads
 * ` (invalid)`, one cut by the capture ` [|stp]`.
 *
 * @module
 */
import { fixedC } from "./_text.ts";

/** Field offsets of a BPDU. */
const F = {
  protocol: 0,
  version: 2,
  type: 3,
  flags: 4,
  rootId: 5,
  rootCost: 13,
  bridgeId: 17,
  portId: 25,
  messageAge: 27,
  maxAge: 29,
  helloTime: 31,
  forwardDelay: 33,
  v1Length: 35,
  end: 36,
  v3Length: 36,
  mstpMin: 102,
  spbMin: 87,
} as const;

const VERSION: Record<number, string> = { 0: "802.1d", 2: "802.1w", 3: "802.1s", 4: "802.1aq" };
const TYPE: Record<number, string> = { 0x00: "Config", 0x02: "Rapid STP", 0x80: "Topology Change" };
const FLAGS: [number, string][] = [
  [0x01, "Topology change"],
  [0x02, "Proposal"],
  [0x10, "Learn"],
  [0x20, "Forward"],
  [0x40, "Agreement"],
  [0x80, "Topology change ACK"],
];
const ROLE = ["Unknown", "Alternate", "Root", "Designated"];

/** Thrown inside {@link stpText} when a field lies past the captured bytes (tcpdump's longjmp). */
class Cut {}

/** A bounds-checked reader over the captured BPDU. */
function reader(p: Uint8Array) {
  const u8 = (at: number) => {
    if (at >= p.length) throw new Cut();
    return p[at];
  };
  const u16 = (at: number) => (u8(at) << 8) | u8(at + 1);
  const u32 = (at: number) => ((u16(at) << 16) | u16(at + 2)) >>> 0;
  const id = (at: number) => {
    const b = Array.from({ length: 8 }, (_, k) => u8(at + k).toString(16).padStart(2, "0"));
    return `${b[0]}${b[1]}.${b.slice(2).join(":")}`;
  };
  return { u8, u16, u32, id };
}

function flagsText(f: number): string {
  const t = FLAGS.filter(([bit]) => f & bit).map(([, n]) => n);
  return t.length ? t.join(", ") : "none";
}

const hex2 = (x: number) => x.toString(16).padStart(2, "0");

/**
 * The text of a BPDU.
 *
 * @param p the captured bytes of the BPDU
 * @param length the BPDU's length as the enclosing header claims it
 * @param verbose `-v`: timers, root id and path cost on further lines
 * @returns e.g. `STP 802.1d, Config, Flags [none], bridge-id 8000.00:11:22:33:44:55.8001, length 35`
 */
export function stpText(p: Uint8Array, length: number, verbose = false): string {
  const o = { s: "" };
  const r = reader(p);
  try {
    if (length < 4) return " (invalid)";
    if (r.u16(F.protocol) !== 0) return `unknown STP version, length ${length}`;
    const version = r.u8(F.version);
    o.s += `STP ${VERSION[version] ?? `Unknown STP protocol (0x${hex2(version)})`}`;
    if (!VERSION[version]) return o.s;
    const type = r.u8(F.type);
    o.s += `, ${TYPE[type] ?? `Unknown BPDU Type (0x${hex2(type)})`}`;
    if (type === 0x00) {
      return length < F.end - 1 ? o.s + " (invalid)" : config(r, o, length, version, verbose);
    }
    if (type !== 0x02) return o.s;
    if (version === 2) return length < F.end ? o.s + " (invalid)" : config(r, o, length, version, verbose);
    if (version === 3 || version === 4) {
      if (length < F.mstpMin || r.u8(F.v1Length) !== 0) return o.s + " (invalid)";
      const mstpLen = r.u16(F.v3Length) + 2;
      if (length < F.end + mstpLen) return o.s + " (invalid)";
      o.s += `, CIST Flags [${flagsText(r.u8(F.flags))}], length ${length}`;
      if (version === 4) {
        const spbLen = r.u16(F.v3Length + mstpLen) + 2;
        if (length < F.end + mstpLen + spbLen || spbLen < F.spbMin) return o.s + " (invalid)";
      }
    }
    return o.s;
  } catch (e) {
    if (e instanceof Cut) return o.s + " [|stp]";
    throw e;
  }
}

/** A Config or RSTP BPDU after its type; `o.s` grows field by field so that a cut keeps what was printed. */
function config(
  r: ReturnType<typeof reader>,
  o: { s: string },
  length: number,
  version: number,
  verbose: boolean,
): string {
  const flags = r.u8(F.flags);
  o.s += `, Flags [${flagsText(flags)}]`;
  o.s += `, bridge-id ${r.id(F.bridgeId)}.${r.u16(F.portId).toString(16).padStart(4, "0")}, length ${length}`;
  if (!verbose) return o.s;
  const t = (at: number) => fixedC(r.u16(at) / 256, 2);
  o.s += `\n\tmessage-age ${t(F.messageAge)}s, max-age ${t(F.maxAge)}s, hello-time ${t(F.helloTime)}s, ` +
    `forwarding-delay ${t(F.forwardDelay)}s`;
  o.s += `\n\troot-id ${r.id(F.rootId)}, root-pathcost ${r.u32(F.rootCost)}`;
  if (version === 2) o.s += `, port-role ${ROLE[(flags & 0x0c) >> 2]}`;
  return o.s;
}
