/**
 * `deno task bench [echo|...] [options]`: runs netkit's benchmarks against their peers in one run and prints
 * ratios. With no name, runs them all.
 *
 * @module
 */
import { benchCapture } from "./capture.ts";
import { benchEcho } from "./echo.ts";
import { benchFilter } from "./filter.ts";
import { benchInject } from "./inject.ts";

const BENCHES: Record<string, (args: string[]) => Promise<void>> = {
  echo: benchEcho,
  capture: benchCapture,
  filter: benchFilter,
  inject: benchInject,
};

const USAGE = `usage: deno task bench [echo|capture|filter|inject] [options]   (no name: all of them)
  echo     --duration S (3) --runs N (2) --only NAME,... (parts of the server names)
  capture  --rates R,R,max --seconds S --size B --modes text,json,file,null --repeat N --interface IF
           --max-count N
  filter   --rates R,R --seconds S --size B --warmup N
  inject   --seconds S (2) --runs N (2) --only flood,replay,replay2,c,hping3,tcpreplay,scapy,rate
capture, filter and inject need root (namespaces, raw sockets); each run is bounded in count and time.`;

const [name, ...rest] = Deno.args;
if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(USAGE);
  Deno.exit(0);
}
const chosen = name && !name.startsWith("-") ? [name] : Object.keys(BENCHES);
const args = name && !name.startsWith("-") ? rest : Deno.args;
for (const n of chosen) {
  const fn = BENCHES[n];
  if (!fn) {
    console.error(`bench: unknown benchmark ${n}; choose from ${Object.keys(BENCHES).join(", ")}`);
    Deno.exit(2);
  }
  console.log(`\n=== ${n} ===`);
  try {
    await fn(args);
  } catch (e) {
    // A bad option (node:util parseArgs) is a usage error; anything else failed the run.
    const usage = (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ?? false;
    console.error(`bench ${n}: ${e instanceof Error ? e.message : String(e)}${usage ? " (see --help)" : ""}`);
    Deno.exit(usage ? 2 : 1);
  }
}
