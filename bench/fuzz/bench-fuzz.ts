import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { BenchOptions, Headlines } from "../run.ts";
import { caseArb, checkInMemory, checkPipeline, fuzzContext, fuzzWorkDir, type CaseResult, type FuzzCase } from "./fuzz-harness.ts";

/**
 * Fuzz benchmark (BENCHMARKS.md "Fuzz"): ≥ 5,000 mutated definitions
 * (quick: 1,000) through the generator; every 20th also through the whole
 * pipeline on a temporary project copy. Headlines: `fuzz_cases` and
 * `fuzz_crashes` (cases that broke a property: a throw, a diagnostic outside
 * its file, or a write despite errors). The seed is printed and recorded, so
 * a run can be replayed with FUZZ_SEED.
 */

const PIPELINE_EVERY = 20;

export async function run(options: BenchOptions): Promise<Headlines> {
  const cases = options.quick ? 1000 : 5000;
  const seed = Number(process.env["FUZZ_SEED"] ?? Date.now() % 2 ** 31);
  const ctx = fuzzContext(process.cwd());
  const work = fuzzWorkDir();
  const crashes: { index: number; file: string; problems: readonly string[]; case: FuzzCase; text: string }[] = [];
  const stats = { inMemory: 0, pipeline: 0, withErrors: 0, emitted: 0 };
  const started = performance.now();
  console.error(`fuzz: ${cases} cases, seed ${seed}`);
  try {
    const samples = fc.sample(caseArb(ctx), { numRuns: cases, seed });
    samples.forEach((c, index) => {
      const results: CaseResult[] = [checkInMemory(ctx, c)];
      stats.inMemory++;
      if (index % PIPELINE_EVERY === 0) {
        results.push(checkPipeline(ctx, c, work));
        stats.pipeline++;
      }
      const first = results[0]!;
      if (first.errors > 0) stats.withErrors++;
      if (first.emitted) stats.emitted++;
      const problems = results.flatMap((r) => r.problems);
      if (problems.length > 0) {
        crashes.push({ index, file: first.file, problems, case: c, text: first.text });
        console.error(`fuzz: case ${index} (${first.file}): ${problems[0]!.split("\n")[0]}`);
      }
      if ((index + 1) % 500 === 0) console.error(`fuzz: ${index + 1}/${cases} (${crashes.length} crash(es), ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const details = { cases, seed, seconds: Math.round(seconds), ...stats, crashes: crashes.slice(0, 50) };
  writeFileSync(join(options.resultsDir, `fuzz${options.quick ? "-quick" : ""}.json`), `${JSON.stringify(details, null, 2)}\n`);
  console.error(`fuzz: ${cases} cases in ${seconds.toFixed(0)} s, ${stats.withErrors} with errors, ${stats.emitted} emitted, ${stats.pipeline} through the pipeline, ${crashes.length} crash(es)`);
  return { fuzz_cases: cases, fuzz_crashes: crashes.length, fuzz_cases_per_s: Math.round((cases / seconds) * 10) / 10 };
}
