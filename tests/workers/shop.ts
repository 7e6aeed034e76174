import { env } from "cloudflare:workers";
import { getAgentByName } from "agents";
import type { OrderFulfilmentInput } from "../../generated/flows/order-fulfilment/input.ts";
import { fakeOutbound, jsonResponse, SECRETS, send, type FakeHandler, type RecordedCall } from "./helpers.ts";

/** The shop behind order-fulfilment: inventory and payments, faked in-runtime. */

export const INVENTORY = "https://api.example.com/inventory/reservations";
export const PAYMENTS = "https://api.example.com/payments/charges";

export function order(id: string, overrides: Partial<OrderFulfilmentInput> = {}): OrderFulfilmentInput {
  return {
    order_id: id,
    customer: "ada",
    email: "ada@example.com",
    shipping: "express",
    items: [
      { sku: "tea", quantity: 1 },
      { sku: "cup", quantity: 2 },
      { sku: "pot", quantity: 1 },
    ],
    total: 90,
    ...overrides,
  };
}

/** Reservations answer `{ id: "r-<sku>" }`, charges `{ id: "ch-<order>" }`; either can be replaced. */
export function fakeShop(overrides: { reserve?: FakeHandler; charge?: FakeHandler } = {}): { calls: RecordedCall[]; restore: () => void } {
  return fakeOutbound({
    [INVENTORY]: overrides.reserve ?? ((c) => jsonResponse({ id: `r-${(JSON.parse(c.body) as { sku: string }).sku}` }, 201)),
    [PAYMENTS]: overrides.charge ?? ((c) => jsonResponse({ id: `ch-${(JSON.parse(c.body) as { order: string }).order}` })),
  });
}

/** Places an order through the http trigger. */
export function placeOrder(input: OrderFulfilmentInput) {
  return send("POST", "/orders", { token: SECRETS.ORDERS_TOKEN, body: input });
}

/**
 * Starts an instance through the owning agent directly, skipping the
 * trigger's input validation: for inputs the schema refuses (an empty or a
 * very long list) that the workflow must still handle.
 */
export async function startOrderDirectly(instanceId: string, input: unknown, customer = "direct") {
  const agent = await getAgentByName(env.OrderAgent, customer);
  return agent.startOrderFulfilment({ input, instanceId });
}
