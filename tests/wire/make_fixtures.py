#!/usr/bin/python3
"""Builds tests/wire/_fixtures.ts: packets made with scapy, each with the line tcpdump prints for it.

Run with Debian's python (scapy 2.5), then format:
  /usr/bin/python3 tests/wire/make_fixtures.py && deno fmt tests/wire/_fixtures.ts
Every field is explicit, so the output does not depend on this machine. tcpdump -n reads a temporary pcap
per link type; its line (after the timestamp) becomes the fixture's summary.
"""
import os, struct, subprocess, tempfile
from scapy.all import (Ether, Dot1Q, Dot1AD, IP, IPv6, TCP, UDP, ICMP, ARP, DNS, DNSQR, DNSRR, Raw,
                       IPOption_RR, IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       ICMPv6EchoRequest, ICMPv6EchoReply, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS, ICMPv6ND_RA,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, ICMPv6NDOptPrefixInfo, ICMPv6NDOptMTU,
                       ICMPv6DestUnreach, ICMPv6PacketTooBig, fragment, CookedLinux)

A, B = "02:00:00:00:00:01", "02:00:00:00:00:02"
E = lambda: Ether(src=A, dst=B)
E6 = lambda: Ether(src=A, dst=B, type=0x86DD)
LO = "127.0.0.1"

fx = []  # (name, linktype, bytes)

def add(name, pkt, linktype=1):
    fx.append((name, linktype, bytes(pkt)))

