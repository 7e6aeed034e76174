import type { AgentAction, Flow, HttpRequestSpec, Step } from "../model/types.ts";

/** Every secret the flows name (auth, secret_headers): wrangler.jsonc's `secrets.required`. */
export function secretNames(flows: readonly Flow[]): string[] {
  const names = new Set<string>();
  const request = (spec: HttpRequestSpec) => spec.secretHeaders.forEach((h) => names.add(h.secret));
  const steps = (list: readonly Step[]): void => {
    for (const step of list) {
      if (step.kind === "http") request(step.request);
      if (step.kind === "if") {
        steps(step.then);
        steps(step.else);
      }
    }
  };
  const actions = (list: readonly AgentAction[]) => list.forEach((a) => a.kind === "http" && request(a.request));
  for (const flow of flows) {
    for (const t of flow.triggers) if (t.kind === "http" && t.auth.kind !== "none") names.add(t.auth.secret);
    steps(flow.steps);
    steps(flow.onError);
    if (flow.poll) {
      actions(flow.poll.onComplete);
      actions(flow.poll.onError);
    }
  }
  return [...names].sort();
}
