/**
 * Private: Telnet (TCP port 23) and RESP (TCP port 6379) as tcpdump 4.99 prints it. STUB: to be written.
 *
 * @module
 */
import type { Printed } from "./_text.ts";

/** The context. */
export interface TcpAppContext {
  /** 0 without `-v`, else the number of `v`s. */
  verbosity: number;
}

/**
 * tcpdump's text: a stub.
 *
 * @param p the captured bytes
 * @param length the length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function telnetText(p: Uint8Array, length: number, c: TcpAppContext): Printed {
  void p, c, length;
  return { text: "", jump: false };
}

/**
 * tcpdump's text: a stub.
 *
 * @param p the captured bytes
 * @param length the length on the wire
 * @param c the context
 * @returns the text, and whether tcpdump's printer stopped by a long jump
 */
export function respText(p: Uint8Array, length: number, c: TcpAppContext): Printed {
  void p, c, length;
  return { text: "", jump: false };
}
