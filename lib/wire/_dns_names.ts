/**
 * Private: tcpdump's names for DNS opcodes, response codes and classes (print-domain.c), shared by the
 * public one-line formatter (`dns.ts`) and the full printer (`_dns_text.ts`).
 *
 * @module
 */

/** Opcodes as they follow the id: `" notify"`; the standard query is "". */
export const DNS_OPCODES = [
  "",
  " inv_q",
  " stat",
  " op3",
  " notify",
  " update",
  " op6",
  " op7",
  " op8",
  " updateA",
  " updateD",
  " updateDA",
  " updateM",
  " updateMA",
  " zoneInit",
  " zoneRef",
];

/**
 * Response codes as they follow the id and opcode, extended ones (from the OPT record) included. Two entries
 * lack their space in tcpdump's table: kept.
 */
export const DNS_RCODES = [
  "",
  " FormErr",
  " ServFail",
  " NXDomain",
  " NotImp",
  " Refused",
  " YXDomain",
  " YXRRSet",
  " NXRRSet",
  " NotAuth",
  " NotZone",
  " Resp11",
  " Resp12",
  " Resp13",
  " Resp14",
  " NoChange",
  " BadVers",
  "Resp17",
  " Resp18",
  " Resp19",
  " Resp20",
  "Resp21",
  " Resp22",
  " BadCookie",
];

/**
 * A class as tcpdump names it.
 *
 * @param c the class
 * @returns e.g. `CHAOS`, `(Class 7)`
 */
export function dnsClassText(c: number): string {
  return CLASSES[c] ?? `(Class ${c})`;
}

const CLASSES: Record<number, string> = { 1: "IN", 3: "CHAOS", 4: "HS", 255: "ANY" };
