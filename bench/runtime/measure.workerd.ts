import { env, exports } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject, type WorkflowIntrospector } from "cloudflare:test";
import { getAgentByName, type Agent } from "agents";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FlightStatusWorkflow, Steps50Workflow } from "../results/runtime/project/generated/worker.ts";
import { HandFlightWorkflow } from "./hand/flight.ts";
import { HandOrderWorkflow } from "./hand/orders.ts";
import { BENCH_FLOWS, MICRO_OPS, MICRO_PARTS, type BatchTiming, type BenchFlow, type BenchPlan, type BenchSide, type MicroPart, type MicroTiming } from "./types.ts";

/**
 * The run-time benchmark, inside workerd: batches of instances of each flow,
 * generated and hand-written, started through their Worker's HTTP trigger
 * and timed until every instance has completed. Sleeps are skipped
 * (introspector `disableSleeps`), outbound fetch is faked in this isolate.
 * For flight-status a batch covers the whole life of an instance: trigger →
 * the delayed start (the agent's schedule callback, called as the scheduler
 * would) → run → the poll that records the result in the agent's state.
 */

type AnyAgent = Agent<Cloudflare.Env>;

interface BenchEnv {
  readonly BENCH_PLAN: string;
  readonly BENCH_CPU_PROBE: string;
  readonly FLIGHTS_TOKEN: string;
  readonly BENCH_TOKEN: string;
  readonly FlightAgent: DurableObjectNamespace<AnyAgent>;
  readonly FlowAgent: DurableObjectNamespace<AnyAgent>;
  readonly HandFlightAgent: DurableObjectNamespace<AnyAgent>;
  readonly HandOrderAgent: DurableObjectNamespace<AnyAgent>;
  readonly FLIGHT_STATUS_WORKFLOW: Workflow;
  readonly STEPS_50_WORKFLOW: Workflow;
  readonly HAND_FLIGHT_WORKFLOW: Workflow;
  readonly HAND_ORDER_WORKFLOW: Workflow;
}

const benv = env as unknown as BenchEnv;
const plan = JSON.parse(benv.BENCH_PLAN) as BenchPlan;

interface Target {
  readonly host: string;
  readonly agents: DurableObjectNamespace<AnyAgent>;
  readonly workflow: Workflow;
}

const GENERATED_FLIGHT: Target = { host: "flows.test", agents: benv.FlightAgent, workflow: benv.FLIGHT_STATUS_WORKFLOW };
const GENERATED_STEPS: Target = { host: "flows.test", agents: benv.FlowAgent, workflow: benv.STEPS_50_WORKFLOW };

const TARGETS: Readonly<Record<BenchFlow, Readonly<Record<BenchSide, Target>>>> = {
  "flight-status": {
    generated: GENERATED_FLIGHT,
    hand: plan.calibrate ? GENERATED_FLIGHT : { host: "hand.test", agents: benv.HandFlightAgent, workflow: benv.HAND_FLIGHT_WORKFLOW },
  },
  "steps-50": {
    generated: GENERATED_STEPS,
    hand: plan.calibrate ? GENERATED_STEPS : { host: "hand.test", agents: benv.HandOrderAgent, workflow: benv.HAND_ORDER_WORKFLOW },
  },
};

// Outbound HTTP, answered inside the isolate: the flight API and the price API.
const FLIGHT_API = "https://api.example.com/flights/";
const PRICE_API = "https://api.example.com/prices/";

const encoder = new TextEncoder();

/** A JSON answer as an HTTP server sends it, with its Content-Length. */
function json(body: unknown): Response {
  const bytes = encoder.encode(JSON.stringify(body));
  return new Response(bytes, { headers: { "content-type": "application/json", "content-length": String(bytes.byteLength) } });
}

/** A JSON POST as an HTTP client sends it, with its Content-Length. */
function post(url: string, headers: Record<string, string>, body: unknown): Request {
  const bytes = encoder.encode(JSON.stringify(body));
  return new Request(url, { method: "POST", headers: { ...headers, "content-type": "application/json", "content-length": String(bytes.byteLength) }, body: bytes });
}

const realFetch = globalThis.fetch;

/** workerd's CPU time so far (ms), from bench-runtime.ts's probe; null without one. */
async function cpuMs(): Promise<number | null> {
  if (!benv.BENCH_CPU_PROBE) return null;
  const answer = (await (await realFetch(benv.BENCH_CPU_PROBE)).json()) as { ms: number | null };
  return answer.ms;
}

/**
 * The fake outside world: replaces fetch in this isolate, where the Worker, its
 * agents and workflows run. A plain function, not a vi.fn spy: a spy keeps
 * every call's arguments and result (each Response) for the whole run.
 */
async function fakeFetch(input: RequestInfo | URL): Promise<Response> {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith(FLIGHT_API)) return json({ status: url.includes("/DL1") ? "delayed" : "on_time", delay_minutes: 40 });
  if (url.startsWith(PRICE_API)) return json({ price: 7 * Number(url.slice(url.lastIndexOf("/") + 1)) });
  return new Response(`no fake for ${url}`, { status: 599 });
}

