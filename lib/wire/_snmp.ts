/**
 * tcpdump's text for SNMP (RFC 1157, 3416, 3412/3414; UDP ports 161 and 162) as it prints it without
 * libsmi and with `-n`: OIDs in numbers, each arc after a dot.
 *
 * ```text
 * SEQUENCE { version INTEGER, community OCTET STRING, PDU }                              v1, v2c
 * SEQUENCE { version 3, SEQUENCE { msgID, msgMaxSize, msgFlags, msgSecurityModel },
 *            msgSecurityParameters OCTET STRING (USM SEQUENCE), SEQUENCE { contextEngineID,
 *            contextName, PDU } }                                                          v3
 * PDU:  [n] { request-id, error-status, error-index, SEQUENCE OF SEQUENCE { name OID, value } }
 * Trap: [4] { enterprise OID, agent-addr IpAddress, generic-trap, specific-trap, time-stamp, varbinds }
 * ```
 *
 * - Default: ` GetRequest(28)  .1.3.6.1.2.1.1.1.0`, ` C="private" GetNextRequest(43)  .1.3.6.1.4.1.2021.4.5.0`
 *   (the community only when it is not `public`), ` GetResponse(34)  .1.3.6.1.2.1.1.1.0="Linux box"`,
 *   ` GetBulk(24)  N=0 M=10 .1.3.6.1.2.1.2.2`, ` F=ap U="user" E=_80_00 C="" GetRequest(14) ...` for v3.
 *   The doubled spaces are tcpdump's: one after the PDU, one before each variable.
 * - `-v` adds braces, the version, the request id and USM's boots and time:
 *   ` { SNMPv2c { GetRequest(25) R=28  .1.3.6.1.2.1.1.1.0 } } `.
 * - A value tcpdump does not expect is named in brackets and ends the text (`[objName!=OID]`,
 *   `[len8<asnlen49]`, `[v1 PDU in v2 message]`); a byte past the capture ends it with ` [|snmp]`.
 *
 * A BER length longer than 4 bytes wraps at 32 bits, an INTEGER at 32 bits (sign-extended), an OID arc
 * at 32 bits signed, a Counter64 at 64: as tcpdump's C arithmetic does. Its class table names every class `x` (a macro that does not expand).
 *
 * @module
 */
import { Cut, u8 } from "./_text.ts";

const UNIVERSAL = [
  "U-0",
  "Boolean",
  "Integer",
  "Bitstring",
  "String",
  "Null",
  "ObjID",
  "ObjectDes",
  "U-8",
  "U-9",
  "U-10",
  "U-11",
  "U-12",
  "U-13",
  "U-14",
  "U-15",
  "Sequence",
  "Set",
];
const APPLICATION = ["IpAddress", "Counter", "Gauge", "TimeTicks", "Opaque", "C-5", "Counter64"];
const CONTEXT = [
  "GetRequest",
  "GetNextRequest",
  "GetResponse",
  "SetRequest",
  "Trap",
  "GetBulk",
  "Inform",
  "V2Trap",
  "Report",
];
const EXCEPTIONS = ["noSuchObject", "noSuchInstance", "endOfMibView"];
const CLASS_IDS = [UNIVERSAL, APPLICATION, CONTEXT, ["P-0"]];
const ERROR_STATUS = [
  "noError",
  "tooBig",
  "noSuchName",
  "badValue",
  "readOnly",
  "genErr",
  "noAccess",
  "wrongType",
  "wrongLength",
  "wrongEncoding",
  "wrongValue",
  "noCreation",
  "inconsistentValue",
  "resourceUnavailable",
  "commitFailed",
  "undoFailed",
  "authorizationError",
  "notWritable",
  "inconsistentName",
];
const GENERIC_TRAP = [
  "coldStart",
  "warmStart",
  "linkDown",
  "linkUp",
  "authenticationFailure",
  "egpNeighborLoss",
  "enterpriseSpecific",
];
const VERSION = ["SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"];
/** The community tcpdump leaves out. */
const PUBLIC = [...new TextEncoder().encode("public")];