syn_opts = [("MSS", 65495), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None), ("WScale", 7)]
add("tcp_syn", E() / IP(src=LO, dst=LO, id=0, flags="DF") / TCP(sport=53034, dport=8000, flags="S", seq=123, window=65495, options=syn_opts))
add("tcp_synack", E() / IP(src=LO, dst=LO, id=0, flags="DF") / TCP(sport=8000, dport=53034, flags="SA", seq=9000, ack=124, window=65483, options=[("MSS", 65495), ("SAckOK", b""), ("Timestamp", (2, 1)), ("NOP", None), ("WScale", 7)]))
add("tcp_ack", E() / IP(src=LO, dst=LO, id=1, flags="DF") / TCP(sport=53034, dport=8000, flags="A", seq=124, ack=9001, window=512, options=[("NOP", None), ("NOP", None), ("Timestamp", (3, 2))]))
add("tcp_data", E() / IP(src=LO, dst=LO, id=2, flags="DF") / TCP(sport=53034, dport=8000, flags="PA", seq=124, ack=9001, window=512) / b"hello")
add("tcp_sack", E() / IP(src=LO, dst=LO, id=3, flags="DF") / TCP(sport=8000, dport=53034, flags="A", seq=9001, ack=129, window=512, options=[("NOP", None), ("NOP", None), ("SAck", (200, 300, 400, 500))]))
add("tcp_urg_fin", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=4) / TCP(sport=1111, dport=2222, flags="FUA", seq=5, ack=6, urgptr=3, window=100))
add("tcp_rst", E() / IP(src="10.0.0.2", dst="10.0.0.1", id=5) / TCP(sport=2222, dport=1111, flags="R", seq=77, window=0))
add("tcp_unknown_opt", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=6) / TCP(sport=1, dport=2, flags="S", seq=0, window=1024, options=[(253, b"\x12\x34"), ("NOP", None), ("EOL", None)]))
add("dns_query_v6", E6() / IPv6(src="::1", dst="::1", hlim=64) / UDP(sport=5353, dport=53) / DNS(id=12345, rd=1, qd=DNSQR(qname="example.com", qtype="A")))
add("dns_query_v4", E() / IP(src="10.0.0.1", dst="10.0.0.53", id=7) / UDP(sport=40000, dport=53) / DNS(id=4660, rd=1, qd=DNSQR(qname="www.example.org", qtype="AAAA")))
# A response with a compression pointer to the question's name (offset 12).
resp = DNS(id=4660, qr=1, rd=1, ra=1, qd=DNSQR(qname="www.example.org", qtype="A"))
ans = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 7])
rb = bytearray(bytes(resp)); rb[7] = 1
add("dns_response_compressed", E() / IP(src="10.0.0.53", dst="10.0.0.1", id=8) / UDP(sport=53, dport=40000) / Raw(bytes(rb) + ans))
add("dns_nxdomain", E() / IP(src="10.0.0.53", dst="10.0.0.1", id=9) / UDP(sport=53, dport=40001) / DNS(id=77, qr=1, rd=1, ra=1, rcode=3, qd=DNSQR(qname="nope.invalid", qtype="A")))
# Malformed: a pointer to itself at offset 12.
add("dns_pointer_loop", E() / IP(src="10.0.0.1", dst="10.0.0.53", id=10) / UDP(sport=40002, dport=53) / Raw(struct.pack("!HHHHHH", 99, 0x0100, 1, 0, 0, 0) + b"\xc0\x0c\x00\x01\x00\x01"))
add("arp_request", Ether(src=A, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=A, psrc="10.0.0.1", hwdst="00:00:00:00:00:00", pdst="10.0.0.2"))
add("arp_reply", Ether(src=B, dst=A) / ARP(op=2, hwsrc=B, psrc="10.0.0.2", hwdst=A, pdst="10.0.0.1"))
add("icmp_echo_request", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=11) / ICMP(type=8, id=1, seq=1) / (b"\x00" * 56))
add("icmp_echo_reply", E() / IP(src="10.0.0.2", dst="10.0.0.1", id=12) / ICMP(type=0, id=1, seq=1) / (b"\x00" * 56))
inner_udp = IP(src="10.0.0.1", dst="10.0.0.2", id=13) / UDP(sport=40000, dport=33434) / b"probe"
add("icmp_port_unreachable", E() / IP(src="10.0.0.2", dst="10.0.0.1", id=14) / ICMP(type=3, code=3) / bytes(inner_udp)[:28])
inner_tcp = IP(src="10.0.0.1", dst="10.0.0.9", id=15, ttl=1) / TCP(sport=40000, dport=80, flags="S", seq=1)
add("icmp_time_exceeded", E() / IP(src="10.0.0.254", dst="10.0.0.1", id=16) / ICMP(type=11, code=0) / bytes(inner_tcp)[:28])
add("icmp_frag_needed", E() / IP(src="10.0.0.254", dst="10.0.0.1", id=17) / ICMP(type=3, code=4, nexthopmtu=1400) / bytes(inner_udp)[:28])
frags = fragment(E() / IP(src="10.0.0.1", dst="10.0.0.2", id=4242) / UDP(sport=5000, dport=5001) / (b"x" * 100), fragsize=64)
add("ipv4_frag_first", frags[0])
add("ipv4_frag_last", frags[1])
add("ipv4_options_rr", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=18, options=[IPOption_RR(routers=["0.0.0.0"] * 2)]) / UDP(sport=7, dport=7) / b"echo")
add("ipv4_unknown_proto", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=19, proto=253) / b"\x01\x02\x03\x04")
add("udp_checksum_zero", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=20) / UDP(sport=1000, dport=2000, chksum=0) / b"zero")
add("udp_empty", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=21) / UDP(sport=1000, dport=2000))
add("ipv6_tcp", E6() / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64, fl=0x12345) / TCP(sport=443, dport=50000, flags="SA", seq=1, ack=2, window=1000))
add("ipv6_hbh_dst_udp", E6() / IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / UDP(sport=1234, dport=5000) / b"x")
add("ipv6_frag_first", E6() / IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment(id=7, m=1, offset=0) / ICMPv6EchoRequest(id=5, seq=9, data=b"abcd"))
add("ipv6_frag_later", E6() / IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment(id=7, m=0, offset=2, nh=58) / Raw(b"12345678"))
add("icmpv6_echo_request", E6() / IPv6(src="2001:db8::1", dst="2001:db8::2") / ICMPv6EchoRequest(id=1, seq=2, data=b"ping"))
add("icmpv6_echo_reply", E6() / IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6EchoReply(id=1, seq=2, data=b"ping"))
add("icmpv6_ns", Ether(src=A, dst="33:33:ff:00:00:02") / IPv6(src="fe80::1", dst="ff02::1:ff00:2", hlim=255) / ICMPv6ND_NS(tgt="fe80::2") / ICMPv6NDOptSrcLLAddr(lladdr=A))
add("icmpv6_na", E6() / IPv6(src="fe80::2", dst="fe80::1", hlim=255) / ICMPv6ND_NA(tgt="fe80::2", R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=B))
add("icmpv6_rs", Ether(src=A, dst="33:33:00:00:00:02") / IPv6(src="fe80::1", dst="ff02::2", hlim=255) / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=A))
add("icmpv6_ra", Ether(src=B, dst="33:33:00:00:00:01") / IPv6(src="fe80::2", dst="ff02::1", hlim=255) / ICMPv6ND_RA(chlim=64, M=1, routerlifetime=1800) / ICMPv6NDOptPrefixInfo(prefix="2001:db8::", prefixlen=64) / ICMPv6NDOptMTU(mtu=1500))
inner6 = IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=40000, dport=33434) / b"probe"
add("icmpv6_port_unreachable", E6() / IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6DestUnreach(code=4) / bytes(inner6))
add("icmpv6_too_big", E6() / IPv6(src="2001:db8::fe", dst="2001:db8::1") / ICMPv6PacketTooBig(mtu=1280) / bytes(inner6))
add("vlan_udp", Ether(src=A, dst=B) / Dot1Q(vlan=100, prio=1) / IP(src="10.0.0.1", dst="10.0.0.2", id=22) / UDP(sport=4000, dport=4001) / b"vlan")
add("qinq_udp", Ether(src=A, dst=B, type=0x88A8) / Dot1AD(vlan=200) / Dot1Q(vlan=100) / IP(src="10.0.0.1", dst="10.0.0.2", id=23) / UDP(sport=4000, dport=4001) / b"qinq")
add("truncated_tcp", (bytes(E() / IP(src="10.0.0.1", dst="10.0.0.2", id=24) / TCP(sport=1, dport=2, flags="S")))[:44])
add("raw_ipv4_udp", IP(src=LO, dst=LO, id=25) / UDP(sport=9999, dport=7777) / b"raw", linktype=101)
add("raw_ipv6_icmpv6", IPv6(src="::1", dst="::1") / ICMPv6EchoRequest(id=3, seq=4), linktype=101)
add("sll_ipv4_tcp", CookedLinux(pkttype=4, lladdrtype=772, lladdrlen=6, src=b"\x00" * 8, proto=0x0800) / IP(src=LO, dst=LO, id=26) / TCP(sport=5555, dport=6666, flags="S", seq=42, window=1000), linktype=113)
sll2 = struct.pack("!HHIHBB8s", 0x0800, 0, 1, 772, 0, 6, b"\x00" * 8)
add("sll2_ipv4_udp", sll2 + bytes(IP(src=LO, dst=LO, id=27) / UDP(sport=1, dport=2) / b"x"), linktype=276)
add("ipv4_bad_checksum", E() / IP(src="10.0.0.1", dst="10.0.0.2", id=29, chksum=0x1234) / UDP(sport=1, dport=2))
add("ipv6_unknown_proto", E6() / IPv6(src="2001:db8::1", dst="2001:db8::2", nh=253) / Raw(b"abcd"))
add("unknown_ethertype", Ether(src=A, dst="ff:ff:ff:ff:ff:ff", type=0x88B5) / Raw(b"x" * 46))
add("null_ipv4_icmp", struct.pack("<I", 2) + bytes(IP(src=LO, dst=LO, id=28) / ICMP(type=8, id=9, seq=9)), linktype=0)

