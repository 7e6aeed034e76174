/// <reference lib="esnext.disposable" />
// Introspectors are disposed with Symbol.asyncDispose, which lib es2024 does not declare yet; the reference makes
// this module type-check in a project whatever its own tsconfig lib says.
import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import type { FlowTestCase, FlowTestFile, StepPath } from "../generator/flow-tests/types.ts";
import type { FlowAgentBase, FlowStart, StartResult } from "../runtime/flow-agent.ts";
import { resultEventType } from "../runtime/flow-call.ts";
import { childInstanceId } from "../runtime/step-names.ts";
import type { Observed } from "./check-case.ts";
import { stepNames } from "./case-names.ts";
import { fakeOutbound } from "./fake-outbound.ts";

/**
 * The running half of the flow-test runner: one case, one fresh instance,
 * started the way a trigger starts it (the owning Agent's `start<Flow>` RPC,
 * input already validated with defaults by the generator), in the local
 * Workflows engine with sleeps and retry delays skipped. Mocked steps get
 * their result from the introspector (mockStepResult), failing ones throw
 * (mockStepError), events are queued before the start (mockEvent), waits for
 * events the case does not give time out at once (forceEventTimeout), and
 * outbound fetch answers 599 "not mocked" so nothing reaches the network.
 * A mocked `call` with `wait: true` gets a made-up child id as the call
 * step's result and the mocked output as that child's result event.
 */

/** How long a case may run before it counts as stuck (sleeps and retry delays are skipped, so this is generous). */
/**
 * How long a case may run before it counts as stuck: a bound for a hang, never a speed
 * check (sleeps and retry delays are skipped; the machine running the suite may be loaded).
 */
export const WAIT_MS = 30_000;

const TERMINAL = new Set(["complete", "errored", "terminated"]);

type Replacement = { readonly kind: "mock"; readonly output: unknown; readonly childOutput?: unknown } | { readonly kind: "fail"; readonly message: string };

export async function runCase(file: FlowTestFile, testCase: FlowTestCase): Promise<Observed> {
  const instanceId = `flow-test-${crypto.randomUUID()}`;
  const outbound = fakeOutbound({
    "": (call) => new Response(`not mocked: ${call.method} ${call.url} (mock the step that sends it in ${file.file})`, { status: 599 }),
  });
  const disposers: (() => Promise<void>)[] = [];
  const agent = await getAgentByName(binding<DurableObjectNamespace<FlowAgentBase>>(file.agent), instanceId);
  try {
    await prepare(file, testCase, instanceId, disposers);
    const start = agent as unknown as Record<string, (start: FlowStart) => Promise<StartResult>>;
    const started = await start[file.start]!({ input: testCase.input, instanceId });
    if (started.status !== "started") throw new Error(`${file.file}:${testCase.line}: case "${testCase.name}": the agent did not start the instance (${JSON.stringify(started)})`);
    const begun = Date.now();
    const instance = await binding<Workflow>(file.workflow).get(instanceId);
    const status = await waitForEnd(instance);
    const ended = TERMINAL.has(status.status);
    const log = await stepLog(instance, ended);
    return {
      status: status.status,
      ended,
      output: status.output ?? null,
      error: status.error?.message,
      ...log,
      unmocked: outbound.calls.map((c) => `${c.method} ${c.url}`),
      waitedMs: Date.now() - begun,
    };
  } finally {
    outbound.restore();
    // Disposing aborts the sessions' instances; the agent's poll schedule for ours goes too.
    for (const dispose of disposers.reverse()) await dispose();
    await runInDurableObject(agent, async (a: FlowAgentBase) => {
      for (const schedule of await a.listSchedules()) await a.cancelSchedule(schedule.id);
    });
  }
}

/** Introspection sessions for the flow (mocks, failures, events, no sleeps) and for the flows it calls (no sleeps). */
async function prepare(file: FlowTestFile, testCase: FlowTestCase, instanceId: string, disposers: (() => Promise<void>)[]): Promise<void> {
  const flow = await introspectWorkflow(binding<Workflow>(file.workflow));
  disposers.push(() => flow[Symbol.asyncDispose]());
  const replacements = replacementsOf(testCase, instanceId);
  const given = new Set(testCase.events.map((e) => e.type));
  await flow.modifyAll(async (m) => {
    await m.disableSleeps();
    await m.disableRetryDelays();
    for (const [name, r] of replacements) {
      if (r.kind === "fail") {
        await m.mockStepError({ name }, new Error(r.message));
        continue;
      }
      await m.mockStepResult({ name }, r.output);
      // A waited-for child's output arrives as its result event (runtime/flow-call.ts).
      if ("childOutput" in r) await m.mockEvent({ type: resultEventType(childInstanceId(instanceId, name)), payload: { ok: true, output: r.childOutput } });
    }
    for (const event of testCase.events) await m.mockEvent({ type: event.type, payload: event.payload });
    // An event the case does not give never comes: its wait times out at once, as sleeps end at once.
    for (const wait of file.waits) if (!given.has(wait.type)) for (const name of stepNames(wait.step)) await m.forceEventTimeout({ name });
  });
  // Called flows run for real (unless the call is mocked), with their sleeps skipped too.
  for (const child of file.children) {
    const introspector = await introspectWorkflow(binding<Workflow>(child));
    disposers.push(() => introspector[Symbol.asyncDispose]());
    await introspector.modifyAll(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
    });
  }
}

