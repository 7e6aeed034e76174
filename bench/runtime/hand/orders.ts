import { Agent, getAgentByName } from "agents";
import { AgentWorkflow, type AgentWorkflowEvent, type AgentWorkflowStep } from "agents/workflows";
import { getJson, hasBearer, isObject, jsonBody, reply } from "./http.ts";

/**
 * The 50-step benchmark flow (bench/runtime/flows/steps-50.yaml) written by
 * hand: POST /bench/orders with a bearer token starts an instance in the
 * customer's agent; the workflow prices ten lines, each with the same five
 * durable calls as the definition (price_n with 3 exponential retries,
 * total_n, high_n or low_n, the pause_n sleep, note_n).
 */

export interface Order {
  readonly order_id: string;
  readonly customer: string;
  readonly amount: number;
  readonly express: boolean;
}

export interface OrderResult {
  readonly order: string;
  readonly total: number;
  readonly tier: string;
  readonly discount: number;
}

const ORDER_ID = /^[A-Z0-9-]{3,20}$/;
const LINES = 10;

export function parseOrder(body: unknown): Order | string {
  if (!isObject(body)) return "the body must be a JSON object";
  const { order_id, customer, amount, express = false } = body;
  if (typeof order_id !== "string" || !ORDER_ID.test(order_id)) return "order_id must be 3 to 20 capitals, digits or dashes";
  if (typeof customer !== "string") return "customer is required";
  if (typeof amount !== "number" || !(amount >= 0)) return "amount must be a number, at least 0";
  if (typeof express !== "boolean") return "express must be true or false";
  return { order_id, customer, amount, express };
}

/** POST /bench/orders */
export async function handleOrderRequest(request: Request, env: Cloudflare.Env): Promise<Response> {
  if (!hasBearer(request, env.BENCH_TOKEN)) return reply(401, { error: "unauthorized" });
  const order = parseOrder(await jsonBody(request));
  if (typeof order === "string") return reply(400, { error: "invalid_input", reason: order });
  const agent = await getAgentByName(env.HandOrderAgent, order.customer);
  return reply(202, await agent.startOrder(order));
}

export class HandOrderAgent extends Agent<Cloudflare.Env> {
  async startOrder(order: Order): Promise<{ flow: string; instance_id: string; status: string }> {
    const id = await this.runWorkflow("HAND_ORDER_WORKFLOW", order);
    return { flow: "steps-50", instance_id: id, status: "started" };
  }
}

export class HandOrderWorkflow extends AgentWorkflow<HandOrderAgent, Order> {
  override async run(event: AgentWorkflowEvent<Order>, step: AgentWorkflowStep): Promise<OrderResult> {
    const { order_id, amount, express } = event.payload;
    let total = amount;
    let tier = { tier: "low", discount: 0 };
    for (let line = 1; line <= LINES; line++) {
      const price = await step.do(`price_${line}`, { retries: { limit: 3, delay: "2 seconds", backoff: "exponential" } }, async () => {
        const body = await getJson(`${this.env.API_BASE}/prices/${order_id}/${line}`);
        return { price: isObject(body) && typeof body["price"] === "number" ? body["price"] : 0 };
      });
      const running = await step.do(`total_${line}`, async () => ({ total: total + price.price, lines: line }));
      total = running.total;
      tier =
        total > 100
          ? await step.do(`high_${line}`, async () => ({ tier: "high", discount: total * 0.05 }))
          : await step.do(`low_${line}`, async () => ({ tier: "low", discount: 0 }));
      await step.sleep(`pause_${line}`, "10 seconds");
      const label = tier.tier;
      await step.do(`note_${line}`, async () => ({ message: `Order ${order_id} line ${line}: ${label}`, express }));
    }
    return { order: order_id, total, tier: tier.tier, discount: tier.discount };
  }
}
