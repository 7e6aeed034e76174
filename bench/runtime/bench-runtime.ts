import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BenchOptions, Headlines } from "../run.ts";
import { startCpuProbe } from "./cpu-probe.ts";
import { benchDefinition, createProject, REPO_ROOT, repoDefinition } from "./project.ts";
import { geometricMean, median, round, sum } from "./stats.ts";
import { BENCH_FLOWS, MICRO_PARTS, type BatchTiming, type BenchFlow, type BenchPlan, type BenchRuntimeMeta, type MicroPart, type MicroTiming } from "./types.ts";

/**
 * Run time, generated vs hand-written (BENCHMARKS.md, "Run time").
 *
 * 1. Generates flight-status (definitions/) and steps-50 (bench/runtime/flows/)
 *    with the real pipeline into bench/results/runtime/project/ (the place
 *    bench/runtime/entry.ts imports from).
 * 2. Runs bench/runtime/vitest.bench.config.ts: one workerd test that times
 *    batches of instances of each flow, generated and hand-written, in
 *    alternating order, sleeps skipped and outbound fetch faked.
 * 3. Per flow, the ratio of each round's generated batch to its hand-written
 *    batch; the median over rounds is the flow's ratio. `runtime_ratio` is
 *    the geometric mean of the two flows' ratios. The same is computed from
 *    the CPU time workerd spent on each batch (cpu-probe.ts):
 *    `runtime_cpu_ratio`, the cross-check that other processes' load on a
 *    shared machine cannot move much.
 */

const FULL: BenchPlan = { rounds: 40, batch: 5, warmup: 10, agentsPerBatch: 4, microReps: 20 };
const QUICK: BenchPlan = { rounds: 8, batch: 5, warmup: 5, agentsPerBatch: 4, microReps: 6 };
const VITEST_TIMEOUT_MS = 30 * 60 * 1000;

export const PROJECT_DIR = join(REPO_ROOT, "bench", "results", "runtime", "project");

