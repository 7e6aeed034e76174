import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ACTIONS_MODULE, analyzeActions, readActionsSource } from "../../generator/actions/actions-module.ts";
import { usedActions } from "../../generator/actions/check-actions.ts";
import { allSteps } from "../../generator/model/walk.ts";
import { worstCaseSteps } from "../../generator/check/step-budget.ts";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { loadProject } from "../../generator/frontend.ts";
import type { Flow, Step } from "../../generator/model/types.ts";

/** The examples of the block, call, email, report and run steps model as dsl.md §5 says. */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { project, bag } = loadProject(ROOT);
const flow = (id: string): Flow => {
  const found = project.flows.find((f) => f.id === id);
  if (!found) throw new Error(`no flow ${id}`);
  return found;
};
/** A step anywhere in the flow, narrowed to the kind the test expects. */
function step<K extends Step["kind"]>(f: Flow, id: string, kind: K): Extract<Step, { kind: K }> {
  const found = allSteps([...f.steps, ...f.onError]).find((s) => s.id === id);
  if (found?.kind !== kind) throw new Error(`step ${id} is ${found?.kind ?? "missing"}, not ${kind}`);
  return found as Extract<Step, { kind: K }>;
}
const ids = (steps: readonly Step[]): string[] => steps.map((s) => s.id);

describe("the new examples", () => {
  it("load with no diagnostics", () => {
    expect(bag.items.map(formatDiagnostic)).toEqual([]);
  });

  it("order-fulfilment: triggers", () => {
    const f = flow("order-fulfilment");
    expect(f.agentClass).toBe("OrderAgent");
    expect(f.triggers.map((t) => t.kind)).toEqual(["http", "websocket"]);
    expect(f.triggers[0]).toMatchObject({ method: "POST", path: "/orders", auth: { kind: "bearer", secret: "ORDERS_TOKEN" } });
    expect(f.triggers[1]).toMatchObject({ kind: "websocket", messageType: "place-order" });
    expect(f.poll?.every).toMatchObject({ kind: "interval", duration: { seconds: 60 } });
    expect(f.poll?.onComplete.map((a) => a.kind)).toEqual(["broadcast"]);
  });

  it("order-fulfilment: switch, for_each, parallel", () => {
    const f = flow("order-fulfilment");
    expect(ids(f.steps)).toEqual(["quote", "reserve_items", "progress", "settle", "receipt", "track", "confirm"]);
    const quote = step(f, "quote", "switch");
    expect(quote.on.kind).toBe("expr");
    expect(quote.cases.map((c) => [c.value, ids(c.steps)])).toEqual([
      ["express", ["express_quote"]],
      ["standard", ["standard_quote"]],
    ]);
    expect(ids(quote.default)).toEqual(["pickup_quote"]);
    const reserve = step(f, "reserve_items", "for_each");
    expect(reserve.items.kind).toBe("expr");
    expect(reserve.steps.map((s) => [s.id, s.kind])).toEqual([["reserve", "http"], ["reserved_line", "set"]]);
    const settle = step(f, "settle", "parallel");
    expect(settle.branches.map((b) => b.map((s) => [s.id, s.kind]))).toEqual([[["charge", "http"]], [["points", "run"]]]);
  });

  it("order-fulfilment: run, call, report, email", () => {
    const f = flow("order-fulfilment");
    const points = step(f, "points", "run");
    expect(points.action).toBe("reserveLoyaltyPoints");
    expect(points.with?.kind === "object" && points.with.entries.map((e) => e.key)).toEqual(["customer", "total"]);
    const receipt = step(f, "receipt", "call");
    expect(receipt).toMatchObject({ flow: "send-receipt", wait: true });
    expect(receipt.input?.kind === "object" && receipt.input.entries.map((e) => e.key)).toEqual(["customer", "email", "order_id", "total"]);
    const progress = step(f, "progress", "report");
    expect(progress.progress).toMatchObject({ kind: "object", entries: [{ key: "percent", value: { kind: "literal", value: 50 } }, { key: "note", value: { kind: "literal", value: "reserved" } }] });
    const confirm = step(f, "confirm", "email");
    expect(confirm.email.to.kind).toBe("expr");
    expect(confirm.email.from).toMatchObject({ kind: "literal", value: "orders@example.com" });
    expect(confirm.email.subject.kind).toBe("template");
    expect(confirm.email.text?.kind).toBe("template");
    expect(confirm.email.html).toBeUndefined();
  });

  it("send-receipt: a child flow with no triggers", () => {
    const f = flow("send-receipt");
    expect(f.triggers).toEqual([]);
    expect(f.input.map((i) => [i.name, i.required])).toEqual([["customer", true], ["email", true], ["order_id", true], ["total", true]]);
    const mail = step(f, "mail", "email");
    expect(mail.email.html?.kind).toBe("template");
    expect(f.output).toMatchObject({ kind: "object", entries: [{ key: "sent", value: { kind: "literal", value: true } }] });
  });

  it("parcel-tracking: repeat with until, a scheduled start", () => {
    const f = flow("parcel-tracking");
    expect(f.triggers[0]?.at?.kind).toBe("expr");
    const loop = step(f, "until_delivered", "repeat");
    expect(loop).toMatchObject({ every: { seconds: 3600, text: "1 hour" }, max: 48, until: { kind: "expr" } });
    expect(loop.steps.map((s) => [s.id, s.kind])).toEqual([["check", "http"], ["status", "report"]]);
    expect(step(f, "outcome", "if").then.map((s) => s.kind)).toEqual(["email"]);
  });

  it("crm-sync: a workflow in another Worker", () => {
    const f = flow("crm-sync");
    expect(f.steps).toEqual([]);
    expect(f.workflow).toMatchObject({ script: "crm-worker", binding: "CRM_SYNC_WORKFLOW" });
    expect(f.poll?.onComplete.map((a) => a.kind)).toEqual(["set_state"]);
  });
});

