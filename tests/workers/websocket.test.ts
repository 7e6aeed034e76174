import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { OrderAgent } from "../../generated/agents/order-agent.ts";
import { connectAgent, SECRETS, spyEmail, waitForInstance, type AgentSocket } from "./helpers.ts";
import { fakeShop, order } from "./shop.ts";

/**
 * The Agent's WebSocket side: order-fulfilment's `websocket: place-order`
 * trigger, and its `report:` step reaching connected clients and the
 * agent's state. Clients connect through the Worker's fetch, as a browser
 * using `useAgent` would, with the storefront's token (who may connect, and
 * what a connection may send, is websocket-auth.test.ts).
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

async function client(name: string): Promise<AgentSocket> {
  const socket = await connectAgent("order-agent", name, SECRETS.STOREFRONT_TOKEN);
  cleanups.push(() => socket.close());
  return socket;
}

function shop(): void {
  const fake = fakeShop();
  const email = spyEmail();
  cleanups.push(fake.restore, email.restore);
}

const ofType = (type: string) => (m: Record<string, unknown>) => m["type"] === type;

describe("websocket trigger", () => {
  it("starts the flow from a place-order message and replies on the same connection", async () => {
    shop();
    const ws = await client("ada");
    ws.send({ type: "place-order", ...order("ws1", { customer: "ada" }) });
    expect(await ws.next(ofType("place-order:started"))).toEqual({
      type: "place-order:started",
      flow: "order-fulfilment",
      instance_id: "order-ws1",
      status: "started",
    });
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-ws1", "complete");
    expect(done.output).toMatchObject({ order: "ws1", payment: "ch-ws1" });
    // Started, and tracked, by the agent the client is connected to.
    const agent = await getAgentByName(env.OrderAgent, "ada");
    expect(await runInDurableObject(agent, async (a: OrderAgent) => a.getWorkflow("order-ws1"))).toMatchObject({ workflowName: "ORDER_FULFILMENT_WORKFLOW" });
    // The same order id again starts nothing new.
    ws.send({ type: "place-order", ...order("ws1", { customer: "ada" }) });
    await ws.next((m) => m["type"] === "place-order:started" && m["status"] === "exists");
  });

  it("rejects input that fails validation, naming the fields, and starts nothing", async () => {
    const ws = await client("ada");
    const { email: _email, ...noEmail } = order("ws-bad", { customer: "ada" });
    ws.send({ type: "place-order", ...noEmail, total: -1 });
    const reply = await ws.next(ofType("place-order:rejected"));
    expect(reply).toMatchObject({ type: "place-order:rejected", error: "invalid_input" });
    const fields = (reply["fields"] as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(["email", "total"]);
    await expect(env.ORDER_FULFILMENT_WORKFLOW.get("order-ws-bad")).rejects.toThrow();
  });

  it("answers frames it cannot use with an error reply, and keeps serving the connection", async () => {
    shop();
    const ws = await client("ada");
    ws.sendRaw("not json");
    expect(await ws.next(ofType("error"))).toMatchObject({ error: "bad_message", reason: "the message is not valid JSON" });
    ws.send({ type: "cancel-order", order_id: "x" });
    expect(await ws.next((m) => m["error"] === "unknown_type")).toMatchObject({
      type: "error",
      reason: 'no trigger handles messages of type "cancel-order" (known: place-order)',
    });
    ws.send({ type: "place-order", ...order("ws-after", { customer: "ada" }) });
    expect(await ws.next(ofType("place-order:started"))).toMatchObject({ instance_id: "order-ws-after" });
    await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-ws-after", "complete");
  });

  it("starts the flow in the agent agent_name names, not necessarily the one connected", async () => {
    shop();
    const ws = await client("front-desk");
    ws.send({ type: "place-order", ...order("ws-routed", { customer: "grace" }) });
    expect(await ws.next(ofType("place-order:started"))).toMatchObject({ instance_id: "order-ws-routed", status: "started" });
    await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-ws-routed", "complete");
    const owner = await getAgentByName(env.OrderAgent, "grace");
    const desk = await getAgentByName(env.OrderAgent, "front-desk");
    expect(await runInDurableObject(owner, async (a: OrderAgent) => a.getWorkflow("order-ws-routed"))).toBeTruthy();
    expect(await runInDurableObject(desk, async (a: OrderAgent) => a.getWorkflow("order-ws-routed"))).toBeFalsy();
  });
});

describe("report: progress", () => {
  it("reaches the owning agent's connected clients and its state", async () => {
    shop();
    const ws = await client("ada");
    ws.send({ type: "place-order", ...order("progress", { customer: "ada" }) });
    const message = await ws.next(ofType("flow-progress"));
    expect(message).toEqual({ type: "flow-progress", flow: "order-fulfilment", instance_id: "order-progress", progress: { percent: 50, note: "reserved" } });
    await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-progress", "complete");
    const agent = await getAgentByName(env.OrderAgent, "ada");
    const state = await runInDurableObject(agent, async (a: OrderAgent) => a.state);
    expect(state["progress"]).toEqual({ "order-fulfilment": { instance_id: "order-progress", progress: { percent: 50, note: "reserved" } } });
    // useAgent clients also get the new state itself.
    await ws.next((m) => m["type"] === "cf_agent_state" && JSON.stringify(m).includes("order-progress"));
  });
});
