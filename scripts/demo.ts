import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { formatDiagnostic } from "../generator/diagnostics.ts";
import { runGenerator } from "../generator/pipeline.ts";
import { startFakeApi } from "./fake-api.ts";

/**
 * `npm run demo`: generates the example flows, runs them in the local
 * Workers runtime (`wrangler dev`), fires their triggers the way a client
 * would, and prints each flow's progress until it ends. Offline: the flows'
 * outbound calls go to a local fake API.
 */

const PORT = Number(process.env["DEMO_PORT"] ?? 8787);
const BASE = `http://127.0.0.1:${PORT}`;
const SECRETS = { FLIGHTS_TOKEN: "demo-flights-token", APPROVER_TOKEN: "demo-approver-token", EXPENSES_TOKEN: "demo-expenses-token", GITHUB_WEBHOOK_SECRET: "demo-webhook-secret", FLIGHT_API_KEY: "demo-api-key" };

const say = (text: string) => console.log(`\x1b[1m▸ ${text}\x1b[0m`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  say("npm run generate");
  const generated = runGenerator(process.cwd(), "generate");
  generated.diagnostics.forEach((d) => console.error(formatDiagnostic(d)));
  if (!generated.ok) return 1;

  const api = await startFakeApi();
  say(`fake outside API on ${api.url}`);
  const dev = startWrangler(api.url);
  try {
    await waitUntilUp(dev);
    say(`wrangler dev is serving the generated Worker on ${BASE}`);
    await expenseDemo();
    await flightDemo();
    say(`the flows called the outside API ${api.requests.length} time(s): ${api.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`);
    return 0;
  } finally {
    dev.kill("SIGINT");
    await api.close();
  }
}

async function expenseDemo(): Promise<void> {
  say("POST /expenses (an expense that needs approval)");
  const started = await call("POST", "/expenses", SECRETS.EXPENSES_TOKEN, { employee: "ada", amount: 420, reason: "conference travel" }, { "user-id": "ada" });
  const id = String(started["instance_id"]);
  await watch("expense-approval", id, (s) => s.includes("waiting"), 60);
  say(`POST /expenses/${id}/approve (the manager approves)`);
  await call("POST", `/expenses/${id}/approve`, SECRETS.APPROVER_TOKEN, { approved: true, by: "grace" });
  await watch("expense-approval", id, (s) => s === "complete" || s === "errored", 60);
}

async function flightDemo(): Promise<void> {
  say("POST /flights (the seed scenario: starts 5 minutes later, polled every 5 minutes)");
  const started = await call("POST", "/flights", SECRETS.FLIGHTS_TOKEN, { flight: "DL264", date: "2026-12-01" }, { "user-id": "u1" });
  console.log(`  the agent of user u1 scheduled instance ${String(started["instance_id"])} for ${String(started["starts_at"])}`);
  if (!process.argv.includes("--wait")) {
    console.log("  (run `npm run demo -- --wait` to follow it to the end: about 10 minutes)");
    return;
  }
  await watch("flight-status", String(started["instance_id"]), (s) => s === "complete" || s === "errored", 900);
}

async function call(method: string, path: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  console.log(`  ${res.status} ${JSON.stringify(answer)}`);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
  return answer;
}

/** Prints the instance's status and steps whenever they change, until `done(status)` or the time runs out. */
async function watch(workflow: string, id: string, done: (status: string) => boolean, seconds: number): Promise<void> {
  let last = "";
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(1000)) {
    const described = describe(workflow, id);
    if (!described) continue;
    const line = `  ${workflow} ${id}: ${described.status} | ${described.steps.join(" → ")}`;
    if (line !== last) console.log((last = line));
    if (done(described.status)) return;
  }
  throw new Error(`${workflow} ${id} did not get there in ${seconds} s`);
}

interface Described {
  readonly status: string;
  readonly steps: string[];
}

function describe(workflow: string, id: string): Described | undefined {
  const out = spawnSync("npx", ["wrangler", "workflows", "instances", "describe", workflow, id, "--local", "--port", String(PORT), "--json"], { encoding: "utf8" });
  try {
    const json = JSON.parse(out.stdout.slice(out.stdout.indexOf("{"))) as { status?: string; steps?: { name?: string; type?: string; success?: boolean | null; finished?: boolean }[] };
    const steps = (json.steps ?? []).map((s) => `${s.name ?? s.type}${s.success === false ? " ✗" : s.finished === false ? " …" : ""}`);
    return { status: json.status ?? "unknown", steps };
  } catch {
    return undefined;
  }
}

function startWrangler(apiUrl: string): ChildProcess {
  const vars = Object.entries({ ...SECRETS, API_BASE: apiUrl }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(PORT), ...vars], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => process.env["DEMO_VERBOSE"] && process.stdout.write(d));
  child.stderr?.on("data", (d: Buffer) => process.env["DEMO_VERBOSE"] && process.stderr.write(d));
  return child;
}

async function waitUntilUp(dev: ChildProcess): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (dev.exitCode !== null) throw new Error("wrangler dev exited; run with DEMO_VERBOSE=1 to see why");
    try {
      await fetch(`${BASE}/`);
      return;
    } catch {
      await sleep(500);
    }
  }
  throw new Error("wrangler dev did not start within 60 s");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
