import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { checkValue } from "../../generator/expressions/check.ts";
import { parseTemplate } from "../../generator/expressions/parse.ts";
import { createScope, type ExprScope } from "../../generator/expressions/scope.ts";
import { didYouMean, editDistance, suggest } from "../../generator/expressions/suggest.ts";

const FILE = "definitions/t.yaml";
// The value under test starts at line 3, column 8.
const PREFIX = "flow: t\nsteps:\n  - v: ";

function check(text: string, scope: ExprScope): string[] {
  const bag = new DiagnosticBag();
  bag.addFile(FILE, `${PREFIX}${text}\n`);
  const value = parseTemplate(text, FILE, PREFIX.length, bag);
  expect(bag.items).toEqual([]);
  checkValue(value, scope, bag);
  return bag.sorted().map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ""}`);
}

const field = { required: true, schema: { type: "string" } };
const WORKFLOW = createScope({
  inputFields: new Map([
    ["flight", field],
    ["date", field],
    ["user-id", field],
  ]),
  stepsRun: new Set(["lookup", "facts"]),
  allSteps: new Set(["lookup", "facts", "notify", "each_leg"]),
  envVars: ["API_URL", "MODE"],
});
const FOR_EACH = { ...WORKFLOW, roots: new Set(["item", "index"] as const) };
const HTTP_TRIGGER = createScope({
  allSteps: WORKFLOW.allSteps,
  envVars: WORKFLOW.envVars,
  roots: new Set(["request"] as const),
  requestParams: ["id"],
});
const CRON_TRIGGER = createScope({ allSteps: WORKFLOW.allSteps, roots: new Set(["schedule"] as const) });
const POLL = createScope({ allSteps: WORKFLOW.allSteps, roots: new Set(["event"] as const) });

describe("valid references", () => {
  it.each([
    ["${{ input }}", WORKFLOW],
    ["${{ input.flight + input['user-id'] + input[item.key] }}", FOR_EACH],
    ["${{ steps.lookup.output }} ${{ steps.facts.output.delayed.deep[0] }}", WORKFLOW],
    ["${{ steps['lookup']['output'].body }}", WORKFLOW],
    ["${{ flow.name }} ${{ instance.id }} ${{ env.API_URL }}", WORKFLOW],
    ["${{ item.price * index }}", FOR_EACH],
    ["${{ request.body.x }} ${{ request.headers['user-id'] }} ${{ request.params.id }} ${{ request }}", HTTP_TRIGGER],
    ["${{ request.query.page }} ${{ request.method }} ${{ request.path }}", HTTP_TRIGGER],
    ["${{ schedule.time }}", CRON_TRIGGER],
    ["${{ event.status == 'complete' ? event.output : event.error }}", POLL],
    ["${{ join(split(lower(trim(upper(input.flight))), '-')) }}", WORKFLOW],
    ["${{ min(1) + max(1, 2, 3) + round(1.5) + round(1.55, 1) }}", WORKFLOW],
    ["${{ now() }} ${{ uuid() }} ${{ addDuration(now(), '1 day') }}", WORKFLOW],
  ])("%s", (text, scope) => {
    expect(check(text, scope)).toEqual([]);
  });
});

// [YAML string value (starts at 3:8), scope, expected diagnostics]
const ERRORS: readonly (readonly [string, ExprScope, readonly string[]])[] = [
  ["${{ inptu.flight }}", WORKFLOW, ["3:12: error: unknown name 'inptu' (hint: did you mean 'input'?)"]],
  ["${{ foo }}", WORKFLOW, ["3:12: error: unknown name 'foo' (hint: names available here: input, steps, flow, instance, env)"]],
  ["${{ undefined }}", WORKFLOW, ["3:12: error: unknown name 'undefined' (hint: write null)"]],
  [
    "${{ JSON }}",
    WORKFLOW,
    ["3:12: error: unknown name 'JSON' (hint: globals are not available; use the built-in functions, e.g. round(x), toJSON(x), now())"],
  ],
  ["${{ input.flihgt }}", WORKFLOW, ["3:18: error: unknown input field 'flihgt' (hint: did you mean 'flight'?)"]],
  ["${{ input['nope'] }}", WORKFLOW, ["3:18: error: unknown input field 'nope' (hint: the input fields are flight, date, user-id)"]],
  [
    "${{ input.x }}",
    createScope({ inputFields: new Map() }),
    ["3:18: error: unknown input field 'x' (hint: declare it under `input:` of the flow)"],
  ],
  ["${{ steps.lokup.output }}", WORKFLOW, ["3:18: error: unknown step 'lokup' (hint: did you mean 'lookup'?)"]],
  [
    "${{ steps.zzz.output }}",
    WORKFLOW,
    ["3:18: error: unknown step 'zzz' (hint: the steps of this flow are lookup, facts, notify, each_leg)"],
  ],
  [
    "${{ steps.notify.output }}",
    WORKFLOW,
    [
      "3:18: error: step 'notify' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'notify')",
    ],
  ],
  ["${{ steps.lookup }}", WORKFLOW, ["3:18: error: `steps.lookup` must be followed by `.output` (hint: write `steps.lookup.output`)"]],
  [
    "${{ steps.lookup.body.status }}",
    WORKFLOW,
    [
      "3:25: error: a step has only `output`; `steps.lookup.body` does not exist (hint: write `steps.lookup.output.body` to read a field of its output)",
    ],
  ],
  ["${{ steps }}", WORKFLOW, ["3:12: error: `steps` must be followed by a step id (hint: write `steps.<id>.output`)"]],
  ["${{ steps[x].output }}", WORKFLOW, ["3:18: error: step ids must be written literally (hint: write `steps.<id>.output`)", "3:18: error: unknown name 'x' (hint: names available here: input, steps, flow, instance, env)"]],
  ["${{ flow.id }}", WORKFLOW, ["3:17: error: `flow` has only the property `name` (hint: write `flow.name`)"]],
  ["${{ flow }}", WORKFLOW, ["3:12: error: `flow` has only the property `name` (hint: write `flow.name`)"]],
  ["${{ instance.name }}", WORKFLOW, ["3:21: error: `instance` has only the property `id` (hint: write `instance.id`)"]],
  ["${{ env.API_UR }}", WORKFLOW, ["3:16: error: unknown env var 'API_UR' (hint: did you mean 'API_URL'?)"]],
  [
    "${{ env.SECRET_TOKEN }}",
    WORKFLOW,
    ["3:16: error: unknown env var 'SECRET_TOKEN' (hint: declare it under `vars` in wrangler.jsonc; secrets cannot be read in expressions)"],
  ],
  ["${{ env }}", WORKFLOW, ["3:12: error: `env` must be followed by a variable name (hint: write `env.<VAR>` with a var from wrangler.jsonc)"]],
  ["${{ env[input.flight] }}", WORKFLOW, ["3:16: error: env var names must be written literally (hint: write `env.<VAR>`)"]],
  [
    "${{ request.body }}",
    CRON_TRIGGER,
    ["3:12: error: `request` is only available in http triggers (hint: names available here: flow, instance, env, schedule)"],
  ],
  [
    "${{ item }}",
    WORKFLOW,
    [
      "3:12: error: `item` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env)",
    ],
  ],
  ["${{ index }}", WORKFLOW, ["3:12: error: `index` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env)"]],
  ["${{ attempt }}", FOR_EACH, ["3:12: error: `attempt` is only available inside the `steps` of a repeat step (hint: names available here: input, steps, flow, instance, env, item, index)"]],
  ["${{ message.x }}", HTTP_TRIGGER, ["3:12: error: `message` is only available in websocket triggers (hint: names available here: flow, instance, env, request)"]],
  ["${{ schedule.time }}", HTTP_TRIGGER, ["3:12: error: `schedule` is only available in cron triggers (hint: names available here: flow, instance, env, request)"]],
  ["${{ event.output }}", WORKFLOW, ["3:12: error: `event` is only available in poll actions (`on_complete`, `on_error`) (hint: names available here: input, steps, flow, instance, env)"]],
  ["${{ request.bdy }}", HTTP_TRIGGER, ["3:20: error: `request` has no property 'bdy' (hint: did you mean 'body'?)"]],
  [
    "${{ request.cookies }}",
    HTTP_TRIGGER,
    [
      "3:20: error: `request` has no property 'cookies' (hint: use `request.body`, `request.headers`, `request.query`, `request.params`, `request.method`, `request.path`)",
    ],
  ],
  ["${{ request.params.flight }}", HTTP_TRIGGER, ["3:27: error: the trigger's path has no parameter 'flight' (hint: the path parameters are id)"]],
  ["${{ request.headers['User-Id'] }}", HTTP_TRIGGER, ["3:28: warning: header names are lower-cased, so 'User-Id' never matches (hint: write request.headers['user-id'])"]],
  ["${{ schedule.date }}", CRON_TRIGGER, ["3:21: error: `schedule` has no property 'date' (hint: use `schedule.time`)"]],
  ["${{ event.result }}", POLL, ["3:18: error: `event` has no property 'result' (hint: use `event.status`, `event.output`, `event.error`)"]],
  [
    "${{ input.flight }}",
    HTTP_TRIGGER,
    [
      "3:12: error: `input` is not available here (hint: trigger expressions compute the input; read the trigger's own data (`request`, `message`, `schedule`) instead)",
    ],
  ],
  ["${{ steps.lookup.output }}", HTTP_TRIGGER, ["3:12: error: `steps` is not available here (hint: step outputs exist only inside the workflow's steps)"]],
  ["${{ steps.lookup.output }}", POLL, ["3:12: error: `steps` is not available here (hint: poll actions run outside the workflow; read its result from `event.output`)"]],
  ["${{ lowr(input.flight) }}", WORKFLOW, ["3:12: error: unknown function 'lowr' (hint: did you mean 'lower'?)"]],
  [
    "${{ frobnicate() }}",
    WORKFLOW,
    [
      "3:12: error: unknown function 'frobnicate' (hint: the functions are length, contains, startsWith, endsWith, lower, upper, trim, split, join, toJSON, fromJSON, round, floor, ceil, min, max, keys, values, now, addDuration, uuid)",
    ],
  ],
  ["${{ split(input.flight) }}", WORKFLOW, ["3:12: error: 'split' takes 2 arguments, not 1 (hint: write split(text, separator))"]],
  ["${{ now(1) }}", WORKFLOW, ["3:12: error: 'now' takes 0 arguments, not 1 (hint: write now())"]],
  ["${{ round(1, 2, 3) }}", WORKFLOW, ["3:12: error: 'round' takes 1 to 2 arguments, not 3 (hint: write round(number, digits?))"]],
  ["${{ max() }}", WORKFLOW, ["3:12: error: 'max' takes at least 1 argument, not 0 (hint: write max(...values))"]],
  ["${{ {a: 1, a: 2} }}", WORKFLOW, ["3:22: error: the key 'a' appears twice in this object (hint: remove one of them; the later one would win)"]],
  [
    "Dear ${{ input.nme }}, flight ${{ steps.later.output }} ${{ env.X }}",
    WORKFLOW,
    [
      "3:23: error: unknown input field 'nme' (hint: the input fields are flight, date, user-id)",
      "3:48: error: unknown step 'later' (hint: the steps of this flow are lookup, facts, notify, each_leg)",
      "3:72: error: unknown env var 'X' (hint: declare it under `vars` in wrangler.jsonc; secrets cannot be read in expressions)",
    ],
  ],
  [
    "${{ lower(inputt.x) + steps.notify.output + item }}",
    WORKFLOW,
    [
      "3:18: error: unknown name 'inputt' (hint: did you mean 'input'?)",
      "3:36: error: step 'notify' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'notify')",
      "3:52: error: `item` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env)",
    ],
  ],
];

describe("scope errors", () => {
  it.each(ERRORS)("%s", (text, scope, expected) => {
    expect(check(text, scope)).toEqual(expected);
  });
});

describe("suggest", () => {
  it("measures edits", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("inptu", "input")).toBe(1);
  });

  it("suggests only plausible typos, preferring case-only differences", () => {
    expect(suggest("lokup", ["notify", "lookup"])).toBe("lookup");
    expect(suggest("userid", ["userId", "userIds"])).toBe("userId");
    expect(suggest("x", ["abc", "def"])).toBeUndefined();
    expect(suggest("input", ["input"])).toBeUndefined();
    expect(didYouMean("stpes", ["steps", "input"])).toBe("did you mean 'steps'?");
    expect(didYouMean("zzzz", ["steps"])).toBeUndefined();
  });
});
