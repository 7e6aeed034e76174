import type { ActionContext } from "cf-flows/runtime/action-context.ts";

/**
 * Your own code, for what a flow cannot say in YAML: plain async functions a
 * step runs with `run: <name>` and `with: { … }` (docs/language.md, "Steps").
 * Each runs inside a durable step, so a replay does not run it again; its
 * argument type is checked against the step's `with:` when you generate.
 */

/** Rounds an order total to whole loyalty points. */
export async function loyaltyPoints(args: { total: number }, _ctx: ActionContext): Promise<{ points: number }> {
  return { points: Math.max(0, Math.floor(args.total)) };
}
