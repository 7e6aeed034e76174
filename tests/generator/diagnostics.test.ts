import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import { loadDefinitions } from "../../generator/frontend.ts";

/**
 * Table-driven: bad definitions and the exact diagnostics each produces, as
 * `line:col: severity: message (hint: …)` in the case's own file (other
 * files' diagnostics keep their path). Inline YAML escapes `${{` as `\${{`;
 * the trap cases live in tests/fixtures/bad/ so they read as users write them.
 */

interface DiagnosticCase {
  readonly name: string;
  /** The definition, as `definitions/<name>.yaml`; or read from tests/fixtures/bad/<name>.yaml. */
  readonly yaml?: string;
  /** Further definition files of the project: file name → text. */
  readonly others?: Readonly<Record<string, string>>;
  readonly envVars?: readonly string[];
  readonly expected: readonly string[];
}

const STEP = `steps:\n  - id: nap\n    sleep: 1 hour\n`;

const CASES: readonly DiagnosticCase[] = [
  // --- stage 1: YAML ---
  {
    name: "yaml-syntax",
    expected: ["5:12: error: this double-quoted string is never closed (hint: add the closing \")"],
  },
  {
    name: "duplicate-keys",
    expected: ["5:5: error: duplicate key 'sleep'; it is already set at line 4 (hint: remove one of them)"],
  },
  {
    name: "trap-braces",
    expected: [
      "4:18: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ input.url }}\")",
    ],
  },
  {
    name: "trap-brackets",
    expected: [
      "5:14: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ input.a }}\")",
      "5:30: error: an expression inside { } or [ ] must be quoted, or YAML reads its braces as a mapping; put the value in quotes (hint: write \"${{ input.b }}\")",
    ],
  },
  {
    name: "trap-comment",
    expected: [
      "4:36: error: ' #' starts a YAML comment, so the rest of this unquoted value is dropped; put the value in quotes (hint: write \"Order ${{ input.order }} #${{ input.line }} is missing\")",
    ],
  },
  {
    name: "trap-colon",
    expected: [
      "4:18: error: this unquoted value contains ': ', which YAML reads as a nested key; put the value in quotes (hint: write \"Flight ${{ input.flight }}: not found\")",
      "7:14: error: this unquoted value contains ': ', which YAML reads as a nested key; put the value in quotes (hint: write \"${{ input.vip ? 'gold' : 'standard' }}\")",
    ],
  },
  {
    name: "tab-indent",
    yaml: `flow: tab-indent\nsteps:\n\t- id: nap\n`,
    expected: ["3:1: error: YAML syntax error: tabs are not allowed as indentation (hint: indent with spaces, not tabs)"],
  },
  {
    name: "two-documents",
    yaml: `flow: two-documents\n${STEP}---\nflow: other\n`,
    expected: [
      "5:1: error: a definition file holds one flow, but this one has several YAML documents (hint: remove the '---' separator and move the other flow to its own file)",
    ],
  },
  {
    name: "empty-file",
    yaml: ``,
    expected: ["1:1: error: a flow file must be a mapping with at least 'flow' and 'steps' (hint: start with flow: <id>)"],
  },

  // --- stage 2: schema ---
  {
    name: "unknown-root-key",
    yaml: `flow: unknown-root-key\nstpes: []\n`,
    expected: ["2:1: error: unknown key 'stpes' in flow; did you mean 'steps'?"],
  },
  {
    name: "unknown-step-key",
    yaml: `flow: unknown-step-key\nsteps:\n  - id: nap\n    sleep: 1 hour\n    retires: { limit: 3 }\n`,
    expected: ["5:5: error: unknown key 'retires' in step 'nap'; did you mean 'retries'?"],
  },
  {
    name: "unknown-nested-key",
    yaml: `flow: unknown-nested-key\nsteps:\n  - id: get\n    http: { url: https://x.example, headres: {} }\n    retries: { limt: 3 }\n`,
    expected: [
      "4:37: error: unknown key 'headres' in 'http' of step 'get'; did you mean 'headers'?",
      "5:16: error: unknown key 'limt' in 'retries' of step 'get'; did you mean 'limit'?",
    ],
  },
  {
    name: "wrong-types",
    yaml: `flow: wrong-types\nagent: 42\nsteps:\n  - id: get\n    http: { url: https://x.example }\n    retries: { limit: five }\n`,
    expected: [
      "2:8: error: 'agent' in flow must be a string, not the number 42",
      "6:23: error: 'retries.limit' in step 'get' must be a whole number, not the text 'five'",
    ],
  },
  {
    name: "bad-enum",
    yaml: `flow: bad-enum\nsteps:\n  - id: get\n    http: { url: https://x.example, method: get }\n    retries: { backoff: expo }\n`,
    expected: [
      "4:45: error: 'http.method' in step 'get' must be 'GET', 'POST', 'PUT', 'PATCH', 'DELETE' or 'HEAD', not the text 'get' (hint: did you mean 'GET'?)",
      "5:25: error: 'retries.backoff' in step 'get' must be 'constant', 'linear' or 'exponential', not the text 'expo'",
    ],
  },
  {
    name: "missing-auth",
    yaml: `flow: missing-auth\ntriggers:\n  - http: POST /orders\n${STEP}`,
    expected: [
      "3:5: error: missing required key 'auth' in the http trigger (hint: every http trigger needs auth: { bearer: SECRET_NAME }, { hmac: { secret: SECRET_NAME, header: x-signature } } or none)",
    ],
  },
  {
    name: "auth-without-key",
    yaml: `flow: auth-without-key\ntriggers:\n  - http: POST /orders\n    auth: ORDERS_TOKEN\n${STEP}`,
    expected: ["4:11: error: auth cannot be 'ORDERS_TOKEN'; it is { bearer: … }, { hmac: … } or none (hint: write auth: { bearer: ORDERS_TOKEN })"],
  },
  {
    name: "bad-secret-name",
    yaml: `flow: bad-secret-name\ntriggers:\n  - http: POST /orders\n    auth: { bearer: orders-token }\n${STEP}`,
    expected: ["4:21: error: 'orders-token' is not a valid secret name: use upper-case letters, digits and '_' (like FLIGHT_API_KEY)"],
  },
  {
    name: "step-without-kind",
    yaml: `flow: step-without-kind\nsteps:\n  - id: nothing\n    timeout: 1 minute\n`,
    expected: [
      "3:5: error: step 'nothing' has no kind; give it one of http, sleep, sleep_until, wait_for_event, set, fail, if + then, switch, for_each, parallel, repeat, call, email, report or run",
    ],
  },
  {
    name: "step-misspelt-kind",
    yaml: `flow: step-misspelt-kind\nsteps:\n  - id: nap\n    slep: 1 hour\n`,
    expected: ["4:5: error: unknown key 'slep' in step 'nap'; did you mean 'sleep'?"],
  },
  {
    name: "step-two-kinds",
    yaml: `flow: step-two-kinds\nsteps:\n  - id: nap\n    sleep: 1 hour\n    fail: stop\n`,
    expected: ["5:5: error: a step has exactly one kind, but step 'nap' has 'sleep' and 'fail' (hint: split it into one step per kind)"],
  },
  {
    name: "steps-without-loop",
    yaml: `flow: steps-without-loop\nsteps:\n  - id: each\n    steps:\n      - id: nap\n        sleep: 1 hour\n`,
    expected: ["4:5: error: 'steps' in step 'each' needs 'for_each' or 'repeat'; a loop is for_each + steps, or repeat + steps"],
  },
  {
    name: "else-without-then",
    yaml: `flow: else-without-then\nsteps:\n  - id: branch\n    if: \${{ true }}\n    else: []\n`,
    expected: ["5:5: error: 'else' in step 'branch' needs 'then'; an if-block is if + then (+ else)"],
  },
  {
    name: "trigger-two-kinds",
    yaml: `flow: trigger-two-kinds\ntriggers:\n  - cron: "0 9 * * *"\n    websocket: go\n${STEP}`,
    expected: ["4:5: error: a trigger has exactly one kind, but this one has 'cron' and 'websocket' (hint: write each as its own trigger)"],
  },
  {
    name: "bad-flow-id",
    yaml: `flow: Flight_Status\n${STEP}`,
    expected: ["1:7: error: 'Flight_Status' is not a valid flow id: use lower-case letters, digits and '-', start with a letter, at most 63 characters"],
  },
  {
    name: "bad-step-id",
    yaml: `flow: bad-step-id\nsteps:\n  - id: Look-Up\n    sleep: 1 hour\n`,
    expected: ["3:9: error: 'Look-Up' is not a valid step id: use lower-case letters, digits and '_', starting with a letter"],
  },
  {
    name: "missing-required-key",
    yaml: `flow: missing-required-key\nsteps:\n  - id: get\n    http: { method: POST }\n`,
    expected: ["4:11: error: missing required key 'url' in 'http' of step 'get' (hint: e.g. url: https://api.example.com/items/${{ input.id }})"],
  },

  // --- stage 3: model ---
  {
    name: "http-short-form",
    yaml: `flow: http-short-form\ntriggers:\n  - http: post /orders\n    auth: none\n  - http: POST orders/{id}\n    auth: none\n  - http: POST\n    auth: none\n${STEP}`,
    expected: [
      "3:11: error: the method must be upper-case: 'POST' (hint: write POST /orders)",
      "5:16: error: the path 'orders/{id}' must start with '/' (hint: write POST /orders/{id})",
      "7:11: error: an http trigger is 'METHOD /path', not 'POST' (hint: for example http: POST /flights or http: POST /flights/{id}/cancel)",
    ],
  },
  {
    name: "bad-durations",
    yaml: `flow: bad-durations\ntriggers:\n  - cron: "0 9 * * *"\n    delay: soon\nsteps:\n  - id: nap\n    sleep: 5m\n  - id: wait\n    wait_for_event: { type: go, timeout: 1 fortnight }\n`,
    expected: [
      "4:12: error: delay 'soon' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\")",
      "7:12: error: sleep '5m' is not a duration (hint: write '5 minutes')",
      "9:42: error: wait_for_event.timeout '1 fortnight' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\")",
    ],
  },
  {
    name: "bad-crons",
    yaml: `flow: bad-crons\ntriggers:\n  - cron: "*/5 * * *"\n  - cron: "0 25 * * *"\n  - cron: "0 9 * * MON-FRY"\npoll:\n  every: "0 9 31-1 * *"\n${STEP}`,
    expected: [
      "3:12: error: a cron has 5 fields (minute hour day-of-month month day-of-week), but '*/5 * * *' has 4 (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "4:14: error: cron '0 25 * * *': hour 25 is out of range 0-23 (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "5:20: error: cron '0 9 * * MON-FRY': 'FRY' is not a valid day of week; use 0-7 or SUN-SAT (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
      "7:15: error: cron '0 9 31-1 * *': the range '31-1' in the day of month field runs backwards (hint: for example \"*/5 * * * *\" (every 5 minutes) or \"0 9 * * MON-FRI\" (09:00 UTC on weekdays))",
    ],
  },
  {
    name: "expression-syntax",
    yaml: `flow: expression-syntax\nsteps:\n  - id: facts\n    set:\n      x: \${{ input. }}\n`,
    expected: ["5:21: error: expected Identifier"],
  },

  // --- stage 4: check ---
  {
    name: "duplicate-step-ids",
    yaml: `flow: duplicate-step-ids\nsteps:\n  - id: nap\n    sleep: 1 hour\n  - id: branch\n    if: \${{ true }}\n    then:\n      - id: nap\n        sleep: 2 hours\n`,
    expected: ["8:13: error: duplicate step id 'nap'; it is already used at line 3 (hint: step ids name durable steps, so each must be unique in the flow)"],
  },
  {
    name: "unknown-names",
    yaml: `flow: unknown-names\ninput:\n  user: { type: string }\ntriggers:\n  - websocket: go\n    input:\n      user: \${{ request.body.user }}\nsteps:\n  - id: facts\n    set:\n      a: \${{ foo }}\n      b: \${{ steps.lookup.output }}\n      c: \${{ steps.later.output }}\n      d: \${{ input.usr }}\n      e: \${{ lenght(input.user) }}\n      f: \${{ env.REGON }}\n  - id: later\n    sleep: 1 hour\n`,
    envVars: ["REGION"],
    expected: [
      "7:17: error: `request` is only available in http triggers (hint: names available here: flow, instance, env, message)",
      "11:14: error: unknown name 'foo' (hint: names available here: input, steps, flow, instance, env)",
      "12:20: error: unknown step 'lookup' (hint: the steps of this flow are facts, later)",
      "13:20: error: step 'later' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'later')",
      "14:20: error: unknown input field 'usr' (hint: did you mean 'user'?)",
      "15:14: error: unknown function 'lenght' (hint: did you mean 'length'?)",
      "16:18: error: unknown env var 'REGON' (hint: did you mean 'REGION'?)",
    ],
  },
  {
    name: "branch-scope",
    yaml: `flow: branch-scope\nsteps:\n  - id: branch\n    if: \${{ true }}\n    then:\n      - id: first\n        set: { v: "\${{ steps.second.output }}" }\n      - id: second\n        set: { v: 1 }\n  - id: after\n    set: { v: "\${{ steps.first.output.v ?? steps.second.output.v }}" }\n`,
    expected: [
      "7:30: error: step 'second' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'second')",
    ],
  },
  {
    name: "trigger-input",
    yaml: `flow: trigger-input\ninput:\n  user: { type: string }\n  flight: { type: string }\n  notify: { type: boolean, default: true }\ntriggers:\n  - http: POST /trips/{id}\n    auth: none\n    input:\n      user: \${{ request.params.idd }}\n      fligth: \${{ request.body.flight }}\n  - cron: "0 9 * * *"\n${STEP}`,
    expected: [
      "10:7: error: the http trigger does not give the required input field 'flight' (hint: add it under input:, or give the field a default in the flow)",
      "10:32: error: the trigger's path has no parameter 'idd' (hint: did you mean 'id'?)",
      "11:7: error: unknown input field 'fligth' for flow 'trigger-input' (hint: did you mean 'flight'?)",
      "12:5: error: the cron trigger gives no input, but flow 'trigger-input' requires 'user' and 'flight' (hint: add input: with user and flight)",
    ],
  },
  {
    name: "input-in-trigger",
    yaml: `flow: input-in-trigger\ninput:\n  user: { type: string }\ntriggers:\n  - cron: "0 9 * * *"\n    input:\n      user: \${{ input.user }}\n${STEP}`,
    expected: [
      "7:17: error: `input` is not available here (hint: trigger expressions compute the input; read the trigger's own data (`request`, `message`, `schedule`) instead)",
    ],
  },
  {
    name: "send-event",
    yaml: `flow: send-event\ntriggers:\n  - http: POST /orders/{id}/approve\n    auth: none\n    input: { note: x }\n    send_event: { type: aproval, instance_id: "\${{ request.params.id }}" }\nsteps:\n  - id: approval\n    wait_for_event: { type: approval }\n`,
    expected: [
      "5:5: error: 'input' has no effect on a send_event trigger, which signals a running instance instead of starting one (hint: remove 'input')",
      "6:25: warning: no wait_for_event step of flow 'send-event' waits for event type 'aproval' (hint: the steps wait for 'approval')",
    ],
  },
  {
    name: "file-name-mismatch",
    yaml: `flow: something-else\n${STEP}`,
    expected: ["1:7: warning: the file name 'file-name-mismatch.yaml' does not match the flow id 'something-else' (hint: rename the file to something-else.yaml)"],
  },
  {
    name: "duplicate-flow-id",
    yaml: `flow: shared\n${STEP}`,
    others: { "shared.yaml": `flow: shared\n${STEP}` },
    expected: [
      "1:7: warning: the file name 'duplicate-flow-id.yaml' does not match the flow id 'shared' (hint: rename the file to shared.yaml)",
      "definitions/shared.yaml:1:7: error: flow id 'shared' is already used by definitions/duplicate-flow-id.yaml:1 (hint: flow ids must be unique across files)",
    ],
  },
  {
    name: "unknown-poll-flow",
    yaml: `flow: unknown-poll-flow\npoll:\n  every: 1 minute\n  on_complete:\n    - start: { flow: recipt }\n${STEP}`,
    others: { "receipt.yaml": `flow: receipt\n${STEP}` },
    expected: ["5:22: error: unknown flow 'recipt' (hint: did you mean 'receipt'?)"],
  },
  {
    name: "poll-scope",
    yaml: `flow: poll-scope\npoll:\n  every: 1 minute\n  on_complete:\n    - set_state: { out: "\${{ steps.nap.output }}", status: "\${{ event.state }}" }\n${STEP}`,
    expected: [
      "5:30: error: `steps` is not available here (hint: poll actions run outside the workflow; read its result from `event.output`)",
      "5:71: error: `event` has no property 'state' (hint: use `event.status`, `event.output`, `event.error`)",
    ],
  },
  {
    name: "no-steps",
    yaml: `flow: no-steps\nsteps: []\n`,
    expected: [
      "2:1: error: flow 'no-steps' has no steps (hint: add at least one step under steps:, or set workflow.script when the workflow lives in another Worker)",
    ],
  },
  {
    name: "script-with-steps",
    yaml: `flow: script-with-steps\nworkflow: { script: other-worker }\n${STEP}`,
    expected: [
      "3:1: error: 'steps' cannot be used with workflow.script: the workflow runs in Worker 'other-worker' (hint: remove 'steps', or remove workflow.script to run the workflow here)",
    ],
  },
  {
    name: "bad-input-default",
    yaml: `flow: bad-input-default\ninput:\n  count: { type: integer, default: many }\n${STEP}`,
    expected: ["3:3: error: the default of input field 'count' does not match its schema: must be integer"],
  },
  {
    name: "route-clash",
    yaml: `flow: route-clash\ntriggers:\n  - http: POST /orders/{id}\n    auth: none\n  - http: POST /orders/{key}\n    auth: none\n${STEP}`,
    expected: ["5:11: error: the route 'POST /orders/{key}' is already used by the trigger at line 3 (hint: each method and path can have only one trigger)"],
  },
  {
    name: "websocket-type-clash",
    yaml: `flow: websocket-type-clash\ntriggers:\n  - websocket: ping\n  - websocket: ping\n${STEP}`,
    expected: [
      "4:16: error: the websocket message type 'ping' of agent FlowAgent is already used by the trigger at line 3 (hint: give one of the triggers another message type, or host the flows in different agent classes)",
    ],
  },
  {
    name: "fixed-text",
    yaml: `flow: fixed-text\nsteps:\n  - id: nap\n    sleep: \${{ input.minutes }} minutes\n  - id: wait\n    wait_for_event: { type: "\${{ input.kind }}" }\n`,
    expected: [
      "4:12: error: sleep cannot contain an expression: it must be known when the code is generated (hint: write a fixed value here)",
      "6:29: error: wait_for_event.type cannot contain an expression: it must be known when the code is generated (hint: write a fixed value here)",
    ],
  },
  {
    name: "bad-timestamp",
    yaml: `flow: bad-timestamp\nsteps:\n  - id: later\n    sleep_until: next week\n`,
    expected: [
      "4:18: error: 'sleep_until' must be an ISO timestamp or an expression giving one (hint: for example 2026-03-01T09:00:00Z or ${{ addDuration(input.date, '-2 hours') }})",
    ],
  },
  {
    name: "unresolved-alias",
    yaml: `flow: unresolved-alias\nsteps:\n  - id: nap\n    sleep: *nap_time\n`,
    expected: ["4:12: error: the alias '*nap_time' refers to no anchor (hint: define '&nap_time' on an earlier value, or write the value here)"],
  },
  {
    name: "missing-flow-key",
    yaml: `description: no id\n${STEP}`,
    expected: ["1:1: error: missing required key 'flow' at the top of the file (hint: give the flow its id, e.g. flow: flight-status)"],
  },
  {
    name: "hmac-incomplete",
    yaml: `flow: hmac-incomplete\ntriggers:\n  - http: POST /hooks\n    auth: { hmac: { secret: HOOK_SECRET, algorithm: md5 } }\n${STEP}`,
    expected: [
      "4:19: error: missing required key 'header' in 'auth.hmac' of the http trigger (hint: name the header that carries the signature, e.g. header: x-hub-signature-256)",
      "4:53: error: 'auth.hmac.algorithm' in the http trigger must be 'sha256', 'sha1' or 'sha512', not the text 'md5'",
    ],
  },
  {
    // The scope decisions that are allowed: output and on_error see nested and
    // earlier steps (possibly null), poll actions see input and event.
    name: "scopes-allowed",
    yaml: `flow: scopes-allowed\ninput:\n  user: { type: string, default: me }\nsteps:\n  - id: branch\n    if: \${{ input.user == 'me' }}\n    then:\n      - id: inner\n        set: { v: 1 }\n  - id: after\n    set: { v: "\${{ steps.inner.output.v ?? 0 }}" }\noutput: \${{ steps.inner.output }}\non_error:\n  - id: report\n    fail: "failed after \${{ steps.after.output.v }} for \${{ instance.id }}"\npoll:\n  every: 1 minute\n  on_complete:\n    - broadcast: { user: "\${{ input.user }}", status: "\${{ event.status }}" }\n`,
    expected: [],
  },

  // --- blocks, calls, email, report and the step budget (dsl.md §5, §1) ---
  {
    name: "item-outside-loop",
    yaml: `flow: item-outside-loop\nsteps:\n  - id: facts\n    set: { a: "\${{ item.sku }}", b: "\${{ index }}", c: "\${{ attempt }}" }\n`,
    expected: [
      "4:20: error: `item` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env)",
      "4:42: error: `index` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env)",
      "4:61: error: `attempt` is only available inside the `steps` of a repeat step (hint: names available here: input, steps, flow, instance, env)",
    ],
  },
  {
    name: "loop-scopes",
    yaml: `flow: loop-scopes\ninput:\n  items: { type: array }\nsteps:\n  - id: each\n    for_each: \${{ input.items }}\n    steps:\n      - id: line\n        set: { sku: "\${{ item.sku }}", at: "\${{ index }}", n: "\${{ attempt }}", next: "\${{ steps.later.output }}" }\n      - id: later\n        set: { v: 1 }\n  - id: poll\n    repeat:\n      every: 1 minute\n      max: 3\n      until: \${{ steps.probe.output.done || attempt > 2 || item }}\n    steps:\n      - id: probe\n        set: { done: "\${{ attempt == 3 }}", sku: "\${{ item }}" }\n  - id: after\n    set: { last: "\${{ steps.line.output.sku }}", probe: "\${{ steps.probe.output.done }}" }\n`,
    expected: [
      "9:68: error: `attempt` is only available inside the `steps` of a repeat step (hint: names available here: input, steps, flow, instance, env, item, index)",
      "9:98: error: step 'later' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'later')",
      "16:60: error: `item` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env, attempt)",
      "19:55: error: `item` is only available inside the `steps` of a for_each step (hint: names available here: input, steps, flow, instance, env, attempt)",
    ],
  },
  {
    name: "parallel-branches",
    yaml: `flow: parallel-branches\nsteps:\n  - id: both\n    parallel:\n      - - id: left\n          set: { v: 1 }\n        - id: left_next\n          set: { v: "\${{ steps.left.output.v }}" }\n      - - id: right\n          set: { v: "\${{ steps.left.output.v }}" }\n  - id: after\n    set: { v: "\${{ steps.right.output.v + steps.left_next.output.v }}" }\n`,
    expected: [
      "10:32: error: step 'left' runs in another branch of parallel step 'both', at the same time as this one (hint: read its output after step 'both')",
    ],
  },
  {
    name: "switch-no-cases",
    yaml: `flow: switch-no-cases\nsteps:\n  - id: empty\n    switch: \${{ flow.name }}\n    cases: {}\n`,
    expected: [
      "5:12: error: switch step 'empty' has no cases (hint: add at least one, e.g. cases: { express: [ ...steps ] })",
    ],
  },
  {
    name: "switch-case-expr",
    yaml: `flow: switch-case-expr\nsteps:\n  - id: route\n    switch: \${{ flow.name }}\n    cases:\n      \${{ flow.name }}:\n        - id: a\n          set: { v: 1 }\n    default:\n      - id: b\n        set: { v: "\${{ steps.a.output.v }}" }\n`,
    expected: [
      "6:7: error: a case value cannot contain an expression: it must be known when the code is generated (hint: write the value the switch is compared with, e.g. express:)",
      "11:30: error: step 'a' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'a')",
    ],
  },
  {
    name: "for-each-text",
    yaml: `flow: for-each-text\nsteps:\n  - id: each\n    for_each: not a list\n    steps: []\n`,
    expected: [
      "4:15: error: 'for_each' must be a list or an expression giving one (hint: for example for_each: ${{ input.items }})",
      "5:12: error: for_each step 'each' has no steps (hint: add the steps to run in each round under steps:)",
    ],
  },
  {
    name: "parallel-empty",
    yaml: `flow: parallel-empty\nsteps:\n  - id: both\n    parallel: [[], [{ id: a, set: { v: 1 } }]]\n  - id: none\n    parallel: []\n`,
    expected: [
      "4:16: error: branch 1 of parallel step 'both' has no steps (hint: remove the empty branch)",
      "6:15: error: parallel step 'none' has no branches (hint: write parallel: [ [ ...steps ], [ ...steps ] ])",
    ],
  },
  {
    name: "repeat-shapes",
    yaml: `flow: repeat-shapes\nsteps:\n  - id: again\n    repeat: { every: 1 minit, max: 3, until: maybe }\n    steps:\n      - id: b\n        set: { v: 1 }\n    retries: { limit: 1 }\n`,
    expected: [
      "4:22: error: repeat.every '1 minit' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\")",
      "4:46: error: 'repeat.until' must be an expression (or true/false) (hint: for example until: ${{ steps.check.output.body.status == 'done' }})",
      "8:5: warning: 'retries' has no effect on a repeat block (hint: set it on the steps inside the block)",
    ],
  },
  {
    name: "repeat-missing-keys",
    yaml: `flow: repeat-missing-keys\nsteps:\n  - id: bad\n    repeat: { max: 0 }\n`,
    expected: [
      "3:5: error: missing required key 'steps' in step 'bad' (hint: list the steps to run in each round under steps:)",
      "4:13: error: missing required key 'every' in 'repeat' of step 'bad' (hint: say how long to wait between rounds, e.g. every: 5 minutes)",
      "4:20: error: 'repeat.max' in step 'bad' must be at least 1, not 0",
    ],
  },
  {
    name: "email-report-shapes",
    yaml: `flow: email-report-shapes\nsteps:\n  - id: mail\n    email: { to: a@example.com, from: b@example.com, subject: hi }\n  - id: progress\n    report: { progress: 50 }\n  - id: progress2\n    report: { progress: "done \${{ flow.name }}" }\n`,
    expected: [
      "4:12: error: the email of step 'mail' has no body; give it 'text', 'html' or both (hint: for example text: Your order has shipped.)",
      "6:25: error: 'report.progress' in step 'progress' must be a mapping, not the number 50 (hint: for example progress: { percent: 50, note: halfway })",
      "8:26: error: 'report.progress' in step 'progress2' must be a mapping, not text (hint: for example progress: { percent: 50, note: halfway })",
    ],
  },
  {
    name: "email-call-keys",
    yaml: `flow: email-call-keys\nsteps:\n  - id: mail\n    email: { to: a@example.com, subject: hi, text: x, bc: c@example.com }\n  - id: child\n    call: { input: {} }\n`,
    expected: [
      "4:12: error: missing required key 'from' in 'email' of step 'mail' (hint: e.g. from: orders@example.com (an address the send_email binding may send from))",
      "4:55: error: unknown key 'bc' in 'email' of step 'mail'; did you mean 'cc'?",
      "6:11: error: missing required key 'flow' in 'call' of step 'child' (hint: name the flow to call, e.g. flow: send-receipt)",
    ],
  },
  {
    name: "call-checks",
    yaml: `flow: call-checks\nsteps:\n  - id: self\n    call: { flow: call-checks }\n  - id: typo\n    call: { flow: chlid }\n  - id: receipt\n    call:\n      flow: child\n      input:\n        emial: a@example.com\n        total: lots\n      wait: false\n  - id: bare\n    call: { flow: child }\n`,
    others: { "child.yaml": `flow: child\ninput:\n  email: { type: string }\n  total: { type: number }\n  note: { type: string, default: none }\nsteps:\n  - id: mail\n    email: { to: "\${{ input.email }}", from: shop@example.com, subject: Receipt, text: "Total \${{ input.total }}" }\noutput: { sent: true }\n` },
    expected: [
      "4:19: error: step 'self' calls its own flow 'call-checks' (hint: a flow cannot call itself; to run steps again, use repeat or for_each)",
      "6:19: error: unknown flow 'chlid' (hint: did you mean 'child'?)",
      "11:9: error: call step 'receipt' does not give the required input field 'email' (hint: add it under input:, or give the field a default in the flow)",
      "11:9: error: unknown input field 'emial' for flow 'child' (hint: did you mean 'email'?)",
      "12:16: error: the value of input field 'total' must be number",
      "14:5: error: call step 'bare' gives no input, but flow 'child' requires 'email' and 'total' (hint: add input: with email and total)",
    ],
  },
  {
    name: "companion-keys",
    yaml: `flow: companion-keys\nsteps:\n  - id: route\n    cases: { a: [] }\n  - id: go\n    with: { a: 1 }\n  - id: each\n    for_eech: \${{ input }}\n    steps: []\n`,
    expected: [
      "4:5: error: 'cases' in step 'route' needs 'switch'; a switch block is switch + cases (+ default)",
      "6:5: error: 'with' in step 'go' needs 'run'; write run: <function name> next to with:",
      "8:5: error: unknown key 'for_eech' in step 'each'; did you mean 'for_each'?",
    ],
  },
  {
    name: "step-budget-exceeded",
    yaml: `flow: step-budget-exceeded\nworkflow: { limits: { steps: 100 } }\nsteps:\n  - id: poll\n    repeat: { every: 1 minute, max: 60 }\n    steps:\n      - id: probe\n        http: { url: https://x.example }\n`,
    expected: [
      "2:30: error: flow 'step-budget-exceeded' may run up to 120 durable steps, more than its limit of 100 (hint: step 'poll' alone may run 120; lower a repeat's max or raise workflow.limits.steps)",
    ],
  },
  {
    name: "step-budget-close",
    yaml: `flow: step-budget-close\nsteps:\n  - id: poll\n    repeat: { every: 1 minute, max: 4000 }\n    steps:\n      - id: probe\n        http: { url: https://x.example }\n  - id: receipt\n    call: { flow: child, input: { email: a@example.com, total: 1 } }\n`,
    others: { "child.yaml": `flow: child\ninput:\n  email: { type: string }\n  total: { type: number }\n  note: { type: string, default: none }\nsteps:\n  - id: mail\n    email: { to: "\${{ input.email }}", from: shop@example.com, subject: Receipt, text: "Total \${{ input.total }}" }\noutput: { sent: true }\n` },
    expected: [
      "1:7: warning: flow 'step-budget-close' may run up to 8002 durable steps, close to its limit of 10000 (hint: step 'poll' alone may run 8000; lower a repeat's max or raise workflow.limits.steps)",
    ],
  },
  {
    name: "nested-duplicate-ids",
    yaml: `flow: nested-duplicate-ids\nsteps:\n  - id: both\n    parallel:\n      - - id: a\n          set: { v: 1 }\n      - - id: a\n          set: { v: 2 }\n  - id: each\n    for_each: [1, 2]\n    steps:\n      - id: both\n        sleep: 1 second\n`,
    expected: [
      "7:15: error: duplicate step id 'a'; it is already used at line 5 (hint: step ids name durable steps, so each must be unique in the flow)",
      "12:13: error: duplicate step id 'both'; it is already used at line 3 (hint: step ids name durable steps, so each must be unique in the flow)",
    ],
  },
  {
    name: "websocket-scope",
    yaml: `flow: websocket-scope\ninput:\n  user: { type: string }\ntriggers:\n  - websocket: go\n    input:\n      user: \${{ message.user ?? request.body.user }}\nsteps:\n  - id: nap\n    sleep: 1 hour\n`,
    expected: [
      "7:33: error: `request` is only available in http triggers (hint: names available here: flow, instance, env, message)",
    ],
  },
  {
    name: "script-flow-parts",
    yaml: `flow: script-flow-parts\nworkflow: { script: other }\noutput: x\non_error:\n  - id: a\n    fail: x\n`,
    expected: [
      "3:1: error: 'output' cannot be used with workflow.script: the workflow runs in Worker 'other' (hint: remove 'output', or remove workflow.script to run the workflow here)",
      "4:1: error: 'on_error' cannot be used with workflow.script: the workflow runs in Worker 'other' (hint: remove 'on_error', or remove workflow.script to run the workflow here)",
    ],
  },
  {
    name: "block-options",
    yaml: `flow: block-options\nsteps:\n  - id: each\n    for_each: [a, b]\n    timeout: 1 minute\n    steps:\n      - id: nap\n        sleep: 1 second\n`,
    expected: [
      "5:5: warning: 'timeout' has no effect on a for_each block (hint: set it on the steps inside the block)",
    ],
  },
  {
    name: "blocks-allowed",
    yaml: `flow: blocks-allowed\ninput:\n  items: { type: array, default: [] }\nsteps:\n  - id: each\n    for_each: \${{ input.items }}\n    steps:\n      - id: line\n        set: { at: "\${{ index }}", item: "\${{ item }}" }\n      - id: inner\n        repeat: { every: 1 second, max: 2, until: "\${{ attempt == 2 && index >= 0 }}" }\n        steps:\n          - id: probe\n            set: { n: "\${{ attempt }}", of: "\${{ steps.line.output.at }}" }\n  - id: both\n    parallel:\n      - - id: left\n          set: { v: "\${{ steps.probe.output.n }}" }\n      - - id: right\n          set: { v: "\${{ steps.line.output.at }}" }\n  - id: route\n    switch: \${{ steps.left.output.v }}\n    cases:\n      1: [{ id: one, set: { v: "\${{ steps.right.output.v }}" } }]\n    default: [{ id: other, set: { v: 0 } }]\n  - id: tail\n    set: { v: "\${{ steps.one.output.v ?? steps.other.output.v }}", all: "\${{ steps.each.output }}" }\noutput: \${{ steps.route.output }}\n`,
    expected: [],
  },

];

const FIXTURES = new URL("../fixtures/bad/", import.meta.url);

/** Runs stages 1–4 on one case's files. */
function diagnosticsOf(c: DiagnosticCase): string[] {
  const main = `definitions/${c.name}.yaml`;
  const text = c.yaml ?? readFileSync(new URL(`${c.name}.yaml`, FIXTURES), "utf8");
  const others = Object.entries(c.others ?? {}).map(([name, t]) => ({ file: `definitions/${name}`, text: t }));
  const bag = new DiagnosticBag();
  loadDefinitions([{ file: main, text }, ...others], c.envVars ?? [], bag);
  return bag.sorted().map((d) => (d.file === main ? formatDiagnostic(d).slice(main.length + 1) : formatDiagnostic(d)));
}

describe("diagnostics of bad definitions", () => {
  it("has a table of at least 30 cases with unique names", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(diagnosticsOf(c)).toEqual(c.expected);
  });
});
