#!/usr/bin/python3
"""Extra packets for the filter parity test, beyond the shared corpus: SCTP, IGMP, RARP, IP broadcast,
VLAN ids, IPv4 options and fragments, IPv6 extension headers. Writes OUT_DIR/extra_{en10mb,sll,sll2,raw}.pcap.
Usage: /usr/bin/python3 tests/filter/_extra.py OUT_DIR
"""
import random
import sys

from scapy.all import (ARP, Dot1Q, Ether, ICMP, ICMPv6EchoRequest, ICMPv6ND_NS, IP, IPOption_Router_Alert, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw, TCP, UDP,
                       conf, wrpcap)
from scapy.layers.inet import IPOption_NOP
from scapy.layers.l2 import CookedLinux, CookedLinuxV2
from scapy.contrib.igmp import IGMP
from scapy.layers.sctp import SCTP

conf.verb = 0
random.seed(5)
out = sys.argv[1]
A, B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
hosts = ["10.0.0.1", "10.0.0.2", "10.1.2.3", "192.168.1.7", "172.16.5.4", "8.8.8.8", "224.0.0.251",
         "255.255.255.255", "0.0.0.0", "10.0.0.255"]
hosts6 = ["2001:db8::a", "2001:db8::b", "fe80::1", "ff02::1", "2001:db8:1::5", "::1"]
ports = [0, 22, 53, 67, 80, 123, 443, 1023, 1024, 8000, 8080, 9000, 50000, 65535]
l3 = []
for i in range(220):
    s, d = random.choice(hosts), random.choice(hosts)
    kind = i % 11
    ip = IP(src=s, dst=d, ttl=random.choice([1, 32, 64, 128, 255]), tos=random.choice([0, 0x10, 0xb8]))
    if kind == 0:
        p = ip / TCP(sport=random.choice(ports), dport=random.choice(ports), flags=random.choice(["S", "SA", "A", "R", "RA", "F", "FA", "PA", ""]))
    elif kind == 1:
        p = ip / UDP(sport=random.choice(ports), dport=random.choice(ports)) / Raw(b"x" * random.randint(0, 300))
    elif kind == 2:
        p = ip / ICMP(type=random.choice([0, 3, 8, 11]), code=random.choice([0, 1, 3])) / Raw(b"y" * 20)
    elif kind == 3:
        p = ip / SCTP(sport=random.choice(ports), dport=random.choice(ports))
    elif kind == 4:
        p = IP(src=s, dst="224.0.0.1", options=[IPOption_Router_Alert()]) / IGMP()
    elif kind == 5:
        p = IP(src=s, dst=d, options=[IPOption_NOP()] * 4) / TCP(sport=80, dport=random.choice(ports), flags="S")
    elif kind == 6:
        frag = IP(src=s, dst=d, id=i, flags=random.choice([0, 1]), frag=random.choice([0, 0, 100])) / UDP(sport=53, dport=53)
        p = frag
    elif kind == 7:
        p = IPv6(src=random.choice(hosts6), dst=random.choice(hosts6)) / TCP(sport=random.choice(ports), dport=random.choice(ports), flags=random.choice(["S", "A", "R"]))
    elif kind == 8:
        p = IPv6(src=random.choice(hosts6), dst=random.choice(hosts6)) / UDP(sport=random.choice(ports), dport=random.choice(ports))
    elif kind == 9:
        p = IPv6(src=random.choice(hosts6), dst=random.choice(hosts6)) / random.choice([ICMPv6EchoRequest(), ICMPv6ND_NS(tgt="fe80::1")])
    else:
        ext = random.choice([IPv6ExtHdrHopByHop(), IPv6ExtHdrDestOpt(), IPv6ExtHdrRouting(), IPv6ExtHdrFragment(offset=random.choice([0, 5])),
                             IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()])
        p = IPv6(src=random.choice(hosts6), dst=random.choice(hosts6)) / ext / random.choice([TCP(dport=80, flags="S"), UDP(dport=53), ICMPv6EchoRequest()])
    l3.append(p)

frames = []
for i, p in enumerate(l3):
    dst = random.choice([B, "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "33:33:00:00:00:01"])
    e = Ether(src=A, dst=dst)
    if i % 13 == 0:
        frames.append(e / Dot1Q(vlan=random.choice([10, 20])) / p)
    elif i % 29 == 0:
        frames.append(e / Dot1Q(vlan=10) / Dot1Q(vlan=20) / p)
    else:
        frames.append(e / p)
for op in (1, 2):
    frames.append(Ether(src=A, dst="ff:ff:ff:ff:ff:ff") / ARP(op=op, psrc="10.0.0.1", pdst="10.0.0.2", hwsrc=A))
    frames.append(Ether(src=A, dst="ff:ff:ff:ff:ff:ff", type=0x8035) / ARP(op=op + 2, psrc="10.0.0.2", pdst="10.0.0.1", hwsrc=A))
frames.append(Ether(src=A, dst=B, type=0x0800) / Raw(b"\x45\x00"))  # truncated IPv4
frames.append(Ether(src=A, dst=B, type=0x86dd) / Raw(b"\x60"))  # truncated IPv6
wrpcap(f"{out}/extra_en10mb.pcap", frames)
wrpcap(f"{out}/extra_raw.pcap", [Raw(bytes(p)) for p in l3], linktype=101)
wrpcap(f"{out}/extra_sll.pcap", [CookedLinux(pkttype=random.choice([0, 4]), lladdrtype=1, lladdrlen=6, src=b"\x02\0\0\0\0\x0a\0\0", proto=0x86dd if p.version == 6 else 0x800) / p for p in l3], linktype=113)
wrpcap(f"{out}/extra_sll2.pcap", [CookedLinuxV2(proto=0x86dd if p.version == 6 else 0x800, ifindex=2, pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02\0\0\0\0\x0a\0\0") / p for p in l3], linktype=276)
