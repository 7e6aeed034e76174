import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { loadProject } from "../../generator/frontend.ts";
import { describeDiagnostics, type DiagnosticCase } from "./diagnostics-table.ts";

/**
 * A file with schema errors still has its other parts modelled and checked
 * (generator/validate/partial-flow.ts): one run reports every error of the
 * file, and a part left out causes no errors of its own elsewhere.
 */

const CASES: readonly DiagnosticCase[] = [
  {
    name: "schema-and-expression-errors",
    yaml: `flow: schema-and-expression-errors
input:
  order: { type: string }
steps:
  - id: get
    http: { url: https://x.example }
    retries: { limit: five }
  - id: mail
    email: { to: "\${{ input.ordr }}", from: a@example.com, subject: Hi, text: "\${{ upper(steps.get.output.body) }}" }
`,
    expected: [
      "7:23: error: 'retries.limit' in step 'get' must be a whole number, not the text 'five' (hint: for example limit: 5)",
      "9:29: error: unknown input field 'ordr' (hint: did you mean 'order'?)",
    ],
  },
  {
    name: "broken-step-referenced-later",
    yaml: `flow: broken-step-referenced-later
steps:
  - id: lookup
    http: { url: https://x.example, methd: GET }
  - id: check
    if: \${{ steps.lookup.output.status == 200 }}
    then:
      - id: nap
        sleep: 1 hour
  - id: save
    http: { url: "https://x.example/\${{ steps.lokup.output.body }}" }
output: \${{ steps.lookup.output.body }}
`,
    expected: [
      "4:37: error: unknown key 'methd' in 'http' of step 'lookup'; did you mean 'method'?",
      "11:47: error: unknown step 'lokup' (hint: did you mean 'lookup'?)",
    ],
  },
  {
    name: "broken-block-hides-its-steps-only",
    yaml: `flow: broken-block-hides-its-steps-only
steps:
  - id: each
    for_each: \${{ [1, 2] }}
    retries: { limit: lots }
    steps:
      - id: inner
        sleep: 1 hour
  - id: after
    sleep: 1 hour
  - id: last
    http: { url: "https://x.example/\${{ steps.inner.output }}/\${{ nope }}" }
`,
    expected: [
      "5:23: error: 'retries.limit' in step 'each' must be a whole number, not the text 'lots' (hint: for example limit: 5)",
      "12:67: error: unknown name 'nope' (hint: names available here: input, steps, flow, instance, env)",
    ],
  },
  {
    name: "broken-trigger-and-step-expression",
    yaml: `flow: broken-trigger-and-step-expression
triggers:
  - http: POST /orders
    auth: { bearer: ORDERS_TOKEN }
    agent_nme: shop
    input: { id: "\${{ request.body.id }}" }
  - cron: "0 9 * * *"
    input: { id: "\${{ schedule.tme }}" }
input:
  id: { type: string }
steps:
  - id: get
    http: { url: "https://x.example/\${{ lenght(input.id) }}" }
`,
    expected: [
      "5:5: error: unknown key 'agent_nme' in the http trigger; did you mean 'agent_name'?",
      "8:32: error: `schedule` has no property 'tme' (hint: did you mean 'time'?)",
      "13:41: error: unknown function 'lenght' (hint: did you mean 'length'?)",
    ],
  },
  {
    name: "broken-input-field-used-later",
    yaml: `flow: broken-input-field-used-later
input:
  email: { type: strin }
  total: { type: number }
triggers:
  - websocket: pay
    auth: none
    input: { email: "\${{ message.email }}" }
steps:
  - id: mail
    email: { to: "\${{ input.email }}", from: a@example.com, subject: "\${{ input.totl }}", text: Hi }
`,
    expected: [
      "3:18: error: 'type' in input field 'email' must be 'string', 'number', 'integer', 'boolean', 'object', 'array' or 'null', not the text 'strin' (hint: did you mean 'string'?)",
      "8:12: error: the websocket trigger does not give the required input field 'total' (hint: add it under input:, or give the field a default in the flow)",
      "11:81: error: unknown input field 'totl' (hint: did you mean 'total'?)",
    ],
  },
  {
    name: "broken-poll-and-on-error-step",
    yaml: `flow: broken-poll-and-on-error-step
steps:
  - id: nap
    sleep: 1 hour
on_error:
  - id: tell
    http: { url: https://x.example, bdy: {} }
  - id: log
    http: { url: "https://x.example/\${{ steps.tell.output.status }}/\${{ steps.nope.output }}" }
poll:
  every: "*/5 * * * *"
  on_complete:
    - set_sate: { done: true }
`,
    expected: [
      "7:37: error: unknown key 'bdy' in 'http' of step 'tell'; did you mean 'body'?",
      "9:79: error: unknown step 'nope' (hint: the steps of this flow are nap, log, tell)",
      "13:7: error: unknown key 'set_sate' in an action in poll.on_complete; did you mean 'set_state'?",
    ],
  },
];

describeDiagnostics("a schema error hides no other error", CASES);

describe("a flow test of a file with schema errors", () => {
  it("waits until the flow validates: the steps left out are not reported as missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-flows-partial-"));
    try {
      mkdirSync(join(dir, "definitions"));
      const flow = `flow: parcel\nsteps:\n  - id: ask\n    http: { url: https://x.example, methd: GET }\n  - id: nap\n    sleep: 1 hour\n`;
      writeFileSync(join(dir, "definitions/parcel.yaml"), flow);
      writeFileSync(join(dir, "definitions/parcel.test.yaml"), `flow: parcel\ncases:\n  - name: asks\n    mocks: { ask: { status: 200 } }\n    expect: { status: complete, steps: { ask: ran } }\n`);
      const { bag } = loadProject(dir);
      expect(bag.sorted().map(formatDiagnostic)).toEqual([
        "definitions/parcel.yaml:4:37: error: unknown key 'methd' in 'http' of step 'ask'; did you mean 'method'?",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
