import { describeDiagnostics, STEP, type DiagnosticCase } from "./diagnostics-table.ts";

/** The table of bad definitions (stage 4, the checks: names in scope, inputs, flows, ids, routes); see diagnostics-table.ts. */

const CASES: readonly DiagnosticCase[] = [
  {
    name: "duplicate-step-ids",
    yaml: `flow: duplicate-step-ids\nsteps:\n  - id: nap\n    sleep: 1 hour\n  - id: branch\n    if: \${{ true }}\n    then:\n      - id: nap\n        sleep: 2 hours\n`,
    expected: ["8:13: error: duplicate step id 'nap'; it is already used at line 3 (hint: step ids name durable steps, so each must be unique in the flow)"],
  },
  {
    name: "unknown-names",
    yaml: `flow: unknown-names\ninput:\n  user: { type: string }\ntriggers:\n  - websocket: go\n    auth: none\n    input:\n      user: \${{ request.body.user }}\nsteps:\n  - id: facts\n    set:\n      a: \${{ foo }}\n      b: \${{ steps.lookup.output }}\n      c: \${{ steps.later.output }}\n      d: \${{ input.usr }}\n      e: \${{ lenght(input.user) }}\n      f: \${{ env.REGON }}\n  - id: later\n    sleep: 1 hour\n`,
    envVars: ["REGION"],
    expected: [
      "8:17: error: `request` is only available in http triggers (hint: names available here: flow, instance, env, message)",
      "12:14: error: unknown name 'foo' (hint: names available here: input, steps, flow, instance, env)",
      "13:20: error: unknown step 'lookup' (hint: the steps of this flow are facts, later)",
      "14:20: error: step 'later' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'later')",
      "15:20: error: unknown input field 'usr' (hint: did you mean 'user'?)",
      "16:14: error: unknown function 'lenght' (hint: did you mean 'length'?)",
      "17:18: error: unknown env var 'REGON' (hint: did you mean 'REGION'?)",
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
      "6:25: error: no wait_for_event step of flow 'send-event' waits for event type 'aproval' (hint: the steps wait for 'approval')",
    ],
  },
  {
    name: "guard-types",
    yaml: `flow: guard-types\ninput:\n  mode: { type: string }\n  count: { type: number }\n  flag: {}\nsteps:\n  - id: a\n    if: "false"\n    set: { v: 1 }\n  - id: b\n    if: \${{ input.mode }}\n    set: { v: 1 }\n  - id: c\n    if: yes\n    then:\n      - id: d\n        set: { v: 1 }\n  - id: e\n    if: "\${{ input.count }} items"\n    set: { v: 1 }\n  - id: f\n    if: \${{ input.flag }}\n    set: { v: 1 }\n  - id: g\n    if: \${{ input.count > 1 && input.mode == 'x' }}\n    set: { v: 1 }\n  - id: again\n    repeat: { every: 1 minute, max: 3, until: "\${{ length(input.mode) }}" }\n    steps:\n      - id: h\n        set: { v: 1 }\n`,
    expected: [
      "8:10: error: 'if' must be true or false, not the text 'false' (hint: write if: false, without quotes)",
      "11:9: error: 'if' must be true or false, but `input.mode` is a string (hint: compare it to get true or false, e.g. if: ${{ input.mode == 'fast' }})",
      "14:9: error: 'if' must be true or false, not the text 'yes' (hint: write true, false or an expression that gives one, e.g. if: ${{ input.mode == 'fast' }})",
      "19:10: error: 'if' must be true or false, but this value is a string (hint: compare it to get true or false, e.g. if: ${{ input.mode == 'fast' }})",
      "28:48: error: 'repeat.until' must be true or false, but `length(input.mode)` is a number (hint: compare it to get true or false, e.g. until: ${{ input.mode == 'fast' }})",
    ],
  },
  {
    name: "instance-id-cycle",
    yaml: `flow: instance-id-cycle\ninput:\n  ref: { type: string }\ntriggers:\n  - http: POST /a\n    auth: none\n    instance_id: run-\${{ instance.id }}\n    input: { ref: "\${{ instance.id }}" }\n  - cron: "0 9 * * *"\n    agent_name: \${{ instance.id }}\n    input: { ref: "r-\${{ instance.id }}" }\n  - http: POST /a/{id}/go\n    auth: none\n    send_event: { type: go, instance_id: "\${{ instance.id }}", payload: { id: "\${{ instance.id }}" } }\nsteps:\n  - id: go\n    wait_for_event: { type: go }\n`,
    expected: [
      "7:26: error: instance_id cannot read `instance.id`: it defines it (hint: build the id from the trigger's own data, e.g. request.body.id)",
      "14:47: error: instance_id cannot read `instance.id`: it defines it (hint: build the id from the trigger's own data, e.g. request.body.id)",
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
    // event.error is { name, message } or null: a misspelt part of it is caught.
    name: "poll-event-error",
    yaml: `flow: poll-event-error\npoll:\n  every: 1 minute\n  on_error:\n    - set_state: { why: "\${{ event.error.mesage }}", what: "\${{ event.error.name }}" }\n${STEP}`,
    expected: ["5:42: error: event.error has no property 'mesage' (hint: did you mean 'message'?)"],
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
    expected: ["3:3: error: the default of input field 'count' must be a whole number, not the text 'many'"],
  },
  {
    name: "route-clash",
    yaml: `flow: route-clash\ntriggers:\n  - http: POST /orders/{id}\n    auth: none\n  - http: POST /orders/{key}\n    auth: none\n${STEP}`,
    expected: ["5:11: error: the route 'POST /orders/{key}' is already used by the trigger at line 3 (hint: each method and path can have only one trigger)"],
  },
  {
    name: "websocket-type-clash",
    yaml: `flow: websocket-type-clash\ntriggers:\n  - websocket: ping\n    auth: none\n  - websocket: ping\n    auth: none\n${STEP}`,
    expected: [
      "5:16: error: the websocket message type 'ping' of agent FlowAgent is already used by the trigger at line 3 (hint: give one of the triggers another message type, or host the flows in different agent classes)",
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

  // did you mean: input values and fields, names, step ids, functions, output fields.
  {
    name: "route-after-bad-method",
    yaml: `flow: route-after-bad-method\ntriggers:\n  - http: FETCH /orders\n    auth: none\n  - http: POST /orders\n    auth: none\n${STEP}`,
    expected: [
      "3:11: error: unknown HTTP method 'FETCH' (hint: use GET, POST, PUT, PATCH, DELETE)",
    ],
  },
  {
    name: "trigger-input-typo",
    yaml: `flow: trigger-input-typo\ninput:\n  email: { type: string }\ntriggers:\n  - cron: "0 9 * * *"\n    input: { emial: a@example.com }\n${STEP}`,
    expected: [
      "6:14: error: unknown input field 'emial' for flow 'trigger-input-typo' (hint: did you mean 'email'?)",
    ],
  },
  {
    name: "input-values-enum",
    yaml: `flow: input-values-enum\ninput:\n  kind: { type: string, enum: [express, standard], default: fast }\ntriggers:\n  - cron: "0 9 * * *"\n    input: { kind: expres }\n${STEP}`,
    expected: [
      "3:3: error: the default of input field 'kind' must be 'express' or 'standard', not the text 'fast'",
      "6:20: error: the value of input field 'kind' must be 'express' or 'standard', not the text 'expres' (hint: did you mean 'express'?)",
    ],
  },
  {
    name: "input-values-shapes",
    yaml: `flow: input-values-shapes\ninput:\n  n: { type: integer, minimum: 1 }\n  tags: { type: array, items: { type: string } }\n  code: { type: string, minLength: 3 }\n  address: { type: object, properties: { city: { type: string } }, additionalProperties: false }\ntriggers:\n  - cron: "0 9 * * *"\n    input: { n: 0, tags: [a, 1], code: ab, address: { cty: Paris } }\n${STEP}`,
    expected: [
      "9:17: error: the value of input field 'n' must be at least 1, not 0",
      "9:26: error: the value of input field 'tags' at [1] must be text, not the number 1",
      "9:40: error: the value of input field 'code' must have at least 3 characters, not 2",
      "9:53: error: the value of input field 'address' has the unknown key 'cty' (hint: did you mean 'city'?)",
    ],
  },
  {
    name: "misspelt-names",
    yaml: `flow: misspelt-names\ninput:\n  user: { type: string }\ntriggers:\n  - cron: "0 9 * * *"\n    input: { user: "\${{ schedule.tme }}" }\n  - http: POST /users\n    auth: none\n    input: { user: "\${{ request.bdy.user }}" }\nsteps:\n  - id: lookup\n    set: { a: "\${{ flow.nmae }}", b: "\${{ instance.di }}", c: "\${{ uppr(input.user) }}" }\n  - id: after\n    set: { d: "\${{ steps.lokup.output }}", e: "\${{ steps.lookup.outptu }}", f: "\${{ inptu.user }}", g: "\${{ stpes.lookup.output }}" }\npoll:\n  every: 1 minute\n  on_complete:\n    - set_state: { s: "\${{ event.stauts }}" }\n`,
    expected: [
      "6:34: error: `schedule` has no property 'tme' (hint: did you mean 'time'?)",
      "9:33: error: `request` has no property 'bdy' (hint: did you mean 'body'?)",
      "12:25: error: `flow` has only the property `name` (hint: write `flow.name`)",
      "12:52: error: `instance` has only the property `id` (hint: write `instance.id`)",
      "12:68: error: unknown function 'uppr' (hint: did you mean 'upper'?)",
      "14:26: error: unknown step 'lokup' (hint: did you mean 'lookup'?)",
      "14:65: error: a step has only `output`; `steps.lookup.outptu` does not exist (hint: write `steps.lookup.output.outptu` to read a field of its output)",
      "14:85: error: unknown name 'inptu' (hint: did you mean 'input'?)",
      "14:109: error: unknown name 'stpes' (hint: did you mean 'steps'?)",
      "18:34: error: `event` has no property 'stauts' (hint: did you mean 'status'?)",
    ],
  },
  {
    name: "misspelt-output-fields",
    yaml: `flow: misspelt-output-fields\ninput:\n  user: { type: object, properties: { name: { type: string } } }\nsteps:\n  - id: lookup\n    http: { url: "https://x.example" }\n  - id: facts\n    set: { count: 1 }\n  - id: use\n    set: { a: "\${{ steps.lookup.output.bdy }}", b: "\${{ input.user.nme }}", c: "\${{ steps.facts.output.cont }}" }\n`,
    expected: [
      "10:40: error: steps.lookup.output has no property 'bdy' (hint: did you mean 'body'?)",
      "10:68: error: input.user has no property 'nme' (hint: did you mean 'name'?)",
      "10:104: error: steps.facts.output has no property 'cont' (hint: did you mean 'count'?)",
    ],
  },
  {
    name: "expression-duplicate-key",
    yaml: `flow: expression-duplicate-key\nsteps:\n  - id: facts\n    set: { v: "\${{ { a: 1, a: 2 } }}" }\n`,
    expected: [
      "4:31: error: the key 'a' appears twice in this object (hint: remove one of them; the later one would win)",
    ],
  },
  {
    name: "workflow-name-clash",
    yaml: `flow: workflow-name-clash\nworkflow: { class: SharedWorkflow, binding: SHARED }\n${STEP}`,
    others: { "shared.yaml": `flow: shared\nworkflow: { binding: SHARED }\n${STEP}` },
    expected: [
      "definitions/shared.yaml:1:7: error: the class name 'SharedWorkflow' is also used by flow 'workflow-name-clash' (definitions/workflow-name-clash.yaml:1) (hint: give one of the two flows another workflow.class)",
      "definitions/shared.yaml:2:22: error: the workflow binding 'SHARED' is also used by flow 'workflow-name-clash' (definitions/workflow-name-clash.yaml:1) (hint: give one of the two flows another workflow.binding)",
    ],
  },
];

describeDiagnostics("checks", CASES);
