/**
 * Struct layouts and constants against the C compiler and the kernel headers of this machine: a small C
 * program prints `sizeof`/`offsetof` and the macro values, and every table in ffi/structs.ts and value in
 * ffi/constants.ts must agree.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as S from "../../ffi/structs.ts";
import * as K from "../../ffi/constants.ts";
import { RING_LAYOUT, ringGeometry } from "../../ffi/ring.ts";
import { needCommands, run, testIf } from "../_helpers.ts";

/** table name -> C type and, per field of the table, the C member designator. */
const C_STRUCTS: Record<string, [string, Record<string, string>]> = {
  SOCKADDR_LL: ["struct sockaddr_ll", {
    family: "sll_family",
    ifindex: "sll_ifindex",
    hatype: "sll_hatype",
    pkttype: "sll_pkttype",
    halen: "sll_halen",
    addr: "sll_addr",
    protocol: "sll_protocol",
  }],
  PACKET_MREQ: ["struct packet_mreq", {
    ifindex: "mr_ifindex",
    type: "mr_type",
    alen: "mr_alen",
    address: "mr_address",
  }],
  TPACKET_REQ3: ["struct tpacket_req3", {
    blockSize: "tp_block_size",
    blockNr: "tp_block_nr",
    frameSize: "tp_frame_size",
    frameNr: "tp_frame_nr",
    retireBlkTov: "tp_retire_blk_tov",
    sizeofPriv: "tp_sizeof_priv",
    featureReqWord: "tp_feature_req_word",
  }],
  TPACKET3_HDR: ["struct tpacket3_hdr", {
    nextOffset: "tp_next_offset",
    sec: "tp_sec",
    nsec: "tp_nsec",
    snaplen: "tp_snaplen",
    len: "tp_len",
    status: "tp_status",
    mac: "tp_mac",
    net: "tp_net",
    rxhash: "hv1.tp_rxhash",
    vlanTci: "hv1.tp_vlan_tci",
    vlanTpid: "hv1.tp_vlan_tpid",
  }],
  TPACKET_BLOCK_DESC: ["struct tpacket_block_desc", {
    version: "version",
    offsetToPriv: "offset_to_priv",
    blockStatus: "hdr.bh1.block_status",
    numPkts: "hdr.bh1.num_pkts",
    offsetToFirstPkt: "hdr.bh1.offset_to_first_pkt",
    blkLen: "hdr.bh1.blk_len",
    seqNum: "hdr.bh1.seq_num",
    tsFirstPkt: "hdr.bh1.ts_first_pkt",
    tsLastPkt: "hdr.bh1.ts_last_pkt",
  }],
  TPACKET_STATS_V3: ["struct tpacket_stats_v3", {
    packets: "tp_packets",
    drops: "tp_drops",
    freezeQCnt: "tp_freeze_q_cnt",
  }],
  SOCK_FILTER: ["struct sock_filter", { code: "code", jt: "jt", jf: "jf", k: "k" }],
  SOCK_FPROG: ["struct sock_fprog", { len: "len", filter: "filter" }],
  IFREQ: ["struct ifreq", { name: "ifr_name", ifru: "ifr_ifru" }],
  IFADDRS: ["struct ifaddrs", {
    next: "ifa_next",
    name: "ifa_name",
    flags: "ifa_flags",
    addr: "ifa_addr",
    netmask: "ifa_netmask",
    broadaddr: "ifa_ifu",
    data: "ifa_data",
  }],
  SOCKADDR_IN: ["struct sockaddr_in", { family: "sin_family", port: "sin_port", addr: "sin_addr" }],
  SOCKADDR_IN6: ["struct sockaddr_in6", {
    family: "sin6_family",
    port: "sin6_port",
    flowinfo: "sin6_flowinfo",
    addr: "sin6_addr",
    scopeId: "sin6_scope_id",
  }],
  PASSWD: ["struct passwd", {
    name: "pw_name",
    passwd: "pw_passwd",
    uid: "pw_uid",
    gid: "pw_gid",
    gecos: "pw_gecos",
    dir: "pw_dir",
    shell: "pw_shell",
  }],
  RUSAGE: ["struct rusage", { utime: "ru_utime", stime: "ru_stime" }],
  POLLFD: ["struct pollfd", { fd: "fd", events: "events", revents: "revents" }],
};

