import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parse as parseJsonc } from "jsonc-parser";
import type { BenchOptions, Headlines } from "../run.ts";
import { createProject, REPO_ROOT, repoDefinition, type ProjectDefinition } from "../runtime/project.ts";
import { median, round } from "../runtime/stats.ts";

/**
 * Size and start-up, generated vs hand-written (BENCHMARKS.md, "Size and start-up").
 *
 * - `bundle_delta_kib`: gzip size of the generated flight-status Worker's
 *   `wrangler deploy --dry-run --outdir` bundle minus the hand-written
 *   flight-status app's (bench/runtime/hand/), same wrangler defaults.
 * - `startup_ratio`: `wrangler check startup` on each bundle, alternately,
 *   several times; the start-up time of one run is the active (non-idle)
 *   CPU time in the .cpuprofile it writes; the ratio is the generated
 *   median over the hand-written median.
 * - `kib_per_flow_10`, `kib_per_flow_100`: projects of N copies of
 *   flight-status (renamed, each with its own trigger path) are generated
 *   and bundled; (gzip(N) − gzip(1)) / (N − 1).
 *
 * Both apps are built as projects at the same depth under
 * bench/results/size/ (runtime/ and the hand-written sources copied in), so
 * the module path comments esbuild writes into a bundle are alike.
 */

const WORK = join(REPO_ROOT, "bench", "results", "size");
const HAND_SOURCES = ["flight.ts", "http.ts", "flight-worker.ts"] as const;
const COMMAND_TIMEOUT_MS = 5 * 60 * 1000;

