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

const [name, ...rest] = Deno.args;
const chosen = name && !name.startsWith("-") ? [name] : Object.keys(BENCHES);
const args = name && !name.startsWith("-") ? rest : Deno.args;
for (const n of chosen) {
  const fn = BENCHES[n];
  if (!fn) {
    console.error(`bench: unknown benchmark ${n}; choose from ${Object.keys(BENCHES).join(", ")}`);
    Deno.exit(2);
  }
  console.log(`\n=== ${n} ===`);
  await fn(args);
}
