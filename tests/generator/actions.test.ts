import { describe, expect, it } from "vitest";
import type { ActionsSource } from "../../generator/actions/actions-module.ts";
import { analyzeActions } from "../../generator/actions/actions-module.ts";
import { typeText } from "../../generator/actions/type-desc.ts";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import { loadDefinitions } from "../../generator/frontend.ts";

/**
 * `run:` steps against an actions module held in memory: each problem at the
 * YAML key or value concerned. The module is type-checked once per load, so
 * the cases share one flow.
 */

const MODULE: ActionsSource = {
  file: "actions/index.ts",
  text: `
type Tier = "gold" | "silver";
interface Address { city: string; zip?: string }
export async function reserveLoyaltyPoints(
  args: { customer: string; total: number; tier?: Tier; tags?: string[]; address?: Address; meta?: Record<string, number> },
  ctx: unknown,
): Promise<{ points: number }> {
  return { points: Math.floor(args.total) };
}
export function countItems(args: { items: unknown[] }): number { return args.items.length; }
export const RATE = 0.1;
export async function ping(): Promise<void> {}
export async function lookup(args?: { id?: string }): Promise<string | null> { return args?.id ?? null; }
export const archive = async (args: { id: string }): Promise<boolean> => args.id !== "";
`,
};

const FLOW = `flow: run-checks
input:
  who: { type: string }
steps:
  - id: a
    run: reserveLoyaltyPoint
  - id: b
    run: reserveLoyaltyPoints
    with:
      custmer: ann
      total: lots
      tier: bronze
      tags: [a, 1]
      address: { zip: 123, town: x }
      meta: { a: 1, b: two }
  - id: c
    run: countItems
    with: { items: [] }
  - id: d
    run: RATE
  - id: e
    run: ping
    with: { x: 1 }
  - id: f
    run: lookup
  - id: g
    run: reserveLoyaltyPoints
  - id: h
    run: reserveLoyaltyPoints
    with: { customer: "\${{ input.who }}", total: "n=\${{ input.who }}" }
  - id: i
    run: archive
    with: { id: "\${{ input.who }}" }
  - id: j
    run: reserveLoyaltyPoints
    with: { customer: ann, total: 12.5, tier: gold, tags: [a, b], address: { city: Oslo }, meta: { x: 1 } }
`;

function diagnostics(actions: ActionsSource | undefined, text = FLOW): string[] {
  const bag = new DiagnosticBag();
  loadDefinitions([{ file: "definitions/run-checks.yaml", text }], ["x"], bag, { actions });
  return bag.sorted().map((d) => formatDiagnostic(d).replace("definitions/run-checks.yaml:", ""));
}

describe("run steps", () => {
  it("report every problem at its key or value", () => {
    expect(diagnostics(MODULE)).toEqual([
      "6:10: error: unknown action 'reserveLoyaltyPoint': actions/index.ts exports no function of that name (hint: did you mean 'reserveLoyaltyPoints'?)",
      "10:7: error: 'custmer' is not a parameter of action 'reserveLoyaltyPoints' (hint: did you mean 'customer'?)",
      "11:14: error: 'total' of action 'reserveLoyaltyPoints' must be number, not the text 'lots'",
      "12:13: error: 'tier' of action 'reserveLoyaltyPoints' must be \"gold\" | \"silver\", not the text 'bronze'",
      "13:17: error: 'tags[1]' of action 'reserveLoyaltyPoints' must be string, not the number 1",
      "14:16: error: action 'reserveLoyaltyPoints' needs 'city' in 'address' (hint: add it under with:)",
      "14:23: error: 'address.zip' of action 'reserveLoyaltyPoints' must be string, not the number 123",
      "14:28: error: 'town' is not a parameter of 'address' of action 'reserveLoyaltyPoints' (hint: it takes city and zip)",
      "15:24: error: 'meta.b' of action 'reserveLoyaltyPoints' must be number, not the text 'two'",
      "17:10: error: action 'countItems' must be async: it returns number, not a Promise (hint: declare it as export async function countItems(args, ctx))",
      "20:10: error: 'RATE' in actions/index.ts is not a function (hint: run steps call exported async functions)",
      "23:11: warning: action 'ping' takes no arguments, so 'with' is ignored (hint: remove 'with', or add a parameter to the function)",
      "27:10: error: action 'reserveLoyaltyPoints' needs 'customer' and 'total', but the step has no 'with' (hint: add with: with customer and total)",
      "30:51: error: 'total' of action 'reserveLoyaltyPoints' must be number, not text",
    ]);
  });

  it("need the actions module", () => {
    const text = "flow: run-checks\nsteps:\n  - id: points\n    run: reserveLoyaltyPoints\n";
    expect(diagnostics(undefined, text)).toEqual([
      "4:10: error: step 'points' runs 'reserveLoyaltyPoints', but the project has no actions module actions/index.ts (hint: create actions/index.ts with export async function reserveLoyaltyPoints(args, ctx) { … })",
    ]);
  });

  it("list the exported functions when nothing is close", () => {
    const text = "flow: run-checks\nsteps:\n  - id: points\n    run: somethingElse\n";
    expect(diagnostics(MODULE, text)).toEqual([
      "4:10: error: unknown action 'somethingElse': actions/index.ts exports no function of that name (hint: the actions are reserveLoyaltyPoints, ping, lookup, archive)",
    ]);
  });
});