/**
 * Polls the binding (the introspector's waitForStatus can miss a resume) until
 * the instance ends, WAIT_MS passes, or a wait of the flow's own stays open
 * across two looks a second apart: its one event was used up, so it is stuck.
 */
async function waitForEnd(instance: WorkflowInstance): Promise<InstanceStatus> {
  const begun = Date.now();
  let status = await instance.status();
  let seenOpen = new Set<string>();
  for (let lastLook = begun; !TERMINAL.has(status.status) && Date.now() - begun < WAIT_MS; status = await instance.status()) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (Date.now() - lastLook < 1000) continue;
    lastLook = Date.now();
    const open = new Set((await stepLog(instance, false)).waiting.filter((w) => !w.step.includes(":")).map((w) => w.step));
    if ([...open].some((step) => seenOpen.has(step))) break;
    seenOpen = open;
  }
  return status;
}

function binding<T>(name: string): T {
  const value = (env as unknown as Record<string, T | undefined>)[name];
  if (value === undefined) throw new Error(`the Worker has no binding ${name}; run npm run generate`);
  return value;
}

/**
 * Workflows step name → what replaces it. A key naming a step inside loops
 * covers every iteration (a repeat's rounds up to its max, a for_each's
 * first items up to the generator's bound); a key naming one iteration is
 * applied last, so it wins over a mock of every iteration.
 */
function replacementsOf(testCase: FlowTestCase, instanceId: string): Map<string, Replacement> {
  const entries = [
    ...testCase.mocks.map((m) => ({ step: m.step, make: (name: string): Replacement => (m.childResult ? { kind: "mock", output: { instance_id: childInstanceId(instanceId, name) }, childOutput: m.output } : { kind: "mock", output: m.output }) })),
    ...testCase.failures.map((f) => ({ step: f.step, make: (): Replacement => ({ kind: "fail", message: f.message }) })),
  ];
  const fixed = (step: StepPath): number => step.loops.filter((l) => l.only !== undefined).length;
  entries.sort((a, b) => fixed(a.step) - fixed(b.step));
  const out = new Map<string, Replacement>();
  for (const entry of entries) for (const name of stepNames(entry.step)) out.set(name, entry.make(name));
  return out;
}

/**
 * Which steps started, read from the instance's own event log
 * (`WorkflowInstance.subscribe()`, which replays every event from the start):
 * a step ran when Workflows logged its start (`step_started`,
 * `sleep_started`, `wait_started`), whether it was mocked, failed or
 * succeeded. This is durable state, not timing, so it cannot flake. Names
 * carry the engine's `-<count>` suffix, removed here; the generated code's
 * internal steps (`x:value`, `call:wait#1`) contain ':' and are left out.
 */
async function stepLog(instance: WorkflowInstance, ended: boolean): Promise<Pick<Observed, "started" | "waiting" | "timedOut">> {
  const started: string[] = [];
  const open = new Map<string, string>();
  const timedOut: { step: string; eventType: string }[] = [];
  using subscription = await instance.subscribe();
  for (;;) {
    // A finished log ends the subscription; a running instance's log is read until it goes quiet.
    const next = ended ? await subscription.next() : await Promise.race([subscription.next(), quiet(250)]);
    if (!next || next.done) break;
    const event = next.value;
    if (!("stepName" in event)) continue;
    const name = event.stepName.replace(/-\d+$/, "");
    if (event.type === "wait_started") open.set(name, event.eventType);
    if (event.type === "wait_timed_out" && !name.includes(":")) timedOut.push({ step: name, eventType: open.get(name) ?? "" });
    if (event.type === "wait_completed" || event.type === "wait_timed_out") open.delete(name);
    if ((event.type === "step_started" || event.type === "sleep_started" || event.type === "wait_started") && !name.includes(":")) started.push(name);
  }
  return { started, waiting: [...open].map(([step, eventType]) => ({ step, eventType })), timedOut };
}

const quiet = (ms: number): Promise<undefined> => new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
