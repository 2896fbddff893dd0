/**
 * IEEE 802.11 MAC frames (IEEE 802.11-2020 clause 9) and the radiotap header (radiotap.org) in front of them,
 * read for the decoder: pcap link types 105 (IEEE802_11, a bare frame) and 127 (IEEE802_11_RADIO, radiotap
 * and then the frame). tcpdump's text for both is `_wlan.ts`; this module only reads fields.
 *
 * ```text
 * radiotap  | version | pad | length (2) | present (4) [present (4) ...] | fields, each aligned |
 * 802.11    | FC (2) | duration (2) | addr1 | addr2 | addr3 | seq ctl (2) | addr4 | QoS (2) | HT (4) | body | FCS |
 *                                   (control frames: one or two addresses, no seq ctl; addr4 only ToDS+FromDS;
 *                                    QoS only in QoS data subtypes; HT control only in a QoS data or
 *                                    management frame with the order bit set)
 * ```
 *
 * Rules that are easy to miss:
 *
 * - Every multi-byte field of both headers is little-endian, unlike the rest of the stack.
 * - A radiotap field is aligned to its natural size counted from the start of the header, not from the
 *   previous field; the presence bitmap goes on in further words while bit 31 is set, and the fields of every
 *   word follow the last word. Bit 29 restarts the radiotap namespace (per-antenna fields), bit 30 announces
 *   a vendor namespace whose fields are skipped by its own length. A field whose size is unknown (newer than
 *   this table) ends the walk: nothing after it can be placed. Values are taken from their first occurrence.
 * - Radiotap flag 0x10: the frame ends with its 4-byte FCS, which is not payload; flag 0x20: the 802.11
 *   header is padded to a multiple of 4 bytes before the body.
 * - What addr1-addr4 mean depends on the type and the ToDS/FromDS bits; `src`, `dst` and `bssid` follow
 *   tshark's `wlan.sa`, `wlan.da` and `wlan.bssid`:
 *
 *   | frame | addr1 | addr2 | addr3 | addr4 |
 *   | --- | --- | --- | --- | --- |
 *   | management, data 00 | dst | src | bssid | - |
 *   | data 10 (ToDS) | bssid | src | dst | - |
 *   | data 01 (FromDS) | dst | bssid | src | - |
 *   | data 11 (WDS) | RA | TA | dst | src |
 *   | control | RA (PS-Poll: bssid) | TA (CF-End: bssid) | - | - |
 *
 * - The duration/ID field: a PS-Poll's holds its association id (1-2007) with bits 14 and 15 set; any other
 *   value is read as a duration, bits 0-14, as tshark's `wlan.duration` reads it.
 * - A data frame without data (subtypes with bit 2 set: Null, QoS Null, CF-Ack, ...) has no body; a
 *   protected one has an encrypted body; a QoS data frame whose A-MSDU bit is set carries subframes, not an
 *   LLC header. The body of any other data frame starts with an 802.2 LLC header (`llc.ts`).
 * - 802.11 has no length field: a frame cut by the capture is told by a header, fixed field or element that
 *   does not fit (`WIRE_SHORT`); a cut at an element boundary cannot be told from a shorter frame.
 *
 * Not read: radiotap XCHANNEL, MCS, VHT, HE and the other radiotap fields (sized and skipped), radiotap TLVs
 * (bit 28: the walk stops), protocol version 1 (802.11ah short frames: reported as a bad version), A-MSDU
 * subframes, the 802.11s mesh control field (it cannot be told from a QoS field without knowing the BSS),
 * management frame elements beyond checking that they fit.
 *
 * @module
 */
import { Cpack } from "./_wlan.ts";
import { shortError, WireError, WireErrorCode } from "./errors.ts";

/** The fixed part of a radiotap header: version, pad, length, first presence word. */
const RT = { version: 0, length: 2, present: 4, end: 8 } as const;

/** Radiotap presence bits read here, and those with a meaning outside the field numbering. */
const RtBit = {
  tsft: 0,
  flags: 1,
  rate: 2,
  channel: 3,
  signal: 5,
  noise: 6,
  antenna: 11,
  tlv: 28,
  namespace: 29,
  vendor: 30,
  ext: 31,
} as const;