/** PDU tags (context class). */
const Pdu = {
  GET: 0,
  GETNEXT: 1,
  RESPONSE: 2,
  SET: 3,
  TRAP: 4,
  GETBULK: 5,
  INFORM: 6,
  V2TRAP: 7,
  REPORT: 8,
} as const;
/** PDUs whose error fields must be 0: tcpdump flags a non-zero one. */
const NO_ERROR_PDUS: number[] = [Pdu.GET, Pdu.GETNEXT, Pdu.SET, Pdu.INFORM, Pdu.V2TRAP, Pdu.REPORT];
const READ_PDUS: number[] = [Pdu.GET, Pdu.GETNEXT, Pdu.GETBULK];
const GT_ENTERPRISE = 6;

/** What tcpdump's decoder made of an element (its `BE_` types). */
type Be =
  | "any"
  | "null"
  | "octet"
  | "oid"
  | "int"
  | "uns"
  | "uns64"
  | "str"
  | "seq"
  | "inetaddr"
  | "pdu"
  | "exception";

/** One decoded BER element: where its contents are and what tcpdump made of them. */
interface Elem {
  type: Be;
  id: number;
  /** Offset of the contents in the payload. */
  at: number;
  /** Contents length. */
  len: number;
  /** INTEGER (signed) or Counter/Gauge/TimeTicks (unsigned), 32 bits. */
  num: number;
  /** Counter64. */
  big: bigint;
}

/**
 * The text for an SNMP datagram.
 *
 * @param p the captured payload (it may run past `length`: tcpdump reads up to the captured end)
 * @param length the datagram's payload length
 * @param verbose `-v`
 * @returns the text after the ports (it starts with a space, as tcpdump's)
 */
export function snmpText(p: Uint8Array, length: number, verbose = false): string {
  const d = new Snmp(p, verbose);
  try {
    d.message(length);
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    d.s += " [|snmp]";
  }
  return d.s;
}

/** A signed 32-bit value printed as C's `%u`. */
const uns = (x: number) => x >>> 0;

class Snmp {
  s = " ";
  constructor(readonly p: Uint8Array, readonly v: boolean) {}

