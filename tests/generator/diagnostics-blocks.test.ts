import { CHILD, describeDiagnostics, type DiagnosticCase } from "./diagnostics-table.ts";

/** The table of bad definitions (blocks, calls, email, report, actions and the step budget); see diagnostics-table.ts. */

const CASES: readonly DiagnosticCase[] = [
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
      "8:5: error: 'retries' cannot be used on a repeat block: each step inside it is a durable step with retries of its own (hint: set retries on the steps inside the block)",
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
    others: { "child.yaml": CHILD },
    expected: [
      "4:19: error: step 'self' calls its own flow 'call-checks' (hint: a flow cannot call itself; to run steps again, use repeat or for_each)",
      "6:19: error: unknown flow 'chlid' (hint: did you mean 'child'?)",
      "11:9: error: unknown input field 'emial' for flow 'child' (hint: did you mean 'email'?)",
      "12:16: error: the value of input field 'total' must be a number, not the text 'lots'",
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
    others: { "child.yaml": CHILD },
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
    yaml: `flow: websocket-scope\ninput:\n  user: { type: string }\ntriggers:\n  - websocket: go\n    auth: none\n    input:\n      user: \${{ message.user ?? request.body.user }}\nsteps:\n  - id: nap\n    sleep: 1 hour\n`,
    expected: [
      "8:33: error: `request` is only available in http triggers (hint: names available here: flow, instance, env, message)",
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
      "5:5: error: 'timeout' cannot be used on a for_each block: a timeout bounds one durable step, and a block runs many (hint: set timeout on the steps inside the block)",
    ],
  },
  {
    name: "step-options-refused",
    yaml: `flow: step-options-refused\nsteps:\n  - id: nap\n    sleep: 1 hour\n    retries: { limit: 2 }\n    timeout: 1 minute\n  - id: later\n    sleep_until: "2030-01-01T00:00:00Z"\n    timeout: 1 minute\n  - id: approval\n    wait_for_event: { type: approval }\n    timeout: 1 day\n    retries: { limit: 2 }\n  - id: stop\n    fail: no\n    retries: { limit: 2 }\n  - id: check\n    if: true\n    then:\n      - id: look\n        http: { url: "https://example.com" }\n        retries: { limit: 2 }\n        timeout: 10 seconds\n    timeout: 1 minute\n`,
    expected: [
      "5:5: error: 'retries' cannot be used on a sleep step: it cannot fail, so there is nothing to retry (hint: remove 'retries')",
      "6:5: error: 'timeout' cannot be used on a sleep step: it always lasts exactly its duration (hint: shorten the sleep instead)",
      "9:5: error: 'timeout' cannot be used on a sleep_until step: it always waits until its time (hint: compute an earlier time, e.g. with addDuration)",
      "12:5: error: 'timeout' cannot be used on a wait_for_event step: the wait has its own timeout, inside wait_for_event (hint: write wait_for_event: { type: …, timeout: 1 day })",
      "13:5: error: 'retries' cannot be used on a wait_for_event step: a wait is not repeated; it ends when the event arrives or its timeout passes (hint: set the wait's own timeout: wait_for_event: { type: …, timeout: 1 day })",
      "16:5: error: 'retries' cannot be used on a fail step: it fails on purpose and is never retried (hint: remove 'retries')",
      "24:5: error: 'timeout' cannot be used on an if block: a timeout bounds one durable step, and a block runs many (hint: set timeout on the steps inside the block)",
    ],
  },
  {
    name: "blocks-allowed",
    yaml: `flow: blocks-allowed\ninput:\n  items: { type: array, default: [] }\nsteps:\n  - id: each\n    for_each: \${{ input.items }}\n    steps:\n      - id: line\n        set: { at: "\${{ index }}", item: "\${{ item }}" }\n      - id: inner\n        repeat: { every: 1 second, max: 2, until: "\${{ attempt == 2 && index >= 0 }}" }\n        steps:\n          - id: probe\n            set: { n: "\${{ attempt }}", of: "\${{ steps.line.output.at }}" }\n  - id: both\n    parallel:\n      - - id: left\n          set: { v: "\${{ steps.probe.output.n }}" }\n      - - id: right\n          set: { v: "\${{ steps.line.output.at }}" }\n  - id: route\n    switch: \${{ steps.left.output.v }}\n    cases:\n      1: [{ id: one, set: { v: "\${{ steps.right.output.v }}" } }]\n    default: [{ id: other, set: { v: 0 } }]\n  - id: tail\n    set: { v: "\${{ steps.one.output.v ?? steps.other.output.v }}", all: "\${{ steps.each.output }}" }\noutput: \${{ steps.route.output }}\n`,
    expected: [],
  },
];

describeDiagnostics("blocks and calls", CASES);
