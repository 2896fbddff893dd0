/**
 * Kernel constants, each with the header it comes from. Values are for Linux; an architecture whose values
 * differ is switched on `Deno.build.arch`.
 *
 * @module
 */

/** Address families (linux/socket.h). */
export const AF_INET = 2;
/** IPv6 (linux/socket.h). */
export const AF_INET6 = 10;
/** Packet sockets (linux/socket.h). */
export const AF_PACKET = 17;

/** Socket-level options (asm-generic/socket.h; x86_64 and aarch64 share these). */
export const SOL_SOCKET = 1;
/** Whether a socket is listening (asm-generic/socket.h). */
export const SO_ACCEPTCONN = 30;
