import type { AgentAction, Flow, HttpRequestSpec, Step, Trigger, Value } from "./types.ts";

/**
 * Walks over the model: the step lists inside blocks, and the values each
 * node evaluates. Shared by the checks (scopes, calls, actions) and the
 * emitters (imports, secrets, volatile values), so both see the same tree.
 */

/** The step lists directly inside a block step, in source order; none for a simple step. */
export function childLists(step: Step): (readonly Step[])[] {
  switch (step.kind) {
    case "if":
      return [step.then, step.else];
    case "switch":
      return [...step.cases.map((c) => c.steps), step.default];
    case "for_each":
    case "repeat":
      return [step.steps];
    case "parallel":
      return [...step.branches];
    default:
      return [];
  }
}

/** Every step of the lists, nested ones included, parents first. */
export function allSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((step) => [step, ...childLists(step).flatMap(allSteps)]);
}

/** The ids of the steps nested inside a block (not the block's own). */
export function nestedIds(step: Step): string[] {
  return childLists(step).flatMap(allSteps).map((s) => s.id);
}

/** flowSteps' lists: a Flow never changes once built, and several stages walk every flow's steps (watch mode: every run). */
const stepsOf = new WeakMap<Flow, readonly Step[]>();

/** Every step of the flow's workflow side: steps and on_error, at any depth. */
export function flowSteps(flow: Flow): readonly Step[] {
  let steps = stepsOf.get(flow);
  if (!steps) stepsOf.set(flow, (steps = [...allSteps(flow.steps), ...allSteps(flow.onError)]));
  return steps;
}

/** True when any step of the flow (at any depth, on_error included) matches. */
export function someStep(flow: Flow, test: (step: Step) => boolean): boolean {
  return flowSteps(flow).some(test);
}

export function present(...values: (Value | undefined)[]): Value[] {
  return values.filter((v): v is Value => v !== undefined);
}

export function triggerValues(t: Trigger): Value[] {
  const event = t.kind === "http" && t.sendEvent ? [t.sendEvent.instanceId, t.sendEvent.payload] : [];
  return present(t.input, t.at, t.instanceId, t.agentName, ...event);
}

export function requestValues(r: HttpRequestSpec): Value[] {
  return present(r.url, ...r.headers.map((h) => h.value), r.body);
}

export function actionValues(action: AgentAction): Value[] {
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

/**
 * Values a step evaluates before anything inside it runs: its guard is
 * excluded, a block's own head (if condition, switch value, for_each list)
 * included. A repeat's `until` is not here: it is evaluated after each
 * round, inside the block's scope.
 */
export function headValues(step: Step): Value[] {
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
    case "switch":
      return [step.on];
    case "for_each":
      return [step.items];
    case "call":
      return present(step.input);
    case "email": {
      const e = step.email;
      return present(e.to, e.from, e.subject, e.text, e.html, e.cc, e.bcc, e.replyTo);
    }
    case "report":
      return [step.progress];
    case "run":
      return present(step.with);
    case "sleep":
    case "wait_for_event":
    case "parallel":
    case "repeat":
      return [];
  }
}

/** Every value a step itself evaluates: its guard, its head, a repeat's `until` (not its inner steps'). */
export function stepValues(step: Step): Value[] {
  return present(step.if, ...headValues(step), step.kind === "repeat" ? step.until : undefined);
}

/** Calls `visit` on every Value of the flow's workflow side (steps, on_error, output). */
export function forEachValue(flow: Flow, visit: (value: Value) => void): void {
  for (const step of flowSteps(flow)) stepValues(step).forEach(visit);
  if (flow.output) visit(flow.output);
}
