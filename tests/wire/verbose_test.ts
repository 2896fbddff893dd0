/**
 * The `-v` (and `-vv`, `-vvv`) text of NTP, DHCPv6, BOOTP/DHCP, HTTP and ICMPv6 neighbour discovery, as
 * tcpdump 4.99 prints it. Golden packets (the text tcpdump 4.99.3 printed for them, checked again against
 * the installed tcpdump when there is one); where scapy and tcpdump are installed, packets made now with
 * scapy (odd values, malformed and short ones included) are compared with `tcpdump -n` packet by packet,
 * continuation lines included, whole and cut at every length; and the new dissectors are fed random and
 * mutated bytes and must not throw.
 */
import assert from "node:assert/strict";
import { needCommands, needScapy, run, SCAPY_PYTHON, testIf } from "../_helpers.ts";
import { type Frame, pcapBytes } from "./_pcap.ts";
import { Rng } from "./_rand.ts";
import { PacketDecoder } from "../../lib/wire/decoder.ts";
import { PacketSummarizer, summarize, type SummaryOptions } from "../../lib/wire/summary.ts";
import { readPacketsSync } from "../../lib/pcap/reader.ts";
import { ntpText } from "../../lib/wire/_ntp.ts";
import { dhcp6Text } from "../../lib/wire/_dhcp6.ts";
import { bootpText } from "../../lib/wire/_bootp.ts";
import { httpText } from "../../lib/wire/_txtproto.ts";
import { ndText } from "../../lib/wire/_nd.ts";

const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

/** tcpdump's `-v` flags as summary options. */
function options(flags: string[]): SummaryOptions {
  const verbosity = flags.filter((f) => /^-v+$/.test(f)).reduce((n, f) => n + f.length - 1, 0);
  return { verbose: verbosity > 0, verbosity };
}

/**
 * One golden: an Ethernet frame (hex), tcpdump's flags, the captured length (0: all of it) and what
 * tcpdump 4.99.3 printed after the timestamp.
 */
type Golden = [frame: string, flags: string[], snap: number, text: string];

