import type { AgentAction, HttpRequestSpec, Step, Trigger, Value } from "../model/types.ts";

/** The values (with their expressions) each kind of node evaluates, for the checks that walk them. */

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
export function stepValues(step: Step): Value[] {
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