export async function run({ quick, resultsDir }: BenchOptions): Promise<Headlines> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  // 1. The two apps, bundled as wrangler deploys them.
  const generatedDir = projectOfCopies(1);
  const handDir = handProject();
  const generated = await bundle(generatedDir, "generated");
  const hand = await bundle(handDir, "hand");
  const deltaKib = (generated.gzipBytes - hand.gzipBytes) / 1024;
  console.error(
    `bundle: generated ${kib(generated.gzipBytes)} KiB gzip (${kib(generated.rawBytes)} KiB), hand-written ${kib(hand.gzipBytes)} KiB gzip ` +
      `(${kib(hand.rawBytes)} KiB); delta ${deltaKib.toFixed(2)} KiB (target ≤ +10)`,
  );
  const onlyGenerated = moduleBreakdown(generated.mainFile, hand.mainFile);
  // One flow's own modules, each gzipped alone: what a flow adds when it shares nothing with the others.
  const standaloneFlowKib = onlyGenerated.filter((m) => m.module.startsWith("generated/flows/")).reduce((sum, m) => sum + m.gzipBytes, 0) / 1024;

  // 2. Start-up, alternating which side goes first.
  const runs = quick ? 7 : 21;
  const generatedBundle = await bundleFile(generatedDir, "generated");
  const handBundle = await bundleFile(handDir, "hand");
  const startup: { generated: StartupRun[]; hand: StartupRun[] } = { generated: [], hand: [] };
  await startupMs(generatedDir, generatedBundle, "warm-g");
  await startupMs(handDir, handBundle, "warm-h");
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? (["generated", "hand"] as const) : (["hand", "generated"] as const);
    for (const side of order) {
      if (side === "generated") startup.generated.push(await startupMs(generatedDir, generatedBundle, `g${i}`));
      else startup.hand.push(await startupMs(handDir, handBundle, `h${i}`));
    }
  }
  const active = (list: readonly StartupRun[]) => median(list.map((r) => r.activeMs));
  const withoutGc = (list: readonly StartupRun[]) => median(list.map((r) => r.activeMs - r.gcMs));
  const startupRatio = active(startup.generated) / active(startup.hand);
  const pairedRatio = median(startup.generated.map((g, i) => g.activeMs / startup.hand[i]!.activeMs));
  console.error(
    `startup (active CPU in the start-up profile, median of ${runs}): generated ${active(startup.generated).toFixed(1)} ms, ` +
      `hand-written ${active(startup.hand).toFixed(1)} ms; ratio ${startupRatio.toFixed(3)} (target ≤ 1.05; ` +
      `median of paired ratios ${pairedRatio.toFixed(3)}; without GC ${withoutGc(startup.generated).toFixed(1)} / ${withoutGc(startup.hand).toFixed(1)} ms)`,
  );

  // 3. Growth per flow.
  const points = quick ? [1, 10, 100] : [1, 10, 25, 50, 100];
  const growth: { flows: number; gzipBytes: number; rawBytes: number }[] = [{ flows: 1, gzipBytes: generated.gzipBytes, rawBytes: generated.rawBytes }];
  for (const n of points.filter((p) => p > 1)) {
    const dir = projectOfCopies(n);
    const b = await bundle(dir, `generated-${n}`);
    growth.push({ flows: n, gzipBytes: b.gzipBytes, rawBytes: b.rawBytes });
    rmSync(dir, { recursive: true, force: true });
  }
  const perFlow = (n: number, key: "gzipBytes" | "rawBytes") => {
    const at = growth.find((g) => g.flows === n)!;
    return (at[key] - growth[0]![key]) / (n - 1) / 1024;
  };
  for (const g of growth) console.error(`${String(g.flows).padStart(3)} flows: ${kib(g.gzipBytes)} KiB gzip, ${kib(g.rawBytes)} KiB`);
  console.error(
    `per added flow: ${perFlow(10, "gzipBytes").toFixed(2)} KiB gzip at 10 flows, ${perFlow(100, "gzipBytes").toFixed(2)} KiB gzip at 100 ` +
      `(${perFlow(10, "rawBytes").toFixed(1)} / ${perFlow(100, "rawBytes").toFixed(1)} KiB before compression; ` +
      `one flow's own modules gzipped alone: ${standaloneFlowKib.toFixed(2)} KiB)`,
  );

  const details = {
    runs,
    bundle: { generated, hand, deltaKib, onlyInGenerated: onlyGenerated },
    startup: {
      ...startup,
      generatedMedianMs: active(startup.generated),
      handMedianMs: active(startup.hand),
      ratio: startupRatio,
      pairedRatio,
      generatedMedianMsWithoutGc: withoutGc(startup.generated),
      handMedianMsWithoutGc: withoutGc(startup.hand),
    },
    growth: {
      points: growth,
      kibPerFlow10: perFlow(10, "gzipBytes"),
      kibPerFlow100: perFlow(100, "gzipBytes"),
      rawKibPerFlow10: perFlow(10, "rawBytes"),
      rawKibPerFlow100: perFlow(100, "rawBytes"),
      standaloneFlowKib,
    },
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `size${quick ? "-quick" : ""}.json`), `${JSON.stringify(details, null, 2)}\n`);
  return {
    bundle_delta_kib: round(deltaKib, 2),
    startup_ratio: round(startupRatio, 3),
    kib_per_flow_10: round(perFlow(10, "gzipBytes"), 2),
    kib_per_flow_100: round(perFlow(100, "gzipBytes"), 2),
  };
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** N copies of flight-status (flight-status-001 …, POST /flights/001 …); one flow is flight-status itself. */
function projectOfCopies(n: number): string {
  const base = repoDefinition("flight-status.yaml");
  const definitions: ProjectDefinition[] =
    n === 1
      ? [base]
      : Array.from({ length: n }, (_, i) => {
          const id = String(i + 1).padStart(3, "0");
          const text = base.text.replace(/^flow: flight-status$/m, `flow: flight-status-${id}`).replace("http: POST /flights", `http: POST /flights/${id}`);
          if (text === base.text) throw new Error("definitions/flight-status.yaml changed shape: cannot make numbered copies");
          return { name: `flight-status-${id}.yaml`, text };
        });
  const dir = join(WORK, `generated-${n}`);
  createProject(dir, { workerName: "flight-status", definitions, runtime: "copy" });
  return dir;
}

