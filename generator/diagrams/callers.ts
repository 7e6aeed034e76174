import type { Flow } from "../model/types.ts";
import { flowSteps } from "../model/walk.ts";

/**
 * Which flows start which: a `call` step or a poll's `start` action. A flow
 * with no trigger of its own is only reachable this way, and its picture
 * should say so rather than look like it never runs.
 */
export function startersByFlow(flows: readonly Flow[]): Map<string, string[]> {
  const starters = new Map<string, Set<string>>();
  const add = (child: string, parent: string): void => {
    starters.set(child, (starters.get(child) ?? new Set()).add(parent));
  };
  for (const flow of flows) {
    for (const step of flowSteps(flow)) if (step.kind === "call") add(step.flow, flow.id);
    for (const action of [...(flow.poll?.onComplete ?? []), ...(flow.poll?.onError ?? [])]) {
      if (action.kind === "start") add(action.flow, flow.id);
    }
  }
  return new Map([...starters].map(([child, parents]) => [child, [...parents].sort()]));
}
