import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Synthetic but realistic flows for the generator benchmark. Each flow has
 * about fifteen steps using every step kind (http, sleep, sleep_until,
 * wait_for_event, set, fail in a branch, if, switch, for_each, parallel,
 * repeat, call to the next synthetic flow, email, report, run), every
 * trigger kind (http with bearer and with hmac, cron, websocket, a
 * send_event), an on_error step and a poll. Flows are spread over a few
 * agent classes, as real projects group them. Each flow's input schema
 * differs a little (a description), as real flows' schemas do, so nothing
 * keyed by schema text is shared between flows.
 */

const AGENT_CLASSES = 4;

export function flowId(i: number): string {
  return `syn-${String(i).padStart(4, "0")}`;
}

/**
 * The definition of flow `i` of `n`. `variant` changes one visible detail
 * (a step's URL and an e-mail subject) so the watch benchmark can save a
 * real edit without changing the flow's shape.
 */
export function syntheticFlow(i: number, n: number, variant = 0): string {
  const id = flowId(i);
  const next = flowId((i + 1) % n);
  const wait = i % 2 === 0;
  return `# yaml-language-server: $schema=../generator/schema/flow.schema.json
flow: ${id}
description: Synthetic flow ${i} of ${n} for the generator benchmark (every step and trigger kind).
agent: SynAgent${i % AGENT_CLASSES}

input:
  order_id: { type: string, minLength: 1, description: "The order (flow ${i})" }
  email: { type: string, format: email }
  amount: { type: number, exclusiveMinimum: 0 }
  tier: { type: string, enum: [gold, silver, basic], default: basic }
  note: { type: string, required: false }
  items:
    type: array
    minItems: 1
    items:
      type: object
      properties:
        sku: { type: string }
        quantity: { type: integer, minimum: 1 }
      required: [sku, quantity]

triggers:
  - http: POST /syn/${i}/orders
    auth: { bearer: SYN_TOKEN }
    instance_id: ${id}-\${{ request.body.order_id }}
    agent_name: \${{ request.body.customer }}
    input:
      order_id: \${{ request.body.order_id }}
      email: \${{ request.body.email }}
      amount: \${{ request.body.amount }}
      items: \${{ request.body.items }}
  - http: POST /syn/${i}/hooks
    auth:
      hmac:
        secret: SYN_HOOK_SECRET
        header: x-signature
        prefix: "sha256="
    input:
      order_id: \${{ request.body.id }}
      email: \${{ request.body.contact.email }}
      amount: \${{ request.body.total }}
      tier: gold
      items: \${{ request.body.lines }}
    delay: 2 minutes
  - cron: "${i % 60} ${i % 24} * * *"
    input:
      order_id: nightly-${i}
      email: ops@example.com
      amount: 1
      items: [{ sku: probe, quantity: 1 }]
  - websocket: syn-${i}-start
    auth: { bearer: SYN_STORE_TOKEN }
    agent_name: \${{ message.customer }}
    input:
      order_id: \${{ message.order_id }}
      email: \${{ message.email }}
      amount: \${{ message.amount }}
      items: \${{ message.items }}
  - http: POST /syn/${i}/orders/{id}/approve
    auth: { bearer: SYN_APPROVER_TOKEN }
    send_event:
      type: approval
      instance_id: ${id}-\${{ request.params.id }}
      payload: \${{ request.body }}

steps:
  - id: lookup
    http:
      url: \${{ env.API_BASE }}/syn/${i}/v${variant}/orders/\${{ input.order_id }}
      headers: { accept: application/json }
      secret_headers: { authorization: SYN_API_KEY }
    retries: { limit: 3, delay: 10 seconds, backoff: exponential }
    timeout: 30 seconds
  - id: facts
    set:
      customer: \${{ steps.lookup.output.body.customer ?? 'unknown' }}
      big: \${{ input.amount > 100 }}
      lines: \${{ length(input.items) }}
  - id: pricing
    switch: \${{ input.tier }}
    cases:
      gold:
        - id: gold_rate
          set: { discount: 20, label: gold }
      silver:
        - id: silver_rate
          set: { discount: 10, label: silver }
    default:
      - id: basic_rate
        set: { discount: 0, label: basic }
  - id: reserve_lines
    for_each: \${{ input.items }}
    steps:
      - id: reserve
        http:
          method: POST
          url: \${{ env.API_BASE }}/inventory/reservations
          body:
            order: \${{ input.order_id }}
            line: \${{ index }}
            sku: \${{ item.sku }}
            quantity: \${{ item.quantity }}
          expect: [200, 201]
        retries: { limit: 2, delay: 5 seconds, backoff: linear }
  - id: cool_down
    if: \${{ steps.facts.output.big }}
    sleep: 5 minutes
  - id: until_ready
    repeat:
      every: 1 minute
      max: 10
      until: \${{ steps.probe.output.body.ready == true }}
    steps:
      - id: probe
        http:
          url: \${{ env.API_BASE }}/syn/${i}/ready/\${{ input.order_id }}?attempt=\${{ attempt }}
  - id: approval
    wait_for_event: { type: approval, timeout: 1 day }
  - id: decision
    if: \${{ steps.approval.output.approved == true }}
    then:
      - id: charge
        http:
          method: POST
          url: \${{ env.API_BASE }}/payments/charges
          secret_headers: { authorization: SYN_API_KEY }
          body:
            order: \${{ input.order_id }}
            amount: \${{ input.amount * (100 - steps.pricing.output.discount) / 100 }}
        retries: { limit: 3, delay: 30 seconds, backoff: exponential }
    else:
      - id: rejected
        fail: "Order \${{ input.order_id }} was rejected: \${{ steps.approval.output.reason ?? 'no reason' }}"
  - id: settle
    parallel:
      - - id: points
          run: reserveLoyaltyPoints
          with:
            customer: \${{ steps.facts.output.customer }}
            total: \${{ input.amount }}
      - - id: progress
          report: { progress: { percent: 60, note: "settled \${{ input.order_id }}" } }
  - id: child
    call:
      flow: ${next}
      input:
        order_id: \${{ input.order_id }}-${i}
        email: \${{ input.email }}
        amount: \${{ input.amount }}
        items: \${{ input.items }}
      wait: ${wait}
  - id: quiet
    sleep_until: \${{ addDuration(now(), '10 minutes') }}
  - id: confirm
    email:
      to: \${{ input.email }}
      from: orders@example.com
      subject: "Order \${{ input.order_id }} is confirmed (v${variant})"
      text: "Hello \${{ steps.facts.output.customer }}, you earned \${{ steps.points.output.points }} points."
  - id: summary
    set:
      order: \${{ input.order_id }}
      tier: \${{ steps.pricing.output.label }}
      note: \${{ input.note ?? '' }}

output:
  order: \${{ input.order_id }}
  summary: \${{ steps.summary.output }}
  reservations: \${{ steps.reserve_lines.output }}
  child: \${{ steps.child.output }}

on_error:
  - id: alert
    http:
      method: POST
      url: \${{ env.API_BASE }}/alerts
      body: { flow: ${id}, order: "\${{ input.order_id }}" }

poll:
  every: 1 minute
  on_complete:
    - broadcast: { type: ${id}-done, order: "\${{ input.order_id }}", result: "\${{ event.output }}" }
  on_error:
    - set_state:
        order: \${{ input.order_id }}
        error: \${{ event.error }}
`;
}

