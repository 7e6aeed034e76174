import { spawn, execFile, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { BenchOptions, Headlines } from "../run.ts";
import { startFakeApi } from "../../scripts/fake-api.ts";
import { LOAD_TOKEN_SECRET, LOAD_WORKFLOW, prepareLoadProject } from "./load-project.ts";

/**
 * Load benchmark (BENCHMARKS.md "Load"). Runs a bench-only flow (see
 * load-project.ts) in `wrangler dev` on 127.0.0.1 with the fake API for its
 * outbound call, and checks that nothing is lost or duplicated under load:
 *
 * 1. N concurrent trigger requests with distinct ids: every one must answer
 *    202 "started" with its own instance id, and every instance must exist and
 *    reach `complete` (all of them are listed and counted, not sampled);
 * 2. N more ids, each sent twice at the same time: per id exactly one
 *    "started" and one "exists", and exactly N more instances;
 * 3. the phase-1 requests again: all answer "exists", the count is unchanged.
 *
 * Headlines: `load_created` (distinct phase-1 instances that exist) and
 * `load_lost` (ids answered 202, "started" or "exists", in any phase, whose
 * instance was never created or never completed). A broken invariant fails
 * the benchmark (after writing bench/results/load[-quick].json).
 */

const TOKEN = "load-bench-token";
const SHARDS = 8;
const execFileAsync = promisify(execFile);

interface Answer {
  readonly id: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly ms: number;
}

interface Listed {
  readonly id: string;
  readonly status?: string;
}

export async function run(options: BenchOptions): Promise<Headlines> {
  const n = options.quick ? 200 : 1000;
  const deadlineMs = options.quick ? 180_000 : 480_000;
  const started = Date.now();
  const overall = AbortSignal.timeout(deadlineMs + 120_000);
  const repoRoot = process.cwd();
  const projectDir = resolve(options.resultsDir, "load-project");
  const config = prepareLoadProject(projectDir, repoRoot);
  const api = await startFakeApi();
  const port = await freePort();
  const inspectorPort = await freePort();
  const logPath = join(options.resultsDir, "load-wrangler.log");
  const dev = startWrangler(config, projectDir, port, inspectorPort, api.url, logPath);
  const base = `http://127.0.0.1:${port}`;
  const violations: string[] = [];
  const note = (problem: string) => {
    violations.push(problem);
    console.error(`load: VIOLATION ${problem}`);
  };
  try {
    await waitUntilUp(base, dev, overall);
    console.error(`load: wrangler dev on ${base} (project ${projectDir}); ${n} requests per phase`);

    // Phase 1: N distinct starts at once.
    const ids1 = Array.from({ length: n }, (_, i) => `p1-${i}`);
    const t1 = performance.now();
    const phase1 = await Promise.all(ids1.map((id) => trigger(base, id, overall)));
    const phase1Ms = performance.now() - t1;
    const accepted1 = phase1.filter((a) => a.status === 202 && a.body["status"] === "started");
    for (const a of phase1) if (!(a.status === 202 && a.body["status"] === "started")) note(`phase 1 ${a.id}: ${a.status} ${JSON.stringify(a.body)}`);
    const instanceIds1 = new Set(accepted1.map((a) => String(a.body["instance_id"])));
    if (instanceIds1.size !== accepted1.length) note(`phase 1: ${accepted1.length} accepted but ${instanceIds1.size} distinct instance ids`);
    for (const a of accepted1) if (a.body["instance_id"] !== `load-${a.id}`) note(`phase 1 ${a.id}: instance id ${String(a.body["instance_id"])}`);

    // Phase 2: N fresh ids, each sent twice concurrently.
    const ids2 = Array.from({ length: n }, (_, i) => `p2-${i}`);
    const t2 = performance.now();
    const phase2 = await Promise.all(ids2.flatMap((id) => [trigger(base, id, overall), trigger(base, id, overall)]));
    const phase2Ms = performance.now() - t2;
    const accepted2 = new Set<string>();
    let duplicateStarts = 0;
    for (const id of ids2) {
      const answers = phase2.filter((a) => a.id === id);
      const kinds = answers.map((a) => (a.status === 202 ? String(a.body["status"]) : `http ${a.status}`)).sort();
      const startedCount = kinds.filter((k) => k === "started").length;
      if (startedCount > 1) duplicateStarts++;
      if (startedCount >= 1) accepted2.add(`load-${id}`);
      if (kinds.join(",") !== "exists,started") note(`phase 2 ${id}: answers ${kinds.join(", ")}`);
    }

    // Every accepted id (any 202: "started" or "exists") must have an instance that completes; wait for it, bounded.
    const expected = new Set([...phase1, ...phase2].filter((a) => a.status === 202).map((a) => `load-${a.id}`));
    const tDone = performance.now();
    const settled = await waitForAll(port, expected.size, deadlineMs - (Date.now() - started), overall);
    const completeMs = performance.now() - tDone;

    // Phase 3: the phase-1 requests again; all must be recognised.
    const phase3 = await Promise.all(ids1.map((id) => trigger(base, id, overall)));
    for (const a of phase3) if (!(a.status === 202 && a.body["status"] === "exists")) note(`phase 3 ${a.id}: ${a.status} ${JSON.stringify(a.body)}`);

    // Count all instances through wrangler's own listing, page by page.
    const listed = await listAllInstances(port, projectDir, overall);
    const byId = new Map(listed.map((i) => [i.id, i.status ?? "unknown"]));
    if (byId.size !== listed.length) note(`the listing has ${listed.length} rows for ${byId.size} ids`);
    if (byId.size !== 2 * n) note(`${byId.size} instances exist, expected exactly ${2 * n}`);
    const startedIds = new Set([...instanceIds1, ...accepted2]);
    for (const id of byId.keys()) if (!startedIds.has(id)) note(`instance ${id} exists but no request was answered "started" for it`);
    // Phase-3 answers are all "exists" for phase-1 ids: counted in `expected` through phase 1.
    for (const a of phase3) if (a.status === 202) expected.add(`load-${a.id}`);
    const lost = [...expected].filter((id) => byId.get(id) !== "complete");
    for (const id of lost.slice(0, 20)) note(`instance ${id}: ${byId.get(id) ?? "never created"}`);
    // Requests rejected outright (not 202) are not lost, but they are violations above.
    const created1 = [...instanceIds1].filter((id) => byId.has(id)).length;

    const latencies = [...phase1, ...phase2].map((a) => a.ms).sort((a, b) => a - b);
    const headlines: Headlines = {
      load_created: created1,
      load_lost: lost.length,
      load_duplicate_starts: duplicateStarts,
      load_trigger_p50_ms: round(percentile(latencies, 0.5)),
      load_trigger_p99_ms: round(percentile(latencies, 0.99)),
      load_starts_per_s: round((n / phase1Ms) * 1000),
      load_all_complete_s: round(completeMs / 1000),
    };
    const details = {
      n,
      shards: SHARDS,
      phase1: { ms: round(phase1Ms), accepted: accepted1.length, statuses: countBy(phase1.map((a) => a.status)) },
      phase2: { ms: round(phase2Ms), requests: phase2.length, statuses: countBy(phase2.map((a) => `${a.status} ${String(a.body["status"] ?? a.body["error"])}`)) },
      phase3: { statuses: countBy(phase3.map((a) => `${a.status} ${String(a.body["status"] ?? a.body["error"])}`)) },
      settled,
      listed: { total: byId.size, statuses: countBy([...byId.values()]) },
      outbound_calls: api.requests.length,
      headlines,
      violations,
    };
    writeFileSync(join(options.resultsDir, `load${options.quick ? "-quick" : ""}.json`), `${JSON.stringify(details, null, 2)}\n`);
    console.error(`load: ${JSON.stringify(details.listed)}; outbound calls ${api.requests.length}; ${JSON.stringify(headlines)}`);
    if (violations.length > 0) {
      throw new Error(`${violations.length} load invariant(s) broken (created ${created1}/${n}, lost ${lost.length}); first: ${violations.slice(0, 5).join(" | ")}`);
    }
    return headlines;
  } finally {
    await stopWrangler(dev);
    await api.close();
    // The local Workflows state is about 0.25 MB an instance; LOAD_KEEP_STATE=1 keeps it for a look.
    if (!process.env["LOAD_KEEP_STATE"]) rmSync(join(projectDir, ".state"), { recursive: true, force: true });
  }
}

async function trigger(base: string, id: string, overall: AbortSignal): Promise<Answer> {
  const t = performance.now();
  const shard = `shard-${hash(id) % SHARDS}`;
  try {
    const res = await fetch(`${base}/load`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ id, shard }),
      signal: AbortSignal.any([overall, AbortSignal.timeout(120_000)]),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { error: `non-JSON answer: ${text.slice(0, 100)}` };
    }
    return { id, status: res.status, body, ms: performance.now() - t };
  } catch (error) {
    return { id, status: 0, body: { error: error instanceof Error ? error.message : String(error) }, ms: performance.now() - t };
  }
}

