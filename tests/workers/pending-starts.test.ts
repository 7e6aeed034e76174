import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlightAgent } from "../../generated/agents/flight-agent.ts";
import type { ScheduledStart } from "../../runtime/flow-agent.ts";
import { fakeOutbound, jsonResponse } from "./helpers.ts";
import { fakeShop, order, placeOrder } from "./shop.ts";

/**
 * Where an agent keeps starts it has not made yet (runtime/flow-agent.ts):
 * a delayed start is recorded in the agent's KV storage with its schedule
 * until it is made; an immediate start records nothing, and a failure to
 * create its workflow goes back to the caller. (Failed delayed starts, their
 * retries and records left by older versions: reliability-agent.test.ts.)
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

const FLIGHTS = "https://api.example.com/flights/";

describe("pending-start records", () => {
  it("an immediate start records nothing pending, and a repeat of it answers exists", async () => {
    const fake = fakeOutbound({ [FLIGHTS]: () => jsonResponse({ status: "on_time" }) });
    cleanups.push(fake.restore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const agent = await getAgentByName(env.FlightAgent, "now-flyer");
    const start = { input: { user: "now-flyer", flight: "DL9", date: "2026-12-01", notify: true }, instanceId: "flight-now" };
    const seen = await runInDurableObject(agent, async (a: FlightAgent) => {
      const first = await a.startFlightStatus(start);
      const again = await a.startFlightStatus(start);
      const keys = [...(a as unknown as { ctx: DurableObjectState }).ctx.storage.kv.list({ prefix: "cf-flows:" })].map(([key]) => key);
      return { first, again, keys, pending: a.pendingStarts() };
    });
    expect(seen.first.status).toBe("started");
    expect(seen.again).toMatchObject({ status: "exists", instance_id: "flight-now" });
    expect(seen.keys).toEqual([]);
    expect(seen.pending).toEqual([]);
    expect(await wf.get()).toHaveLength(1);
  });

  it("a delayed start is recorded until it is made, creating no table", async () => {
    const fake = fakeOutbound({ [FLIGHTS]: () => jsonResponse({ status: "on_time" }) });
    cleanups.push(fake.restore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const agent = await getAgentByName(env.FlightAgent, "later-flyer");
    const startsAt = new Date(Date.now() + 60_000).toISOString();
    const start = { input: { user: "later-flyer", flight: "DL12", date: "2026-12-01", notify: true }, instanceId: "flight-later", startAt: startsAt };
    const before = await runInDurableObject(agent, async (a: FlightAgent) => {
      const first = await a.startFlightStatus(start);
      const again = await a.startFlightStatus({ ...start, startAt: undefined });
      const tables = a.sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'flow_%'`.map((t) => t.name);
      return { first, again, tables, pending: a.pendingStarts(), schedules: await a.listSchedules() };
    });
    expect(before.first).toMatchObject({ status: "scheduled", starts_at: startsAt });
    // A duplicate, even one asking to start now, finds the pending start.
    expect(before.again).toMatchObject({ status: "exists", starts_at: startsAt });
    expect(before.tables).toEqual([]);
    expect(before.pending).toEqual([{ instance_id: "flight-later", flow: "flight-status", starts_at: startsAt, attempts: 0, last_error: null, last_attempt_at: null, retry_at: null }]);
    const [schedule] = before.schedules;
    await runInDurableObject(agent, async (a: FlightAgent) => {
      await a.startScheduledFlightStatus(schedule!.payload as ScheduledStart);
      await a.cancelSchedule(schedule!.id);
    });
    expect(await runInDurableObject(agent, async (a: FlightAgent) => a.pendingStarts())).toEqual([]);
    expect(await wf.get()).toHaveLength(1);
  });

  it("a delayed start whose schedule cannot be written is reported, and not remembered", async () => {
    const agent = await getAgentByName(env.FlightAgent, "unscheduled-flyer");
    const start = { input: { user: "unscheduled-flyer", flight: "DL13", date: "2026-12-01", notify: true }, instanceId: "flight-unscheduled", startAt: new Date(Date.now() + 60_000).toISOString() };
    const outcome = await runInDurableObject(agent, async (a: FlightAgent) => {
      const schedule = vi.spyOn(a, "schedule").mockImplementationOnce(async () => {
        throw new Error("simulated scheduler failure");
      });
      const failure = await a.startFlightStatus(start).catch((error: unknown) => error);
      schedule.mockRestore();
      const pendingAfterFailure = a.pendingStarts();
      const retried = await a.startFlightStatus(start);
      return { failure: String(failure), pendingAfterFailure, retried, pending: a.pendingStarts().map((p) => p.instance_id) };
    });
    expect(outcome.failure).toContain("simulated scheduler failure");
    expect(outcome.pendingAfterFailure).toEqual([]);
    // The caller's retry schedules it, rather than hearing "exists" about a start nothing would make.
    expect(outcome.retried.status).toBe("scheduled");
    expect(outcome.pending).toEqual(["flight-unscheduled"]);
  });

  it("an immediate start that cannot create its workflow is reported to the caller, not dropped", async () => {
    const agent = await getAgentByName(env.FlightAgent, "fail-flyer");
    const outage = vi.spyOn(env.FLIGHT_STATUS_WORKFLOW, "create").mockImplementation(async () => {
      throw new Error("simulated outage");
    });
    cleanups.push(() => outage.mockRestore());
    const start = { input: { user: "fail-flyer", flight: "DL10", date: "2026-12-01", notify: true }, instanceId: "flight-fails" };
    await expect(runInDurableObject(agent, async (a: FlightAgent) => a.startFlightStatus(start))).rejects.toThrow("simulated outage");
    // Nothing is recorded as started: the same start succeeds once Workflows is back.
    outage.mockRestore();
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const fake = fakeOutbound({ [FLIGHTS]: () => jsonResponse({ status: "on_time" }) });
    cleanups.push(fake.restore);
    expect(await runInDurableObject(agent, async (a: FlightAgent) => a.startFlightStatus(start))).toMatchObject({ status: "started" });
    expect(await wf.get()).toHaveLength(1);
  });

  it("through an http trigger, that failure is a 500 for the caller, who can send the same request again", async () => {
    const outage = vi.spyOn(env.ORDER_FULFILMENT_WORKFLOW, "create").mockImplementation(async () => {
      throw new Error("simulated outage");
    });
    cleanups.push(() => outage.mockRestore());
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    cleanups.push(() => log.mockRestore());
    const failed = await placeOrder(order("outage"));
    expect(failed).toEqual({ status: 500, body: { error: "internal_error", reason: "the server could not handle this request" } });
    expect(outage).toHaveBeenCalledTimes(1);
    outage.mockRestore();
    const shop = fakeShop();
    cleanups.push(shop.restore);
    // Instances (and their children) are aborted when the test ends, before fetch is real again.
    await using _order = await introspectWorkflow(env.ORDER_FULFILMENT_WORKFLOW);
    await using _receipt = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    await using _parcel = await introspectWorkflow(env.PARCEL_TRACKING_WORKFLOW);
    const retried = await placeOrder(order("outage"));
    expect(retried).toMatchObject({ status: 202, body: { instance_id: "order-outage", status: "started" } });
  });
});
