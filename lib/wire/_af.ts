/**
 * Private: tcpdump 4.99.3's names of address family numbers (its `af_values`, IANA's numbers), as LLDP's
 * management address and CFM's sender ID print them.
 *
 * @module
 */

/** Address family number to name. */
export const AF_NAMES: Readonly<Record<number, string>> = {
  0: "Reserved",
  1: "IPv4",
  2: "IPv6",
  3: "NSAP",
  4: "HDLC",
  5: "BBN 1822",
  6: "802",
  7: "E.163",
  8: "E.164",
  9: "F.69",
  10: "X.121",
  11: "Novell IPX",
  12: "Appletalk",
  13: "Decnet IV",
  14: "Banyan Vines",
  15: "E.164 with NSAP subaddress",
  25: "VPLS",
  196: "Layer-2 VPN",
};