/** Radiotap fields 0-27 of the radiotap namespace: [alignment, size] (radiotap.org's defined fields). */
const RT_FIELDS: readonly (readonly [align: number, size: number])[] = [
  [8, 8], // 0 TSFT
  [1, 1], // 1 flags
  [1, 1], // 2 rate
  [2, 4], // 3 channel
  [2, 2], // 4 FHSS
  [1, 1], // 5 dBm antenna signal
  [1, 1], // 6 dBm antenna noise
  [2, 2], // 7 lock quality
  [2, 2], // 8 TX attenuation
  [2, 2], // 9 dB TX attenuation
  [1, 1], // 10 dBm TX power
  [1, 1], // 11 antenna
  [1, 1], // 12 dB antenna signal
  [1, 1], // 13 dB antenna noise
  [2, 2], // 14 RX flags
  [2, 2], // 15 TX flags
  [1, 1], // 16 RTS retries
  [1, 1], // 17 data retries
  [4, 8], // 18 XCHANNEL
  [1, 3], // 19 MCS
  [4, 8], // 20 A-MPDU status
  [2, 12], // 21 VHT
  [8, 12], // 22 timestamp
  [2, 12], // 23 HE
  [2, 12], // 24 HE-MU
  [2, 6], // 25 HE-MU other user
  [1, 1], // 26 0-length PSDU
  [2, 4], // 27 L-SIG
];

/** Radiotap flags (field 1) that change how the frame after the header is read. */
export const RadiotapFlag = {
  /** The frame ends with its 4-byte FCS. */
  FCS: 0x10,
  /** The 802.11 header is padded to a multiple of 4 bytes. */
  DATA_PAD: 0x20,
} as const;

/** A decoded radiotap header: the fixed part and the fields a capture is usually filtered on. */
export interface RadiotapHeader {
  /** Header revision (0). */
  readonly version: number;
  /** Header length in bytes, fields included: the 802.11 frame starts here. */
  readonly length: number;
  /** The first presence word. */
  readonly present: number;
  /** TSFT: the MAC's 64-bit microsecond timer, or null when absent or past 2^53 (not exact as a number). */
  readonly tsft: number | null;
  /** Flags (see {@link RadiotapFlag}; 0x02 short preamble, 0x40 bad FCS), or null. */
  readonly flags: number | null;
  /** TX/RX data rate in 500 kb/s units, or null. */
  readonly rate: number | null;
  /** Channel frequency in MHz (the CHANNEL field), or null. */
  readonly channelFreq: number | null;
  /** Channel flags (the CHANNEL field), or null. */
  readonly channelFlags: number | null;
  /** Antenna signal in dBm, or null. */
  readonly signal: number | null;
  /** Antenna noise in dBm, or null. */
  readonly noise: number | null;
  /** Antenna index, or null. */
  readonly antenna: number | null;
}

/** What {@link walkRadiotap} found. */
export interface RadiotapWalk {
  /** The header, or null when its fixed part is cut or impossible. */
  header: RadiotapHeader | null;
  /**
   * Why the walk stopped early: `WIRE_SHORT` when the capture ends inside the header, `WIRE_BAD_LENGTH` when
   * a presence word or field does not fit the header's own length, `WIRE_BAD_VERSION`; else null.
   */
  error: WireError | null;
}

const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le32 = (b: Uint8Array, at: number) => (le16(b, at) | (le16(b, at + 2) << 16)) >>> 0;

/** A radiotap field value read so far (null: absent or not reached). */
type Fields = { -readonly [K in keyof RadiotapHeader]: RadiotapHeader[K] };

/** Reads field `bit` of the radiotap namespace at the reader's position; false when it does not fit. */
function rtField(c: Cpack, bit: number, v: Fields): boolean {
  switch (bit) {
    case RtBit.tsft: {
      const t = c.u64();
      if (t === null) return false;
      v.tsft ??= t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : null;
      return true;
    }
    case RtBit.flags:
    case RtBit.rate:
    case RtBit.antenna: {
      const x = c.u8();
      if (x === null) return false;
      if (bit === RtBit.flags) v.flags ??= x;
      else if (bit === RtBit.rate) v.rate ??= x;
      else v.antenna ??= x;
      return true;
    }
    case RtBit.channel: {
      const freq = c.u16(), flags = freq === null ? null : c.u16();
      if (freq === null || flags === null) return false;
      if (v.channelFreq === null) [v.channelFreq, v.channelFlags] = [freq, flags];
      return true;
    }
    case RtBit.signal:
    case RtBit.noise: {
      const x = c.i8();
      if (x === null) return false;
      if (bit === RtBit.signal) v.signal ??= x;
      else v.noise ??= x;
      return true;
    }
  }
  const [align, size] = RT_FIELDS[bit];
  const at = c.reserve(align);
  if (at < 0 || at + size > c.len) return false;
  c.pos = at + size;
  return true;
}

