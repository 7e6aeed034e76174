import type { Flow, Step, Value } from "../model/types.ts";

/** Walks over the steps of a flow, blocks included, for the emitters. */

/** The step lists directly inside a block step, in source order; none for a simple step. */
export function innerLists(step: Step): (readonly Step[])[] {
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
  return steps.flatMap((step) => [step, ...innerLists(step).flatMap(allSteps)]);
}

/** The ids of the steps nested inside a block (not the block's own). */
export function nestedIds(step: Step): string[] {
  return innerLists(step).flatMap(allSteps).map((s) => s.id);
}

/** Every step of the flow's workflow side: steps and on_error, at any depth. */
export function flowSteps(flow: Flow): Step[] {
  return [...allSteps(flow.steps), ...allSteps(flow.onError)];
}

/** True when any step of the flow (at any depth, on_error included) matches. */
export function someStep(flow: Flow, test: (step: Step) => boolean): boolean {
  return flowSteps(flow).some(test);
}

/** The values a step itself evaluates (its guard included, not its inner steps'). */
export function stepValues(step: Step): (Value | undefined)[] {
  const own: (Value | undefined)[] = [step.if];
  switch (step.kind) {
    case "http":
      return [...own, step.request.url, step.request.body, ...step.request.headers.map((h) => h.value)];
    case "sleep_until":
      return [...own, step.until];
    case "set":
      return [...own, ...step.values.map((e) => e.value)];
    case "fail":
      return [...own, step.message];
    case "if":
      return [...own, step.condition];
    case "switch":
      return [...own, step.on];
    case "for_each":
      return [...own, step.items];
    case "repeat":
      return [...own, step.until];
    case "call":
      return [...own, step.input];
    case "email": {
      const e = step.email;
      return [...own, e.to, e.from, e.subject, e.text, e.html, e.cc, e.bcc, e.replyTo];
    }
    case "report":
      return [...own, step.progress];
    case "run":
      return [...own, step.with];
    case "sleep":
    case "wait_for_event":
    case "parallel":
      return own;
  }
}

/** Calls `visit` on every Value of the flow's workflow side (steps, on_error, output). */
export function forEachValue(flow: Flow, visit: (value: Value | undefined) => void): void {
  for (const step of flowSteps(flow)) stepValues(step).forEach(visit);
  visit(flow.output);
}
