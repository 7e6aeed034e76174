import type { FlowStart } from "./flow-agent.ts";
import { checkInput, type InputValidator, type FieldError } from "./input-validation.ts";

/**
 * Turns what a trigger computed (agent name, input, instance id, delay) into a
 * checked start request, or into the 400 that explains why nothing started.
 * Runs in the Worker, before any Agent or Workflow is touched.
 */

export interface TriggerValues {
  readonly agentName?: unknown;
  readonly input: unknown;
  readonly instanceId?: unknown;
  readonly delaySeconds?: number;
  readonly at?: unknown;
}

export interface Rejection {
  readonly status: 400 | 404 | 409;
  readonly body: { readonly error: string; readonly reason: string; readonly fields?: readonly FieldError[] };
}

export type Prepared =
  | { readonly ok: true; readonly agentName: string; readonly start: FlowStart }
  | { readonly ok: false; readonly rejection: Rejection };

// Cloudflare Workflows' own rule for instance ids.
const INSTANCE_ID = /^[a-zA-Z0-9_][a-zA-Z0-9-_]*$/;
const MAX_INSTANCE_ID = 100;
const MAX_AGENT_NAME = 256;

export function prepareStart(validate: InputValidator, values: TriggerValues, now = Date.now()): Prepared {
  const agentName = values.agentName === undefined ? "default" : values.agentName;
  if (typeof agentName !== "string" && typeof agentName !== "number") {
    return reject("invalid_agent_name", "agent_name must be a non-empty string; the value it was computed from is missing");
  }
  const name = String(agentName);
  if (name.length === 0 || name.length > MAX_AGENT_NAME) {
    return reject("invalid_agent_name", `agent_name must be 1 to ${MAX_AGENT_NAME} characters`);
  }
  const instanceId = values.instanceId === undefined ? crypto.randomUUID() : instanceIdProblem(values.instanceId);
  if (typeof instanceId !== "string") return { ok: false, rejection: instanceId };
  const checked = checkInput(validate, values.input);
  if (!checked.ok) {
    return { ok: false, rejection: { status: 400, body: { error: "invalid_input", reason: "the flow input is not valid", fields: checked.fields } } };
  }
  const startAt = startTime(values, now);
  if (startAt === null) return reject("invalid_start_time", "`at` must be an ISO timestamp");
  return { ok: true, agentName: name, start: { input: checked.value, instanceId, ...(startAt ? { startAt } : {}) } };
}

/** Validates an instance id given by a trigger or a request; returns it, or the rejection. */
export function instanceIdProblem(value: unknown): string | Rejection {
  const id = typeof value === "number" ? String(value) : value;
  if (typeof id !== "string" || id.length === 0) {
    return rejection("invalid_instance_id", "instance_id must be a non-empty string");
  }
  if (id.length > MAX_INSTANCE_ID || !INSTANCE_ID.test(id)) {
    return rejection(
      "invalid_instance_id",
      `instance_id must be at most ${MAX_INSTANCE_ID} letters, digits, '-' or '_', not starting with '-'`,
    );
  }
  return id;
}

function startTime(values: TriggerValues, now: number): string | undefined | null {
  if (values.delaySeconds !== undefined) return new Date(now + values.delaySeconds * 1000).toISOString();
  if (values.at === undefined) return undefined;
  const ms = typeof values.at === "string" || typeof values.at === "number" ? Date.parse(String(values.at)) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function rejection(error: string, reason: string): Rejection {
  return { status: 400, body: { error, reason } };
}

function reject(error: string, reason: string): Prepared {
  return { ok: false, rejection: rejection(error, reason) };
}

/** For agent-side starts (a poll's `start` action): a rejection is an error, there is no one to answer. */
export function prepareOrThrow(validate: InputValidator, values: TriggerValues): { agentName: string; start: FlowStart } {
  const prepared = prepareStart(validate, values);
  if (!prepared.ok) throw rejectionError(prepared.rejection);
  return { agentName: prepared.agentName, start: prepared.start };
}

/** A cron trigger has no caller to answer: its rejection becomes an error in the Worker's log. */
export function rejectionError(rejection: Rejection): Error {
  const fields = (rejection.body.fields ?? []).map((f) => `${f.field} ${f.message}`).join("; ");
  return new Error(`nothing started: ${rejection.body.reason}${fields ? ` (${fields})` : ""}`);
}

/**
 * `instance` in a trigger's expressions: the id the start will use, the
 * trigger's computed `instance_id` (as prepareStart reads it) or a fresh one.
 * An id prepareStart will refuse reads as "" here; the start is refused anyway.
 */
export function triggerInstance(instanceId?: unknown): { readonly id: string } {
  if (instanceId === undefined) return { id: crypto.randomUUID() };
  return { id: typeof instanceId === "string" || typeof instanceId === "number" ? String(instanceId) : "" };
}