const GOLDEN: Golden[] = [
  [
    "66778899aabb00112233445508004500004c000100004011669e0a0000010a000002007b007b0038c785230000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    10.0.0.1.123 > 10.0.0.2.123: NTPv4, Client, length 48\n\tLeap indicator:  (0), Stratum 0 (unspecified), poll 0 (1s), precision 0\n\tRoot Delay: 0.000000, Root dispersion: 0.000000, Reference-ID: (unspec)\n\t  Reference Timestamp:  0.000000000\n\t  Originator Timestamp: 0.000000000\n\t  Receive Timestamp:    0.000000000\n\t  Transmit Timestamp:   0.000000000\n\t    Originator - Receive Timestamp:  0.000000000\n\t    Originator - Transmit Timestamp: 0.000000000",
  ],
  [
    "66778899aabb00112233445508004500004c000100004011669e0a0000010a000002007b007b0038509ce40206e90001040000000800c0a80001e93c7f0080000000e93c7f0112345678e93c7f0102345678e93c7f02ffffffff",
    ["-vv"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    10.0.0.1.123 > 10.0.0.2.123: [udp sum ok] NTPv4, Server, length 48\n\tLeap indicator: clock unsynchronized (192), Stratum 2 (secondary reference), poll 6 (64s), precision -23\n\tRoot Delay: 1.015625, Root dispersion: 0.031250, Reference-ID: 0xc0a80001\n\t  Reference Timestamp:  3913056000.500000000 (2024-01-01T00:00:00Z)\n\t  Originator Timestamp: 3913056001.071111110 (2024-01-01T00:00:01Z)\n\t  Receive Timestamp:    3913056001.008611110 (2024-01-01T00:00:01Z)\n\t  Transmit Timestamp:   3913056002.999999999 (2024-01-01T00:00:02Z)\n\t    Originator - Receive Timestamp:  -0.062500000\n\t    Originator - Transmit Timestamp: +1.928888888",
  ],
  [
    "66778899aabb00112233445508004500004c000100004011669e0a0000010a000002007b007b0038c046203e000000000000000000000a0000010000000000000000000000000000000000000000000000000000000000000000",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    10.0.0.1.123 > 10.0.0.2.123: NTPv4, unspecified, length 48\n\tLeap indicator:  (0), Stratum 62 (reserved), poll 0 (1s), precision 0\n\tRoot Delay: 0.000000, Root dispersion: 0.000000, Reference-ID: 10.0.0.1 INFO_QUERY",
  ],
  [
    "66778899aabb00112233445508004500006a00010000401166800a0000010a000002007b007b0056c647240200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 106)\n    10.0.0.1.123 > 10.0.0.2.123: NTPv4, Server, length 78\n\tLeap indicator:  (0), Stratum 2 (secondary reference), poll 0 (1s), precision 0\n\tRoot Delay: 0.000000, Root dispersion: 0.000000, Reference-ID: 0x00000000\n\t  Reference Timestamp:  0.000000000\n\t  Originator Timestamp: 0.000000000\n\t  Receive Timestamp:    0.000000000\n\t  Transmit Timestamp:   0.000000000\n\t    Originator - Receive Timestamp:  0.000000000\n\t    Originator - Transmit Timestamp: 0.000000000\n\t(30 more bytes after the header)",
  ],
  [
    "66778899aabb00112233445508004500003000010000401166ba0a0000010a000002007b007b001c10561601000100000000000000036162630000000000",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 48)\n    10.0.0.1.123 > 10.0.0.2.123: NTPv2, Control Message, length 20\n\tLeap indicator:  (0), Request, OK, Last, OpCode=1\n\tSequence=1, Status=0, Assoc.=0, Offset=0, Count=3\n\tTO-BE-DONE: data not interpreted",
  ],
  [
    "66778899aabb00112233445586dd60000000003c1140fe800000000000000000000000000001ff02000000000000000000000001000202220223003cf4c901d81eb80001000e000100012a01e179000c29a1b2c300080002000000060004001700180003000c000000010000000000000000",
    ["-v"],
    0,
    "IP6 (hlim 64, next-header UDP (17) payload length: 60) fe80::1.546 > ff02::1:2.547: [udp sum ok] dhcp6 solicit (xid=d81eb8 (client-ID hwaddr/time type 1 time 704766329 000c29a1b2c3) (elapsed-time 0) (option-request DNS-server DNS-search-list) (IA_NA IAID:1 T1:0 T2:0))",
  ],
  [
    "66778899aabb00112233445586dd6000000000a61140fe800000000000000000000000000001ff0200000000000000000000000100020223022200a66b4a020000010002000a0003000100112233445500010009000200000137616263000300280000000700000e10000015180005001820010db800000000000000000000010000001c2000002a3000070001ff0017002020010db800000000000000000000005320010db80000000000000000000000540018001e076578616d706c6503636f6d00036c6162076578616d706c65036f726700000d000400006f6b",
    ["-v"],
    0,
    "IP6 (hlim 64, next-header UDP (17) payload length: 166) fe80::1.547 > ff02::1:2.546: [udp sum ok] dhcp6 advertise (xid=1 (server-ID hwaddr type 1 001122334455) (client-ID ?) (IA_NA IAID:7 T1:3600 T2:5400 (IA_ADDR 2001:db8::100 pltime:7200 vltime:10800)) (preference 255) (DNS-server 2001:db8::53 2001:db8::54) (DNS-search-list example.com. lab.example.org.) (status-code Success))",
  ],
  [
    "66778899aabb00112233445586dd60000000003d1140fe800000000000000000000000000001ff02000000000000000000000001000202230223003d4bc90c0120010db8000000000000000000000001fe8000000000000000000000000000020009000a0100000b0008000200640012000178",
    ["-v"],
    0,
    "IP6 (hlim 64, next-header UDP (17) payload length: 61) fe80::1.547 > ff02::1:2.547: [udp sum ok] dhcp6 relay-fwd (linkaddr=2001:db8::1 peeraddr=fe80::2 (relay-message (dhcp6 solicit (xid=b (elapsed-time 100))) (interface-ID 78...))",
  ],
  [
    "66778899aabb00112233445586dd6000000000161140fe800000000000000000000000000001ff020000000000000000000000010002022202230016930e0112345600090006011234560008",
    ["-v"],
    0,
    "IP6 (hlim 64, next-header UDP (17) payload length: 22) fe80::1.546 > ff02::1:2.547: [udp sum ok] dhcp6 solicit (xid=123456 (relay-message (dhcp6 solicit (xid=123456 [|dhcp6])))",
  ],
  [
    "66778899aabb00112233445586dd60000000003c1140fe800000000000000000000000000001ff02000000000000000000000001000202220223003cf4c901d81eb80001000e000100012a01e179000c29a1b2c300080002000000060004001700180003000c000000010000000000000000",
    [],
    0,
    "IP6 fe80::1.546 > ff02::1:2.547: dhcp6 solicit",
  ],
  [
    "66778899aabb00112233445508004500007000010000400666850a0000010a0000029c400050000003e8000007d05018200078b10000474554202f20485454502f312e310d0a486f73743a206578616d706c652e636f6d0d0a557365722d4167656e743a206375726c2f382e300d0a4163636570743a202a2f2a0d0a0d0a",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 112)\n    10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], cksum 0x78b1 (correct), seq 1000:1072, ack 2000, win 8192, length 72: HTTP, length: 72\n\tGET / HTTP/1.1\n\tHost: example.com\n\tUser-Agent: curl/8.0\n\tAccept: */*\n\t",
  ],
  [
    "66778899aabb00112233445508004500006c00010000400666890a0000010a00000200509c40000003e8000007d050182000c7b30000485454502f312e3120323030204f4b0d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a20350d0a0d0a68656c6c6f",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 108)\n    10.0.0.1.80 > 10.0.0.2.40000: Flags [P.], cksum 0xc7b3 (correct), seq 1000:1068, ack 2000, win 8192, length 68: HTTP, length: 68\n\tHTTP/1.1 200 OK\n\tContent-Type: text/html\n\tContent-Length: 5\n\t\n\thello [|http]",
  ],
  [
    "66778899aabb00112233445508004500006c00010000400666890a0000010a00000200509c40000003e8000007d050182000c7b30000485454502f312e3120323030204f4b0d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a20350d0a0d0a68656c6c6f",
    [],
    0,
    "IP 10.0.0.1.80 > 10.0.0.2.40000: Flags [P.], seq 1000:1068, ack 2000, win 8192, length 68: HTTP: HTTP/1.1 200 OK",
  ],
  [
    "66778899aabb00112233445508004500003a00010000400666bb0a0000010a0000029c400050000003e8000007d050042000f4e20000474554202f20485454502f312e310d0a0d0a",
    ["-v"],
    0,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 58)\n    10.0.0.1.40000 > 10.0.0.2.80: Flags [R], cksum 0xf4e2 (correct), seq 1000:1018, win 8192, length 18 [RST GET / HTTP/1.1^M^J^M^J]",
  ],
  [
    "33330000000102000000000a86dd6000000000403afffe80000000000000000000000000000aff02000000000000000000000000000186002d5840e8070800007530000003e8010102000000000a05010000000005dc030440e0ffffffff00000e100000000020010db8000000000000000000000000",
    ["-v"],
    0,
    "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 64) fe80::a > ff02::1: [icmp6 sum ok] ICMP6, router advertisement, length 64\n\thop limit 64, Flags [managed, other stateful, home agent], pref high, router lifetime 1800s, reachable time 30000ms, retrans timer 1000ms\n\t  source link-address option (1), length 8 (1): 02:00:00:00:00:0a\n\t  mtu option (5), length 8 (1):  1500\n\t  prefix info option (3), length 32 (4): 2001:db8::/64, Flags [onlink, auto, router], valid time infinity, pref. time 3600s",
  ],
  [
    "33330000000102000000000a86dd6000000000403afffe80000000000000000000000000000aff02000000000000000000000000000186002d5840e8070800007530000003e8010102000000000a05010000000005dc030440e0ffffffff00000e100000000020010db8000000000000000000000000",
    ["-vv"],
    0,
    "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 64) fe80::a > ff02::1: [icmp6 sum ok] ICMP6, router advertisement, length 64\n\thop limit 64, Flags [managed, other stateful, home agent], pref high, router lifetime 1800s, reachable time 30000ms, retrans timer 1000ms\n\t  source link-address option (1), length 8 (1): 02:00:00:00:00:0a\n\t    0x0000:  0200 0000 000a\n\t  mtu option (5), length 8 (1):  1500\n\t    0x0000:  0000 0000 05dc\n\t  prefix info option (3), length 32 (4): 2001:db8::/64, Flags [onlink, auto, router], valid time infinity, pref. time 3600s\n\t    0x0000:  40e0 ffff ffff 0000 0e10 0000 0000 2001\n\t    0x0010:  0db8 0000 0000 0000 0000 0000 0000",
  ],
  [
    "33330000000102000000000a86dd6000000000603afffe80000000000000000000000000000aff0200000000000000000000000000018600ce59000007080000000000000000190500000000025820010db800000000000000000000005320010db80000000000000000000000541f05000000000258076578616d706c6503636f6d00036c6162076578616d706c65036f7267000000",
    ["-v"],
    0,
    "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 96) fe80::a > ff02::1: [icmp6 sum ok] ICMP6, router advertisement, length 96\n\thop limit 0, Flags [none], pref medium, router lifetime 1800s, reachable time 0ms, retrans timer 0ms\n\t  rdnss option (25), length 40 (5):  lifetime 600s, addr: 2001:db8::53 addr: 2001:db8::54\n\t  dnssl option (31), length 40 (5):  lifetime 600s, domain(s): example.com. lab.example.org.",
  ],
  [
    "33330000000102000000000a86dd6000000000183afffe80000000000000000000000000000aff02000000000000000000000000000188007b9200000000fe80000000000000000000000000000b",
    ["-v"],
    0,
    "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 24) fe80::a > ff02::1: [icmp6 sum ok] ICMP6, neighbor advertisement, length 24, tgt is fe80::b, Flags [none]",
  ],
  [
    "33330000000102000000000a86dd6000000000203afffe80000000000000000000000000000aff0200000000000000000000000000018700445c00000000fe80000000000000000000000000000b0e01616263646566",
    ["-v"],
    0,
    "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 32) fe80::a > ff02::1: [icmp6 sum ok] ICMP6, neighbor solicitation, length 32, who has fe80::b\n\t  unknown option (14), length 8 (1): \n\t  0x0000:  6162 6364 6566",
  ],
  [
    "ffffffffffff00112233445508004500012b00010000401179c200000000ffffffff0044004301172ae201010600000012340000000000000000000000000000000000000000001122334455000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006382536335010137090103060f77fc2ac8000c05686f7374313d0701001122334455ff",
    ["-v"],
    0,
    'IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 299)\n    0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 00:11:22:33:44:55, length 271, xid 0x1234, Flags [none]\n\t  Client-Ethernet-Address 00:11:22:33:44:55\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363\n\t    DHCP-Message (53), length 1: Discover\n\t    Parameter-Request (55), length 9: \n\t      Subnet-Mask (1), Default-Gateway (3), Domain-Name-Server (6), Domain-Name (15)\n\t      Unknown (119), Unknown (252), NTP (42), Unknown (200)\n\t      PAD (0)\n\t    Hostname (12), length 5: "host1"\n\t    Client-ID (61), length 7: ether 00:11:22:33:44:55',
  ],
  [
    "ffffffffffff00112233445508004500014a00010000401179a300000000ffffffff004300440136e83902010600deadbeef000580000a0000090a00000a0a0000010a0000fe001122334455000000000000000000007365727665722e6578616d706c6500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002f626f6f742f7078656c696e75782e30000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006382536335010236040a0000013304000151803a040000a8c03b04000127500104ffffff0003040a00000106040a0000020f0b6578616d706c652e636f6d0000ff00",
    ["-vv"],
    0,
    'IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 330)\n    0.0.0.0.67 > 255.255.255.255.68: [udp sum ok] BOOTP/DHCP, Reply, length 302, xid 0xdeadbeef, secs 5, Flags [Broadcast] (0x8000)\n\t  Client-IP 10.0.0.9\n\t  Your-IP 10.0.0.10\n\t  Server-IP 10.0.0.1\n\t  Gateway-IP 10.0.0.254\n\t  Client-Ethernet-Address 00:11:22:33:44:55\n\t  sname "server.example"\n\t  file "/boot/pxelinux.0"\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363\n\t    DHCP-Message (53), length 1: Offer\n\t    Server-ID (54), length 4: 10.0.0.1\n\t    Lease-Time (51), length 4: 86400\n\t    RN (58), length 4: 43200\n\t    RB (59), length 4: 75600\n\t    Subnet-Mask (1), length 4: 255.255.255.0\n\t    Default-Gateway (3), length 4: 10.0.0.1\n\t    Domain-Name-Server (6), length 4: 10.0.0.2\n\t    Domain-Name (15), length 11: "example.com"',
  ],
  [
    "ffffffffffff001122334455080045000187000100004011796600000000ffffffff0044004301733521010106000000000000000000000000000000000000000000000000000011223344550000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363c80101c9020102ca0401020304cb06010203040506cc008f05000361626396040a000001a10b68747470733a2f2f6d7564a00178611100000000000000000000000000000000005d0200075b04fffffff05c040102030476040a00000077050361626300fc14687474703a2f2f777061642f777061642e646174ff",
    ["-v"],
    0,
    'IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 391)\n    0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 00:11:22:33:44:55, length 363, Flags [none]\n\t  Client-Ethernet-Address 00:11:22:33:44:55\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363\n\t    Unknown (200), length 1: 1\n\t    Unknown (201), length 2: 258\n\t    Unknown (202), length 4: 16909060\n\t    Unknown (203), length 6: 258,772,1286\n\t    Unknown (204), length 0\n\t    Unknown (143), length 5: 0.3.97.98.99\n\t    TFTP-Server-Address (150), length 4: 10.0.0.1\n\t    MUD-URL (161), length 11: "https://mud"\n\t    Unknown (160), length 1: 120\n\t    GUID (97), length 17: 0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0\n\t    ARCH (93), length 2: 7\n\t    Last-Transaction-Time (91), length 4: -16\n\t    Associated-IP (92), length 4: 1.2.3.4\n\t    SUBNET (118), length 4: 10.0.0.0\n\t    Unknown (119), length 5: 3.97.98.99.0\n\t    Unknown (252), length 20: 1752462448,976170871,1885430831,2003853668,778330484',
  ],
  [
    "66778899aabb00112233445508004500004c000100004011669e0a0000010a000002007b007b0038509ce40206e90001040000000800c0a80001e93c7f0080000000e93c7f0112345678e93c7f0102345678e93c7f02ffffffff",
    ["-v"],
    80,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 76)\n    10.0.0.1.123 > 10.0.0.2.123: NTPv4, Server, length 48\n\tLeap indicator: clock unsynchronized (192), Stratum 2 (secondary reference), poll 6 (64s), precision -23\n\tRoot Delay: 1.015625, Root dispersion: 0.031250, Reference-ID: 0xc0a80001\n\t  Reference Timestamp:  3913056000.500000000 (2024-01-01T00:00:00Z)\n\t  Originator Timestamp: 3913056001.071111110 (2024-01-01T00:00:01Z) [|ntp]",
  ],
  [
    "66778899aabb00112233445586dd6000000000a61140fe800000000000000000000000000001ff0200000000000000000000000100020223022200a66b4a020000010002000a0003000100112233445500010009000200000137616263000300280000000700000e10000015180005001820010db800000000000000000000010000001c2000002a3000070001ff0017002020010db800000000000000000000005320010db80000000000000000000000540018001e076578616d706c6503636f6d00036c6162076578616d706c65036f726700000d000400006f6b",
    ["-v"],
    120,
    "IP6 (hlim 64, next-header UDP (17) payload length: 166) fe80::1.547 > ff02::1:2.546: dhcp6 advertise (xid=1 (server-ID hwaddr type 1 001122334455) (client-ID ?) [|dhcp6])",
  ],
  [
    "66778899aabb00112233445508004500006c00010000400666890a0000010a00000200509c40000003e8000007d050182000c7b30000485454502f312e3120323030204f4b0d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a436f6e74656e742d4c656e6774683a20350d0a0d0a68656c6c6f",
    ["-v"],
    100,
    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 108)\n    10.0.0.1.80 > 10.0.0.2.40000: Flags [P.], seq 1000:1068, ack 2000, win 8192, length 68: HTTP, length: 68\n\tHTTP/1.1 200 OK\n\tContent-Type: text/html [|http]",
  ],
  [
    "33330000000102000000000a86dd6000000000403afffe80000000000000000000000000000aff02000000000000000000000000000186002d5840e8070800007530000003e8010102000000000a05010000000005dc030440e0ffffffff00000e100000000020010db8000000000000000000000000",
    ["-v"],
    100,
    "IP6 (hlim 255, next-header ICMPv6 (58) payload length: 64) fe80::a > ff02::1: ICMP6, router advertisement, length 64\n\thop limit 64, Flags [managed, other stateful, home agent], pref high, router lifetime 1800s, reachable time 30000ms, retrans timer 1000ms\n\t  source link-address option (1), length 8 (1): 02:00:00:00:00:0a\n\t  mtu option (5), length 8 (1):  1500 [|icmp6]",
  ],
  [
    "ffffffffffff00112233445508004500014a00010000401179a300000000ffffffff004300440136e83902010600deadbeef000580000a0000090a00000a0a0000010a0000fe001122334455000000000000000000007365727665722e6578616d706c6500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002f626f6f742f7078656c696e75782e30000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006382536335010236040a0000013304000151803a040000a8c03b04000127500104ffffff0003040a00000106040a0000020f0b6578616d706c652e636f6d0000ff00",
    ["-v"],
    300,
    'IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 330)\n    0.0.0.0.67 > 255.255.255.255.68: BOOTP/DHCP, Reply, length 302, xid 0xdeadbeef, secs 5, Flags [Broadcast]\n\t  Client-IP 10.0.0.9\n\t  Your-IP 10.0.0.10\n\t  Server-IP 10.0.0.1\n\t  Gateway-IP 10.0.0.254\n\t  Client-Ethernet-Address 00:11:22:33:44:55\n\t  sname "server.example"\n\t  file "/boot/pxelinux.0"\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363\n\t    DHCP-Message (53), length 1: Offer\n\t    Server-ID (54), length 4: 10.0.0.1\n\t    Lease-Time (51), length 4: 86400\n\t    RN (58), length 4:  [|bootp]',
  ],
];

Deno.test("golden: NTP, DHCPv6, HTTP, ND and BOOTP -v text as tcpdump prints it", () => {
  const d = new PacketDecoder();
  for (const [hex, flags, snap, want] of GOLDEN) {
    const frame = fromHex(hex);
    const got = summarize(d.decode(snap ? frame.subarray(0, snap) : frame, 1), {
      ...options(flags),
      wireLen: frame.length,
    });
    assert.equal(got, want, `${flags.join(" ")} ${want.split("\n")[0]}`);
  }
});

/**
 * `tcpdump -n FLAGS -r FILE`, one entry per packet: a packet starts with its timestamp, and every other
 * line belongs to the one before (a truncation mark may start a line with a space, after a newline tcpdump
 * printed itself).
 */
