/**
 * The kinds of the language's three tagged unions (steps, triggers, agent
 * actions). A node's kind is the one kind key it carries; the validator picks
 * the schema definition `<prefix><key>` from it instead of letting ajv try
 * every branch of a `oneOf` (whose errors are unreadable).
 *
 * To support a new step kind: add its definition `step_<kind>` to
 * flow.schema.json (and to the `step` oneOf), add its key here, and teach
 * model/build-steps.ts to build it; a block kind also lists its nested step
 * lists in validate/discriminate.ts and check/flow-file.ts (`childLists`).
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
  switch: "switch",
  for_each: "for_each",
  parallel: "parallel",
  repeat: "repeat",
  call: "call",
  email: "email",
  report: "report",
  run: "run",
};

/**
 * Keys that belong to one kind but do not name it; a step that has one
 * without its kind key gets "needs X" instead of "has no kind".
 */
export const STEP_COMPANION_KEYS: Readonly<Record<string, { readonly needs: string; readonly hint: string }>> = {
  else: { needs: "'then'", hint: "an if-block is if + then (+ else)" },
  cases: { needs: "'switch'", hint: "a switch block is switch + cases (+ default)" },
  default: { needs: "'switch'", hint: "a switch block is switch + cases (+ default)" },
  steps: { needs: "'for_each' or 'repeat'", hint: "a loop is for_each + steps, or repeat + steps" },
  with: { needs: "'run'", hint: "write run: <function name> next to with:" },
};

export const TRIGGER_KINDS: readonly string[] = ["http", "cron", "websocket"];

export const ACTION_KINDS: readonly string[] = ["set_state", "broadcast", "http", "start"];

/** Schema definition names per union, e.g. `step_http`, `trigger_cron`, `action_start`. */
export const stepDefinition = (key: string): string => `step_${STEP_KINDS[key] ?? key}`;
export const triggerDefinition = (key: string): string => `trigger_${key}`;
export const actionDefinition = (key: string): string => `action_${key}`;
