import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { formatDiagnostic } from "../generator/diagnostics.ts";
import { runGenerator } from "../generator/pipeline.ts";
import { startFakeApi } from "./fake-api.ts";

/**
 * `npm run demo`: generates the example flows, runs them in the local
 * Workers runtime (`wrangler dev`), fires their triggers the way a client
 * would, and prints each flow's progress until it ends. Offline: the flows'
 * outbound calls go to a local fake API.
 *
 * It leaves nothing behind: wrangler dev keeps its state (Durable Objects,
 * Workflows, schedules) in a temporary folder removed at the end, never in
 * .wrangler/state, where the flight-status start it schedules would
 * otherwise fire later inside `npm run dev`. The demo checks that at the end.
 */

const PORT = Number(process.env["DEMO_PORT"] ?? 8787);
const BASE = `http://127.0.0.1:${PORT}`;
/** Every secret the flows name (wrangler.jsonc `secrets.required`) gets a demo value. */
const secret = (name: string) => `demo-${name.toLowerCase().replace(/_/g, "-")}`;

const say = (text: string) => console.log(`\x1b[1m▸ ${text}\x1b[0m`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  say("npm run generate");
  const generated = runGenerator(process.cwd(), "generate");
  generated.diagnostics.forEach((d) => console.error(formatDiagnostic(d)));
  if (!generated.ok) return 1;

  const api = await startFakeApi();
  say(`fake outside API on ${api.url}`);
  const devState = stateOf(DEV_STATE);
  const persistTo = mkdtempSync(join(tmpdir(), "cf-flows-demo-"));
  const dev = startWrangler(api.url, persistTo);
  try {
    await waitUntilUp(dev);
    say(`wrangler dev is serving the generated Worker on ${BASE}`);
    await expenseDemo();
    await flightDemo();
    say(`the flows called the outside API ${api.requests.length} time(s): ${api.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`);
    return 0;
  } finally {
    await stop(dev);
    await api.close();
    rmSync(persistTo, { recursive: true, force: true });
    // A check, not a hope: the demo fails if it touched npm run dev's state.
    if (stateOf(DEV_STATE) !== devState) throw new Error(`${DEV_STATE} changed while the demo ran; it must leave npm run dev's state alone`);
    say(`nothing left behind: the demo's state is gone and ${DEV_STATE} (npm run dev's) is as it was`);
  }
}

/** Where `wrangler dev` (npm run dev) keeps its state between runs. */
const DEV_STATE = ".wrangler/state";

/** The paths, sizes and times of every file under `dir` (empty if there is none): a change to any of them shows. */
function stateOf(dir: string): string {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        const stat = statSync(path);
        return `${path} ${stat.size} ${stat.mtimeMs}`;
      })
      .sort()
      .join("\n");
  } catch {
    return "";
  }
}

/** Stops wrangler dev and workerd under it, and waits until they are gone, so its state folder can be removed. */
async function stop(dev: ChildProcess): Promise<void> {
  if (!dev.pid || dev.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => dev.once("exit", () => resolve()));
  process.kill(-dev.pid, "SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
}

async function expenseDemo(): Promise<void> {
  say("POST /expenses (an expense that needs approval)");
  const expenseId = `exp${Date.now()}`;
  const started = await call("POST", "/expenses", secret("EXPENSES_TOKEN"), { id: expenseId, employee: "ada", amount: 420 });
  const id = String(started["instance_id"]);
  // It tells the manager, then waits for the decision.
  await watch("expense-approval", id, (d) => d.steps.some((step) => step.startsWith("approval") && step.endsWith("…")), 60);
  const broadcasts = listen("/agents/flow-agent/ada", secret("EXPENSES_TOKEN"));
  say(`POST /expenses/${expenseId}/approve (the manager approves)`);
  await call("POST", `/expenses/${expenseId}/approve`, secret("APPROVER_TOKEN"), { approved: true, by: "grace" });
  await watch("expense-approval", id, ended, 60);
  say("the agent's poll (every 30 seconds) notices the end and broadcasts to its WebSocket clients:");
  console.log(`  ${await broadcasts.next(45)}`);
  broadcasts.close();
}

/**
 * A WebSocket client of an agent, as a browser using the Agents SDK would be: it presents
 * the flow's `watch` token as the `bearer.<base64url>` subprotocol; yields the flows' own messages.
 */
function listen(path: string, token: string): { next(seconds: number): Promise<string>; close(): void } {
  const socket = new WebSocket(`ws://127.0.0.1:${PORT}${path}`, ["cf-flows", `bearer.${Buffer.from(token, "utf8").toString("base64url")}`]);
  const messages: string[] = [];
  socket.addEventListener("message", (event) => {
    const text = String(event.data);
    if (!text.includes('"cf_agent')) messages.push(text); // the SDK's own protocol messages are not the flows'
  });
  return {
    async next(seconds) {
      for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(250)) {
        const message = messages.shift();
        if (message) return message;
      }
      throw new Error(`no broadcast within ${seconds} s`);
    },
    close: () => socket.close(),
  };
}