const ACTIONS = `import type { ActionContext } from "cf-flows/runtime/action-context.ts";

/** Bench-only actions module (bench/generator): the run: steps of the synthetic flows call it. */
export async function reserveLoyaltyPoints(args: { customer: string; total: number }, ctx: ActionContext): Promise<{ points: number }> {
  const points = Math.max(0, Math.floor(args.total));
  console.log(\`[\${ctx.flow}/\${ctx.instanceId}] \${args.customer} earns \${points} points\`);
  return { points };
}
`;

const WRANGLER = `// Bench-only project (bench/generator). The generator fills in the rest.
{
  "name": "flows-generator-bench",
  "vars": { "API_BASE": "https://api.example.com" },
  "compatibility_date": "2026-11-01",
  "compatibility_flags": ["nodejs_compat"]
}
`;

/**
 * Creates (from scratch) a project of `n` synthetic flows in `dir`: its
 * definitions, actions module and wrangler.jsonc (the generated code imports
 * cf-flows/runtime/*.ts: npm packages, cf-flows itself included through its
 * own `exports`, resolve upwards from the repository, so `dir` must be inside it).
 */
export function writeSyntheticProject(dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "definitions"), { recursive: true });
  mkdirSync(join(dir, "actions"), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, "definitions", `${flowId(i)}.yaml`), syntheticFlow(i, n));
  writeFileSync(join(dir, "actions", "index.ts"), ACTIONS);
  writeFileSync(join(dir, "wrangler.jsonc"), WRANGLER);
}
