/**
 * Test frames shared by the tunnel tests: Ethernet + IPv4/IPv6 + UDP around a payload, with fixed addresses.
 *
 * @module
 */
import { emitEthernet } from "../../lib/wire/ethernet.ts";
import { emitIpv4 } from "../../lib/wire/ipv4.ts";
import { emitIpv6 } from "../../lib/wire/ipv6.ts";
import { emitUdp } from "../../lib/wire/udp.ts";

/** The IPv4 addresses of {@link udp4}. */
export const A = { src: "10.0.0.1", dst: "10.0.0.2" };
/** The IPv6 addresses of {@link udp6}. */
export const A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
/** The MAC addresses of both. */
export const MAC = { src: "00:11:22:33:44:55", dst: "66:77:88:99:aa:bb" };

/** An Ethernet + IPv4 + UDP datagram with these ports around `payload` (a UDP length, if given). */
export function udp4(sp: number, dp: number, payload: Uint8Array, udpLength?: number): Uint8Array {
  return emitEthernet(
    { ...MAC, ethertype: 0x0800 },
    emitIpv4({ ...A, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp, length: udpLength }, payload, A)),
  );
}

/** An Ethernet + IPv6 + UDP datagram with these ports around `payload`. */
export function udp6(sp: number, dp: number, payload: Uint8Array): Uint8Array {
  return emitEthernet(
    { ...MAC, ethertype: 0x86dd },
    emitIpv6({ ...A6, proto: 17 }, emitUdp({ srcPort: sp, dstPort: dp }, payload, A6)),
  );
}
