import type { Step } from "../model/types.ts";
import { isVolatile } from "../expressions/walk.ts";

/**
 * How many durable calls (step.do, sleep, sleepUntil, waitForEvent) one run
 * of a step list makes, as the for_each step budget counts them: a branch
 * block counts its larger branch, a parallel block all branches, an inner
 * loop its minimum (a repeat one attempt, a for_each no items, since their
 * own budget check covers the rest).
 */
export function durableSteps(steps: readonly Step[]): number {
  return steps.reduce((sum, step) => sum + one(step), 0);
}

function one(step: Step): number {
  const guard = step.if && step.kind !== "if" && isVolatile(step.if) ? 1 : 0;
  return guard + own(step);
}

function own(step: Step): number {
  switch (step.kind) {
    case "http":
    case "set":
    case "fail":
    case "email":
    case "report":
    case "run":
    case "sleep":
    case "wait_for_event":
      return 1;
    case "sleep_until":
      return 1 + volatile(step.until);
    case "call":
      // The start, and for `wait: true` the first wait round.
      return step.wait ? 2 : 1;
    case "if":
      return volatile(step.condition) + Math.max(durableSteps(step.then), durableSteps(step.else));
    case "switch":
      return volatile(step.on) + Math.max(durableSteps(step.default), ...step.cases.map((c) => durableSteps(c.steps)));
    case "for_each":
      return volatile(step.items);
    case "parallel":
      return step.branches.reduce((sum, branch) => sum + durableSteps(branch), 0);
    case "repeat":
      return durableSteps(step.steps) + volatile(step.until);
  }
}

function volatile(value: Parameters<typeof isVolatile>[0]): number {
  return isVolatile(value) ? 1 : 0;
}
