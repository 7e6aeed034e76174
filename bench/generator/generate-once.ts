import { enableCompileCache } from "node:module";

/**
 * One cold `generate` of a project, in a process of its own, started as
 * the `cf-flows` bin starts (Node's compile cache on, then the generator loaded); bench-generator.ts times the whole process from outside, so it
 * does nothing after the run but print one JSON line: whether it worked,
 * the diagnostics, when the generator's modules had loaded, the run's own
 * time and its stages (the pipeline's StageTimings). The `yaml` floor is
 * measured by yaml-floor.ts, in another process, so it never counts here.
 *
 * usage: node bench/generator/generate-once.ts <project dir>
 */

enableCompileCache();
const dir = process.argv[2];
if (!dir) throw new Error("usage: generate-once.ts <project dir>");

const { runGenerator } = await import("../../generator/pipeline.ts");
const { StageTimings } = await import("../../generator/timings.ts");
const { formatDiagnostic } = await import("../../generator/diagnostics.ts");
// performance.now() counts from the start of the process.
const loadedMs = performance.now();
const timings = new StageTimings();
const result = runGenerator(dir, "generate", { timings });
const runMs = performance.now() - loadedMs;

const errors = result.diagnostics.filter((d) => d.severity === "error");
console.log(
  JSON.stringify({
    ok: result.ok,
    errors: errors.length,
    warnings: result.diagnostics.length - errors.length,
    firstProblems: result.diagnostics.slice(0, 5).map(formatDiagnostic),
    written: result.changes.written.length,
    loadedMs,
    runMs,
    // The whole process's CPU time (all threads): less sensitive than wall time to other load on the machine.
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    stages: timings.ms,
  }),
);