def summaries(linktype, frames):
    with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for i, b in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(b), len(b)))
            f.write(b)
        path = f.name
    try:
        out = subprocess.run(["tcpdump", "-n", "-r", path], capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    lines = []
    for l in out.split("\n"):
        if not l or l.startswith("\t") or l.startswith(" " * 4):
            continue
        l = l.split(" ", 1)[1]  # drop the timestamp
        if linktype == 276:  # interface and direction columns
            l = l.split(None, 2)[2] if len(l.split(None, 2)) == 3 else l
        lines.append(l)
    assert len(lines) == len(frames), (linktype, len(lines), len(frames))
    return lines

by_lt = {}
for i, (_, lt, b) in enumerate(fx):
    by_lt.setdefault(lt, []).append(i)
summ = [None] * len(fx)
for lt, idx in by_lt.items():
    for i, s in zip(idx, summaries(lt, [fx[i][2] for i in idx])):
        summ[i] = s

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "_fixtures.ts"), "w") as out:
    out.write("// Generated by tests/wire/make_fixtures.py (scapy 2.5 + tcpdump 4.99 -n). Do not edit by hand.\n")
    out.write("// Each fixture: a frame as hex, its link type, and tcpdump's line for it (also in the comment).\n\n")
    out.write("/** One captured frame. */\nexport interface WireFixture {\n  name: string;\n  linktype: number;\n  hex: string;\n  summary: string;\n}\n\n")
    out.write("/** The fixtures, in generation order. */\nexport const FIXTURES: WireFixture[] = [\n")
    for (name, lt, b), s in zip(fx, summ):
        out.write(f"  // {s}\n")
        out.write(f"  {{ name: {name!r}, linktype: {lt}, hex: {b.hex()!r}, summary: {s!r} }},\n".replace("'", '"') if '"' not in s else
                  f"  {{ name: \"{name}\", linktype: {lt}, hex: \"{b.hex()}\", summary: '{s}' }},\n")
    out.write("];\n\n/** @returns the bytes of a fixture */\nexport function fixtureBytes(f: WireFixture): Uint8Array {\n")
    out.write("  const b = new Uint8Array(f.hex.length / 2);\n  for (let i = 0; i < b.length; i++) b[i] = parseInt(f.hex.slice(2 * i, 2 * i + 2), 16);\n  return b;\n}\n")
print(f"wrote {len(fx)} fixtures")
