import { typeName } from "./expr-values.ts";

/**
 * Step outputs as compiled expressions read them: `steps["id"]`. Blocks that
 * run their steps more than once or side by side (for_each, repeat,
 * parallel) give each iteration or branch its own scope object whose
 * prototype is the enclosing scope, so `steps.x.output` inside reads this
 * iteration's `x` while outer steps stay visible. When the iteration ends its
 * outputs are copied out, so after the block a step's output is the last
 * iteration's (dsl.md §5).
 */
export type Steps = Record<string, unknown>;

export function childScope(parent: Steps): Steps {
  return Object.create(parent) as Steps;
}

/** Copies the own outputs of iterations or branches into the enclosing scope, in order. */
export function mergeScope(into: Steps, ...from: Steps[]): void {
  Object.assign(into, ...from);
}

/**
 * Sets the outputs of the steps inside a block to null before it runs: a
 * branch not taken, or a loop over no items, leaves its steps with output
 * null rather than missing.
 */
export function clearSteps(steps: Steps, ...ids: string[]): void {
  for (const id of ids) steps[id] = null;
}

/** The list of a `for_each`; anything else fails the instance (retrying would compute the same value). */
export function forEachItems(stepId: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // Called outside any step: a plain Error fails the run at once and keeps its message in every engine.
  throw new Error(`for_each ${stepId}: the list to iterate over is ${value === undefined ? "missing" : `a ${typeName(value)}`}, not an array`);
}
