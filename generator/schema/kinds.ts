/**
 * The kinds of the language's three tagged unions (steps, triggers, agent
 * actions). A node's kind is the one kind key it carries; the validator picks
 * the schema definition `<prefix><key>` from it instead of letting ajv try
 * every branch of a `oneOf` (whose errors are unreadable).
 *
 * To support a new step kind: add its definition `step_<key>` to
 * flow.schema.json (and to the `step` oneOf), move its key from
 * PLANNED_STEP_KEYS to STEP_KINDS, and teach model/build-steps.ts to build it.
 */

/** Step kind key → model kind. An if-block is recognised by its `then:`. */
export const STEP_KINDS: Readonly<Record<string, string>> = {
  http: "http",
  sleep: "sleep",
  sleep_until: "sleep_until",
  wait_for_event: "wait_for_event",
  set: "set",
  fail: "fail",
  then: "if",
};

/** Kinds of dsl.md §5 that are recognised but not built yet. */
export const PLANNED_STEP_KEYS: readonly string[] = [
  "switch",
  "for_each",
  "parallel",
  "repeat",
  "call",
  "email",
  "report",
  "run",
];

export const TRIGGER_KINDS: readonly string[] = ["http", "cron", "websocket"];

export const ACTION_KINDS: readonly string[] = ["set_state", "broadcast", "http", "start"];

/** Schema definition names per union, e.g. `step_http`, `trigger_cron`, `action_start`. */
export const stepDefinition = (key: string): string => `step_${STEP_KINDS[key] ?? key}`;
export const triggerDefinition = (key: string): string => `trigger_${key}`;
export const actionDefinition = (key: string): string => `action_${key}`;
