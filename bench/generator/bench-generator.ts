import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BenchOptions, Headlines } from "../run.ts";
import { runGenerator } from "../../generator/pipeline.ts";
import { STAGES, type Stage } from "../../generator/timings.ts";
import { bundleOnce, generateCold, type GenerateRun, median, readText, round, yamlFloor } from "./measure.ts";
import { writeSyntheticProject } from "./synthetic-flows.ts";
import { incrementalStages, measureWatch, snapshotDefinitions } from "./watch-measure.ts";

/**
 * Benchmark 1 (BENCHMARKS.md, "Generator"): how long `generate` takes for
 * 10, 100 and 500 synthetic flows (quick: 10 and 100), against the bundle
 * step that follows it (`wrangler deploy --dry-run` of the same output,
 * measured in the same run), how long watch mode takes to regenerate after
 * one flow among 100 changed, and where the time goes per stage.
 *
 * Headlines: generate_ms_per_flow at `generate_flows` flows (500, or 100
 * in quick mode), generate_vs_bundle (generate / bundle at that size),
 * watch_ms (median regeneration after one change among 100 flows).
 */


interface SizeResult {
  readonly flows: number;
  readonly runs: readonly GenerateRun[];
  readonly wallMs: number;
  readonly stages: Record<Stage, number>;
  /** `yaml` alone parsing the same definitions (yaml-floor.ts). */
  readonly yamlParseMs: number;
}

export async function run({ quick, resultsDir }: BenchOptions): Promise<Headlines> {
  const sizes = quick ? [10, 100] : [10, 100, 500];
  const repeats = quick ? 2 : 3;
  const base = join(resultsDir, "generator");
  mkdirSync(base, { recursive: true });

  const results: SizeResult[] = [];
  let pristine = "";
  for (const n of sizes) {
    const dir = resolve(base, `project-${n}`);
    writeSyntheticProject(dir, n);
    pristine = readText(join(dir, "wrangler.jsonc"));
    const runs: GenerateRun[] = [];
    for (let r = 0; r < repeats; r++) runs.push(await generateCold(dir, pristine));
    const result = summarise(n, runs, await yamlFloor(dir));
    results.push(result);
    const disk = round(median(runs.map((x) => x.diskFloorMs)));
    console.error(`generator: ${n} flows: ${round(result.wallMs)} ms (${round(result.wallMs / n, 2)} ms/flow; writing its files in a plain loop: ${disk} ms)`);
  }

  const headline = results[results.length - 1]!;
  const headlineDir = resolve(base, `project-${headline.flows}`);
  // The first run on a machine (or after the generator changed) has no caches yet.
  const uncached = await generateCold(headlineDir, pristine, { caches: false });
  const bundles: number[] = [];
  for (let r = 0; r < repeats; r++) bundles.push(await bundleOnce(headlineDir));
  const bundleMs = median(bundles);
  console.error(`generator: wrangler deploy --dry-run of ${headline.flows} flows: ${round(bundleMs)} ms`);

  const watchDir = resolve(base, "project-100");
  const restore = snapshotDefinitions(watchDir, resolve(base, "watch-definitions"));
  let watch;
  let incremental;
  let matchesFull: boolean;
  try {
    watch = await measureWatch(watchDir, 100, quick ? 5 : 10);
    // What the watcher left on disk must be exactly what a full run makes of the same definitions.
    const full = runGenerator(watchDir, "verify");
    matchesFull = full.ok && full.changes.written.length === 0 && full.changes.deleted.length === 0;
    incremental = incrementalStages(watchDir, 100, quick ? 5 : 10);
  } finally {
    restore();
  }
  if (!matchesFull) throw new Error("watch mode's output differs from a full generate of the same definitions");
  const watchMs = median(watch.runMs);
  console.error(`generator: watch, one flow of 100 changed: ${round(watchMs)} ms (median of ${watch.runMs.length}; save to done ${round(median(watch.saveToDoneMs))} ms)`);

  const headlines: Headlines = {
    generate_ms_per_flow: round(headline.wallMs / headline.flows, 2),
    generate_vs_bundle: round(headline.wallMs / bundleMs, 3),
    generate_flows: headline.flows,
    watch_ms: round(watchMs),
  };
  const details = {
    quick,
    method:
      "generate: a fresh Node process per run (as `npm run generate`: compile cache and node_modules/.cache/cf-flows on), empty generated/, pristine wrangler.jsonc; median of the repeats; " +
      "first_run_without_caches: one more run with neither cache. " +
      "bundle: `wrangler deploy --dry-run` of the same output, median of as many runs. watch: startWatch on the 100-flow project, one flow edited per run.",
    headlines,
    sizes: results.map((r) => ({
      flows: r.flows,
      wall_ms: round(r.wallMs),
      ms_per_flow: round(r.wallMs / r.flows, 2),
      in_process_ms: round(median(r.runs.map((x) => x.runMs))),
      module_load_ms: round(median(r.runs.map((x) => x.loadedMs))),
      cpu_ms: round(median(r.runs.map((x) => x.cpuMs))),
      files_written: r.runs[0]!.written,
      stages_ms: roundStages(r.stages),
      yaml_parse_alone_ms: round(r.yamlParseMs),
      disk_floor_ms: round(median(r.runs.map((x) => x.diskFloorMs))),
      runs_wall_ms: r.runs.map((x) => round(x.wallMs)),
    })),
    first_run_without_caches: {
      flows: headline.flows,
      wall_ms: round(uncached.wallMs),
      disk_floor_ms: round(uncached.diskFloorMs),
      module_load_ms: round(uncached.loadedMs),
      stages_ms: roundStages(uncached.stages),
    },
    bundle: { flows: headline.flows, runs_ms: bundles.map((b) => round(b)), median_ms: round(bundleMs) },
    watch: {
      flows: 100,
      run_ms: watch.runMs.map((x) => round(x)),
      median_ms: round(watchMs),
      max_ms: round(Math.max(...watch.runMs)),
      save_to_done_median_ms: round(median(watch.saveToDoneMs)),
      debounce_ms: watch.debounceMs,
      incremental_matches_full: matchesFull,
      incremental_run_median_ms: round(incremental.totalMs),
      incremental_stages_median_ms: roundStages(incremental.stages),
    },
  };
  writeFileSync(join(resultsDir, `generator${quick ? "-quick" : ""}.json`), `${JSON.stringify(details, null, 2)}\n`);
  return headlines;
}

/** The median run by wall time gives the stage split. */
function summarise(flows: number, runs: readonly GenerateRun[], yamlParseMs: number): SizeResult {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { flows, runs, wallMs: median(runs.map((r) => r.wallMs)), stages: byWall[byWall.length >> 1]!.stages, yamlParseMs };
}

function roundStages(stages: Record<Stage, number>): Record<Stage, number> {
  return Object.fromEntries(STAGES.map((s) => [s, round(stages[s])])) as Record<Stage, number>;
}
