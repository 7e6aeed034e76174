import { env, exports } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject, type WorkflowIntrospector } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OrderAgent } from "../../generated/agents/order-agent.ts";
import { connectAgent, fakeOutbound, jsonResponse, SECRETS, send, spyEmail, tokenProtocols, upgradeAgent, waitForInstance, type AgentSocket } from "./helpers.ts";
import { fakeShop, order } from "./shop.ts";

/**
 * Who may connect to an Agent, and what a connection may do (dsl.md
 * §10.11). OrderAgent hosts order-fulfilment (`websocket: place-order` with
 * the storefront's token, `watch` with the dashboard's) and order-refund
 * (`websocket: refund-order` with the support token); FlightAgent hosts no
 * websocket trigger and no watch. Every refusal is checked at the Worker
 * (status and JSON reason, no WebSocket); every frame a connection may not
 * use gets an error frame and starts nothing (introspectWorkflow sees no
 * instance).
 */

const cleanups: (() => void)[] = [];
let watched: WorkflowIntrospector[] = [];

beforeEach(async () => {
  watched = await Promise.all([env.ORDER_FULFILMENT_WORKFLOW, env.ORDER_REFUND_WORKFLOW].map((w) => introspectWorkflow(w)));
});

afterEach(async () => {
  cleanups.splice(0).forEach((undo) => undo());
  await Promise.all(watched.map((w) => w.dispose()));
});

async function client(name: string, token: string): Promise<AgentSocket> {
  const socket = await connectAgent("order-agent", name, token);
  cleanups.push(() => socket.close());
  return socket;
}

async function refusal(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  expect(response.webSocket).toBeNull();
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function startedNothing(): Promise<void> {
  for (const introspector of watched) expect(await introspector.get()).toEqual([]);
}

const ofType = (type: string) => (m: Record<string, unknown>) => m["type"] === type;

describe("connecting to an agent", () => {
  it("refuses an upgrade without a token, with a wrong token, and with a token in the query string", async () => {
    expect(await refusal(await upgradeAgent("order-agent", "ada"))).toEqual({
      status: 401,
      body: { error: "unauthorized", reason: 'missing bearer token: offer the subprotocols "cf-flows" and "bearer.<token as base64url>", or send Authorization: Bearer <token>' },
    });
    expect(await refusal(await upgradeAgent("order-agent", "ada", { protocols: tokenProtocols("not-the-token") }))).toEqual({
      status: 401,
      body: { error: "unauthorized", reason: "invalid bearer token" },
    });
    expect(await refusal(await upgradeAgent("order-agent", "ada", { headers: { authorization: "Bearer not-the-token" } }))).toMatchObject({ status: 401 });
    // In the URL the token would be logged: refused even when it is right.
    const inQuery = await refusal(await upgradeAgent("order-agent", "ada", {}, `?token=${SECRETS.STOREFRONT_TOKEN}`));
    expect(inQuery).toMatchObject({ status: 400, body: { error: "token_in_url" } });
    expect(inQuery.body["reason"]).toContain('"bearer.<token as base64url>"');
  });

  it("admits a browser's subprotocol token, selecting cf-flows so the handshake completes, and an Authorization header", async () => {
    const browser = await upgradeAgent("order-agent", "ada", { protocols: tokenProtocols(SECRETS.STOREFRONT_TOKEN) }, "?_pk=tab-1");
    expect(browser.status).toBe(101);
    expect(browser.headers.get("sec-websocket-protocol")).toBe("cf-flows");
    const ws = browser.webSocket!;
    ws.accept();
    const first = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data)), { once: true }));
    expect(JSON.parse(await first)).toMatchObject({ type: expect.stringMatching(/^cf_agent_/) });
    ws.close();

    const server = await upgradeAgent("order-agent", "ada", { headers: { authorization: `Bearer ${SECRETS.SUPPORT_TOKEN}` } });
    expect(server.status).toBe(101);
    expect(server.headers.get("sec-websocket-protocol")).toBeNull();
    server.webSocket!.accept();
    server.webSocket!.close();
  });

  it("refuses every connection to an agent that hosts no websocket trigger and no watch, and every other /agents request", async () => {
    for (const token of Object.values(SECRETS)) {
      expect(await refusal(await upgradeAgent("flight-agent", "u1", { protocols: tokenProtocols(token) }))).toMatchObject({ status: 403, body: { error: "forbidden" } });
    }
    const plain = await refusal(await exports.default.fetch("https://flows.test/agents/flight-agent/u1"));
    expect(plain).toMatchObject({ status: 403 });
    // Plain HTTP to an agent that does take connections: only the upgrade is served.
    const http = await exports.default.fetch("https://flows.test/agents/order-agent/ada", { headers: { authorization: `Bearer ${SECRETS.STOREFRONT_TOKEN}` } });
    expect(await refusal(http)).toMatchObject({ status: 426, body: { error: "upgrade_required" } });
    const post = await exports.default.fetch("https://flows.test/agents/order-agent/ada", { method: "POST", body: "{}", headers: { authorization: `Bearer ${SECRETS.STOREFRONT_TOKEN}` } });
    expect(await refusal(post)).toMatchObject({ status: 426 });
    // Deeper paths (the SDK's sub-agent routes) and agents this Worker does not have.
    expect(await refusal(await upgradeAgent("order-agent", "ada/sub/order-agent/bob", { protocols: tokenProtocols(SECRETS.STOREFRONT_TOKEN) }))).toMatchObject({ status: 404 });
    expect(await refusal(await upgradeAgent("no-such-agent", "x", { protocols: tokenProtocols(SECRETS.STOREFRONT_TOKEN) }))).toMatchObject({ status: 404 });
  });

  it("an Agent reached without the Worker's gate (no grants) sends nothing and closes the connection", async () => {
    const agent = await getAgentByName(env.OrderAgent, "ungated");
    await runInDurableObject(agent, async (a: OrderAgent) => a.setState({ private: true }));
    const response = await agent.fetch("https://flows.test/agents/order-agent/ungated", { headers: { Upgrade: "websocket", "x-cf-flows-grants": "not a grant" } });
    const ws = response.webSocket!;
    const received: unknown[] = [];
    const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
    ws.addEventListener("message", (e) => received.push(e.data));
    ws.accept();
    expect(await closed).toBe(1008);
    expect(received).toEqual([]);
  });
});