  /** tcpdump's "not all captured" check that prints the mark and fails softly (callers carry on). */
  #captured(at: number, n: number): boolean {
    if (at + n <= this.p.length) return true;
    this.s += " [|snmp]";
    return false;
  }

  /** One element at `at` with `len` bytes left in the datagram (asn1_parse); null after printing why. */
  parse(at: number, len: number): [Elem, number] | null {
    const p = this.p;
    if (len < 1) {
      this.s += "[nothing to parse]";
      return null;
    }
    const tag = u8(p, at);
    let id = tag & 0x1f;
    const form = (tag & 0x20) >> 5, cls = (tag & 0xc0) >> 6;
    at++, len--;
    let hdr = 1;
    if (id === 0x1f) {
      // The id is kept in a byte: longer ids wrap.
      id = 0;
      while (u8(p, at) & 0x80) {
        if (len < 1) {
          this.s += "[Xtagfield?]";
          return null;
        }
        id = ((id << 7) | (p[at] & 0x7f)) & 0xff;
        len--, hdr++, at++;
      }
      if (len < 1) {
        this.s += "[Xtagfield?]";
        return null;
      }
      id = ((id << 7) | u8(p, at)) & 0xff;
      len--, hdr++, at++;
    }
    if (len < 1) {
      this.s += "[no asnlen]";
      return null;
    }
    let asnlen = u8(p, at);
    at++, len--, hdr++;
    if (asnlen & 0x80) {
      let noct = asnlen & 0x7f;
      asnlen = 0;
      if (len < noct) {
        this.s += `[asnlen? ${len}<${noct}]`;
        return null;
      }
      if (!this.#captured(at, noct)) return null;
      for (; noct !== 0; len--, hdr++, noct--) asnlen = uns((asnlen << 8) | p[at++]);
    }
    if (len < asnlen) {
      this.s += `[len${len}<asnlen${asnlen}]`;
      return null;
    }
    const ids = CLASS_IDS[cls];
    if (id >= ids.length) {
      this.s += `[id?${form ? "C" : "P"}/x/${id}]`;
      return null;
    }
    if (!this.#captured(at, asnlen)) return null;
    const e: Elem = { type: "any", id, at, len: asnlen, num: 0, big: 0n };
    if (form === 0) {
      if (cls === 0) {
        if (id === 4) e.type = "str";
        else if (id === 2) {
          if (asnlen === 0) {
            this.s += "[asnlen=0]";
            return null;
          }
          let n = p[at] & 0x80 ? 0xffffffff : 0;
          for (let k = 0; k < asnlen; k++) n = uns((n << 8) | p[at + k]);
          e.type = "int";
          e.num = n | 0;
        } else if (id === 6) e.type = "oid";
        else if (id === 5) e.type = "null";
        else {
          e.type = "octet";
          this.s += `[P/U/${ids[id]}]`;
        }
      } else if (cls === 1) {
        if (id === 0) e.type = "inetaddr";
        else if (id >= 1 && id <= 3) {
          let n = 0;
          for (let k = 0; k < asnlen; k++) n = uns(n * 256 + p[at + k]);
          e.type = "uns";
          e.num = n;
        } else if (id === 6) {
          let n = 0n;
          for (let k = 0; k < asnlen; k++) n = BigInt.asUintN(64, (n << 8n) + BigInt(p[at + k]));
          e.type = "uns64";
          e.big = n;
        } else {
          e.type = "octet";
          this.s += `[P/A/${ids[id]}]`;
        }
      } else if (cls === 2) {
        // Only the three exceptions mean something here; other ids stay "any".
        if (id <= 2) e.type = "exception";
      } else {
        this.s += `[P/x/${ids[id]}]`;
        e.type = "octet";
      }
    } else {
      if (cls === 0 && id === 16) e.type = "seq";
      else if (cls === 2) e.type = "pdu";
      else {
        e.type = "octet";
        this.s += cls === 0 ? `C/U/${ids[id]}` : `C/x/${ids[id]}`;
      }
    }
    return [e, asnlen + hdr];
  }

  /** Contents as `_xx` per byte (asn1_print_octets). */
  octets(e: Elem): boolean {
    if (!this.#captured(e.at, e.len)) return false;
    for (let k = 0; k < e.len; k++) this.s += "_" + this.p[e.at + k].toString(16).padStart(2, "0");
    return true;
  }

  /** A string: quoted when every byte is printable ASCII, else hex bytes joined by `_`. */
  string(e: Elem): boolean {
    if (!this.#captured(e.at, e.len)) return false;
    const b = this.p.subarray(e.at, e.at + e.len);
    if (b.every((c) => c >= 0x20 && c <= 0x7e)) {
      let t = "";
      for (const c of b) t += String.fromCharCode(c);
      this.s += `"${t}"`;
    } else this.s += Array.from(b, (c) => c.toString(16).padStart(2, "0")).join("_");
    return true;
  }

  /** An element's value (asn1_print); false after a soft truncation. */
  print(e: Elem): boolean {
    switch (e.type) {
      case "octet":
        return this.octets(e);
      case "null":
        return true;
      case "oid": {
        // tcpdump keeps the arc in a C int: it wraps at 32 bits and can turn negative, and the first
        // arc's division then truncates toward zero.
        let o = 0, first = true;
        for (let k = 0; k < e.len; k++) {
          const c = u8(this.p, e.at + k);
          o = ((o << 7) + (c & 0x7f)) | 0;
          if (c & 0x80) continue;
          // X.690 8.19.4: the first number holds two arcs, 40 * first + second.
          if (first) {
            const s = Math.min(Math.trunc(o / 40), 2);
            this.s += `.${uns(s)}`;
            o = (o - s * 40) | 0;
            first = false;
          }
          this.s += `.${uns(o)}`;
          o = 0;
        }
        return true;
      }
      case "int":
        this.s += `${e.num}`;
        return true;
      case "uns":
        this.s += `${e.num}`;
        return true;
      case "uns64":
        this.s += `${e.big}`;
        return true;
      case "str":
        return this.string(e);
      case "seq":
        this.s += `Seq(${e.len})`;
        return true;
      case "inetaddr": {
        if (e.len !== 4) this.s += "[inetaddr len!=4]";
        if (!this.#captured(e.at, e.len)) return false;
        this.s += Array.from(this.p.subarray(e.at, e.at + e.len)).join(".");
        return true;
      }
      case "exception":
        this.s += `[${EXCEPTIONS[e.id]}]`;
        return true;
      case "pdu":
        this.s += `${CONTEXT[e.id]}(${e.len})`;
        return true;
      case "any":
        this.s += "[BE_ANY!?]";
        return true;
    }
  }

  /**
   * Parses one element that must be of `type`; otherwise prints `[what]` and the element, and fails.
   * @returns the element and the bytes it took, or null
   */
  expect(at: number, len: number, type: Be, what: string): [Elem, number] | null {
    const r = this.parse(at, len);
    if (!r) return null;
    if (r[0].type !== type) {
      this.s += `[${what}]`;
      this.print(r[0]);
      return null;
    }
    return r;
  }

  message(length: number): void {
    const r = this.expect(0, length, "seq", "!init SEQ");
    if (!r) return;
    const [seq, count] = r;
    if (count < length) this.s += `[${length - count} extra after iSEQ]`;
    let at = seq.at, len = seq.len;
    const ver = this.expect(at, len, "int", "version!=INT");
    if (!ver) return;
    const version = ver[0].num;
    if (version !== 0 && version !== 1 && version !== 3) {
      this.s += `SNMP [version = ${version}]`;
      return;
    }
    if (this.v) this.s += `{ ${VERSION[version]} `;
    at += ver[1], len -= ver[1];
    if (version === 3) this.v3(at, len);
    else this.community(at, len, version);
    if (this.v) this.s += "} ";
  }

  community(at: number, len: number, version: number): void {
    const r = this.expect(at, len, "str", "comm!=STR");
    if (!r) return;
    const [c, count] = r;
    const isPublic = c.len === 6 && PUBLIC.every((b, k) => this.p[c.at + k] === b);
    if (!isPublic) {
      this.s += "C=";
      if (!this.string(c)) return;
      this.s += " ";
    }
    this.pdu(at + count, len - count, version);
  }

  pdu(at: number, len: number, version: number): void {
    const r = this.parse(at, len);
    if (!r) return;
    const [pdu, count] = r;
    if (pdu.type !== "pdu") {
      this.s += "[no PDU]";
      return;
    }
    if (count < len) this.s += `[${len - count} extra after PDU]`;
    if (this.v) this.s += "{ ";
    this.print(pdu);
    this.s += " ";
    const id = pdu.id;
    if (
      version === 0 && (id === Pdu.GETBULK || id === Pdu.INFORM || id === Pdu.V2TRAP || id === Pdu.REPORT)
    ) {
      this.s += "[v2 PDU in v1 message]";
      return;
    }
    if (version === 1 && id === Pdu.TRAP) {
      this.s += "[v1 PDU in v2 message]";
      return;
    }
    if (id === Pdu.TRAP) this.trap(pdu.at, pdu.len);
    else this.request(id, pdu.at, pdu.len);
    if (this.v) this.s += " } ";
  }

  request(id: number, at: number, len: number): void {
    const req = this.expect(at, len, "int", "reqId!=INT");
    if (!req) return;
    if (this.v) this.s += `R=${req[0].num} `;
    at += req[1], len -= req[1];
    const st = this.expect(at, len, "int", "errorStatus!=INT");
    if (!st) return;
    const status = st[0].num;
    const errorText = (e: number) => ERROR_STATUS[e] ?? `err=${uns(e)}`;
    let errorStatus = 0;
    if (NO_ERROR_PDUS.includes(id) && status !== 0) this.s += `[errorStatus(${errorText(status)})!=0]`;
    else if (id === Pdu.GETBULK) this.s += ` N=${status}`;
    else if (status !== 0) {
      this.s += ` ${errorText(status)}`;
      errorStatus = status;
    }
    at += st[1], len -= st[1];
    const ix = this.expect(at, len, "int", "errorIndex!=INT");
    if (!ix) return;
    const index = ix[0].num;
    if (NO_ERROR_PDUS.includes(id) && index !== 0) this.s += `[errorIndex(${index})!=0]`;
    else if (id === Pdu.GETBULK) this.s += ` M=${index}`;
    else if (index !== 0) this.s += errorStatus ? `@${index}` : `[errorIndex(${index}) w/o errorStatus]`;
    else if (errorStatus) this.s += "[errorIndex==0]";
    this.varbinds(id, at + ix[1], len - ix[1]);
  }

  trap(at: number, len: number): void {
    this.s += " ";
    const ent = this.expect(at, len, "oid", "enterprise!=OID");
    if (!ent || !this.print(ent[0])) return;
    at += ent[1], len -= ent[1];
    this.s += " ";
    const agent = this.expect(at, len, "inetaddr", "agent-addr!=INETADDR");
    if (!agent || !this.print(agent[0])) return;
    at += agent[1], len -= agent[1];
    const gen = this.expect(at, len, "int", "generic-trap!=INT");
    if (!gen) return;
    const generic = gen[0].num;
    this.s += ` ${GENERIC_TRAP[generic] ?? `gt=${generic}`}`;
    at += gen[1], len -= gen[1];
    const spec = this.expect(at, len, "int", "specific-trap!=INT");
    if (!spec) return;
    const specific = spec[0].num;
    if (generic !== GT_ENTERPRISE) {
      if (specific !== 0) this.s += `[specific-trap(${specific})!=0]`;
    } else this.s += ` s=${specific}`;
    at += spec[1], len -= spec[1];
    this.s += " ";
    const time = this.expect(at, len, "uns", "time-stamp!=TIMETICKS");
    if (!time || !this.print(time[0])) return;
    this.varbinds(Pdu.TRAP, at + time[1], len - time[1]);
  }

  varbinds(id: number, at: number, len: number): void {
    const r = this.expect(at, len, "seq", "!SEQ of varbind");
    if (!r) return;
    if (r[1] < len) this.s += `[${len - r[1]} extra after SEQ of varbind]`;
    at = r[0].at, len = r[0].len;
    const read = READ_PDUS.includes(id);
    while (len) {
      this.s += " ";
      const vb = this.expect(at, len, "seq", "!varbind");
      if (!vb) return;
      const end = at + vb[1], rest = len - vb[1];
      at = vb[0].at, len = vb[0].len;
      const name = this.expect(at, len, "oid", "objName!=OID");
      if (!name || !this.print(name[0])) return;
      at += name[1], len -= name[1];
      if (!read) this.s += "=";
      const val = this.parse(at, len);
      if (!val) return;
      if (read) {
        if (val[0].type !== "null") {
          this.s += "[objVal!=NULL]";
          if (!this.print(val[0])) return;
        }
      } else if (val[0].type !== "null" && !this.print(val[0])) return;
      at = end, len = rest;
    }
  }

  v3(start: number, total: number): void {
    const r = this.expect(start, total, "seq", "!message");
    if (!r) return;
    let at = r[0].at, len = r[0].len;
    if (this.v) this.s += "{ ";
    const id = this.expect(at, len, "int", "msgID!=INT");
    if (!id) return;
    at += id[1], len -= id[1];
    const max = this.expect(at, len, "int", "msgMaxSize!=INT");
    if (!max) return;
    at += max[1], len -= max[1];
    const fl = this.expect(at, len, "str", "msgFlags!=STR");
    if (!fl) return;
    if (fl[0].len !== 1) {
      this.s += `[msgFlags size ${fl[0].len}]`;
      return;
    }
    const flags = u8(this.p, fl[0].at);
    if (![0, 1, 3, 4, 5, 7].includes(flags)) {
      this.s += `[msgFlags=0x${flags.toString(16).toUpperCase().padStart(2, "0")}]`;
      return;
    }
    at += fl[1], len -= fl[1];
    this.s += `F=${flags & 1 ? "a" : ""}${flags & 2 ? "p" : ""}${flags & 4 ? "r" : ""} `;
    const mod = this.expect(at, len, "int", "msgSecurityModel!=INT");
    if (!mod) return;
    const model = mod[0].num;
    at += mod[1], len -= mod[1];
    // tcpdump compares with what is left after the model, not with the model's own size.
    if (mod[1] < len) this.s += `[${len - mod[1]} extra after message SEQ]`;
    if (this.v) this.s += "} ";
    if (model !== 3) {
      this.s += `[security model ${model}]`;
      return;
    }
    if (this.v) this.s += "{ USM ";
    // The scoped PDU is looked for right after the model, inside the datagram as a whole.
    len = total - (at - start);
    const sec = this.expect(at, len, "str", "msgSecurityParameters!=STR");
    if (!sec) return;
    at += sec[1], len -= sec[1];
    this.usm(sec[0].at, sec[0].len);
    if (this.v) this.s += "} ";
    if (this.v) this.s += "{ ScopedPDU ";
    this.scoped(at, len);
    if (this.v) this.s += "} ";
  }

  usm(at: number, len: number): void {
    const r = this.expect(at, len, "seq", "!usm");
    if (!r) return;
    at = r[0].at, len = r[0].len;
    const engine = this.expect(at, len, "str", "msgAuthoritativeEngineID!=STR");
    if (!engine) return;
    at += engine[1], len -= engine[1];
    const boots = this.expect(at, len, "int", "msgAuthoritativeEngineBoots!=INT");
    if (!boots) return;
    if (this.v) this.s += `B=${boots[0].num} `;
    at += boots[1], len -= boots[1];
    const time = this.expect(at, len, "int", "msgAuthoritativeEngineTime!=INT");
    if (!time) return;
    if (this.v) this.s += `T=${time[0].num} `;
    at += time[1], len -= time[1];
    const user = this.expect(at, len, "str", "msgUserName!=STR");
    if (!user) return;
    at += user[1], len -= user[1];
    this.s += "U=";
    if (!this.string(user[0])) return;
    this.s += " ";
    const auth = this.expect(at, len, "str", "msgAuthenticationParameters!=STR");
    if (!auth) return;
    at += auth[1], len -= auth[1];
    const priv = this.expect(at, len, "str", "msgPrivacyParameters!=STR");
    if (!priv) return;
    len -= priv[1];
    if (priv[1] < len) this.s += `[${len - priv[1]} extra after usm SEQ]`;
  }

  scoped(at: number, len: number): void {
    const r = this.expect(at, len, "seq", "!scoped PDU");
    if (!r) return;
    at = r[0].at, len = r[0].len;
    const engine = this.expect(at, len, "str", "contextEngineID!=STR");
    if (!engine) return;
    at += engine[1], len -= engine[1];
    this.s += "E=";
    if (!this.octets(engine[0])) return;
    this.s += " ";
    const name = this.expect(at, len, "str", "contextName!=STR");
    if (!name) return;
    at += name[1], len -= name[1];
    this.s += "C=";
    if (!this.string(name[0])) return;
    this.s += " ";
    this.pdu(at, len, 3);
  }
}
