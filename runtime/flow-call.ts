import type { WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "./errors.ts";
import type { FlowStart } from "./flow-agent.ts";
import { checkInput, type InputValidator } from "./input-validation.ts";
import { childInstanceId, shortHash } from "./step-names.ts";
import { toJson } from "./step-values.ts";

/**
 * The `call:` step: one flow starting another as a child instance.
 *
 * Starting. The child is an AgentWorkflow, so it must be started by an Agent
 * (that is what gives it `this.agent`, progress reports and tracking): the
 * parent asks the child flow's owning Agent, under the parent's own agent
 * name, to start it, inside the call's step.do so it happens once. The
 * child's instance id is derived from the parent's id and the step name
 * (childInstanceId), so a retried or replayed step finds the same child
 * ("exists") instead of starting another.
 *
 * Waiting (`wait: true`). Event first, status as the fallback:
 * - the child's params carry `parent: { binding, instanceId, eventType }`;
 *   the child's generated run() ends with a durable `notify-parent` step that
 *   sends `{ ok, output | error }` to the parent instance as that event;
 * - the parent waits for it with `step.waitForEvent` in rounds of a day
 *   (events sent before the wait starts are kept by Workflows); after a round
 *   with no event it reads the child's status once in a step, so a lost event
 *   or a child that cannot notify (a workflow of another Worker, polled in
 *   shorter rounds) still ends the wait.
 * Each round costs two durable steps (`<name>:wait#n`, `<name>:check#n`).
 * A failed child fails the parent (a plain Error, thrown outside any step) naming it.
 */

/** Where a child reports its end: the parent's Workflows binding and instance. */
export interface ParentLink {
  readonly binding: string;
  readonly instanceId: string;
  readonly eventType: string;
}

/** What an owning agent passes to every flow instance it starts. */
export interface FlowParams<I> {
  readonly input: I;
  /** The name of the Agent instance that owns the run; children are started under the same name. */
  readonly agentName: string;
  /** Set when another flow called this one with `wait: true`. */
  readonly parent?: ParentLink;
}

/** What the child sends to its parent at its end. */
export type ChildResult = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: string; readonly timedOut?: true };

/** The output of the call's own step: the child instance. */
export interface ChildCall {
  readonly instance_id: string;
}

export interface ChildStartOptions {
  /** The durable name of the call step (per-iteration names included). */
  readonly stepName: string;
  readonly parentId: string;
  /** The parent's own Workflows binding, when it waits for the child. */
  readonly parentBinding?: string;
}

/** The start request for a child; invalid input fails the parent without retry. */
export function childStart(validate: InputValidator, flow: string, input: unknown, options: ChildStartOptions): FlowStart {
  const checked = checkInput(validate, input);
  if (!checked.ok) {
    const fields = checked.fields.map((f) => `${f.field || "input"} ${f.message}`).join("; ");
    throw new NonRetryableError(`call ${options.stepName}: the input for flow ${flow} is not valid: ${fields}`);
  }
  const instanceId = childInstanceId(options.parentId, options.stepName);
  const parent = options.parentBinding ? { binding: options.parentBinding, instanceId: options.parentId, eventType: resultEventType(instanceId) } : undefined;
  return { input: checked.value, instanceId, ...(parent ? { parent } : {}) };
}

/** The call step's output from what the owning agent answered. */
export function startedChild(result: unknown): ChildCall {
  const id = result !== null && typeof result === "object" ? (result as { instance_id?: unknown }).instance_id : undefined;
  if (typeof id !== "string") throw new Error("the child flow's agent did not answer with an instance id");
  return { instance_id: id };
}

/** The event type a child reports with; unique per child instance. */
export function resultEventType(childId: string): string {
  return `flow-result-${shortHash(childId)}`;
}

const FINISHED = new Set(["complete", "errored", "terminated"]);

/**
 * The end of a called child's run: tells a waiting parent how it went, in a
 * durable step so it happens once. A parent that already ended is left alone.
 */
