import type { DiagnosticBag } from "../diagnostics.ts";
import type { Flow, Step } from "../model/types.ts";
import { type FlowFile, flowIdSpan, spanAt } from "./flow-file.ts";

/**
 * How many durable steps one instance of a flow may run at most, against
 * `workflow.limits.steps` (dsl.md §1). Each simple step is one durable call;
 * the emitter adds a few of its own, counted here as it emits them: a
 * `call` that waits is two (start, then wait for the child) and every round
 * of a `repeat` one sleep. A branch costs its largest arm, parallel
 * branches add up. A `for_each` over an expression has no bound known when
 * generating: its rounds are not counted here and the limit is enforced at
 * run time.
 */
export interface StepCount {
  /** The worst case over the bounded part of the flow (main steps, then on_error). */
  readonly steps: number;
  /** False when a for_each over a computed list makes the real count unknowable now. */
  readonly bounded: boolean;
}

export function worstCaseSteps(flow: Flow): StepCount {
  const main = listCost(flow.steps);
  const onError = listCost(flow.onError);
  return { steps: main.steps + onError.steps, bounded: main.bounded && onError.bounded };
}

/** The worst case of one step list, run in order. */
export function listCost(steps: readonly Step[]): StepCount {
  let total = 0;
  let bounded = true;
  for (const step of steps) {
    const cost = stepCost(step);
    total += cost.steps;
    bounded &&= cost.bounded;
  }
  return { steps: total, bounded };
}

export function stepCost(step: Step): StepCount {
  switch (step.kind) {
    case "http":
    case "sleep":
    case "sleep_until":
    case "wait_for_event":
    case "set":
    case "fail":
    case "email":
    case "report":
    case "run":
      return { steps: 1, bounded: true };
    case "call":
      return { steps: step.wait ? 2 : 1, bounded: true };
    case "if":
      return largest([step.then, step.else]);
    case "switch":
      return largest([...step.cases.map((c) => c.steps), step.default]);
    case "parallel":
      return listCost(step.branches.flat());
    case "repeat": {
      const round = listCost(step.steps);
      return { steps: step.max * (round.steps + 1), bounded: round.bounded };
    }
    case "for_each": {
      const round = listCost(step.steps);
      // A list written out in the YAML has a known length; a computed one does not.
      if (step.items.kind === "array") return { steps: step.items.items.length * round.steps, bounded: round.bounded };
      return { steps: 0, bounded: false };
    }
  }
}

function largest(lists: readonly (readonly Step[])[]): StepCount {
  const costs = lists.map(listCost);
  return { steps: Math.max(0, ...costs.map((c) => c.steps)), bounded: costs.every((c) => c.bounded) };
}

/** Share of the limit from which a warning is given: close enough that one more round could break it. */
const WARN_SHARE = 0.8;

export function checkStepBudget(file: FlowFile, bag: DiagnosticBag): void {
  const { flow } = file;
  if (flow.workflow.script !== undefined) return;
  const { steps } = worstCaseSteps(flow);
  const limit = flow.workflow.stepLimit;
  if (steps < limit * WARN_SHARE) return;
  const custom = file.src.doc.hasIn(["workflow", "limits", "steps"]);
  const where = custom ? spanAt(file, "/workflow/limits/steps") : flowIdSpan(file);
  const biggest = [...flow.steps, ...flow.onError].reduce<Step | undefined>((a, s) => (!a || stepCost(s).steps > stepCost(a).steps ? s : a), undefined);
  const share = biggest ? `step '${biggest.id}' alone may run ${stepCost(biggest).steps}; ` : "";
  const hint = `${share}lower a repeat's max or raise workflow.limits.steps`;
  if (steps > limit) {
    bag.error(where, `flow '${flow.id}' may run up to ${steps} durable steps, more than its limit of ${limit}`, hint);
  } else {
    bag.warning(where, `flow '${flow.id}' may run up to ${steps} durable steps, close to its limit of ${limit}`, hint);
  }
}