async function flightDemo(): Promise<void> {
  say("POST /flights (the seed scenario: starts 5 minutes later, polled every 5 minutes)");
  const started = await call("POST", "/flights", secret("FLIGHTS_TOKEN"), { flight: "DL264", date: "2026-12-01" }, { "user-id": "u1" });
  console.log(`  the agent of user u1 scheduled instance ${String(started["instance_id"])} for ${String(started["starts_at"])}`);
  if (!process.argv.includes("--wait")) {
    console.log("  (run `npm run demo -- --wait` to follow it to the end: about 10 minutes)");
    return;
  }
  await watch("flight-status", String(started["instance_id"]), ended, 900);
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

const ended = (d: Described) => ["complete", "errored", "terminated"].includes(d.status);

/** Prints the instance's status and steps whenever they change, until `done` or the time runs out. */
async function watch(workflow: string, id: string, done: (d: Described) => boolean, seconds: number): Promise<void> {
  let last = "";
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(1000)) {
    const described = describe(workflow, id);
    if (!described) continue;
    const line = `  ${workflow} ${id}: ${described.status} | ${described.steps.join(" → ")}`;
    if (line !== last) console.log((last = line));
    if (done(described)) return;
  }
  throw new Error(`${workflow} ${id} did not get there in ${seconds} s`);
}

interface Described {
  readonly status: string;
  readonly steps: string[];
}

function describe(workflow: string, id: string): Described | undefined {
  const out = spawnSync("node_modules/.bin/wrangler", ["workflows", "instances", "describe", workflow, id, "--local", "--port", String(PORT), "--json"], { encoding: "utf8" });
  try {
    const json = JSON.parse(out.stdout.slice(out.stdout.indexOf("{"))) as { status?: string; steps?: { name?: string; type?: string; success?: boolean | null; finished?: boolean }[] };
    const steps = (json.steps ?? []).map((s) => `${s.name ?? s.type}${s.success === false ? " ✗" : s.finished === false ? " …" : ""}`);
    return { status: json.status ?? "unknown", steps };
  } catch {
    return undefined;
  }
}

function startWrangler(apiUrl: string, persistTo: string): ChildProcess {
  const config = parse(readFileSync("wrangler.jsonc", "utf8")) as { secrets?: { required?: string[] } };
  const secrets = Object.fromEntries((config.secrets?.required ?? []).map((name) => [name, secret(name)]));
  const vars = Object.entries({ ...secrets, API_BASE: apiUrl }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  // Its own process group, so stopping the demo also stops workerd under it.
  const child = spawn("node_modules/.bin/wrangler", ["dev", "--ip", "127.0.0.1", "--port", String(PORT), "--persist-to", persistTo, ...vars], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d: Buffer) => process.env["DEMO_VERBOSE"] && process.stdout.write(d));
  child.stderr?.on("data", (d: Buffer) => process.env["DEMO_VERBOSE"] && process.stderr.write(d));
  return child;
}

async function waitUntilUp(dev: ChildProcess): Promise<void> {
  // Another server on the port would silently answer instead of ours.
  if (await fetch(`${BASE}/`).then(() => true, () => false)) throw new Error(`port ${PORT} is busy; set DEMO_PORT to another port`);
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
