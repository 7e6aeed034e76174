import type { AgentAction, Flow, HttpRequestSpec } from "../model/types.ts";
import { flowSteps } from "../model/walk.ts";

/** Every secret the flows name (auth of triggers and watch, secret_headers): wrangler.jsonc's `secrets.required`. */
export function secretNames(flows: readonly Flow[]): string[] {
  const names = new Set<string>();
  const request = (spec: HttpRequestSpec) => spec.secretHeaders.forEach((h) => names.add(h.secret));
  const actions = (list: readonly AgentAction[]) => list.forEach((a) => a.kind === "http" && request(a.request));
  for (const flow of flows) {
    for (const t of flow.triggers) if ((t.kind === "http" || t.kind === "websocket") && t.auth.kind !== "none") names.add(t.auth.secret);
    if (flow.watch?.auth.kind === "bearer") names.add(flow.watch.auth.secret);
    for (const step of flowSteps(flow)) if (step.kind === "http") request(step.request);
    if (flow.poll) {
      actions(flow.poll.onComplete);
      actions(flow.poll.onError);
    }
  }
  return [...names].sort();
}
