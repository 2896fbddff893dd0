/**
 * Inject command lines shared by the crafting tests and the `inject` command's tests.
 *
 * @module
 */

/** A layer 2 UDP datagram on `lo`, 10.0.0.1 to 10.0.0.2 port 9, with both MACs given. */
export const L2_UDP_ARGS: readonly string[] = [
  "udp",
  "-i",
  "lo",
  "--src-mac",
  "02:00:00:00:00:01",
  "--dst-mac",
  "02:00:00:00:00:02",
  "--dst",
  "10.0.0.2",
  "--src",
  "10.0.0.1",
  "--dport",
  "9",
];