beforeAll(() => {
  globalThis.fetch = fakeFetch as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

/** The i-th request of a batch; the same i gives the same request on both sides. */
function request(flow: BenchFlow, target: Target, agentName: string, i: number): Request {
  if (flow === "flight-status") {
    const body = { flight: `${i % 2 === 0 ? "DL" : "BA"}${100 + i}`, date: "2026-12-01" };
    return post(`https://${target.host}/flights`, { authorization: `Bearer ${benv.FLIGHTS_TOKEN}`, "user-id": agentName }, body);
  }
  const body = { order_id: `ORD-${1000 + i}`, customer: agentName, amount: 10 + (i % 40), express: i % 3 === 0 };
  return post(`https://${target.host}/bench/orders`, { authorization: `Bearer ${benv.BENCH_TOKEN}` }, body);
}

/** Calls an agent's due schedules as the Agents scheduler would: one-shot starts, or the cron polls. */
async function fireSchedules(target: Target, agentName: string, kind: "delayed" | "cron"): Promise<number> {
  const agent = await getAgentByName(target.agents, agentName);
  return runInDurableObject(agent, async (instance: AnyAgent) => {
    const schedules = (await instance.listSchedules()).filter((s) => (kind === "cron" ? s.type === "cron" : s.type !== "cron"));
    for (const schedule of schedules) {
      const callback = (instance as unknown as Record<string, (payload: unknown, schedule: unknown) => Promise<void>>)[schedule.callback];
      if (!callback) throw new Error(`agent has no schedule callback ${schedule.callback}`);
      await callback.call(instance, schedule.payload, schedule);
      if (kind === "delayed") await instance.cancelSchedule(schedule.id);
    }
    return schedules.length;
  });
}

interface BatchResult {
  readonly ms: number;
  readonly cpuMs: number | null;
  readonly outputs: readonly unknown[];
}

/**
 * One introspection session per Workflows binding for the whole run (sleeps
 * disabled for every instance it sees). Sessions are not disposed between
 * batches: disposing aborts and deletes each instance's storage in the
 * background, which would overlap the next batch.
 */
const sessions = new Map<Workflow, WorkflowIntrospector>();

async function sessionFor(workflow: Workflow): Promise<WorkflowIntrospector> {
  let session = sessions.get(workflow);
  if (!session) {
    session = await introspectWorkflow(workflow);
    await session.modifyAll(async (m) => {
      await m.disableSleeps();
    });
    sessions.set(workflow, session);
  }
  return session;
}

async function runBatch(flow: BenchFlow, side: BenchSide, label: string, count: number, collectOutputs: boolean): Promise<BatchResult> {
  const target = TARGETS[flow][side];
  const agentNames = Array.from({ length: Math.min(plan.agentsPerBatch, count) }, (_, a) => `${label}-${side}-a${a}`);
  const session = await sessionFor(target.workflow);
  const before = (await session.get()).length;

  const cpuBefore = await cpuMs();
  // workerd's clock moves at I/O; the probe and introspection calls above are I/O, so this reading is current.
  const started = Date.now();
  const replies = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await exports.default.fetch(request(flow, target, agentNames[i % agentNames.length]!, i));
      if (response.status !== 202) throw new Error(`${side} ${flow}: trigger answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { instance_id: string };
    }),
  );
  if (flow === "flight-status") {
    const fired = await Promise.all(agentNames.map((name) => fireSchedules(target, name, "delayed")));
    if (fired.reduce((a, b) => a + b, 0) !== count) throw new Error(`${side} ${flow}: expected ${count} delayed starts, fired ${fired.join("+")}`);
  }
  const instances = (await session.get()).slice(before);
  if (instances.length !== count || replies.length !== count) throw new Error(`${side} ${flow}: ${instances.length} instances for ${count} triggers`);
  await Promise.all(instances.map((instance) => instance.waitForStatus("complete")));
  if (flow === "flight-status") await Promise.all(agentNames.map((name) => fireSchedules(target, name, "cron")));
  const ms = Date.now() - started;
  const cpuAfter = await cpuMs();

  const outputs = collectOutputs ? await Promise.all(instances.map((instance) => instance.getOutput())) : [];
  if (flow === "flight-status" && collectOutputs) {
    // The poll ran: each agent's state holds the result of its last instance, and no poll is left.
    for (const name of agentNames) {
      const agent = await getAgentByName(target.agents, name);
      const left = await runInDurableObject(agent, async (instance: AnyAgent) => {
        expect(instance.state).toMatchObject({ result: { date: "2026-12-01" } });
        return (await instance.listSchedules()).length;
      });
      expect(left).toBe(0);
    }
  }
  return { ms, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, outputs };
}

function sorted(values: readonly unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

// ---- In-isolate parts, without the Workflows engine --------------------------------------------

interface Runnable {
  run(event: unknown, step: unknown): Promise<unknown>;
}

/**
 * A workflow object whose run() can be called directly: the class's
 * prototype with `env`, marked as already initialised so AgentWorkflow's
 * wrapper goes straight to the flow's own run() (no Agent RPC).
 */
function runnable(prototype: object): Runnable {
  const workflow = Object.create(prototype) as Runnable;
  Object.defineProperty(workflow, "env", { value: env });
  Object.defineProperty(workflow, "__agentInitCalled", { value: true, writable: true });
  return workflow;
}

/** The step object of the in-isolate runs: every durable call just runs (no storage, no sleeping). */
const passThroughStep = {
  async do(_name: string, configOrCallback: unknown, callback?: unknown): Promise<unknown> {
    const run = (typeof configOrCallback === "function" ? configOrCallback : callback) as () => Promise<unknown>;
    return run();
  },
  async sleep(): Promise<void> {},
};

const FLIGHT_INPUT = { user: "u1", flight: "DL100", date: "2026-12-01", notify: true };
const ORDER_INPUT = { order_id: "ORD-1000", customer: "c1", amount: 20, express: true };

interface RunCase {
  readonly workflow: Runnable;
  readonly event: unknown;
}
const GENERATED_FLIGHT_RUN: RunCase = { workflow: runnable(FlightStatusWorkflow.prototype), event: { payload: { input: FLIGHT_INPUT, agentName: "u1" }, instanceId: "g" } };
const GENERATED_STEPS_RUN: RunCase = { workflow: runnable(Steps50Workflow.prototype), event: { payload: { input: ORDER_INPUT, agentName: "c1" }, instanceId: "g" } };

const RUNS: Readonly<Record<Exclude<MicroPart, "trigger:flight-status">, Readonly<Record<BenchSide, RunCase>>>> = {
  "run:flight-status": {
    generated: GENERATED_FLIGHT_RUN,
    hand: plan.calibrate ? GENERATED_FLIGHT_RUN : { workflow: runnable(HandFlightWorkflow.prototype), event: { payload: FLIGHT_INPUT, instanceId: "h" } },
  },
  "run:steps-50": {
    generated: GENERATED_STEPS_RUN,
    hand: plan.calibrate ? GENERATED_STEPS_RUN : { workflow: runnable(HandOrderWorkflow.prototype), event: { payload: ORDER_INPUT, instanceId: "h" } },
  },
};

async function microBlock(part: MicroPart, side: BenchSide, rep: number): Promise<MicroTiming> {
  const ops = MICRO_OPS[part];
  const cpuBefore = await cpuMs();
  const started = Date.now();
  if (part === "trigger:flight-status") {
    const target = TARGETS["flight-status"][side];
    const agents = Array.from({ length: plan.agentsPerBatch }, (_, a) => `micro${rep}-${side}-a${a}`);
    for (let i = 0; i < ops; i++) {
      const response = await exports.default.fetch(request("flight-status", target, agents[i % agents.length]!, i));
      if (response.status !== 202) throw new Error(`${side} trigger answered ${response.status}`);
      await response.arrayBuffer();
    }
  } else {
    const { workflow, event } = RUNS[part][side];
    for (let i = 0; i < ops; i++) await workflow.run(event, passThroughStep);
  }
  const ms = Date.now() - started;
  const cpuAfter = await cpuMs();
  return { rep, part, side, ops, ms, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

async function measureMicro(): Promise<MicroTiming[]> {
  const timings: MicroTiming[] = [];
  for (const part of MICRO_PARTS) {
    // Both sides give the same result.
    if (part !== "trigger:flight-status") {
      const runs = RUNS[part];
      expect(await runs.generated.workflow.run(runs.generated.event, passThroughStep)).toEqual(await runs.hand.workflow.run(runs.hand.event, passThroughStep));
    }
    await microBlock(part, "generated", -1);
    await microBlock(part, "hand", -1);
    for (let rep = 0; rep < plan.microReps; rep++) {
      const order: BenchSide[] = rep % 2 === 0 ? ["generated", "hand"] : ["hand", "generated"];
      for (const side of order) timings.push(await microBlock(part, side, rep));
    }
  }
  return timings;
}

it("measures generated against hand-written flows", async ({ task }) => {
  // Warm-up (not measured): JIT, module loading, first Durable Objects; and both sides must agree.
  for (const flow of BENCH_FLOWS) {
    const generated = await runBatch(flow, "generated", "warm", plan.warmup, true);
    const hand = await runBatch(flow, "hand", "warm", plan.warmup, true);
    expect(sorted(generated.outputs)).toEqual(sorted(hand.outputs));
    expect(generated.outputs).toHaveLength(plan.warmup);
  }

  const batches: BatchTiming[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    for (const flow of BENCH_FLOWS) {
      const order: BenchSide[] = round % 2 === 0 ? ["generated", "hand"] : ["hand", "generated"];
      for (const [position, side] of order.entries()) {
        const result = await runBatch(flow, side, `r${round}`, plan.batch, false);
        batches.push({ round, flow, side, order: position, instances: plan.batch, ms: result.ms, cpuMs: result.cpuMs });
      }
    }
  }
  const micro = await measureMicro();
  task.meta.benchRuntime = { plan, batches, micro };
}, 60 * 60 * 1000);