/**
 * Reads a radiotap header: its fixed part, then its presence words and fields with radiotap's alignment
 * rules, keeping the first occurrence of the fields of {@link RadiotapHeader}.
 *
 * @param b the captured bytes from the header's start (link type 127: the whole frame)
 * @returns the header (fields not present or not reached are null) and why the walk stopped, if it did
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkRadiotap } from "./wlan.ts";
 * // Flags (FCS at end), rate 2 Mb/s, then the channel aligned to 2: 2412 MHz; then the 802.11 frame.
 * const b = new Uint8Array([0, 0, 14, 0, 0x0e, 0, 0, 0, 0x10, 4, 0x6c, 0x09, 0xa0, 0, 0xd4, 0]);
 * const w = walkRadiotap(b);
 * assert(w.error === null && w.header?.length === 14 && w.header.flags === 0x10 && w.header.rate === 4);
 * assert(w.header.channelFreq === 2412 && w.header.signal === null);
 * assert(walkRadiotap(b.subarray(0, 5)).error?.code === "WIRE_SHORT");
 * ```
 */
export function walkRadiotap(b: Uint8Array): RadiotapWalk {
  if (b.length < RT.end) return { header: null, error: shortError("radiotap", RT.end, b.length) };
  const version = b[RT.version], length = b[RT.length] | (b[RT.length + 1] << 8);
  if (version !== 0) {
    return {
      header: null,
      error: new WireError("radiotap", WireErrorCode.BAD_VERSION, `version ${version}`, 0),
    };
  }
  if (length < RT.end) {
    const e = new WireError("radiotap", WireErrorCode.BAD_LENGTH, `length ${length} < ${RT.end}`, RT.length);
    return { header: null, error: e };
  }
  const present = le32(b, RT.present);
  const v: Fields = {
    version,
    length,
    present,
    tsft: null,
    flags: null,
    rate: null,
    channelFreq: null,
    channelFlags: null,
    signal: null,
    noise: null,
    antenna: null,
  };
  // Only the captured part of the header can be read; past it a field's absence is the capture's doing.
  const end = Math.min(length, b.length);
  const cut = () =>
    length > b.length ? shortError("radiotap", length, b.length) : new WireError(
      "radiotap",
      WireErrorCode.BAD_LENGTH,
      `fields past the header's ${length} bytes`,
      length,
    );
  // The presence words: the first, then one more for each word with the extension bit.
  let last = RT.present;
  for (;;) {
    if (last + 4 > end) return { header: v, error: cut() };
    if (!(le32(b, last) & (1 << RtBit.ext))) break;
    last += 4;
  }
  const c = new Cpack(b, end, last + 4);
  let bit0 = 0, radiotapNs = true, skip = 0;
  let ok = true;
  words: for (let w = RT.present; w <= last; w += 4) {
    const word = le32(b, w);
    if (!radiotapNs) {
      // A vendor namespace's fields: skipped whole, by the length its announcement gave.
      if (!c.skip(skip)) {
        ok = false;
        break;
      }
      skip = 0;
    } else {
      for (let rest = word & ~(7 << RtBit.namespace); rest; rest &= rest - 1) {
        const bit = bit0 + (31 - Math.clz32(rest & -rest));
        // A field of unknown size (a TLV list, a bit past the table): nothing after it can be placed.
        if (bit >= RtBit.tlv) break words;
        if (!rtField(c, bit, v)) {
          ok = false;
          break words;
        }
      }
    }
    switch (word & ((1 << RtBit.namespace) | (1 << RtBit.vendor))) {
      case 0:
        bit0 += 32;
        break;
      case 1 << RtBit.namespace:
        bit0 = 0, radiotapNs = true, skip = 0;
        break;
      case 1 << RtBit.vendor: {
        // The announcement: OUI, sub-namespace, then the length of the vendor fields, aligned to 2.
        bit0 = 0, radiotapNs = false;
        const at = c.reserve(2);
        if (at < 0 || at + 6 > c.len) {
          ok = false;
          break words;
        }
        c.pos = at + 4;
        skip = c.u16()!;
        break;
      }
      default:
        // Both namespace bits: radiotap forbids it; nothing after can be placed.
        break words;
    }
  }
  return { header: v, error: !ok || length > b.length ? cut() : null };
}

