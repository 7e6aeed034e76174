import { writeFileSync, mkdirSync } from "node:fs";

/**
 * `npm run bench [-- --quick]`: runs every benchmark, each measuring its
 * subject against a reference in the same run, and ends with ONE JSON line of
 * the headline figures (BENCHMARKS.md explains each). `--quick` is the
 * CI-sized run; `--only name[,name]` runs some of them.
 */

export interface BenchOptions {
  readonly quick: boolean;
  /** Where a benchmark may write details (bench/results/, gitignored). */
  readonly resultsDir: string;
}

export type Headlines = Record<string, number>;

interface Benchmark {
  readonly name: string;
  readonly run: (options: BenchOptions) => Promise<Headlines>;
}

const HEADLINE_KEYS = [
  "generate_ms_per_flow",
  "generate_vs_bundle",
  "runtime_ratio",
  "bundle_delta_kib",
  "startup_ratio",
  "load_created",
  "load_lost",
] as const;

async function benchmarks(): Promise<Benchmark[]> {
  const list: Benchmark[] = [];
  for (const [name, module] of [
    ["generator", "./generator/bench-generator.ts"],
    ["runtime", "./runtime/bench-runtime.ts"],
    ["size", "./size/bench-size.ts"],
    ["load", "./load/bench-load.ts"],
    ["fuzz", "./fuzz/bench-fuzz.ts"],
  ] as const) {
    list.push({ name, run: async (options) => ((await import(module)) as { run: Benchmark["run"] }).run(options) });
  }
  return list;
}

async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes("--quick");
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? "").split(",")) : undefined;
  const resultsDir = "bench/results";
  mkdirSync(resultsDir, { recursive: true });
  const headlines: Headlines = {};
  let failed = false;
  for (const bench of await benchmarks()) {
    if (only && !only.has(bench.name)) continue;
    const started = performance.now();
    console.error(`\n== ${bench.name}${quick ? " (quick)" : ""}`);
    try {
      Object.assign(headlines, await bench.run({ quick, resultsDir }));
      console.error(`== ${bench.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed = true;
      console.error(`== ${bench.name} FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
  const line: Record<string, number | null> = {};
  for (const key of HEADLINE_KEYS) line[key] = headlines[key] ?? null;
  for (const [key, value] of Object.entries(headlines)) if (!(key in line)) line[key] = value;
  writeFileSync(`${resultsDir}/headlines${quick ? "-quick" : ""}.json`, `${JSON.stringify(line, null, 2)}\n`);
  console.log(JSON.stringify(line));
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
