import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import type { Reporter, TestCase } from "vitest/node";
import type { BenchPlan } from "./types.ts";

/**
 * The run-time benchmark's Vitest config: one workerd test
 * (measure.workerd.ts) against bench.wrangler.jsonc, which binds the
 * generated and the hand-written classes. bench-runtime.ts runs it with
 * BENCH_RUNTIME_PLAN (JSON), BENCH_RUNTIME_OUT (where the timings go) and
 * BENCH_CPU_PROBE (cpu-probe.ts's URL).
 * By hand: `npx vitest run --config bench/runtime/vitest.bench.config.ts`
 * after `npm run bench -- --only runtime` has generated the project once.
 */

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_PLAN: BenchPlan = { rounds: 2, batch: 10, warmup: 4, agentsPerBatch: 4, microReps: 2 };
const plan = process.env["BENCH_RUNTIME_PLAN"] ?? JSON.stringify(DEFAULT_PLAN);
const out = process.env["BENCH_RUNTIME_OUT"] ?? resolve(here, "../results/runtime-timings.json");
/** The URL of cpu-probe.ts, when bench-runtime.ts runs one; empty: wall time only. */
const cpuProbe = process.env["BENCH_CPU_PROBE"] ?? "";

/** Writes the timings the workerd test leaves in its metadata. */
class TimingsReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const timings = testCase.meta().benchRuntime;
    if (timings) writeFileSync(out, `${JSON.stringify(timings, null, 2)}\n`);
  }
}

export default defineConfig({
  root: resolve(here, "../.."),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: resolve(here, "bench.wrangler.jsonc") },
      miniflare: {
        bindings: { FLIGHTS_TOKEN: "bench-flights-token", FLIGHT_API_KEY: "bench-flight-api-key", BENCH_TOKEN: "bench-token", BENCH_PLAN: plan, BENCH_CPU_PROBE: cpuProbe },
      },
    }),
  ],
  test: {
    include: ["bench/runtime/measure.workerd.ts"],
    reporters: ["default", new TimingsReporter()],
    testTimeout: 60 * 60 * 1000,
  },
});
