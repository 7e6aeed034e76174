import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Stage } from "../../generator/timings.ts";
import { filesBelow } from "../../generator/write/disk.ts";

/** Timing helpers of the generator benchmark: child processes, medians, the watch measurement. */

export interface ProcessRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end and times it from spawn to exit. */
export function runProcess(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env: { ...benchEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

function benchEnv(): NodeJS.ProcessEnv {
  const bin = resolve("node_modules/.bin");
  return { ...process.env, PATH: `${bin}:${process.env["PATH"] ?? ""}`, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", NO_COLOR: "1" };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

/** What generate-once.ts prints. */
export interface GenerateOnce {
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly firstProblems: readonly string[];
  readonly written: number;
  readonly loadedMs: number;
  readonly runMs: number;
  readonly cpuMs: number;
  readonly stages: Record<Stage, number>;
}

export interface GenerateRun extends GenerateOnce {
  /** The whole process, as `npm run generate` costs it (without npm's own start). */
  readonly wallMs: number;
  /** diskFloorMs right after the run. */
  readonly diskFloorMs: number;
}

/**
 * A cold generate in a fresh process, into an empty generated/ and the
 * project's original wrangler.jsonc, so every run does the same work
 * (every file written). `caches: false` is the very first run on a
 * machine: no Node compile cache, no node_modules/.cache/cf-flows (the
 * flow-schema validators and the actions analysis are made, not loaded).
 *
 * The previous run's generated/ is moved aside and deleted after the timed
 * run, so deleting it is set-up, outside what is timed.
 */
export async function generateCold(dir: string, pristineWrangler: string, options: { caches: boolean } = { caches: true }): Promise<GenerateRun> {
  const generated = join(dir, "generated");
  const old = join(dir, `.generated-old-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(generated)) renameSync(generated, old);
  writeFileSync(join(dir, "wrangler.jsonc"), pristineWrangler);
  const env = options.caches ? {} : { NODE_DISABLE_COMPILE_CACHE: "1", FLOWS_NO_CACHE: "1" };
  const run = await runProcess(process.execPath, ["--disable-warning=ExperimentalWarning", resolve("bench/generator/generate-once.ts"), dir], process.cwd(), env);
  rmSync(old, { recursive: true, force: true });
  const once = JSON.parse(lastJsonLine(run, "generate-once")) as GenerateOnce;
  if (!once.ok || once.errors > 0) throw new Error(`the synthetic project ${dir} does not generate cleanly:\n${once.firstProblems.join("\n")}`);
  return { ...once, wallMs: run.ms, diskFloorMs: diskFloorMs(dir) };
}

/** `yaml`'s parseDocument of the project's definitions alone, warm, in a process of its own: the floor of the load stage. */
export async function yamlFloor(dir: string): Promise<number> {
  const run = await runProcess(process.execPath, [resolve("bench/generator/yaml-floor.ts"), dir], process.cwd());
  return (JSON.parse(lastJsonLine(run, "yaml-floor")) as { yamlParseMs: number }).yamlParseMs;
}

function lastJsonLine(run: ProcessRun, what: string): string {
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.code !== 0 || !line.startsWith("{")) throw new Error(`${what} failed (${run.code}):\n${run.stderr}${run.stdout}`);
  return line;
}

/**
 * This disk's share, measured beside each run: the files the run wrote
 * (same folders, same sizes) written again by a plain loop into a scratch
 * folder, then deleted. Creating files costs from 10 µs to 1 ms each
 * depending on the machine and its recent disk activity, so this reference
 * says how much of a run's time the disk could have taken just then.
 */
export function diskFloorMs(dir: string): number {
  const files = filesBelow(dir, "generated").map((path) => ({ path, size: statSync(join(dir, path)).size }));
  const scratch = join(dir, ".disk-floor");
  rmSync(scratch, { recursive: true, force: true });
  const started = performance.now();
  const made = new Set<string>();
  for (const { path, size } of files) {
    const target = join(scratch, path);
    if (!made.has(dirname(target))) mkdirSync(dirname(target), { recursive: true });
    made.add(dirname(target));
    writeFileSync(target, "x".repeat(size));
  }
  const ms = performance.now() - started;
  rmSync(scratch, { recursive: true, force: true });
  return ms;
}

/** `wrangler deploy --dry-run` of the generated project: the bundle step that follows generate. */
export async function bundleOnce(dir: string): Promise<number> {
  const outdir = join(dir, ".bundle");
  rmSync(outdir, { recursive: true, force: true });
  const run = await runProcess(resolve("node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], dir);
  if (run.code !== 0) throw new Error(`wrangler deploy --dry-run failed in ${dir}:\n${run.stderr.slice(-2000)}`);
  return run.ms;
}

export const readText = (path: string): string => readFileSync(path, "utf8");