/** 802.11 frame types (frame control bits 2-3). */
export const WlanType = { MGMT: 0, CTRL: 1, DATA: 2, EXT: 3 } as const;

/** Frame control flags (the second byte of the field). */
export const WlanFlag = {
  TO_DS: 0x01,
  FROM_DS: 0x02,
  MORE_FRAG: 0x04,
  RETRY: 0x08,
  PWR_MGMT: 0x10,
  MORE_DATA: 0x20,
  PROTECTED: 0x40,
  ORDER: 0x80,
} as const;

/** Offsets in the 802.11 header. */
const H = {
  fc: 0,
  flags: 1,
  duration: 2,
  addr1: 4,
  addr2: 10,
  addr3: 16,
  seq: 22,
  addr4: 24,
  mac: 6,
} as const;

/**
 * Control subtypes: how many addresses the header holds, and the frame's length without FCS (BA and BAR
 * without their variable part). Reserved subtypes: the receiver address alone, as tshark reads them.
 */
const CTRL: readonly (readonly [addrs: number, min: number])[] = [
  [1, 10], // 0 reserved
  [1, 10], // 1 reserved
  [2, 16], // 2 trigger
  [2, 16], // 3 TACK
  [2, 17], // 4 beamforming report poll
  [2, 17], // 5 VHT/HE NDP announcement
  [1, 10], // 6 control frame extension (DMG: its layouts vary)
  [1, 16], // 7 control wrapper: RA, carried frame control, HT control
  [2, 18], // 8 block ack request (+ starting sequence control unless multi-TID)
  [2, 18], // 9 block ack (+ starting sequence control and bitmap by BA type)
  [2, 16], // 10 PS-Poll: BSSID, TA
  [2, 16], // 11 RTS
  [1, 10], // 12 CTS
  [1, 10], // 13 ACK
  [2, 16], // 14 CF-End: RA, BSSID
  [2, 16], // 15 CF-End + CF-Ack
];

/** Management subtypes: the fixed fields before the elements, and whether elements follow. */
const MGMT: Readonly<Record<number, readonly [fixed: number, elements: boolean]>> = {
  0: [4, true], // association request
  1: [6, true], // association response
  2: [10, true], // reassociation request
  3: [6, true], // reassociation response
  4: [0, true], // probe request
  5: [12, true], // probe response
  8: [12, true], // beacon
  9: [0, false], // ATIM
  10: [2, true], // disassociation
  11: [6, false], // authentication (elements only for some algorithms: see below)
  12: [2, true], // deauthentication
  13: [2, false], // action: category and action (or OUI)
  14: [2, false], // action no ack
};

/** QoS control bit: the body is an A-MSDU. */
const QOS_AMSDU = 0x80;
/** The smallest encrypted body: WEP's IV and ICV (TKIP and CCMP have 8-byte headers). */
const PROTECTED_MIN = 8;

/** A decoded 802.11 MAC header. Addresses are views of the frame; null where the frame has no such field. */
export interface WlanHeader {
  /** Frame type: 0 management, 1 control, 2 data, 3 extension. */
  readonly type: number;
  /** Frame subtype (0-15). */
  readonly subtype: number;
  /** The frame control flags byte (see {@link WlanFlag}). */
  readonly flags: number;
  /** To DS. */
  readonly toDs: boolean;
  /** From DS. */
  readonly fromDs: boolean;
  /** Retry. */
  readonly retry: boolean;
  /** Protected frame (the body is encrypted). */
  readonly protected: boolean;
  /** Duration in microseconds (bits 0-14 of the duration/ID field), or null when it is a PS-Poll's AID. */
  readonly duration: number | null;
  /** Address 1 (receiver), or null when cut. */
  readonly addr1: Uint8Array | null;
  /** Address 2 (transmitter), or null. */
  readonly addr2: Uint8Array | null;
  /** Address 3, or null. */
  readonly addr3: Uint8Array | null;
  /** Address 4 (data frames with ToDS and FromDS), or null. */
  readonly addr4: Uint8Array | null;
  /** Sequence number (management and data frames), or null. */
  readonly seq: number | null;
  /** The QoS control field (QoS data subtypes), or null. */
  readonly qos: number | null;
  /** Source address (tshark's `wlan.sa`), or null. */
  readonly src: Uint8Array | null;
  /** Destination address (tshark's `wlan.da`), or null. */
  readonly dst: Uint8Array | null;
  /** BSS id (tshark's `wlan.bssid`), or null. */
  readonly bssid: Uint8Array | null;
  /** The header's length in bytes: addresses, QoS, HT control and data padding; the body starts here. */
  readonly hdrLen: number;
}

