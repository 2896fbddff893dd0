/**
 * tcpdump 4.99's Kerberos printer (krb_print, UDP ports 88 and 750): the protocol version, and for Kerberos 4
 * the message (`v4 be KDC_REQUEST: alice..@ATHENA 60min krbtgt.ATHENA`). Kerberos 5 messages (ASN.1
 * application tags 10 and 11, AS-REQ and AS-REP) print as ` v5` and are not decoded further, as in tcpdump;
 * its other messages print nothing after the ports.
 *
 * @module
 */
import { type Printed, textChar } from "./_text.ts";

/** Read past the captured bytes: tcpdump's long jump. */
class Cut extends Error {}

const TYPES: Record<number, string> = {
  2: "KDC_REQUEST",
  4: "KDC_REPLY",
  6: "APPL_REQUEST",
  8: "APPL_REQUEST_MUTUAL",
  10: "ERR_REPLY",
  12: "PRIVATE",
  14: "SAFE",
  16: "APPL_ERR",
  126: "DIE",
};

const ERRORS = [
  "OK",
  "NAME_EXP",
  "SERVICE_EXP",
  "AUTH_EXP",
  "PKT_VER",
  "NAME_MAST_KEY_VER",
  "SERV_MAST_KEY_VER",
  "BYTE_ORDER",
  "PRINCIPAL_UNKNOWN",
  "PRINCIPAL_NOT_UNIQUE",
  "NULL_KEY",
];

/**
 * The text after the ports of a Kerberos datagram.
 *
 * @param p the captured data
 * @returns the text (` v5`, ` v4 le KDC_REPLY: ...`, or "" for what tcpdump leaves unnamed) and whether it
 *   ended by a long jump
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { krbText } from "./_krb.ts";
 * assert.equal(krbText(new Uint8Array([0x6a, 0x81, 0x9f])).text, " v5");
 * ```
 */
export function krbText(p: Uint8Array): Printed {
  let s = "";
  const at = (k: number) => {
    if (k >= p.length) throw new Cut();
    return p[k];
  };
  try {
    const pvno = at(0);
    if (pvno >= 1 && pvno <= 4) s += ` v${pvno}`;
    else if (pvno === 106 || pvno === 107) s += " v5";
    if (pvno !== 4) return { text: s, jump: false };
    const le = (at(1) & 1) !== 0;
    const type = at(1) & 0xfe;
    const u16 = (k: number) => le ? at(k) | (at(k + 1) << 8) : (at(k) << 8) | at(k + 1);
    s += ` ${le ? "le" : "be"} ${TYPES[type] ?? `#${type}`}: `;
    let cp = 0;
    // A NUL-terminated string; none before the capture ends: ` [|krb]`.
    const str = (): boolean => {
      while (cp < p.length) {
        const c = p[cp++];
        if (c === 0) return true;
        s += textChar(c);
      }
      return false;
    };
    const trunc = () => ({ text: s + " [|krb]", jump: false });
    const header = () => {
      cp = 2;
      if (!str()) return false;
      s += ".";
      if (!str()) return false;
      s += "@";
      return str();
    };
    switch (type) {
      case 2:
        if (!header()) return trunc();
        cp += 4;
        s += ` ${at(cp) * 5}min `;
        cp++;
        if (!str()) return trunc();
        s += ".";
        if (!str()) return trunc();
        break;
      case 6:
        cp = 2;
        s += `v${at(cp)} `;
        cp++;
        if (!str()) return trunc();
        s += ` (${at(cp)})`;
        cp++;
        s += ` (${at(cp)})`;
        break;
      case 4:
        if (!header()) return trunc();
        cp += 10;
        s += ` (${u16(cp)})`;
        break;
      case 10: {
        if (!header()) return trunc();
        cp += 4;
        const err = u16(cp);
        s += ` ${ERRORS[err] ?? `#${err}`} `;
        cp += 4;
        if (!str()) return trunc();
        break;
      }
      default:
        s += "(unknown)";
    }
    return { text: s, jump: false };
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    return { text: s + " [|krb]", jump: true };
  }
}