export async function notifyParent(step: WorkflowStep, env: Cloudflare.Env, parent: ParentLink | undefined, result: ChildResult): Promise<void> {
  if (!parent) return;
  await step.do("notify-parent", async () => {
    const workflow = (env as unknown as Record<string, Workflow | undefined>)[parent.binding];
    if (!workflow) throw new NonRetryableError(`Workflow binding ${parent.binding} of the calling flow is missing from this Worker`);
    const instance = await workflow.get(parent.instanceId);
    if (FINISHED.has((await instance.status()).status)) return false;
    await instance.sendEvent({ type: parent.eventType, payload: toJson(result) });
    return true;
  });
}

/** Text of a failure for the parent (never a stack). */
export function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Round lengths in seconds: local children notify, so a day; children in another Worker are polled sooner. */
const EVENT_ROUNDS = [86_400] as const;
const POLL_ROUNDS = [60, 300, 900, 3_600] as const;

export interface WaitOptions {
  readonly flow: string;
  /** The child cannot notify (its workflow lives in another Worker): poll in short rounds. */
  readonly poll?: boolean;
  /** The call's `timeout:`: how long to wait for the child in all, as written and in seconds. */
  readonly timeout?: { readonly text: string; readonly seconds: number };
}

/**
 * Waits for a called child to end; returns its output or throws its failure.
 * With a timeout the rounds add up to it exactly (the last one is cut
 * short), so the deadline needs no clock: a replay sees the same rounds.
 * A child still running at the deadline is terminated in the last status
 * check (nothing waits for it any more) and the call fails saying so.
 */
export async function waitForChild(step: WorkflowStep, name: string, child: ChildCall, workflow: Workflow, options: WaitOptions): Promise<unknown> {
  const rounds = options.poll ? POLL_ROUNDS : EVENT_ROUNDS;
  const type = resultEventType(child.instance_id);
  let waited = 0;
  for (let round = 1; ; round++) {
    const length = rounds[Math.min(round, rounds.length) - 1]!;
    const seconds = options.timeout ? Math.min(length, options.timeout.seconds - waited) : length;
    waited += seconds;
    const last = options.timeout !== undefined && waited >= options.timeout.seconds;
    let result: ChildResult | undefined;
    try {
      const event = await step.waitForEvent(`${name}:wait#${round}`, { type, timeout: `${seconds} seconds` });
      result = asChildResult(event.payload);
    } catch {
      // The round timed out; the status decides below.
    }
    result ??= await step.do(`${name}:check#${round}`, async () => {
      const instance = await workflow.get(child.instance_id);
      const status = await instance.status();
      if (status.status === "complete") return toJson({ ok: true, output: status.output ?? null });
      if (status.status === "errored" || status.status === "terminated") {
        return toJson({ ok: false, error: status.error?.message ?? status.status });
      }
      if (!last) return null;
      await instance.terminate().catch(() => undefined);
      return toJson({ ok: false, error: `did not end within ${options.timeout?.text}, so it was terminated`, timedOut: true });
    }).then(asChildResult);
    if (!result) continue;
    if (result.ok) return result.output;
    // Thrown outside any step: the run fails at once, and a plain Error keeps its message in every engine.
    if (result.timedOut) throw new Error(`call ${name}: flow ${options.flow} (instance ${child.instance_id}) ${result.error}`);
    throw new Error(`call ${name}: flow ${options.flow} (instance ${child.instance_id}) failed: ${result.error}`);
  }
}


function asChildResult(value: unknown): ChildResult | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as { ok?: unknown; output?: unknown; error?: unknown; timedOut?: unknown };
  if (record.ok === true) return { ok: true, output: record.output ?? null };
  if (record.ok === false) return { ok: false, error: typeof record.error === "string" ? record.error : "unknown error", ...(record.timedOut === true ? { timedOut: true } : {}) };
  return undefined;
}
