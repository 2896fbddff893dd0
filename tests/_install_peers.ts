/**
 * Installs the peer programs the tests use (nc, socat, ncat, tcpdump, tshark, scapy, ...) when they are
 * missing and this is a Debian machine run as root; otherwise says which are missing, and the tests that need
 * them skip with that reason. Run by `deno task test` before the tests.
 *
 * @module
 */

/** Debian package for each program the tests call. */
const PEERS: Record<string, string> = {
  nc: "netcat-openbsd",
  socat: "socat",
  ncat: "ncat",
  python3: "python3",
  tcpdump: "tcpdump",
  tshark: "tshark",
  hping3: "hping3",
  tcpreplay: "tcpreplay",
  ip: "iproute2",
  cc: "gcc",
};

function has(cmd: string): boolean {
  return new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "null", stderr: "null" })
    .outputSync().success;
}

function hasScapy(): boolean {
  if (!has("python3")) return false;
  // Debian's python3 has python3-scapy; a pyenv python3 earlier on PATH does not see it.
  for (const py of ["/usr/bin/python3", "python3"]) {
    try {
      const ok = new Deno.Command(py, { args: ["-c", "import scapy"], stdout: "null", stderr: "null" })
        .outputSync().success;
      if (ok) return true;
    } catch { /* not there */ }
  }
  return false;
}

const missing = new Set<string>();
for (const [cmd, pkg] of Object.entries(PEERS)) if (!has(cmd)) missing.add(pkg);
if (!hasScapy()) missing.add("python3-scapy");

if (missing.size === 0) Deno.exit(0);

const pkgs = [...missing].sort();
const root = Deno.uid() === 0;
if (!root || !has("apt-get")) {
  console.error(
    `netkit tests: missing peers (${pkgs.join(" ")}); ` +
      (root ? "no apt-get here" : "not root, so not installing") + ": tests that need them will be skipped",
  );
  Deno.exit(0);
}
console.error(`netkit tests: installing peer programs with apt-get: ${pkgs.join(" ")}`);
const env = { DEBIAN_FRONTEND: "noninteractive" };
const update = new Deno.Command("apt-get", {
  args: ["update", "-qq"],
  env,
  stdout: "null",
  stderr: "inherit",
})
  .outputSync();
const install = update.success
  ? new Deno.Command("apt-get", {
    args: ["install", "-y", "-qq", "--no-install-recommends", ...pkgs],
    env,
    stdout: "null",
    stderr: "inherit",
  }).outputSync()
  : update;
if (!install.success) {
  console.error("netkit tests: apt-get failed; tests that need the missing peers will be skipped");
}