describe("worstCaseSteps", () => {
  it("counts the examples", () => {
    // quote 1 + progress 1 + settle 2 + receipt (call, waits) 2 + confirm 1; reserve_items loops over input.
    expect(worstCaseSteps(flow("order-fulfilment"))).toEqual({ steps: 8, bounded: false });
    // 48 rounds × (check + status + 1 sleep) + the larger if branch.
    expect(worstCaseSteps(flow("parcel-tracking"))).toEqual({ steps: 48 * 3 + 1, bounded: true });
    expect(worstCaseSteps(flow("send-receipt"))).toEqual({ steps: 1, bounded: true });
    expect(worstCaseSteps(flow("expense-approval"))).toEqual({ steps: 4, bounded: true });
  });
});

describe("the actions module", () => {
  it("lists the actions the flows run, for the emitter's import", () => {
    expect(usedActions(project.flows)).toEqual(["reserveLoyaltyPoints"]);
  });

  it("reads actions/index.ts with its parameter and output types", () => {
    const source = readActionsSource(ROOT);
    expect(source?.file).toBe(ACTIONS_MODULE);
    const module = analyzeActions(source!);
    expect([...module.exports.keys()]).toEqual(["reserveLoyaltyPoints", "estimateDelivery"]);
    expect(module.exports.get("reserveLoyaltyPoints")).toEqual({
      name: "reserveLoyaltyPoints",
      kind: "action",
      argument: {
        kind: "object",
        properties: [
          { name: "customer", optional: false, type: { kind: "string" } },
          { name: "total", optional: false, type: { kind: "number" } },
        ],
      },
      argumentOptional: false,
      output: { kind: "object", properties: [{ name: "points", optional: false, type: { kind: "number" } }] },
      returnText: "Promise<{ points: number; }>",
    });
  });
});
