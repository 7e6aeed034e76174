import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlightAgent } from "../../generated/agents/flight-agent.ts";
import { fakeOutbound, waitForInstance } from "./helpers.ts";
import { INVENTORY, PAYMENTS, order, placeOrder } from "./shop.ts";

/**
 * An `http` step persists only the parts of its response that the flow's
 * expressions read (generator/expressions/output-reads.ts, keepRead): the
 * rest of a large answer, headers included, is dropped before Workflows
 * stores the step's result, and every later step still sees each field it
 * reads, through blocks and loops too.
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

/** A JSON answer with much the flow never reads: extra fields, extra headers. */
function bulky(body: Record<string, unknown>, status = 200): Response {
  const padded = { ...body, history: Array.from({ length: 50 }, (_, i) => ({ at: i, note: "x".repeat(40) })), links: { self: "https://api.example.com/x" } };
  return new Response(JSON.stringify(padded), {
    status,
    headers: { "content-type": "application/json", "x-request-id": "req-123", "cache-control": "no-store", etag: '"abc"' },
  });
}

/** Introspects order-fulfilment's child flows, so that they are aborted when the test ends. */
async function stopChildrenAfterTest(): Promise<AsyncDisposable> {
  const children = [await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW), await introspectWorkflow(env.PARCEL_TRACKING_WORKFLOW)];
  return { [Symbol.asyncDispose]: async () => void (await Promise.all(children.map((c) => c[Symbol.asyncDispose]()))) };
}

describe("http step outputs keep what the flow reads", () => {
  it("flight-status: lookup keeps body.status, facts and the output still see it", async () => {
    const fake = fakeOutbound({ "https://api.example.com/flights/": () => bulky({ status: "delayed", delay_minutes: 40, gate: "B12" }) });
    cleanups.push(fake.restore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const agent = await getAgentByName(env.FlightAgent, "trim-flyer");
    // Started at once (no startAt), through the agent as the delayed start would.
    const start = { input: { user: "trim-flyer", flight: "DL7", date: "2026-12-01", notify: true }, instanceId: "flight-trimmed" };
    expect(await runInDurableObject(agent, async (a: FlightAgent) => a.startFlightStatus(start))).toMatchObject({ status: "started" });
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(await instance!.waitForStepResult({ name: "lookup" })).toEqual({ body: { status: "delayed" } });
    expect(await instance!.waitForStepResult({ name: "facts" })).toEqual({ status: "delayed", delayed: true, notify: true });
    expect(await instance!.getOutput()).toEqual({ flight: "DL7", date: "2026-12-01", status: "delayed", delayed: true });
  });

  it("order-fulfilment: steps in a for_each and a parallel branch keep body.id, read inside the loop and by the output", async () => {
    const fake = fakeOutbound({
      [INVENTORY]: (c) => bulky({ id: `r-${(JSON.parse(c.body) as { sku: string }).sku}`, warehouse: "north" }, 201),
      [PAYMENTS]: (c) => bulky({ id: `ch-${(JSON.parse(c.body) as { order: string }).order}`, card: { last4: "4242" } }),
      // The order's parcel-tracking child polls meanwhile.
      "https://api.example.com/parcels/": () => bulky({ status: "in_transit" }),
    });
    cleanups.push(fake.restore);
    await using wf = await introspectWorkflow(env.ORDER_FULFILMENT_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableSleeps();
    });
    // The order's children (receipt, parcel tracking) are stopped with the test, before fetch is real again.
    await using _children = await stopChildrenAfterTest();
    expect((await placeOrder(order("trim"))).status).toBe(202);
    const done = await waitForInstance(env.ORDER_FULFILMENT_WORKFLOW, "order-trim", "complete");
    const [instance] = await wf.get();
    expect(await instance!.waitForStepResult({ name: "reserve_items[1].reserve" })).toEqual({ body: { id: "r-cup" } });
    expect(await instance!.waitForStepResult({ name: "charge" })).toEqual({ body: { id: "ch-trim" } });
    expect(await instance!.waitForStepResult({ name: "reserve_items[1].reserved_line" })).toEqual({ line: 1, sku: "cup", reservation: "r-cup" });
    expect(done.output).toMatchObject({
      reservations: [
        { line: 0, sku: "tea", reservation: "r-tea" },
        { line: 1, sku: "cup", reservation: "r-cup" },
        { line: 2, sku: "pot", reservation: "r-pot" },
      ],
      payment: "ch-trim",
    });
  });

  it("a text body a flow reads as a field keeps the whole text (a field of text is undefined either way)", async () => {
    const fake = fakeOutbound({ "https://api.example.com/flights/": () => new Response("not json", { headers: { "content-type": "text/plain" } }) });
    cleanups.push(fake.restore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const agent = await getAgentByName(env.FlightAgent, "text-flyer");
    const start = { input: { user: "text-flyer", flight: "DL8", date: "2026-12-01", notify: true }, instanceId: "flight-text" };
    await runInDurableObject(agent, async (a: FlightAgent) => a.startFlightStatus(start));
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(await instance!.waitForStepResult({ name: "lookup" })).toEqual({ body: "not json" });
    const output = (await instance!.getOutput()) as Record<string, unknown>;
    expect(output).toMatchObject({ flight: "DL8", date: "2026-12-01", delayed: false });
    expect(output["status"] ?? null).toBeNull();
  });
});