export async function run({ quick, resultsDir }: BenchOptions): Promise<Headlines> {
  const plan = quick ? QUICK : FULL;
  createProject(PROJECT_DIR, {
    workerName: "bench-runtime",
    definitions: [repoDefinition("flight-status.yaml"), benchDefinition("steps-50.yaml")],
  });

  mkdirSync(resultsDir, { recursive: true });
  const timingsFile = resolve(resultsDir, `runtime-timings${quick ? "-quick" : ""}.json`);
  const timings = await measure(plan, timingsFile);
  // Full runs also measure the method's own noise: the same plan with generated code on both sides.
  const calibration = quick ? undefined : await measure({ ...plan, calibrate: true, microReps: 0 }, resolve(resultsDir, "runtime-timings-calibration.json"));

  const flows = Object.fromEntries(BENCH_FLOWS.map((flow) => [flow, summarise(timings, flow)])) as Record<BenchFlow, FlowSummary>;
  const ratio = geometricMean(BENCH_FLOWS.map((flow) => flows[flow].ratio));
  const cpuRatios = BENCH_FLOWS.map((flow) => flows[flow].cpu?.ratio);
  const cpuRatio = cpuRatios.every((r) => r !== undefined) ? geometricMean(cpuRatios) : undefined;
  const micro = Object.fromEntries(MICRO_PARTS.map((part) => [part, summariseMicro(timings, part)])) as Record<MicroPart, MicroSummary>;
  const aa = calibration ? (Object.fromEntries(BENCH_FLOWS.map((flow) => [flow, summarise(calibration, flow)])) as Record<BenchFlow, FlowSummary>) : undefined;
  const aaRatio = aa ? geometricMean(BENCH_FLOWS.map((flow) => aa[flow].ratio)) : undefined;
  const aaCpuRatio = aa && BENCH_FLOWS.every((flow) => aa[flow].cpu) ? geometricMean(BENCH_FLOWS.map((flow) => aa[flow].cpu!.ratio)) : undefined;
  const details = {
    plan,
    instancesPerSide: plan.rounds * plan.batch,
    runtime_ratio: ratio,
    runtime_cpu_ratio: cpuRatio ?? null,
    flows,
    micro,
    calibration: aa ? { ratio: aaRatio, cpuRatio: aaCpuRatio ?? null, flows: aa } : null,
    loadAverage: loadAverage(),
  };
  writeFileSync(join(resultsDir, `runtime${quick ? "-quick" : ""}.json`), `${JSON.stringify(details, null, 2)}\n`);

  for (const flow of BENCH_FLOWS) {
    const f = flows[flow];
    console.error(
      `${flow}: generated ${f.generatedMsPerInstance.toFixed(1)} ms/instance, hand-written ${f.handMsPerInstance.toFixed(1)} ms/instance ` +
        `(median of ${plan.rounds} batches of ${plan.batch}); ratio ${f.ratio.toFixed(3)} (median of rounds, IQR ${iqr(f.ratios)}; pooled ${f.pooledRatio.toFixed(3)})`,
    );
    if (f.cpu) {
      console.error(
        `${flow} CPU: generated ${f.cpu.generatedMsPerInstance.toFixed(1)} ms/instance, hand-written ${f.cpu.handMsPerInstance.toFixed(1)} ms/instance; ` +
          `ratio ${f.cpu.ratio.toFixed(3)} (IQR ${iqr(f.cpu.ratios)}; pooled ${f.cpu.pooledRatio.toFixed(3)})`,
      );
    }
  }
  for (const part of MICRO_PARTS) {
    const m = micro[part];
    console.error(
      `in-isolate ${part} (${m.basis}): generated ${m.generatedUsPerOp.toFixed(1)} µs, hand-written ${m.handUsPerOp.toFixed(1)} µs per instance ` +
        `(+${m.extraUsPerOp.toFixed(1)} µs, ×${m.ratio.toFixed(2)}, median of ${m.ratios.length} paired blocks)`,
    );
  }
  if (aa) {
    for (const flow of BENCH_FLOWS) {
      const f = aa[flow];
      console.error(
        `calibration (generated on both sides) ${flow}: ratio ${f.ratio.toFixed(3)} (IQR of rounds ${iqr(f.ratios)}), CPU ${f.cpu?.ratio.toFixed(3) ?? "n/a"} (IQR ${f.cpu ? iqr(f.cpu.ratios) : "n/a"})`,
      );
    }
  }
  console.error(
    `runtime_ratio ${ratio.toFixed(3)} (target ≤ 1.02); CPU ${cpuRatio?.toFixed(3) ?? "n/a"}` +
      `${aaRatio !== undefined ? `; calibration ${aaRatio.toFixed(3)} (CPU ${aaCpuRatio?.toFixed(3) ?? "n/a"})` : ""}; load average ${loadAverage().join(" ")}`,
  );
  return {
    runtime_ratio: round(ratio, 3),
    runtime_ratio_flight_status: round(flows["flight-status"].ratio, 3),
    runtime_ratio_steps_50: round(flows["steps-50"].ratio, 3),
    ...(cpuRatio !== undefined
      ? {
          runtime_cpu_ratio: round(cpuRatio, 3),
          runtime_cpu_ratio_flight_status: round(flows["flight-status"].cpu!.ratio, 3),
          runtime_cpu_ratio_steps_50: round(flows["steps-50"].cpu!.ratio, 3),
        }
      : {}),
    ...(aaRatio !== undefined ? { runtime_calibration_ratio: round(aaRatio, 3) } : {}),
  };
}

/** Runs the workerd benchmark (the project must have been generated) with a CPU probe; returns its timings. */
export async function measure(plan: BenchPlan, timingsFile: string): Promise<BenchRuntimeMeta> {
  rmSync(timingsFile, { force: true });
  let vitestPid: number | undefined;
  const probe = await startCpuProbe(() => vitestPid);
  try {
    await runVitest(plan, timingsFile, probe.url, (pid) => (vitestPid = pid));
  } finally {
    await probe.close();
  }
  if (!existsSync(timingsFile)) throw new Error(`the workerd benchmark wrote no timings (${timingsFile})`);
  return JSON.parse(readFileSync(timingsFile, "utf8")) as BenchRuntimeMeta;
}

interface Paired {
  /** Median over rounds of generated / hand-written. */
  readonly ratio: number;
  /** All generated time / all hand-written time. */
  readonly pooledRatio: number;
  readonly ratios: readonly number[];
  /** Median batch time / batch size. */
  readonly generatedMsPerInstance: number;
  readonly handMsPerInstance: number;
  readonly generatedMs: readonly number[];
  readonly handMs: readonly number[];
}

