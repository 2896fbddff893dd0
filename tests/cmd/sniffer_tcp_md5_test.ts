/**
 * `-M SECRET` on segments the kernel signs itself: two python3 sockets with TCP_MD5SIG (RFC 2385) talk over
 * 127.0.0.1 and ::1 while netkit's sniffer writes them to a file; netkit's `-M` reading then equals
 * tcpdump's, every segment checks out with the right secret and none with a wrong one.
 *
 * @module
 */
import assert from "node:assert/strict";
import { freePort, needCommands, needNetRaw, run, testIf } from "../_helpers.ts";
import { cleanUp, sniff, spawnLive, statusWithin } from "./_sniffer.ts";

/** A client and a server that sign every segment with KEY (argv: key, port, "6" for IPv6). */
const PEERS = `
import socket, struct, sys, threading
KEY = sys.argv[1].encode(); PORT = int(sys.argv[2]); V6 = len(sys.argv) > 3
fam = socket.AF_INET6 if V6 else socket.AF_INET
host = "::1" if V6 else "127.0.0.1"
def sign(s):
    # struct tcp_md5sig: the peer's sockaddr_storage, flags, prefix length, key length, ifindex, key[80]
    if V6:
        sa = struct.pack("=H", fam) + struct.pack("!HI", 0, 0) + socket.inet_pton(fam, host) + bytes(4)
    else:
        sa = struct.pack("=H", fam) + struct.pack("!H", 0) + socket.inet_aton(host) + bytes(8)
    s.setsockopt(socket.IPPROTO_TCP, 14, sa.ljust(128, b"\\0") + struct.pack("=BBHI", 0, 0, len(KEY), 0) + KEY.ljust(80, b"\\0"))
if PORT == 0:
    sign(socket.socket(fam)); sys.exit(0)
srv = socket.socket(fam); sign(srv); srv.bind((host, PORT)); srv.listen(1)
def serve():
    c, _ = srv.accept(); c.sendall(c.recv(100).upper()); c.close()
t = threading.Thread(target=serve); t.start()
cl = socket.socket(fam); sign(cl); cl.settimeout(10); cl.connect((host, PORT)); cl.sendall(b"signed data")
assert cl.recv(100) == b"SIGNED DATA"; cl.close(); t.join()
`;

/** Why the kernel cannot sign here (CONFIG_TCP_MD5SIG), or undefined. */
function needMd5Sig(): string | undefined {
  const missing = needCommands("python3", "tcpdump") ?? needNetRaw();
  if (missing) return missing;
  const r = new Deno.Command("python3", { args: ["-c", PEERS, "k", "0"], stderr: "piped" }).outputSync();
  return r.code === 0
    ? undefined
    : `kernel without TCP_MD5SIG (${new TextDecoder().decode(r.stderr).trim().split("\n").pop()})`;
}

testIf("-M checks the signatures of segments the kernel signed, as tcpdump -M", needMd5Sig(), async () => {
  const dir = Deno.makeTempDirSync({ prefix: `netkit-md5-${Deno.pid}-` });
  const file = `${dir}/md5.pcap`;
  const [p4, p6] = [freePort(), freePort("tcp", "::1")];
  const live = await spawnLive(["-i", "lo", "-U", "-w", file, `tcp port ${p4} or tcp port ${p6}`]);
  try {
    if (!live.listening) assert.fail(await live.stderr);
    for (const args of [[String(p4)], [String(p6), "6"]]) {
      const r = await run("python3", ["-c", PEERS, "s3cret", ...args], { timeoutMs: 20_000 });
      assert.equal(r.code, 0, r.stderr);
    }
    // Both connections end with FIN and ACK: 2 x (3 + 2 + 4) segments at least.
    for (let k = 0; k < 100; k++) {
      const { out } = await sniff(["-r", file]);
      if (out.split("\n").filter(Boolean).length >= 18) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    live.child.kill("SIGINT");
    assert.equal((await statusWithin(live.child, 20_000)).code, 0, await live.stderr);
    for (const secret of ["s3cret", "wrong"]) {
      const ours = await sniff(["-r", file, "-M", secret]);
      assert.equal(ours.code, 0, ours.err);
      const theirs = await run("tcpdump", ["-n", "-r", file, "-M", secret]);
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.equal(ours.out, theirs.stdout, `-M ${secret}`);
      const lines = ours.out.split("\n").filter(Boolean);
      assert(lines.length >= 18 && lines.some((l) => l.includes(" IP6 ")), ours.out);
      const want = secret === "s3cret" ? "md5 valid" : "md5  (invalid)";
      for (const l of lines) assert(l.includes(want), l);
    }
    // Without -M: the signature is shown, unchecked.
    const plain = await sniff(["-r", file, "-c", "1"]);
    assert.match(plain.out, /md5 shared secret not supplied with -M, can't check - [0-9a-f]{32}/);
  } finally {
    cleanUp(dir, live.child);
  }
});