/** Constants whose macro has the same name in the C headers. */
const C_MACROS = [
  "AF_INET",
  "AF_INET6",
  "AF_PACKET",
  "SOCK_DGRAM",
  "SOCK_RAW",
  "SOL_SOCKET",
  "SO_ACCEPTCONN",
  "SOL_PACKET",
  "ETH_P_ALL",
  "ETH_P_IP",
  "ETH_P_8021Q",
  "ETH_P_8021AD",
  "ETH_ALEN",
  "ETH_HLEN",
  "PACKET_HOST",
  "PACKET_BROADCAST",
  "PACKET_MULTICAST",
  "PACKET_OTHERHOST",
  "PACKET_OUTGOING",
  "PACKET_ADD_MEMBERSHIP",
  "PACKET_DROP_MEMBERSHIP",
  "PACKET_RX_RING",
  "PACKET_STATISTICS",
  "PACKET_VERSION",
  "PACKET_IGNORE_OUTGOING",
  "PACKET_MR_PROMISC",
  "TPACKET_V3",
  "TP_STATUS_KERNEL",
  "TP_STATUS_USER",
  "TP_STATUS_COPY",
  "TP_STATUS_LOSING",
  "TP_STATUS_CSUMNOTREADY",
  "TP_STATUS_VLAN_VALID",
  "TP_STATUS_BLK_TMO",
  "TP_STATUS_VLAN_TPID_VALID",
  "TPACKET_ALIGNMENT",
  "ARPHRD_ETHER",
  "ARPHRD_LOOPBACK",
  "ARPHRD_NONE",
  "ARPHRD_RAWIP",
  "ARPHRD_IEEE80211_RADIOTAP",
  "ARPHRD_CAN",
  "ARPHRD_VSOCKMON",
  "ARPHRD_NETLINK",
  "ARPHRD_IPGRE",
  "ARPHRD_SIT",
  "BPF_MAXINSNS",
  "IFF_UP",
  "IFF_BROADCAST",
  "IFF_LOOPBACK",
  "IFF_POINTOPOINT",
  "IFF_RUNNING",
  "IFF_PROMISC",
  "IFF_MULTICAST",
  "IFNAMSIZ",
  "SIOCGIFMTU",
  "PROT_READ",
  "PROT_WRITE",
  "MAP_SHARED",
  "MAP_PRIVATE",
  "MAP_FIXED",
  "MAP_ANONYMOUS",
  "POLLIN",
  "POLLERR",
  "POLLHUP",
  "POLLNVAL",
  "RUSAGE_SELF",
] as const;

/** Per-architecture constants, checked for the architecture this runs on. */
const C_ARCH = [
  "SOCK_NONBLOCK",
  "SOCK_CLOEXEC",
  "SO_RCVBUF",
  "SO_ERROR",
  "SO_ATTACH_FILTER",
  "SO_DETACH_FILTER",
  "EFD_CLOEXEC",
  "EFD_NONBLOCK",
] as const;

function cProgram(): string {
  const lines: string[] = [];
  for (const [table, [type, fields]] of Object.entries(C_STRUCTS)) {
    lines.push(`printf("${table} size %zu\\n", sizeof(${type}));`);
    for (const [field, member] of Object.entries(fields)) {
      lines.push(`printf("${table} ${field} %zu\\n", offsetof(${type}, ${member}));`);
    }
  }
  for (const m of [...C_MACROS, ...C_ARCH]) lines.push(`printf("MACRO ${m} %lld\\n", (long long)(${m}));`);
  lines.push(`printf("MACRO POINTER_SIZE %zu\\n", sizeof(void *));`);
  return `#define _GNU_SOURCE
#include <stdio.h>
#include <stddef.h>
#include <ifaddrs.h>
#include <pwd.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/filter.h>
#include <linux/sockios.h>
int main(void) {
${lines.join("\n")}
return 0;
}
`;
}

async function compiled(): Promise<Map<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "netkit-structs-" });
  try {
    await Deno.writeTextFile(`${dir}/s.c`, cProgram());
    const cc = await run("gcc", ["-o", `${dir}/s`, `${dir}/s.c`], { timeoutMs: 60_000 });
    assert.equal(cc.code, 0, cc.stderr);
    const out = await run(`${dir}/s`, [], { timeoutMs: 10_000 });
    assert.equal(out.code, 0);
    const m = new Map<string, number>();
    for (const line of out.stdout.trim().split("\n")) {
      const [a, b, v] = line.split(" ");
      m.set(`${a}.${b}`, Number(v));
    }
    return m;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

testIf("every struct table matches sizeof/offsetof from the C compiler", needCommands("gcc"), async () => {
  const c = await compiled();
  let checked = 0;
  for (const [table, [, fields]] of Object.entries(C_STRUCTS)) {
    const t = (S as unknown as Record<string, { size: number; host: object; net: object }>)[table];
    assert.ok(t, `structs.ts has ${table}`);
    assert.equal(t.size, c.get(`${table}.size`), `sizeof ${table}`);
    const ours: Record<string, number> = { ...t.host, ...t.net };
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(fields).sort(), `${table} names the same fields`);
    for (const field of Object.keys(fields)) {
      assert.equal(ours[field], c.get(`${table}.${field}`), `offsetof ${table}.${field}`);
      checked++;
    }
  }
  assert.ok(checked > 60);
});

