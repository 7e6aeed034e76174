import type { ActionContext } from "../runtime/action-context.ts";

/**
 * The project's actions: plain async functions a flow runs with `run:`.
 * Each runs inside a durable step (its result is recorded, so a replay does
 * not run it again); `args` is the step's `with:` mapping, checked against
 * the parameter type when the code is generated.
 */

/** Loyalty tiers by order total: one point per whole euro, doubled from 100 EUR. */
const DOUBLE_POINTS_FROM = 100;

/**
 * Reserves the loyalty points an order earns. The points are only computed
 * here; the shop credits them when the order is fulfilled.
 */
export async function reserveLoyaltyPoints(args: { customer: string; total: number }, ctx: ActionContext): Promise<{ points: number }> {
  const base = Math.max(0, Math.floor(args.total));
  const points = args.total >= DOUBLE_POINTS_FROM ? base * 2 : base;
  console.log(`[${ctx.flow}/${ctx.instanceId}/${ctx.stepId}] ${args.customer} earns ${points} points`);
  return { points };
}

/** Working days a parcel needs by shipping method; unknown methods get the slowest estimate. */
const TRANSIT_DAYS: Readonly<Record<string, number>> = { express: 1, standard: 4, pickup: 0 };

/** Estimates the delivery date of an order shipped today (or on `from`, an ISO date). */
export async function estimateDelivery(
  args: { shipping: string; from?: string },
  _ctx: ActionContext,
): Promise<{ days: number; date: string }> {
  const days = TRANSIT_DAYS[args.shipping] ?? 5;
  const start = args.from === undefined ? new Date() : new Date(args.from);
  const date = new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return { days, date };
}