async function tcpdumpRead(file: string, flags: string[]): Promise<string[]> {
  const r = await run("tcpdump", ["-n", ...flags, "-r", file], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const out: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const m = line.match(/^\d\d:\d\d:\d\d\.\d+ /);
    if (m) out.push(line.slice(m[0].length));
    else if (out.length) out[out.length - 1] += "\n" + line;
  }
  return out.map((t) => t.replace(/\n$/, ""));
}

/** Compares every packet of a file with tcpdump's text for it; returns how many were compared. */
async function compare(file: string, flags: string[]): Promise<number> {
  const want = await tcpdumpRead(file, flags);
  const d = new PacketDecoder(), s = new PacketSummarizer(options(flags));
  const recs = [...readPacketsSync(Deno.readFileSync(file))];
  assert.equal(recs.length, want.length, file);
  recs.forEach((rec, i) => {
    const got = s.summarize(d.decode(rec.data, rec.linktype), rec.len);
    assert.equal(got, want[i], `${file.split("/").pop()} ${flags.join(" ")} #${i + 1}`);
  });
  return recs.length;
}

testIf("golden lines are what the installed tcpdump prints", needCommands("tcpdump"), async () => {
  const dir = await Deno.makeTempDir({ prefix: "netkit-verbose-" });
  try {
    for (const [hex, flags, snap, text] of GOLDEN) {
      const frame = fromHex(hex);
      const file = `${dir}/one.pcap`;
      Deno.writeFileSync(
        file,
        pcapBytes(1, [{ data: snap ? frame.slice(0, snap) : frame, len: frame.length }]),
      );
      assert.equal((await tcpdumpRead(file, flags))[0], text);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Packets for the comparison with tcpdump, written by scapy: NTP, DHCPv6, HTTP, ND and BOOTP/DHCP. */
const SCAPY = String.raw`
import sys, struct
from scapy.all import *
from scapy.layers.dhcp6 import *
out = sys.argv[1]
# --- ntp
E = lambda: Ether(src="00:11:22:33:44:55", dst="66:77:88:99:aa:bb")
A = lambda: E()/IP(src="10.0.0.1", dst="10.0.0.2")
A6 = lambda: E()/IPv6(src="2001:db8::1", dst="2001:db8::2")
def U(sp, dp, raw, ulen=None, ip=A):
    return ip()/UDP(sport=sp, dport=dp, len=ulen)/(raw if isinstance(raw, Packet) else Raw(raw))
pk = []
N = lambda raw, **k: pk.append(U(123, 123, raw, **k))
def ts(i, f): return struct.pack(">II", i, f)
def hdr(li=0, vn=4, mode=3, stratum=0, poll=0, prec=0, rd=0, rdisp=0, refid=0, t=((0,0),(0,0),(0,0),(0,0))):
    b = bytes([li << 6 | vn << 3 | mode, stratum, poll & 0xff, prec & 0xff]) + struct.pack(">III", rd, rdisp, refid)
    for x in t: b += x if isinstance(x, bytes) else ts(*x)
    return b
N(hdr())
N(hdr(li=3, mode=4, stratum=2, poll=6, prec=-23, rd=0x00010400, rdisp=0x00000800, refid=0xc0a80001,
      t=((3913056000, 0x80000000), (3913056001, 0x12345678), (3913056001, 0x02345678), (3913056002, 0xffffffff))))
N(hdr(li=1, mode=1, stratum=1, poll=-6, prec=-30, refid=0x47505300, t=((1, 1), (0, 0), (5, 7), (5, 7))))
N(hdr(li=2, mode=2, stratum=1, poll=31, prec=127, refid=0x01ff80c3, t=((4294967295, 4294967295), (100, 5), (99, 10), (100, 5))))
N(hdr(mode=5, stratum=16, poll=32, prec=-128, refid=0xdeadbeef, t=((100, 10), (100, 10), (100, 9), (101, 9))))
N(hdr(mode=0, stratum=62, refid=0x0a000001))
N(hdr(mode=3, stratum=63, refid=0x0a000001))
N(hdr(mode=3, stratum=15, poll=-32, prec=1, t=((2208988800, 0), (2208988799, 0xffffffff), (2208988800, 1), (0, 1))))
N(hdr(mode=3, stratum=3, poll=-31, rd=0xffffffff, rdisp=0x8000ffff))
N(hdr(mode=7, stratum=3))
N(hdr(vn=0, mode=3, stratum=3))
N(hdr(vn=7, mode=3, stratum=3))
for extra in [b"\x00\x00\x00\x07", b"\x00\x00\x00\x07" + b"\x11" * 16, b"\x00\x00\x00\x07" + b"\x22" * 20, b"\x01\x02", b"\x00" * 30]:
    N(hdr(mode=4, stratum=2) + extra)
for raw in [b"\x23", b"\x23\x01", b"\x23\x01\x02\x03", b"\xe3" + b"\x00" * 46, b"\x1b" + b"\x00" * 20]:
    N(raw)
# control messages
def ctl(vn=2, r=0, e=0, m=0, op=1, seq=1, status=0, assoc=0, off=0, count=0, data=b""):
    return bytes([vn << 3 | 6, r << 7 | e << 6 | m << 5 | op]) + struct.pack(">HHHHH", seq, status, assoc, off, count) + data
N(ctl())
N(ctl(r=1, e=0, m=1, op=2, seq=65535, status=0x0615, assoc=1234, off=8, count=5, data=b"x=1, "))
N(ctl(r=1, e=1, op=31, status=0x0100, count=10, data=b"abc"))
N(ctl(count=3, data=b"abc" + b"\x00" * 5))
N(ctl(count=0, data=b"\x00" * 4))
N(ctl()[:11])
N(ctl()[:5])
N(ctl(vn=1, op=2))
N(hdr(mode=4, stratum=2), ulen=8 + 20)
N(hdr(mode=4, stratum=2), ulen=8 + 0)
N(hdr(mode=4, stratum=2), ip=A6)
wrpcap(out + "/ntp.pcap", pk)

# --- dhcp6
from scapy.layers.dhcp6 import *
E = lambda: Ether(src="00:11:22:33:44:55", dst="66:77:88:99:aa:bb")
A6 = lambda: E()/IPv6(src="fe80::1", dst="ff02::1:2")
A = lambda: E()/IP(src="10.0.0.1", dst="10.0.0.2")
def U(sp, dp, raw, ulen=None, ip=A6):
    return ip()/UDP(sport=sp, dport=dp, len=ulen)/(raw if isinstance(raw, Packet) else Raw(raw))
pk = []
D = lambda raw, sp=546, dp=547, **k: pk.append(U(sp, dp, raw, **k))
def opt(t, body): return struct.pack(">HH", t, len(body)) + body
def msg(t, *opts, xid=0x123456): return bytes([t]) + xid.to_bytes(3, "big") + b"".join(opts)
duid_llt = struct.pack(">HHI", 1, 1, 704766329) + bytes.fromhex("000c29a1b2c3")
duid_en = struct.pack(">HI", 2, 9) + b"\x01\x02\x03"
duid_ll = struct.pack(">HH", 3, 1) + bytes.fromhex("000c29a1b2c3")
duid_uuid = struct.pack(">H", 4) + bytes(range(16))
D(DHCP6_Solicit(trid=0xd81eb8)/DHCP6OptClientId(duid=DUID_LLT(lladdr="00:0c:29:a1:b2:c3", timeval=704766329))/DHCP6OptElapsedTime()/DHCP6OptOptReq(reqopts=[23, 24])/DHCP6OptIA_NA(iaid=1))
D(DHCP6_Advertise(trid=1)/DHCP6OptServerId(duid=DUID_LL(lladdr="00:11:22:33:44:55"))/DHCP6OptClientId(duid=DUID_EN(enterprisenum=311, id=b"abc"))/DHCP6OptIA_NA(iaid=7, T1=3600, T2=5400, ianaopts=[DHCP6OptIAAddress(addr="2001:db8::100", preflft=7200, validlft=10800)])/DHCP6OptPref(prefval=255)/DHCP6OptDNSServers(dnsservers=["2001:db8::53", "2001:db8::54"])/DHCP6OptDNSDomains(dnsdomains=["example.com.", "lab.example.org."])/DHCP6OptStatusCode(statuscode=0, statusmsg="ok"), sp=547, dp=546)
D(DHCP6_Request(trid=2)/DHCP6OptRapidCommit()/DHCP6OptReconfAccept()/DHCP6OptStatusCode(statuscode=6))
D(DHCP6_Reply(trid=3)/DHCP6OptIA_PD(iaid=2, T1=1, T2=2, iapdopt=[DHCP6OptIAPrefix(prefix="2001:db8:1::", plen=48, preflft=1, validlft=2)])/DHCP6OptSNTPServers(sntpservers=["2001:db8::123"])/DHCP6OptInfoRefreshTime(reftime=86400), sp=547, dp=546)
D(DHCP6_Renew(trid=4)/DHCP6OptIA_TA(iaid=5, iataopts=[DHCP6OptIAAddress(addr="2001:db8::5")]))
D(DHCP6_Rebind(trid=5)/DHCP6OptServerUnicast(srvaddr="2001:db8::1")/DHCP6OptReconfMsg(msgtype=5)/DHCP6OptNISServers(nisservers=["2001:db8::9"]))
D(DHCP6_Release(trid=6)/DHCP6OptReconfMsg(msgtype=11)/DHCP6OptIfaceId(ifaceid=b"eth0/1/2:vlan100"))
D(DHCP6_Decline(trid=7)/DHCP6OptRemoteID(enterprisenum=9, remoteid=b"remote-identifier-long"))
D(DHCP6_Reconf(trid=8)/DHCP6OptAuth(proto=3, alg=1, rdm=0, replay=b"\x00" * 7 + b"\x01", authinfo=b"\x01" + b"\xaa" * 16), sp=547, dp=546)
D(DHCP6_InfoRequest(trid=9)/DHCP6OptAuth(proto=2, alg=1, rdm=0, replay=b"\x00" * 8, authinfo=b"realm" + b"\x00\x00\x00\x05" + b"\x11" * 16))
D(DHCP6_InfoRequest(trid=10)/DHCP6OptAuth(proto=2, alg=2, rdm=1, replay=b"\x00" * 8, authinfo=b"\x00" * 5)/DHCP6OptAuth(proto=9, alg=1, rdm=0, replay=b"\x00" * 8))
D(DHCP6_RelayForward(hopcount=1, linkaddr="2001:db8::1", peeraddr="fe80::2")/DHCP6OptRelayMsg(message=DHCP6_Solicit(trid=11)/DHCP6OptElapsedTime(elapsedtime=100))/DHCP6OptIfaceId(ifaceid=b"x"), sp=547, dp=547)
D(DHCP6_RelayReply(hopcount=0, linkaddr="2001:db8::1", peeraddr="fe80::2")/DHCP6OptRelayMsg(message=DHCP6_Reply(trid=12)), sp=547, dp=547)
D(DHCP6_Solicit(trid=13)/DHCP6OptUserClass(userclassdata=[USER_CLASS_DATA(data=b"class1"), USER_CLASS_DATA(data=b"c2")])/DHCP6OptVendorClass(enterprisenum=9, vcdata=[VENDOR_CLASS_DATA(data=b"vc")])/DHCP6OptVendorSpecificInfo(enterprisenum=9))
D(DHCP6_Solicit(trid=14)/DHCP6OptClientFQDN(fqdn="host.example.com.")/DHCP6OptNewPOSIXTimeZone(optdata=b"EST5EDT4,M3.2.0/02:00")/DHCP6OptNewTZDBTimeZone(optdata=b"Europe/Zurich"))
D(DHCP6_Solicit(trid=15)/DHCP6OptBootFileUrl(optdata=b"tftp://[2001:db8::1]/boot.efi")/DHCP6OptSIPDomains(sipdomains=["sip.example."])/DHCP6OptSIPServers(sipservers=["2001:db8::5060"]))
D(DHCP6_Solicit(trid=16)/DHCP6OptRelayAgentERO(reqopts=[1, 2, 999])/DHCP6OptSubscriberID(subscriberid=b"sub")/DHCP6OptClientLinkLayerAddr(clladdr="00:11:22:33:44:55")/DHCP6OptNISPServers(nispservers=["2001:db8::2"])/DHCP6OptBCMCSServers(bcmcsservers=["2001:db8::3"])/DHCP6OptPanaAuthAgent(paaaddr=["2001:db8::4"]))
D(msg(1, opt(2, struct.pack(">HI", 2, 9) + bytes(range(1, 12))), opt(1, struct.pack(">HI", 2, 9) + bytes(4)))); D(msg(1, opt(duid_llt[0:0] or 1, duid_llt), opt(2, duid_en), opt(1, duid_ll), opt(2, duid_uuid), opt(1, struct.pack(">H", 9) + b"zz")))
for t, body in [(1, b"\x00"), (1, b"\x00\x01\x00\x01\x00"), (2, b"\x00\x02\x00"), (1, b"\x00\x03\x00"), (1, b"\x00\x04" + b"\x00" * 15), (5, b"\x00" * 23),
                (6, b"\x00\x17\x00"), (7, b""), (7, b"\x01\x02"), (8, b"\x00"), (13, b"\x00"), (13, b"\x01\x00"), (13, b"\x00\xff"), (13, b"\x00\x0b"),
                (3, b"\x00" * 11), (4, b"\x00" * 3), (26, b"\x00" * 24), (32, b"\x00\x00"), (46, b"\x00\x00\x00\x05"), (37, b"\x00\x01"), (37, b"\x00\x00\x00\x01"),
                (44, b"\x00" * 16), (44, b"\x01" + b"\x00" * 16), (44, b"\x02" + b"\x00" * 16 + opt(8, b"\x00\x01")), (44, b"\x07" + b"\x00" * 16),
                (45, opt(8, b"\x00\x05")), (45, b""), (47, b"\x00" * 15), (47, bytes(16) + b"abcdefghijklmnop"), (48, bytes(16)), (48, bytes(15)),
                (23, b"\x00" * 17), (24, b"\x03abc\x00\x03def\x00"), (24, b"\x03abc"), (24, b"\x00"), (24, b"\x05abc\x00"), (24, b"\x03a\x01c\xc0\x00"),
                (56, b"\x00\x01\x00\x10" + bytes(16) + b"\x00\x02\x00\x10" + bytes(16) + b"\x00\x03\x00\x06\x04ntp1\x00" + b"\x00\x09\x00\x00"), (56, b"\x00"), (56, b"\x00\x01\x00\x04abcd"), (56, b"\x00\x01\x00\x20" + bytes(16)),
                (64, b"\x01"), (64, b"\x04aftr\x07example\x00"), (64, b"\x09aftr\x00"), (41, b"abc"), (41, b"EST5\x00xyz"), (112, b"https://mud/x"), (59, b"\x01\x80\xffx"),
                (15, b"\x00\x02ab\x00\x01c"), (15, b"\x00\x09ab"), (15, b"\x00"), (136, b"\x00\x03uri\x00\x03two"), (19, b"\x07"), (19, b""), (11, b"\x00" * 10),
                (11, b"\x02\x01\x00" + bytes(8) + bytes(19)), (11, b"\x03\x01\x00" + bytes(8) + b"\x05" + bytes(16)), (11, b"\x03\x01\x00" + bytes(8) + b"\x02" + bytes(15)),
                (9, b"\x01\x00"), (9, msg(12)), (9, msg(1) + b"\x00\x08"), (99, b"xyz"), (0, b""), (65535, b"\x00"), (18, b""), (20, b"x"), (14, b"abc")]:
    D(msg(1, opt(t, body)))
D(msg(1, opt(3, b"\x00" * 12 + opt(5, b"\x00" * 30))))
D(msg(1, opt(3, b"\x00" * 12 + b"\x00\x05\x00\x20" + bytes(4))))
D(msg(1, b"\x00\x08\x00\x02\x00"))
D(msg(1, b"\x00\x08\x00"))
D(msg(1, b"\x00"))
D(msg(100, b"\x00\x01\x00\x40abcde"))
for t in [0, 14, 15, 16, 17, 200, 255]:
    D(msg(t, opt(8, b"\x00\x01")))
for raw in [b"", b"\x01", b"\x01\x02\x03", b"\x0c\x01" + bytes(20), b"\x0d\x00" + bytes(32), b"\x0c\x00" + bytes(32) + opt(9, b"\x01\x00")]:
    D(raw)
D(msg(1, opt(8, b"\x00\x01"), opt(6, b"\x00\x17")), ulen=8 + 10)
D(msg(1, opt(8, b"\x00\x01")), ip=A)
wrpcap(out + "/dhcp6.pcap", pk)

# --- http
E = lambda: Ether(src="00:11:22:33:44:55", dst="66:77:88:99:aa:bb")
pk = []
def T(raw, sp=40000, dp=80, ip=None, flags="PA"):
    ipl = ip or IP(src="10.0.0.1", dst="10.0.0.2")
    pk.append(E()/ipl/TCP(sport=sp, dport=dp, flags=flags, seq=1000, ack=2000)/Raw(raw))
T(b"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n")
T(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello", sp=80, dp=40000)
T(b"HTTP/1.1 404 Not Found\r\n\r\n", sp=80, dp=40000)
T(b"HTTP/1.0 200 OK\nServer: x\n\nbody\n", sp=8080, dp=40000)
T(b"POST /form HTTP/1.1\r\nContent-Length: 3\r\n\r\na=b")
T(b"post /x HTTP/1.1\r\n\r\n")
T(b"PATCH /x HTTP/1.1\r\n\r\n")
T(b"PROPFIND /dav HTTP/1.1\r\nDepth: 1\r\n\r\n<?xml version=\"1.0\"?>\r\n")
T(b"GET /\tx HTTP/1.1\r\nA:\tb\r\n\r\n")
T(b"GET / HTTP/1.1\r\nBad: \x01\x02\r\nAfter: x\r\n\r\n")
T(b"GET / HTTP/1.1\r\nBad: \xe9\r\n\r\n")
T(b"GET / HTTP/1.1\rX\r\n")
T(b"GET / HTTP/1.1\r")
T(b"GET / HTTP/1.1")
T(b"GET")
T(b"GET ")
T(b" GET / HTTP/1.1\r\n")
T(b"\x00\x01binary")
T(b"continuation of body\r\nmore\r\n")
T(b"XYZ 200 fine\r\nok\r\n")
T(b"XYZ  200 two spaces\r\n")
T(b"XYZ\t200 tab\r\n")
T(b"XYZ 2000 no\r\n")
T(b"XYZ 20 no\r\n")
T(b"A" * 127 + b" 200 long\r\n")
T(b"A" * 128 + b" 200 long\r\n")
T(b"GET " + b"/" * 200 + b" HTTP/1.1\r\n\r\n")
T(b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"y" * 1000 + b"\r\n\r\n", sp=80, dp=40000)
T(b"HTTP/1.1 301 Moved\r\nLocation: /\r\n", sp=3128, dp=40000)
T(b"GET / HTTP/1.1\r\n\r\n", ip=IPv6(src="2001:db8::1", dst="2001:db8::2"))
T(b"GET / HTTP/1.1\r\n\r\n", flags="R")
T(b"HTTP/1.1 100 Continue\r\n\r\n", sp=80, dp=80)
T(b"\r\n\r\n")
T(b"GET\r\n")
T(b"get\r\n")
T(b"G\x80T / HTTP/1.1\r\n")
T(b"HTTP/1.1 200 OK\r\nX: \x7f\r\n", sp=80, dp=40000)
p = E()/IP(src="10.0.0.1", dst="10.0.0.2")/TCP(sport=40000, dport=80, flags="PA")/Raw(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
p[IP].len = 20 + 20 + 10
pk.append(p)
p = E()/IP(src="10.0.0.1", dst="10.0.0.2")/TCP(sport=40000, dport=80, flags="PA")/Raw(b"GET / HTTP/1.1\r\n")
pk.append(Ether(bytes(p) + b"\x00" * 6))
wrpcap(out + "/http.pcap", pk)

# --- nd
E = lambda: Ether(src="02:00:00:00:00:0a", dst="33:33:00:00:00:01")
I = lambda: IPv6(src="fe80::a", dst="ff02::1", hlim=255)
pk = []
P = lambda x: pk.append(E()/I()/x)
mac = "02:00:00:00:00:0a"
P(ICMPv6ND_RS()/ICMPv6NDOptSrcLLAddr(lladdr=mac))
P(ICMPv6ND_RS())
P(ICMPv6ND_RA(chlim=64, M=1, O=1, H=1, prf=1, routerlifetime=1800, reachabletime=30000, retranstimer=1000)/ICMPv6NDOptSrcLLAddr(lladdr=mac)/ICMPv6NDOptMTU(mtu=1500)/ICMPv6NDOptPrefixInfo(prefix="2001:db8::", prefixlen=64, L=1, A=1, R=1, validlifetime=0xffffffff, preferredlifetime=3600))
for prf in range(4):
    P(ICMPv6ND_RA(prf=prf, M=0, O=0)/ICMPv6NDOptRDNSS(lifetime=600, dns=["2001:db8::53", "2001:db8::54"])/ICMPv6NDOptDNSSL(lifetime=600, searchlist=["example.com.", "lab.example.org."]))
P(ICMPv6ND_RA()/ICMPv6NDOptRouteInfo(plen=48, prf=3, rtlifetime=100, prefix="2001:db8:1::")/ICMPv6NDOptRouteInfo(plen=0, len=1)/ICMPv6NDOptRouteInfo(plen=64, len=2, prefix="2001:db8:2::"))
P(ICMPv6ND_RA()/ICMPv6NDOptAdvInterval(advint=5000)/ICMPv6NDOptHAInfo(pref=5, lifetime=60))
P(ICMPv6ND_RA()/ICMPv6NDOptRDNSS(lifetime=0xffffffff, dns=[])/ICMPv6NDOptMTU(mtu=1280, len=2)/ICMPv6NDOptPrefixInfo(len=3, prefix="2001:db8::"))
P(ICMPv6ND_NS(tgt="fe80::b")/ICMPv6NDOptSrcLLAddr(lladdr=mac))
P(ICMPv6ND_NA(tgt="fe80::b", R=1, S=1, O=1)/ICMPv6NDOptDstLLAddr(lladdr=mac))
P(ICMPv6ND_NA(tgt="fe80::b", R=0, S=0, O=0))
P(ICMPv6ND_Redirect(tgt="fe80::1", dst="2001:db8::99")/ICMPv6NDOptDstLLAddr(lladdr=mac)/ICMPv6NDOptRedirectedHdr(pkt=IPv6(src="2001:db8::1", dst="2001:db8::99")/UDP()))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x0e\x01abcdef"))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x0e\x02" + bytes(14))/ICMPv6NDOptSrcLLAddr(lladdr=mac))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x01\x02" + bytes(range(14))))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x01\x00" + bytes(6)))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x01\x02" + bytes(6)))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x01"))
P(ICMPv6ND_NS(tgt="fe80::b")/Raw(b"\x05\x01\x00\x00\x00\x00\x05\xdc\x00"))
P(ICMPv6ND_RA()/Raw(b"\x18\x04" + bytes(30)))
P(ICMPv6ND_RA()/Raw(b"\x1f\x02\x00\x00\x00\x00\x00\x10\x03abc\xc0\x08\x00\x00"))
P(ICMPv6ND_RA()/Raw(b"\x1f\x02\x00\x00\x00\x00\x00\x10\x03abc\x00\x00\x00\x00"))
P(ICMPv6ND_RA()/Raw(b"\x1f\x01\x00\x00\x00\x00\x00\x10"))
P(ICMPv6ND_RA()/Raw(b"\x18\x01\x80\x18\x00\x00\x00\x01"))
P(ICMPv6ND_RA()/Raw(b"\x09\x01\x00\x00\x00\x00\x00\x10\x03\x01" + bytes(14)))
pk.append(E()/IPv6(src="fe80::a", dst="ff02::1", hlim=255)/IPv6ExtHdrHopByHop()/ICMPv6ND_NS(tgt="fe80::b")/ICMPv6NDOptSrcLLAddr(lladdr=mac))
p = E()/I()/ICMPv6ND_NS(tgt="fe80::b")/ICMPv6NDOptSrcLLAddr(lladdr=mac)
p[IPv6].plen = 24
pk.append(Ether(bytes(p)))
p = E()/I()/ICMPv6ND_NS(tgt="fe80::b")/ICMPv6NDOptSrcLLAddr(lladdr=mac)
p[IPv6].plen = 28
pk.append(Ether(bytes(p)))
wrpcap(out + "/nd.pcap", pk)

# --- bootp
mac = "00:11:22:33:44:55"
E = lambda: Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
A = lambda: E()/IP(src="0.0.0.0", dst="255.255.255.255")
pk = []
def B(bootp, opts=None, sp=68, dp=67, ulen=None, raw=None):
    x = bootp if opts is None else bootp/DHCP(options=opts)
    if raw is not None: x = bootp/Raw(raw)
    pk.append(A()/UDP(sport=sp, dport=dp, len=ulen)/x)
ch = mac2str(mac)
B(BOOTP(chaddr=ch, xid=0x1234), [("message-type", "discover"), ("param_req_list", [1, 3, 6, 15, 119, 252, 42, 200, 0]), ("hostname", b"host1"), ("client_id", b"\x01" + ch), "end"])
B(BOOTP(op=2, chaddr=ch, xid=0xdeadbeef, secs=5, flags=0x8000, ciaddr="10.0.0.9", yiaddr="10.0.0.10", siaddr="10.0.0.1", giaddr="10.0.0.254", sname=b"server.example", file=b"/boot/pxelinux.0"),
  [("message-type", "offer"), ("server_id", "10.0.0.1"), ("lease_time", 86400), ("renewal_time", 43200), ("rebinding_time", 75600), ("subnet_mask", "255.255.255.0"), ("router", "10.0.0.1"), ("name_server", "10.0.0.2"), ("domain", b"example.com"), "pad", "pad", "end", "pad"], sp=67, dp=68)
B(BOOTP(chaddr=ch, hops=3, flags=0x7fff), [("message-type", "request"), ("requested_addr", "10.0.0.10"), ("client_id", b"\x00textid"), ("client_id", b"\x07\x01\x02"), ("client_id", b"\x63\x01"), ("vendor_class_id", b"MSFT 5.0"), "end"])
for mt in range(0, 15):
    B(BOOTP(chaddr=ch), [("message-type", mt), "end"])
B(BOOTP(chaddr=ch), [(53, b"\x01\x02"), (53, b""), "end"])
B(BOOTP(chaddr=ch, htype=6, hlen=6), [("message-type", "inform"), "end"])
B(BOOTP(chaddr=ch, htype=1, hlen=8), [("message-type", "decline"), "end"])
B(BOOTP(op=3, chaddr=ch), [("message-type", "release"), "end"])
B(BOOTP(chaddr=ch), [(2, struct.pack(">i", -3600)), (2, b"\x00\x00\x0e\x10\x01"), (4, b"\x01\x02\x03\x04\x05\x06\x07\x08"), (21, b"\x01\x02\x03\x04\x05\x06\x07\x08"), (21, b"\x01" * 12), (13, b"\x00\x10"), (25, b"\x00\x01\x00\x02\x00"), (23, b"\x40"), (19, b"\x00\x01\x02"), (43, b"\x01\x02\x03abc"), "end"])
B(BOOTP(chaddr=ch), [(46, b"\x01"), (46, b"\x08"), (46, b"\x05"), (46, b""), (46, b"\x02\x09"), (52, b"\x03"), (52, b"\x07"), (52, b""), "end"])
B(BOOTP(chaddr=ch), [(81, b"\x01\x00\x00host.example.com"), (81, b"\x0f\xff\x01x"), (81, b"\xf0\x00\x00"), (81, b"\x00"), (81, b"\x05\x00\x00a\x00b"), "end"])
B(BOOTP(chaddr=ch), [(82, b"\x01\x04eth0\x02\x03abc\x06\x02xy\x09\x05\x01\x02\x03\x04\x05"), (82, b"\x01\x09ab"), (82, b"\x01\x02ab\x05"), "end"])
B(BOOTP(chaddr=ch), [(121, b"\x18\xc0\xa8\x01\x0a\x00\x00\x01\x00\x0a\x00\x00\x02"), (121, b"\x20\x0a\x00\x00\x01\x0a\x00\x00\x02"), (121, b"\x21\x00\x00\x00\x00"), (121, b"\x18\xc0\xa8"), (249, b"\x08\x0a\x0a\x00\x00\x01\x03"), (121, b"\x00\x0a\x00\x00"), "end"])
B(BOOTP(chaddr=ch), [(77, b"\x04abcd\x02xy"), (77, b"\x00\x01"), (77, b"\x05ab"), (77, b"\x01"), (77, b"\x03abc"), "end"])
B(BOOTP(chaddr=ch), [(200, b"\x01"), (201, b"\x01\x02"), (202, b"\x01\x02\x03\x04"), (203, b"\x01\x02\x03\x04\x05\x06"), (204, b""), (143, b"\x00\x03abc"), (150, b"\x0a\x00\x00\x01"), (161, b"https://mud"), (160, b"x"), (97, b"\x00" * 17), (93, b"\x00\x07"), (91, b"\xff\xff\xff\xf0"), (92, b"\x01\x02\x03\x04"), (118, b"\x0a\x00\x00\x00"), (119, b"\x03abc\x00"), (252, b"http://wpad/wpad.dat"), "end"])
B(BOOTP(chaddr=ch), [(12, b"ho\x01st\xff\x00x"), (15, b""), (1, b"\xff\xff"), (3, b"\x0a\x00\x00\x01\x0a\x00"), (33, b"\x0a\x00\x00\x00\x0a\x00\x00\x01\x0a"), (26, b"\x05\xdc\x00"), (31, b"\x00\x01\x02\x07"), (51, b"\xff\xff\xff\xff\x00"), (116, b"\x01"), "end"])
B(BOOTP(chaddr=ch), raw=b"\x63\x82\x53\x63\x35\x01\x01\x37")
B(BOOTP(chaddr=ch), raw=b"\x63\x82\x53\x63\x35\x01")
B(BOOTP(chaddr=ch), raw=b"\x63\x82\x53\x63\x0c\x10abc")
B(BOOTP(chaddr=ch), raw=b"\x63\x82\x53\x63\x00\x00\x00\x01\x04\x0a\x00\x00\x01\x00\xff\x00\x00")
B(BOOTP(chaddr=ch), raw=b"CMU\x00\x00\x00\x00\x01\xff\xff\xff\x00\x0a\x00\x00\x01\x0a\x00\x00\x02\x00\x00\x00\x00" + b"\x00" * 8 + b"\x0a\x00\x00\x03\x0a\x00\x00\x04" + bytes(24))
B(BOOTP(chaddr=ch), raw=b"CMU\x00\x06\x00\x00\x00" + bytes(56))
B(BOOTP(chaddr=ch), raw=b"\x01\x02\x03\x04" + bytes(60))
B(BOOTP(chaddr=ch), raw=b"")
B(BOOTP(chaddr=ch, options=b""), raw=b"")
B(BOOTP(chaddr=ch, sname=b"a" * 64, file=b"b" * 128), [("message-type", "discover"), "end"])
B(BOOTP(chaddr=ch, file=b"c" * 128), [("message-type", "discover"), "end"])
B(BOOTP(chaddr=ch, sname=b"s\x01\x80n"), [("message-type", "discover"), "end"])
B(BOOTP(chaddr=ch), [("message-type", "discover"), "end"], ulen=8 + 100)
B(BOOTP(chaddr=ch), [("message-type", "discover"), "end"], ulen=8 + 250)
pk.append(E()/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/Raw(b"\x01\x01\x06\x00"))
pk.append(E()/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/Raw(b"\x01\x01"))
pk.append(E()/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/Raw(bytes(BOOTP(chaddr=ch))[:40]))
wrpcap(out + "/bootp.pcap", pk)
`;

/** Every packet cut at every length from `from` on (as with `-s N`). */
function sweep(file: string, to: string, from: number): void {
  const recs = [...readPacketsSync(Deno.readFileSync(file))];
  const frames: Frame[] = [];
  for (const r of recs) {
    for (let n = from; n < r.data.length; n++) frames.push({ data: r.data.slice(0, n), len: r.len });
  }
  Deno.writeFileSync(to, pcapBytes(recs[0].linktype, frames));
}

testIf(
  "-v, -vv and -vvv match tcpdump on scapy-made NTP, DHCPv6, HTTP, ND and BOOTP packets, whole and cut",
  needCommands("tcpdump") ?? needScapy(),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "netkit-verbose-" });
    try {
      await Deno.writeTextFile(`${dir}/gen.py`, SCAPY);
      const g = await run(SCAPY_PYTHON, [`${dir}/gen.py`, dir], { timeoutMs: 120_000 });
      assert.equal(g.code, 0, g.stderr);
      let n = 0;
      // Where the cut sweep starts: past the Ethernet and IP headers (IPv4 ones, and IPv6 for DHCPv6 and ND).
      const files: [string, number][] = [["ntp", 34], ["dhcp6", 54], ["http", 34], ["nd", 54], ["bootp", 42]];
      for (const [name, from] of files) {
        const file = `${dir}/${name}.pcap`;
        for (const flags of [[], ["-v"], ["-vv"], ["-vvv"]]) n += await compare(file, flags);
        sweep(file, `${dir}/${name}_cut.pcap`, from);
        for (const flags of [[], ["-v"], ["-vv"]]) n += await compare(`${dir}/${name}_cut.pcap`, flags);
      }
      assert.ok(n > 50000, `compared ${n}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("the -v dissectors never throw: random and mutated bytes, every length", () => {
  const rng = new Rng(0x7e4b05e);
  const seeds = GOLDEN.map(([hex]) => fromHex(hex).subarray(42));
  for (let k = 0; k < 4000; k++) {
    const b = rng.bool() ? rng.bytes(rng.int(120)) : seeds[rng.int(seeds.length)].slice();
    for (let m = rng.int(6); m > 0 && b.length; m--) b[rng.int(b.length)] = rng.u32() & 0xff;
    if (b.length && rng.bool()) b[0] = [133, 134, 135, 136, 137][rng.int(5)];
    const len = rng.bool() ? b.length : rng.int(b.length + 16);
    for (let v = 0; v < 4; v++) {
      for (
        const s of [
          ntpText(b, len, v),
          dhcp6Text(b, len, v > 0),
          bootpText(b, len, v),
          httpText(b, len, v > 0),
          b.length ? ndText(b, len, v) : "",
        ]
      ) assert.equal(typeof s, "string");
    }
  }
  const d = new PacketDecoder();
  for (const [hex] of GOLDEN) {
    const frame = fromHex(hex);
    for (let n = 0; n <= frame.length; n++) {
      for (const v of [0, 1, 2, 3]) {
        const o = { verbose: v > 0, verbosity: v, wireLen: frame.length };
        assert.equal(typeof summarize(d.decode(frame.subarray(0, n), 1), o), "string");
      }
    }
  }
});