/** Polls wrangler dev's local Workflows API (the one `wrangler workflows … --local` uses) until `expected` instances are complete. */
async function waitForAll(port: number, expected: number, budgetMs: number, overall: AbortSignal): Promise<Record<string, unknown>> {
  const end = Date.now() + Math.max(budgetMs, 10_000);
  let last: Record<string, number> = {};
  while (Date.now() < end && !overall.aborted) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/cdn-cgi/local/explorer/api/workflows/${LOAD_WORKFLOW}/instances?per_page=1`, { signal: AbortSignal.timeout(60_000) });
      const json = (await res.json()) as { result_info?: { total_count?: number; status_counts?: Record<string, number> } };
      last = { total: json.result_info?.total_count ?? 0, ...json.result_info?.status_counts };
      const ended = (last["complete"] ?? 0) + (last["errored"] ?? 0) + (last["terminated"] ?? 0);
      if ((last["complete"] ?? 0) >= expected || (last["total"]! >= expected && ended === last["total"])) return { ...last, timed_out: false };
    } catch {
      // The listing reads every instance; under load it may time out. Try again.
    }
    await sleep(2000);
  }
  return { ...last, timed_out: true };
}

/** Every instance of the workflow, through `wrangler workflows instances list --local --json`, 100 per page, a few pages at a time. */
async function listAllInstances(port: number, projectDir: string, overall: AbortSignal): Promise<Listed[]> {
  const all: Listed[] = [];
  for (let first = 1; ; first += 4) {
    const pages = await Promise.all([first, first + 1, first + 2, first + 3].map((page) => listPage(port, projectDir, page, overall)));
    for (const page of pages) all.push(...page);
    if (pages.some((p) => p.length < 100)) return all;
    if (first > 1000) throw new Error("the instance listing did not end");
  }
}

async function listPage(port: number, projectDir: string, page: number, overall: AbortSignal): Promise<Listed[]> {
  const args = ["workflows", "instances", "list", LOAD_WORKFLOW, "--local", "--port", String(port), "--json", "--per-page", "100", "--page", String(page)];
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await execFileAsync(wranglerBin(), args, { cwd: projectDir, signal: overall, timeout: 120_000, maxBuffer: 32 * 1024 * 1024, env: quietEnv() });
      const start = stdout.indexOf("[");
      return JSON.parse(stdout.slice(start)) as Listed[];
    } catch (error) {
      if (attempt >= 3 || overall.aborted) throw error;
      await sleep(2000);
    }
  }
}

function startWrangler(config: string, projectDir: string, port: number, inspectorPort: number, apiUrl: string, logPath: string): ChildProcess {
  const vars = Object.entries({ [LOAD_TOKEN_SECRET]: TOKEN, API_BASE: apiUrl }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", join(projectDir, ".state"), ...vars];
  mkdirSync(projectDir, { recursive: true });
  // Its own process group, so the whole tree (workerd included) can be stopped.
  const child = spawn(wranglerBin(), args, { cwd: projectDir, stdio: ["ignore", "pipe", "pipe"], detached: true, env: quietEnv() });
  const log = createWriteStream(logPath);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function stopWrangler(dev: ChildProcess): Promise<void> {
  if (!dev.pid || dev.exitCode !== null || dev.signalCode !== null) return;
  const exited = new Promise<void>((r) => dev.once("exit", () => r()));
  try {
    process.kill(-dev.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = sleep(10_000).then(() => "timeout" as const);
  if ((await Promise.race([exited.then(() => "exited" as const), timeout])) === "timeout") {
    try {
      process.kill(-dev.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

async function waitUntilUp(base: string, dev: ChildProcess, overall: AbortSignal): Promise<void> {
  for (const end = Date.now() + 120_000; Date.now() < end && !overall.aborted; await sleep(500)) {
    if (dev.exitCode !== null) throw new Error("wrangler dev exited; see bench/results/load-wrangler.log");
    const up = await fetch(`${base}/`, { signal: AbortSignal.timeout(5000) }).then(
      () => true,
      () => false,
    );
    if (up) return;
  }
  throw new Error("wrangler dev did not start within 120 s");
}

function wranglerBin(): string {
  return resolve("node_modules/.bin/wrangler");
}

function quietEnv(): NodeJS.ProcessEnv {
  // node_modules/.bin first: wrangler needs the project's Node 22.
  const bin = resolve("node_modules/.bin");
  return { ...process.env, PATH: `${bin}:${process.env["PATH"] ?? ""}`, WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false" };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function countBy(values: readonly (string | number)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

