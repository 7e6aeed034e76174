import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import type { ScheduledStart } from "../../runtime/flow-agent.ts";
import { SECRETS, fakeOutbound, jsonResponse, send, spyEmail, waitForInstance } from "./helpers.ts";

/**
 * parcel-tracking: an http trigger with `at:`, a `repeat` that polls the
 * carrier until the parcel is delivered (at most 48 times, an hour apart;
 * sleeps disabled here), then an if/else on the result.
 */

const PARCELS = "https://api.example.com/parcels/";
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

function register(tracking: string, extra: Record<string, unknown> = {}) {
  return send("POST", "/parcels", {
    token: SECRETS.PARCELS_TOKEN,
    body: { tracking_number: tracking, customer: "ada", email: "ada@example.com", ...extra },
  });
}

/** The carrier answers the statuses in order, then keeps answering the last. */
function carrier(...statuses: string[]) {
  let calls = 0;
  const fake = fakeOutbound({ [PARCELS]: () => jsonResponse({ status: statuses[Math.min(calls++, statuses.length - 1)] }) });
  const email = spyEmail();
  cleanups.push(fake.restore, email.restore);
  return { calls: fake.calls, sent: email.sent };
}

async function introspect() {
  const wf = await introspectWorkflow(env.PARCEL_TRACKING_WORKFLOW);
  await wf.modifyAll(async (m) => {
    await m.disableSleeps();
  });
  return wf;
}

describe("parcel-tracking: at", () => {
  it("schedules the start at the time `at` gives, in the owning agent", async () => {
    // Whole seconds: the Agents scheduler keeps times to the second.
    const shipDate = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3 * 86_400_000).toISOString();
    const res = await register("AT1", { ship_date: shipDate });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ flow: "parcel-tracking", instance_id: "parcel-AT1", status: "scheduled", starts_at: shipDate });
    const agent = await getAgentByName(env.FlowAgent, "ada");
    const schedules = await runInDurableObject(agent, async (a: FlowAgent) => a.listSchedules());
    const start = schedules.find((s) => (s.payload as ScheduledStart).instanceId === "parcel-AT1");
    expect(start).toMatchObject({ callback: "startScheduledParcelTracking", type: "scheduled" });
    expect(start!.time * 1000).toBe(Date.parse(shipDate));
    // Nothing runs before then.
    await expect(env.PARCEL_TRACKING_WORKFLOW.get("parcel-AT1")).rejects.toThrow();
  });

  it("starts at once when `at` is already past", async () => {
    carrier("delivered");
    const res = await register("AT2", { ship_date: "2020-01-01T00:00:00Z" });
    expect(res.body).toMatchObject({ instance_id: "parcel-AT2", status: "started" });
    await waitForInstance(env.PARCEL_TRACKING_WORKFLOW, "parcel-AT2", "complete");
  });
});

describe("parcel-tracking: repeat and if", () => {
  it("repeats until `until` holds, naming each attempt's steps, then takes the then-branch", async () => {
    const { calls, sent } = carrier("in_transit", "out_for_delivery", "delivered");
    await using wf = await introspect();
    await register("R1");
    const done = await waitForInstance(env.PARCEL_TRACKING_WORKFLOW, "parcel-R1", "complete");
    expect(done.output).toEqual({ tracking_number: "R1", status: "delivered" });
    expect(calls).toHaveLength(3);
    const [instance] = await wf.get();
    expect(await instance!.waitForStepResult({ name: "until_delivered#1.check" })).toMatchObject({ body: { status: "in_transit" } });
    expect(await instance!.waitForStepResult({ name: "until_delivered#3.check" })).toMatchObject({ body: { status: "delivered" } });
    // then: the customer is told; the else branch (a fail step) never ran.
    expect(sent).toEqual([
      { to: "ada@example.com", from: "parcels@example.com", subject: "Parcel R1 was delivered", text: "Hello ada, your parcel R1 has been delivered." },
    ]);
    // The last attempt's report is the agent's latest progress for the flow.
    const agent = await getAgentByName(env.FlowAgent, "ada");
    const state = await runInDurableObject(agent, async (a: FlowAgent) => a.state);
    expect((state["progress"] as Record<string, unknown>)["parcel-tracking"]).toEqual({ instance_id: "parcel-R1", progress: { attempt: 3, status: "delivered" } });
  });

  it("stops after `max` attempts, then takes the else-branch", async () => {
    const { calls, sent } = carrier("in_transit");
    await using wf = await introspect();
    await register("R2");
    const failed = await waitForInstance(env.PARCEL_TRACKING_WORKFLOW, "parcel-R2", "errored", 25_000);
    expect(calls).toHaveLength(48);
    expect(failed.error?.message).toContain("Parcel R2 was not delivered within 48 hours");
    const [instance] = await wf.get();
    expect(await instance!.waitForStepResult({ name: "until_delivered#48.check" })).toMatchObject({ body: { status: "in_transit" } });
    expect(sent).toEqual([]);
  });
});