/** What {@link walkWlan} found. */
export interface WlanWalk {
  /** The header, or null when not even the frame control and duration are there (or the version is not 0). */
  header: WlanHeader | null;
  /** Offset of the body (may be past the captured bytes when the header is cut). */
  offset: number;
  /** Why the frame is incomplete (`WIRE_SHORT`) or impossible (`WIRE_BAD_VERSION`), or null. */
  error: WireError | null;
}

/** A duration/ID value that is an association id: bits 14 and 15 set, then 1-2007. */
const isAid = (v: number) => (v & 0xc000) === 0xc000 && (v & 0x3fff) >= 1 && (v & 0x3fff) <= 2007;

/** The body length the first element from `at` that does not fit needs (an id, a length, its bytes), or 0. */
function elementsNeed(b: Uint8Array, at: number): number {
  while (at < b.length) {
    if (at + 2 > b.length) return at + 2;
    if (at + 2 + b[at + 1] > b.length) return at + 2 + b[at + 1];
    at += 2 + b[at + 1];
  }
  return 0;
}

/**
 * The body length a control, management or protected frame cannot do without: its fixed fields, the
 * security header, the elements it holds (0: nothing required).
 */
function bodyNeed(type: number, sub: number, flags: number, body: Uint8Array): number {
  if (type === WlanType.CTRL) {
    if (sub !== 8 && sub !== 9) return 0;
    // BA/BAR control, then by the BA type (bits 1-4): a starting sequence control, and BA's bitmap.
    if (body.length < 2) return 2;
    const baType = (body[0] >> 1) & 0x0f;
    if (sub === 8) return baType <= 2 ? 4 : 2;
    return baType === 0 ? 4 + 128 : baType === 1 ? 4 + 9 : baType === 2 ? 4 + 8 : 2;
  }
  if (flags & WlanFlag.PROTECTED) {
    // (A frame without data has nothing to encrypt, whatever its flag says.)
    return type === WlanType.EXT || (type === WlanType.DATA && (sub & 4) !== 0) ? 0 : PROTECTED_MIN;
  }
  const m = type === WlanType.MGMT ? MGMT[sub] : undefined;
  if (!m) return 0;
  const [fixed, elements] = m;
  if (body.length < fixed) return fixed;
  // Authentication: elements follow the open system and shared key algorithms (SAE and FILS carry others).
  return elements || (sub === 11 && le16(body, 0) <= 1) ? elementsNeed(body, fixed) : 0;
}

/**
 * Reads an 802.11 MAC header (bare, or after a radiotap header) and checks that the fixed part of the body
 * its type requires is there: a control frame's fixed fields, a management frame's fixed fields and elements,
 * a protected frame's security header. Fields that are cut are null; the error says so.
 *
 * @param f the frame from its frame control field on, without FCS
 * @param dataPad the header is padded to a multiple of 4 bytes (radiotap flag 0x20)
 * @returns the header, the body's offset and why the frame is incomplete or impossible, if it is
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatMac } from "./address.ts";
 * import { walkWlan } from "./wlan.ts";
 * // A QoS data frame to the AP (ToDS): BSSID, source, destination, sequence 5, QoS TID 6, then LLC/SNAP.
 * const f = new Uint8Array(34);
 * f.set([0x88, 0x01, 0x2c, 0], 0);
 * f.set([0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], 26);
 * f[16] = 0x0d; f[22] = 0x50; f[24] = 6;
 * const w = walkWlan(f);
 * assert(w.error === null && w.offset === 26 && w.header?.type === 2 && w.header.subtype === 8);
 * assert(w.header.toDs && w.header.duration === 44 && w.header.seq === 5 && w.header.qos === 6);
 * assert(formatMac(w.header.dst!) === "0d:00:00:00:00:00" && w.header.addr4 === null);
 * assert(walkWlan(f.subarray(0, 20)).error?.code === "WIRE_SHORT");
 * ```
 */
