import type { DiagnosticBag } from "../diagnostics.ts";
import { checkValue } from "../expressions/check.ts";
import { forEachExpr, walkExpr } from "../expressions/walk.ts";
import { type ContextRoot, createScope, type ExprScope, type InputFieldScope } from "../expressions/scope.ts";
import type { AgentAction, Flow, HttpRequestSpec, Step, Trigger, Value } from "../model/types.ts";
import { allSteps } from "./flow-file.ts";

/**
 * Every expression of a flow, checked against what it may read at its place.
 * `flow`, `instance` and `env` are visible everywhere. Beyond that:
 *
 * - Triggers compute the input, so they do not see `input` (nor `steps`);
 *   they see their own data: `request` (http, with its path params),
 *   `schedule` (cron) or `message` (websocket). `instance.id` there is the
 *   id of the instance started or signalled (so `instance_id:` cannot use it).
 * - A step sees `input` and the outputs of the steps that have run before
 *   it. Inside an if-block's branch: the steps before the block plus the
 *   earlier steps of that branch. After the block, its inner steps (of both
 *   branches) count as run: one branch's outputs will be null, which the
 *   author handles with `??` — refusing them would make the branch outputs
 *   unreachable.
 * - `output:` sees every step of the main list (nested ones included).
 * - `on_error` steps run after a failure at any point, so they see every main
 *   step (outputs may be null) plus the on_error steps before them.
 * - Poll actions run in the Agent after the instance ended: they see `event`
 *   (status, output, error) and `input` (the agent keeps the input it started
 *   the instance with), but not `steps`.
 */
export function checkFlowScopes(flow: Flow, envVars: readonly string[], bag: DiagnosticBag): void {
  const inputFields = new Map<string, InputFieldScope>(flow.input.map((f) => [f.name, { required: f.required, schema: f.schema }]));
  const main = allSteps(flow.steps);
  const everyStep = new Set([...main, ...allSteps(flow.onError)].map((s) => s.id));
  const base = { allSteps: everyStep, envVars };

  for (const trigger of flow.triggers) {
    const scope = createScope({ ...base, roots: new Set([TRIGGER_ROOTS[trigger.kind]]), ...requestParams(trigger) });
    for (const value of triggerValues(trigger)) checkValue(value, scope, bag);
    const ids = present(trigger.instanceId, trigger.kind === "http" ? trigger.sendEvent?.instanceId : undefined);
    for (const id of ids) forbidInstance(id, bag);
  }

  const ran = new Set<string>();
  checkSteps(flow.steps, ran, { ...base, inputFields, roots: new Set() }, bag);
  const mainIds = new Set(main.map((s) => s.id));
  if (flow.output) checkValue(flow.output, createScope({ ...base, inputFields, stepsRun: mainIds }), bag);
  checkSteps(flow.onError, new Set(mainIds), { ...base, inputFields, roots: new Set() }, bag);

  if (flow.poll) {
    const scope = createScope({ ...base, inputFields, roots: new Set<ContextRoot>(["event"]) });
    for (const action of [...flow.poll.onComplete, ...flow.poll.onError]) {
      for (const value of actionValues(action)) checkValue(value, scope, bag);
    }
  }
}

/**
 * In a trigger, `instance.id` is the id of the instance it starts or
 * signals, so the expression that defines that id cannot read it.
 */
function forbidInstance(value: Value, bag: DiagnosticBag): void {
  forEachExpr(value, (root) =>
    walkExpr(root, (node) => {
      if (node.kind === "name" && node.name === "instance") {
        bag.error(node.span, "instance_id cannot read `instance.id`: it defines it", "build the id from the trigger's own data, e.g. request.body.id");
      }
    }),
  );
}

const TRIGGER_ROOTS: Readonly<Record<Trigger["kind"], ContextRoot>> = { http: "request", cron: "schedule", websocket: "message" };

const requestParams = (t: Trigger): Partial<ExprScope> => (t.kind === "http" ? { requestParams: t.params } : {});

function present(...values: (Value | undefined)[]): Value[] {
  return values.filter((v): v is Value => v !== undefined);
}

function triggerValues(t: Trigger): Value[] {
  const event = t.kind === "http" && t.sendEvent ? [t.sendEvent.instanceId, t.sendEvent.payload] : [];
  return present(t.input, t.at, t.instanceId, t.agentName, ...event);
}

function requestValues(r: HttpRequestSpec): Value[] {
  return present(r.url, ...r.headers.map((h) => h.value), r.body);
}

function actionValues(action: AgentAction): Value[] {
  switch (action.kind) {
    case "set_state":
    case "broadcast":
      return [action.value];
    case "http":
      return requestValues(action.request);
    case "start":
      return present(action.input);
  }
}

/** Values a step evaluates (its guard excluded; an if-block's condition included). */
function stepValues(step: Step): Value[] {
  switch (step.kind) {
    case "http":
      return requestValues(step.request);
    case "sleep_until":
      return [step.until];
    case "set":
      return step.values.map((e) => e.value);
    case "fail":
      return [step.message];
    case "if":
      return [step.condition];
    case "sleep":
    case "wait_for_event":
      return [];
  }
}

/** Walks a step list in order; `ran` grows as steps complete (shared with the caller). */
function checkSteps(steps: readonly Step[], ran: Set<string>, scope: Omit<ExprScope, "stepsRun">, bag: DiagnosticBag): void {
  for (const step of steps) {
    const here = createScope({ ...scope, stepsRun: new Set(ran) });
    if (step.if) checkValue(step.if, here, bag);
    for (const value of stepValues(step)) checkValue(value, here, bag);
    if (step.kind === "if") {
      checkSteps(step.then, new Set(ran), scope, bag);
      checkSteps(step.else, new Set(ran), scope, bag);
      for (const inner of allSteps([...step.then, ...step.else])) ran.add(inner.id);
    }
    ran.add(step.id);
  }
}
