
/**
 * Workflows stops an instance that runs more steps than its limit
 * (`workflow.limits.steps`), wherever it happens to be. A `for_each` over a
 * long list is the usual cause, so before its first iteration the loop
 * checks that the steps it needs fit in what is left, and fails cleanly
 * (no retry, nothing half done) when they do not.
 *
 * The count is approximate: it counts the durable calls this run has made so
 * far (step.do, sleep, sleepUntil, waitForEvent; replays count the same
 * calls again, so the count is deterministic) and the loop body's calls per
 * iteration as the generator counted them (the larger branch of an if, inner
 * loops at their minimum).
 */

const used = new WeakMap<object, { count: number }>();
const COUNTED = new Set(["do", "sleep", "sleepUntil", "waitForEvent"]);

/** Wraps a workflow's `step` so that its durable calls are counted; see stepsUsed. */
export function countSteps<T extends object>(step: T): T {
  const counter = { count: 0 };
  const counted = new Proxy(step, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !COUNTED.has(key) || typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        counter.count++;
        return Reflect.apply(value, target, args);
      };
    },
  });
  used.set(counted, counter);
  return counted;
}

/** Durable calls made so far through a step from countSteps (0 for any other). */
export function stepsUsed(step: object): number {
  return used.get(step)?.count ?? 0;
}

/** Fails the instance when `items` iterations of `perItem` steps would pass `limit`. */
export function checkStepBudget(stepId: string, step: object, items: number, perItem: number, limit: number): void {
  const already = stepsUsed(step);
  const needed = items * perItem;
  if (already + needed <= limit) return;
  // Called outside any step: a plain Error fails the run at once and keeps its message in every engine.
  throw new Error(
    `for_each ${stepId}: ${items} items × ${perItem} steps each need about ${needed} steps, ` +
      `but this instance has already used ${already} of its limit of ${limit} (workflow.limits.steps); nothing was run for the list`,
  );
}