/** The hand-written flight-status app as a project of its own: its sources and bench/size/hand-flight.wrangler.jsonc (main adjusted). */
function handProject(): string {
  const dir = join(WORK, "hand");
  mkdirSync(join(dir, "src"), { recursive: true });
  for (const file of HAND_SOURCES) cpSync(join(REPO_ROOT, "bench", "runtime", "hand", file), join(dir, "src", file));
  const config = parseJsonc(readFileSync(join(REPO_ROOT, "bench", "size", "hand-flight.wrangler.jsonc"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "wrangler.jsonc"), `${JSON.stringify({ ...config, main: "src/flight-worker.ts" }, null, 2)}\n`);
  return dir;
}

interface Bundle {
  /** The Worker's main module in the --outdir output. */
  readonly mainFile: string;
  readonly rawBytes: number;
  /** gzip (level 6, as wrangler reports it) of each JavaScript module, summed. */
  readonly gzipBytes: number;
}

/** `wrangler deploy --dry-run --outdir`: the modules wrangler would upload. */
async function bundle(projectDir: string, label: string): Promise<Bundle> {
  const out = join(WORK, `out-${label}`);
  rmSync(out, { recursive: true, force: true });
  await wrangler(["deploy", "--dry-run", "--outdir", out, "--config", join(projectDir, "wrangler.jsonc")], projectDir);
  const modules = readdirSync(out).filter((f) => /\.(m?js|cjs)$/.test(f));
  if (modules.length === 0) throw new Error(`wrangler wrote no module to ${out}`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of modules) {
    const bytes = readFileSync(join(out, file));
    rawBytes += bytes.byteLength;
    gzipBytes += gzipSync(bytes).byteLength;
  }
  const mainFile = join(out, modules.find((m) => !m.includes("/")) ?? modules[0]!);
  return { mainFile, rawBytes, gzipBytes };
}

/** `wrangler deploy --dry-run --outfile`: the upload bundle `wrangler check startup --worker` reads. */
async function bundleFile(projectDir: string, label: string): Promise<string> {
  const file = join(WORK, `${label}.bundle`);
  await wrangler(["deploy", "--dry-run", "--outfile", file, "--config", join(projectDir, "wrangler.jsonc")], projectDir);
  if (!existsSync(file)) throw new Error(`wrangler wrote no bundle to ${file}`);
  return file;
}

interface StartupRun {
  /** Sampled time minus idle samples. */
  readonly activeMs: number;
  /** Of which garbage collection. */
  readonly gcMs: number;
  readonly samples: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string } }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/**
 * One `wrangler check startup` run: it loads the bundle into a fresh local
 * workerd with the CPU profiler on and imports the main module. The result
 * is the profile's active time (sampled time minus idle samples, garbage
 * collection included) in ms, as wrangler itself summarises it.
 */
async function startupMs(projectDir: string, bundleFile: string, label: string): Promise<StartupRun> {
  const profileFile = join(WORK, `startup-${label}.cpuprofile`);
  await wrangler(["check", "startup", "--worker", bundleFile, "--outfile", profileFile, "--config", join(projectDir, "wrangler.jsonc")], projectDir);
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
  rmSync(profileFile);
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  let activeUs = 0;
  let gcUs = 0;
  for (const [i, delta] of (profile.timeDeltas ?? []).entries()) {
    const name = names.get(profile.samples?.[i] ?? -1);
    if (name !== "(idle)") activeUs += delta;
    if (name === "(garbage collector)") gcUs += delta;
  }
  return { activeMs: activeUs / 1000, gcMs: gcUs / 1000, samples: profile.samples?.length ?? 0 };
}

/** Bytes (raw, and gzip of each module alone) of the modules only the generated bundle has, largest first. */
function moduleBreakdown(generatedFile: string, handFile: string): { module: string; bytes: number; gzipBytes: number }[] {
  const generated = modules(readFileSync(generatedFile, "utf8"));
  const hand = modules(readFileSync(handFile, "utf8"));
  return [...generated]
    .filter(([name]) => !hand.has(name))
    .map(([name, text]) => ({ module: name, bytes: Buffer.byteLength(text), gzipBytes: gzipSync(text).byteLength }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** esbuild's output, split at its `// path/to/module` markers. */
function modules(bundleText: string): Map<string, string> {
  const map = new Map<string, string>();
  let current = "(prelude)";
  for (const part of bundleText.split(/^\/\/ ((?:\.\.\/)*[\w@./-]+\.(?:[cm]?js|ts|json))$/m)) {
    if (/^(?:\.\.\/)*[\w@./-]+\.(?:[cm]?js|ts|json)$/.test(part)) current = part.replace(/^(?:\.\.\/)+/, "");
    else map.set(current, (map.get(current) ?? "") + part);
  }
  return map;
}

function wrangler(args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["wrangler", ...args], { cwd, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), COMMAND_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`wrangler ${args.join(" ")} ended with ${signal ?? `exit code ${code}`}:\n${output.slice(-3000)}`));
    });
  });
}