describe("what a connection may do", () => {
  it("cannot change the agent's state: a state frame gets an error frame and the state is unchanged", async () => {
    const agent = await getAgentByName(env.OrderAgent, "state-ada");
    await runInDurableObject(agent, async (a: OrderAgent) => a.setState({ kept: true }));
    const ws = await client("state-ada", SECRETS.STOREFRONT_TOKEN);
    ws.send({ type: "cf_agent_state", state: { hacked: true } });
    expect(await ws.next(ofType("cf_agent_state_error"))).toEqual({ type: "cf_agent_state_error", error: "Connection is readonly" });
    // RPC reaches no method: flow agents have no callable ones.
    ws.send({ type: "rpc", id: "1", method: "startOrderFulfilment", args: [{ input: order("rpc"), instanceId: "order-rpc" }] });
    expect(await ws.next(ofType("rpc"))).toMatchObject({ id: "1", success: false, error: "Method startOrderFulfilment is not callable" });
    ws.send({ type: "rpc", id: "2", method: "setState", args: [{ hacked: true }] });
    expect(await ws.next((m) => m["type"] === "rpc" && m["id"] === "2")).toMatchObject({ success: false });
    expect(await runInDurableObject(agent, async (a: OrderAgent) => a.state)).toEqual({ kept: true });
    await startedNothing();
  });

  it("answers hostile frames with an error frame each, starts nothing, and keeps the connection", async () => {
    const ws = await client("hostile", SECRETS.STOREFRONT_TOKEN);
    const valid = order("hostile", { customer: "hostile" });
    const errors = () => ws.messages.filter((m) => m["type"] === "error" || m["type"] === "cf_agent_state_error");
    const expectError = async (count: number, match: Record<string, unknown>) => {
      await ws.next(() => errors().length >= count);
      expect(errors()[count - 1]).toMatchObject(match);
    };
    ws.sendRaw(JSON.stringify({ type: "place-order", ...valid, pad: "x".repeat(1024 * 1024) }));
    await expectError(1, { error: "too_large", reason: "the message is larger than 1048576 bytes (1 MiB)" });
    ws.sendRaw("{not json");
    await expectError(2, { error: "bad_message", reason: "the message is not valid JSON" });
    ws.sendRaw(new TextEncoder().encode(JSON.stringify({ type: "place-order", ...valid })).buffer as ArrayBuffer);
    await expectError(3, { error: "bad_message", reason: "binary frames are not understood; send JSON text" });
    ws.sendRaw(`{"type":"place-order","__proto__":{"admin":true},${JSON.stringify(valid).slice(1)}`);
    await expectError(4, { error: "bad_message", reason: "forbidden key __proto__ in the message" });
    ws.send({ type: "place-order", ...valid, items: [{ sku: "tea", quantity: 1, constructor: { prototype: {} } }] });
    await expectError(5, { error: "bad_message", reason: "forbidden key prototype in the message" });
    ws.send({ type: "drop-tables" });
    await expectError(6, { error: "unknown_type" });
    ws.send([{ type: "place-order" }]);
    await expectError(7, { error: "bad_message", reason: "the message must be a JSON object" });
    ws.send({ type: "cf_agent_state", state: { hacked: true } });
    await expectError(8, { type: "cf_agent_state_error" });
    await startedNothing();
    expect(await runInDurableObject(await getAgentByName(env.OrderAgent, "hostile"), async (a: OrderAgent) => a.state)).not.toHaveProperty("hacked");
    // Still connected, still answering.
    ws.send({ type: "ping" });
    await expectError(9, { error: "unknown_type", reason: 'no trigger handles messages of type "ping" (known: place-order)' });
  });

  it("a connection with one trigger's token cannot fire a trigger that needs another", async () => {
    const storefront = await client("ada", SECRETS.STOREFRONT_TOKEN);
    const support = await client("ada", SECRETS.SUPPORT_TOKEN);
    const dashboard = await client("ada", SECRETS.ORDERS_DASHBOARD_TOKEN);
    const refund = { type: "refund-order", order_id: "o1", customer: "ada", amount: 10, reason: "broken cup" };
    const unauthorized = (type: string) => ({ type: "error", error: "unauthorized", reason: `this connection may not send "${type}" messages: connect with the token of its trigger` });
    storefront.send(refund);
    expect(await storefront.next(ofType("error"))).toEqual(unauthorized("refund-order"));
    support.send({ type: "place-order", ...order("not-support", { customer: "ada" }) });
    expect(await support.next(ofType("error"))).toEqual(unauthorized("place-order"));
    dashboard.send(refund);
    dashboard.send({ type: "place-order", ...order("not-dashboard", { customer: "ada" }) });
    await dashboard.next(() => dashboard.messages.filter(ofType("error")).length === 2);
    expect(dashboard.messages.filter(ofType("error"))).toEqual([unauthorized("refund-order"), unauthorized("place-order")]);
    await startedNothing();

    // The support console's own trigger works.
    const payments = fakeOutbound({ "https://api.example.com/payments/refunds": () => jsonResponse({ id: "rf-o1" }, 201) });
    cleanups.push(payments.restore);
    support.send(refund);
    expect(await support.next(ofType("refund-order:started"))).toMatchObject({ flow: "order-refund", instance_id: "refund-o1", status: "started" });
    expect((await waitForInstance(env.ORDER_REFUND_WORKFLOW, "refund-o1", "complete")).output).toEqual({ order: "o1", refund: "rf-o1" });
  });

  it("a watcher with the watch token receives progress and state; without a token there is no watching", async () => {
    const fake = fakeShop();
    const email = spyEmail();
    cleanups.push(fake.restore, email.restore);
    expect(await refusal(await upgradeAgent("order-agent", "watched"))).toMatchObject({ status: 401 });
    const watcher = await client("watched", SECRETS.ORDERS_DASHBOARD_TOKEN);
    // The order comes in over HTTP; the dashboard only watches.
    expect((await send("POST", "/orders", { token: SECRETS.ORDERS_TOKEN, body: order("watched", { customer: "watched", shipping: "pickup" }) })).status).toBe(202);
    expect(await watcher.next(ofType("flow-progress"))).toEqual({
      type: "flow-progress",
      flow: "order-fulfilment",
      instance_id: "order-watched",
      progress: { percent: 50, note: "reserved" },
    });
    await watcher.next((m) => m["type"] === "cf_agent_state" && JSON.stringify(m).includes("order-watched"));
    await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-watched", "complete");
  });
});