export function walkWlan(f: Uint8Array, dataPad = false): WlanWalk {
  if (f.length < H.addr1) return { header: null, offset: 0, error: shortError("wlan", H.addr1, f.length) };
  const fc = f[H.fc], flags = f[H.flags];
  const version = fc & 3, type = (fc >> 2) & 3, sub = fc >> 4;
  if (version !== 0) {
    const e = new WireError("wlan", WireErrorCode.BAD_VERSION, `protocol version ${version}`, H.fc);
    return { header: null, offset: 0, error: e };
  }
  const toDs = (flags & WlanFlag.TO_DS) !== 0, fromDs = (flags & WlanFlag.FROM_DS) !== 0;
  // The header's layout: addresses, sequence control, QoS, HT control.
  let addrs: number, hasSeq = false, hasQos = false;
  let min: number;
  if (type === WlanType.CTRL) [addrs, min] = CTRL[sub];
  else if (type === WlanType.EXT) [addrs, min] = [1, H.addr2];
  else {
    addrs = type === WlanType.DATA && toDs && fromDs ? 4 : 3;
    hasSeq = true;
    hasQos = type === WlanType.DATA && (sub & 8) !== 0;
    min = 0;
  }
  let hdrLen = H.addr1 + H.mac * addrs + (hasSeq ? 2 : 0);
  if (hasQos) hdrLen += 2;
  if ((flags & WlanFlag.ORDER) && (hasQos || type === WlanType.MGMT)) hdrLen += 4;
  if (dataPad) hdrLen = (hdrLen + 3) & ~3;
  const addr = (n: number) => {
    const at = n === 4 ? H.addr4 : H.addr1 + H.mac * (n - 1);
    return n <= addrs && at + H.mac <= f.length ? f.subarray(at, at + H.mac) : null;
  };
  const a1 = addr(1), a2 = addr(2), a3 = addr(3), a4 = addr(4);
  const seqAt = H.seq, qosAt = H.seq + 2 + (addrs === 4 ? H.mac : 0);
  let src: Uint8Array | null = null, dst: Uint8Array | null = null, bssid: Uint8Array | null = null;
  if (type === WlanType.MGMT) [dst, src, bssid] = [a1, a2, a3];
  else if (type === WlanType.DATA) {
    [dst, src, bssid] = toDs
      ? (fromDs ? [a3, a4, null] : [a3, a2, a1])
      : (fromDs ? [a1, a3, a2] : [a1, a2, a3]);
  } else if (type === WlanType.CTRL) bssid = sub === 10 ? a1 : sub === 14 || sub === 15 ? a2 : null;
  else if (sub === 0) bssid = a1; // DMG beacon
  const header: WlanHeader = {
    type,
    subtype: sub,
    flags,
    toDs,
    fromDs,
    retry: (flags & WlanFlag.RETRY) !== 0,
    protected: (flags & WlanFlag.PROTECTED) !== 0,
    duration: type === WlanType.CTRL && sub === 10 && isAid(le16(f, H.duration))
      ? null
      : le16(f, H.duration) & 0x7fff,
    addr1: a1,
    addr2: a2,
    addr3: a3,
    addr4: a4,
    seq: hasSeq && seqAt + 2 <= f.length ? le16(f, seqAt) >> 4 : null,
    qos: hasQos && qosAt + 2 <= f.length ? le16(f, qosAt) : null,
    src,
    dst,
    bssid,
    hdrLen,
  };
  const need = Math.max(hdrLen, min);
  if (f.length < need) return { header, offset: hdrLen, error: shortError("wlan", need, f.length) };
  const body = f.subarray(hdrLen);
  const n = bodyNeed(type, sub, flags, body);
  if (body.length < n) return { header, offset: hdrLen, error: shortError("wlan", hdrLen + n, f.length) };
  return { header, offset: hdrLen, error: null };
}

/**
 * Whether a data frame's body is an 802.2 LLC header: not a frame without data, not protected, not an A-MSDU.
 *
 * @param h the frame's header
 * @returns true when the body starts with LLC
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkWlan, wlanCarriesLlc } from "./wlan.ts";
 * const nullFrame = walkWlan(new Uint8Array([0x48, 0x01, ...new Array(22).fill(0)])).header!;
 * assert(nullFrame.subtype === 4 && !wlanCarriesLlc(nullFrame));
 * ```
 */
export function wlanCarriesLlc(h: WlanHeader): boolean {
  if (h.type !== WlanType.DATA || (h.subtype & 4) !== 0 || h.protected) return false;
  return h.qos === null || (h.qos & QOS_AMSDU) === 0;
}
