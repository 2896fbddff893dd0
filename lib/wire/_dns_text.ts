/**
 * Private: DNS as tcpdump 4.99 prints it (print-domain.c's domain_print and ns_print), over UDP (53, and
 * multicast DNS on 5353) and TCP (53, after the 2-byte length). STUB: the text is the default
 * verbosity's plus what `-v`/`-vv`/`-vvv` add to answers; to be completed.
 *
 * @module
 */
import { dnsTypeText, formatDns, walkDns } from "./dns.ts";
import type { Printed } from "./_text.ts";

/** Where the message came from, and the options. */
export interface DnsTextContext {
  /** Port 5353: multicast DNS (QU/QM questions, cache-flush records). */
  mdns: boolean;
  /** Over TCP: the message follows a 2-byte length. */
  overTcp: boolean;
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
}

/**
 * tcpdump's text for a DNS message: what follows `src.port > dst.port: ` for UDP, and `length N` for TCP
 * (where it starts with a space).
 *
 * @param p the UDP or TCP payload's captured bytes (no more than `length`)
 * @param length the payload's length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump (its -x/-X then dump the
 *   whole frame); the text is e.g. `12345+ A? example.com. (29)`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emitDns } from "./dns.ts";
 * import { dnsText } from "./_dns_text.ts";
 * const b = emitDns({ id: 12345, rd: true, question: { name: "example.com.", qtype: 1 } });
 * assert.equal(dnsText(b, b.length, { mdns: false, overTcp: false, verbosity: 0 }).text,
 *   "12345+ A? example.com. (29)");
 * ```
 */
export function dnsText(p: Uint8Array, length: number, c: DnsTextContext): Printed {
  const done = (text: string) => ({ text, jump: false });
  if (c.overTcp) {
    if (p.length < 2 || length !== p.length) return done("");
    const n = (p[0] << 8) | p[1];
    if (n !== p.length - 2) return done("");
    const w = walkDns(p.subarray(2));
    if (!w.header) return done("");
    return done(" " + formatDns(w.header, n, false, c.verbosity > 0, c.verbosity));
  }
  if (length < 12) return done(`domain [length ${length} < 12] (invalid)`);
  const w = walkDns(p);
  if (!w.header) return done(" [|domain]");
  const h = w.header;
  // A query whose name is broken: tcpdump prints the type, then the name's error, then gives up.
  if (!h.qr && h.qdcount > 0 && !h.question && w.error) {
    const head = formatDns({ ...h, qdcount: 1 }, 0, c.mdns).replace(/ \(0\)$/, "");
    const q = skipName(p, 12);
    if (q < 0 || q + 2 > p.length) return done(`${head} [|domain]`);
    const why = w.error.code === "WIRE_BAD_POINTER" ? "<BAD PTR>" : "";
    return done(`${head} ${dnsTypeText((p[q] << 8) | p[q + 1])}? ${why} [|domain]`);
  }
  return done(formatDns(h, length, c.mdns, c.verbosity > 0, Math.max(1, c.verbosity)));
}

/** Skips a name without following pointers (tcpdump's ns_nskip); -1 when it runs off the end. */
function skipName(m: Uint8Array, at: number): number {
  for (let i = at; i < m.length;) {
    const l = m[i];
    if (l === 0) return i + 1;
    if ((l & 0xc0) === 0xc0) return i + 2;
    i += 1 + l;
  }
  return -1;
}