interface FlowSummary extends Paired {
  /** The same from workerd's CPU time; absent without the probe. */
  readonly cpu?: Paired;
}

function summarise(timings: BenchRuntimeMeta, flow: BenchFlow): FlowSummary {
  const pairs: { generated: BatchTiming; hand: BatchTiming }[] = [];
  for (let r = 0; r < timings.plan.rounds; r++) {
    const of = (side: string) => timings.batches.find((b) => b.round === r && b.flow === flow && b.side === side);
    const generated = of("generated");
    const hand = of("hand");
    if (!generated || !hand) throw new Error(`round ${r} of ${flow} is missing a batch`);
    pairs.push({ generated, hand });
  }
  const wall = paired(pairs.map((p) => [p.generated.ms, p.hand.ms]), timings.plan.batch);
  const cpu = pairs.every((p) => p.generated.cpuMs !== null && p.hand.cpuMs !== null)
    ? paired(pairs.map((p) => [p.generated.cpuMs!, p.hand.cpuMs!]), timings.plan.batch)
    : undefined;
  return { ...wall, ...(cpu ? { cpu } : {}) };
}

function paired(pairs: readonly (readonly [number, number])[], batch: number): Paired {
  const generatedMs = pairs.map(([g]) => round(g, 1));
  const handMs = pairs.map(([, h]) => round(h, 1));
  const ratios = pairs.map(([g, h]) => g / h);
  return {
    ratio: median(ratios),
    pooledRatio: sum(generatedMs) / sum(handMs),
    ratios,
    generatedMsPerInstance: median(generatedMs) / batch,
    handMsPerInstance: median(handMs) / batch,
    generatedMs,
    handMs,
  };
}

interface MicroSummary {
  /** "cpu" when the probe answered, else "wall". */
  readonly basis: "cpu" | "wall";
  readonly generatedUsPerOp: number;
  readonly handUsPerOp: number;
  /** Median of generated − hand-written per operation, over paired blocks. */
  readonly extraUsPerOp: number;
  /** Median of generated / hand-written, over paired blocks. */
  readonly ratio: number;
  readonly ratios: readonly number[];
}

function summariseMicro(timings: BenchRuntimeMeta, part: MicroPart): MicroSummary {
  const of = (rep: number, side: string) => timings.micro.find((m) => m.rep === rep && m.part === part && m.side === side);
  const useCpu = timings.micro.every((m) => m.cpuMs !== null);
  const us = (m: MicroTiming) => ((useCpu ? m.cpuMs! : m.ms) * 1000) / m.ops;
  const pairs: [number, number][] = [];
  for (let rep = 0; rep < timings.plan.microReps; rep++) {
    const generated = of(rep, "generated");
    const hand = of(rep, "hand");
    if (!generated || !hand) throw new Error(`rep ${rep} of ${part} is missing a block`);
    pairs.push([us(generated), us(hand)]);
  }
  const ratios = pairs.map(([g, h]) => g / h);
  return {
    basis: useCpu ? "cpu" : "wall",
    generatedUsPerOp: median(pairs.map(([g]) => g)),
    handUsPerOp: median(pairs.map(([, h]) => h)),
    extraUsPerOp: median(pairs.map(([g, h]) => g - h)),
    ratio: median(ratios),
    ratios: ratios.map((r) => round(r, 3)),
  };
}

/** The interquartile range of ratios, as text. */
function iqr(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return `${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)}`;
}

/** The machine's 1/5/15-minute load averages (the benchmark shares it with whatever else runs). */
function loadAverage(): number[] {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

/** `npx vitest run --config bench/runtime/vitest.bench.config.ts`; its output goes to stderr (stdout is the harness's JSON line). */
function runVitest(plan: BenchPlan, timingsFile: string, cpuProbe: string, started: (pid: number) => void): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn("npx", ["vitest", "run", "--config", "bench/runtime/vitest.bench.config.ts"], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_RUNTIME_PLAN: JSON.stringify(plan), BENCH_RUNTIME_OUT: timingsFile, BENCH_CPU_PROBE: cpuProbe },
      stdio: ["ignore", process.stderr, process.stderr],
    });
    if (child.pid !== undefined) started(child.pid);
    const timer = setTimeout(() => child.kill("SIGTERM"), VITEST_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun();
      else reject(new Error(`vitest (run-time benchmark) ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}