testIf("every constant matches the kernel and libc headers", needCommands("gcc"), async () => {
  const c = await compiled();
  for (const m of C_MACROS) assert.equal((K as Record<string, unknown>)[m], c.get(`MACRO.${m}`), m);
  const arch = K.archConstants() as unknown as Record<string, number>;
  for (const m of [...C_ARCH, "POINTER_SIZE"]) assert.equal(arch[m], c.get(`MACRO.${m}`), m);
});

Deno.test("the sizes the kernel documentation gives", () => {
  assert.equal(S.TPACKET3_HDR.size, 48);
  assert.equal(S.SOCKADDR_LL.size, 20);
  assert.equal(S.TPACKET_REQ3.size, 28);
  assert.equal(S.TPACKET_STATS_V3.size, 12);
  assert.equal(S.SOCK_FILTER.size, 8);
  assert.equal(S.PACKET_MREQ.size, 16);
  assert.equal(S.TPACKET_BLOCK_DESC.size, 48);
  // The sockaddr_ll follows the packet header at TPACKET_ALIGN(48); TPACKET3_HDRLEN is 68.
  assert.deepEqual(RING_LAYOUT, { sllOffset: 48, tpacket3HdrLen: 68 });
});

Deno.test("sll_protocol is the one network-order field of sockaddr_ll", () => {
  assert.deepEqual(Object.keys(S.SOCKADDR_LL.net), ["protocol"]);
  assert.equal(K.htons(K.ETH_P_ALL), 0x0300);
  assert.equal(K.htons(0x0800), 0x0008);
});

Deno.test("archConstants() knows x86_64 and aarch64 and refuses others", () => {
  assert.equal(K.archConstants("x86_64"), K.archConstants("aarch64"));
  assert.throws(() => K.archConstants("mips64"), /x86_64 and aarch64 only, not mips64/);
  assert.doesNotThrow(() => K.archConstants());
});

Deno.test("linktypeForHatype() follows libpcap's raw-mode mapping", () => {
  assert.equal(K.linktypeForHatype(K.ARPHRD_ETHER), 1);
  assert.equal(K.linktypeForHatype(K.ARPHRD_LOOPBACK), 1);
  assert.equal(K.linktypeForHatype(K.ARPHRD_NONE), 101);
  assert.equal(K.linktypeForHatype(K.ARPHRD_RAWIP), 101);
  assert.equal(K.linktypeForHatype(K.ARPHRD_TUNNEL), 101);
  assert.equal(K.linktypeForHatype(K.ARPHRD_IEEE80211_RADIOTAP), 127);
  assert.equal(K.linktypeForHatype(K.ARPHRD_CAN), 227);
  assert.equal(K.linktypeForHatype(K.ARPHRD_PPP), -1, "libpcap uses cooked mode for PPP");
  assert.equal(K.linktypeForHatype(0x1234), -1);
});

Deno.test("ringGeometry() sizes blocks for the snaplen and refuses nonsense", () => {
  const small = ringGeometry(4 * 1024 * 1024, 96, 10);
  assert.equal(small.blockSize, 128 * 1024);
  assert.equal(small.blockNr, 32);
  assert.equal(small.frameSize % K.TPACKET_ALIGNMENT, 0);
  assert.equal(small.frameNr, Math.floor(small.blockSize / small.frameSize) * small.blockNr);
  const big = ringGeometry(1024, 262144, 0);
  assert.equal(big.blockSize, 512 * 1024, "one full-size frame fits a block");
  assert.equal(big.blockNr, 2, "never fewer than two blocks");
  assert.throws(() => ringGeometry(0, 96, 10), RangeError);
  assert.throws(() => ringGeometry(1 << 20, 0, 10), RangeError);
  assert.throws(() => ringGeometry(1 << 20, 96, 1.5), RangeError);
  assert.equal(K.tpacketAlign(68), 80);
  assert.equal(K.tpacketAlign(48), 48);
});