describe("run steps and expression types", () => {
  const TYPED: ActionsSource = {
    file: "actions/index.ts",
    text: `export async function award(args: { customer: string; total: number; tags?: string[] }, ctx: unknown): Promise<{ points: number; tier: "gold" | "silver" }> {
  return { points: Math.round(args.total), tier: "gold" };
}`,
  };
  const flow = `flow: run-checks
input:
  who: { type: string }
  n: { type: number }
  list: { type: array, items: { type: object, properties: { sku: { type: string } }, required: [sku] } }
steps:
  - id: a
    run: award
    with: { customer: "\${{ input.n }}", total: "\${{ input.who }}", tags: "\${{ input.list }}" }
  - id: b
    run: award
    with: { customer: "\${{ input.who ?? 'x' }}", total: "\${{ steps.a.output.points + env.RATE }}", tags: "\${{ steps.c.output ?? [] }}" }
  - id: c
    set: { tier: "\${{ steps.a.output.tier }}", p: "\${{ steps.a.output.pointz }}" }
`;

  it("check `with:` expressions by their static type, and type the action's output", () => {
    const bag = new DiagnosticBag();
    loadDefinitions([{ file: "definitions/run-checks.yaml", text: flow }], ["RATE"], bag, { actions: TYPED, envValues: { RATE: 2 } });
    expect(bag.sorted().map((d) => formatDiagnostic(d).replace("definitions/run-checks.yaml:", ""))).toEqual([
      "9:24: error: 'customer' of action 'award' must be string, but the expression gives number",
      "9:49: error: 'total' of action 'award' must be number, but the expression gives string",
      "9:75: error: 'tags' of action 'award' must be string[], but the expression gives { sku: string }[]",
      "12:117: error: step 'c' has not run yet here; its output is only available after it has run (hint: read it from a step that comes after 'c')",
      "14:71: error: steps.a.output has no property 'pointz' (hint: did you mean 'points'?)",
    ]);
  });
});

describe("analyzeActions", () => {
  it("describes exports, parameters and outputs", () => {
    const module = analyzeActions(MODULE);
    const summary = [...module.exports.values()].map((e) => [e.name, e.kind, e.argument ? typeText(e.argument) : "-", e.argumentOptional, typeText(e.output)]);
    expect(summary).toEqual([
      [
        "reserveLoyaltyPoints",
        "action",
        '{ customer: string; total: number; tier?: "gold" | "silver"; tags?: string[]; address?: { city: string; zip?: string }; meta?: { [key: string]: number } }',
        false,
        "{ points: number }",
      ],
      ["countItems", "sync", "{ items: any[] }", false, "any"],
      ["RATE", "value", "-", true, "any"],
      ["ping", "action", "-", true, "undefined"],
      ["lookup", "action", "{ id?: string }", true, "string | null"],
      ["archive", "action", "{ id: string }", false, "boolean"],
    ]);
  });
});
