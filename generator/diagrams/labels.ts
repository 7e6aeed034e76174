import type { AgentAction, Auth, PollSchedule, Step, Trigger } from "../model/types.ts";
import { cronInWords } from "./cron-text.ts";
import { clip, keysOf, urlShort, valueShort } from "./value-text.ts";

/**
 * The words on the pictures: one short sentence per step, trigger and poll
 * action, written for someone who reads the flow rather than the YAML.
 * Shared by the diagrams and the flow book so both say the same thing.
 */

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What a step does, without its id: `HTTP GET …/flights/{flight}`. */
export function stepAction(step: Step): string {
  switch (step.kind) {
    case "http":
      return `HTTP ${step.request.method} ${urlShort(step.request.url)}`;
    case "sleep":
      return `sleep ${step.duration.text}`;
    case "sleep_until":
      return `sleep until ${valueShort(step.until)}`;
    case "wait_for_event":
      return `wait for event '${step.eventType}'${step.timeout ? ` (up to ${step.timeout.text})` : ""}`;
    case "set":
      return `set ${clip(step.values.map((e) => e.key).join(", "))}`;
    case "fail":
      return `fail: ${valueShort(step.message)}`;
    case "if":
      return `if ${valueShort(step.condition)}?`;
    case "switch":
      return `switch on ${valueShort(step.on)}`;
    case "for_each":
      return `for each item of ${valueShort(step.items)}`;
    case "parallel":
      return `run ${plural(step.branches.length, "branch", "branches")} in parallel`;
    case "repeat":
      return `repeat every ${step.every.text}, at most ${plural(step.max, "time")}`;
    case "call":
      return step.wait ? `call flow ${step.flow} and wait for it` : `start flow ${step.flow} (no wait)`;
    case "email":
      return `email to ${valueShort(step.email.to, 32)}: “${valueShort(step.email.subject, 40)}”`;
    case "report":
      return `report progress ${keysOf(step.progress)}`;
    case "run":
      return `run action ${step.action}`;
  }
}

/** The label of a step's node: `lookup — HTTP GET …/flights/{flight}`. */
export function stepLabel(step: Step): string {
  return `${step.id} — ${stepAction(step)}`;
}

export function authText(auth: Auth): string {
  switch (auth.kind) {
    case "none":
      return "none";
    case "bearer":
      return "bearer token";
    case "hmac":
      return `HMAC-${auth.algorithm.toUpperCase()} signature`;
  }
}

/** What fires the trigger: `HTTP POST /flights`, `cron 0 3 * * *`, `WebSocket message place-order`. */
export function triggerSource(t: Trigger): string {
  switch (t.kind) {
    case "http":
      return `HTTP ${t.method} ${t.path}`;
    case "cron":
      return `cron ${t.cron}`;
    case "websocket":
      return `WebSocket message '${t.messageType}'`;
  }
}

/** What the trigger does: start now, later, or signal a waiting instance. */
export function triggerEffect(t: Trigger): string {
  if (t.kind === "http" && t.sendEvent) return `sends event '${t.sendEvent.type}' to a running instance`;
  if (t.delay) return `starts after ${t.delay.text}`;
  if (t.at) return `starts at ${valueShort(t.at)}`;
  return "starts now";
}

/** The wait before a delayed start, as a node of its own (undefined when it starts at once). */
export function startWait(t: Trigger): string | undefined {
  if (t.kind === "http" && t.sendEvent) return undefined;
  if (t.delay) return `wait ${t.delay.text}`;
  if (t.at) return `wait until ${valueShort(t.at)}`;
  return undefined;
}

/** How often the owning agent checks an instance: `every 30 seconds`, or a cron in words with the cron itself. */
export function pollEvery(every: PollSchedule): string {
  if (every.kind === "interval") return `every ${every.duration.text}`;
  const words = cronInWords(every.cron);
  return words ? `${words} (cron ${every.cron})` : `on cron ${every.cron} (UTC)`;
}

export function actionLabel(action: AgentAction): string {
  switch (action.kind) {
    case "set_state":
      return `set agent state: ${keysOf(action.value)}`;
    case "broadcast": {
      const type = action.value.kind === "object" ? action.value.entries.find((e) => e.key === "type") : undefined;
      return type ? `broadcast '${valueShort(type.value, 40)}'` : `broadcast ${keysOf(action.value)}`;
    }
    case "http":
      return `HTTP ${action.request.method} ${urlShort(action.request.url)}`;
    case "start":
      return `start flow ${action.flow}`;
  }
}
