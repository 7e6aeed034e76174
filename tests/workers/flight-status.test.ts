import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlightAgent } from "../../generated/agents/flight-agent.ts";
import type { PollPayload, ScheduledStart } from "../../runtime/flow-agent.ts";
import { SECRETS, fakeOutbound, jsonResponse, send } from "./helpers.ts";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const FLIGHT_API = "https://api.example.com/flights/";

async function trigger(user: string, flight = "DL264") {
  return send("POST", "/flights", {
    token: SECRETS.FLIGHTS_TOKEN,
    headers: { "user-id": user },
    body: { flight, date: "2026-12-01" },
  });
}

/**
 * Fires a schedule the way the Agents scheduler does (schedules cannot be
 * fast-forwarded in tests): calls its callback, then drops a one-shot schedule.
 */
async function fire(user: string, schedule: Schedule<unknown>): Promise<void> {
  const agent = await getAgentByName(env.FlightAgent, user);
  await runInDurableObject(agent, async (a: FlightAgent) => {
    const callback = (a as unknown as Record<string, (p: unknown, s: unknown) => Promise<void>>)[schedule.callback]!;
    await callback.call(a, schedule.payload, schedule);
    if (schedule.type === "scheduled" || schedule.type === "delayed") await a.cancelSchedule(schedule.id);
  });
}

async function schedulesOf(user: string) {
  const agent = await getAgentByName(env.FlightAgent, user);
  return runInDurableObject(agent, async (a: FlightAgent) => a.listSchedules());
}

describe("flight-status: the seed scenario", () => {
  it("schedules the start 300 seconds later in the user's own agent", async () => {
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const before = Date.now();
    const res = await trigger("u-delay");
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ flow: "flight-status", status: "scheduled" });
    const startsAt = Date.parse(String(res.body["starts_at"]));
    expect(startsAt - before).toBeGreaterThanOrEqual(299_000);
    expect(startsAt - Date.now()).toBeLessThanOrEqual(300_000);

    const schedules = await schedulesOf("u-delay");
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ callback: "startScheduledFlightStatus", type: "scheduled" });
    expect(Math.abs(schedules[0]!.time * 1000 - startsAt)).toBeLessThan(1000);
    expect((schedules[0]!.payload as ScheduledStart).instanceId).toBe(res.body["instance_id"]);
    // Nothing runs before the schedule fires.
    expect(await wf.get()).toHaveLength(0);
    // Another agent (another user) has nothing scheduled.
    expect(await schedulesOf("someone-else")).toHaveLength(0);
  });

  it("runs the whole flow: the schedule starts it, steps run in order, the poll records the result and stops", async () => {
    const outbound = fakeOutbound({ [FLIGHT_API]: () => jsonResponse({ status: "delayed", delay_minutes: 40 }) });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const res = await trigger("u-run");
    const instanceId = String(res.body["instance_id"]);
    const agent = await getAgentByName(env.FlightAgent, "u-run");

    // The delayed start: call the schedule's callback as the scheduler would.
    const [start] = await schedulesOf("u-run");
    await fire("u-run", start!);

    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    // Only what later expressions read of the response is kept: body.status.
    expect(await instance!.waitForStepResult({ name: "lookup" })).toEqual({ body: { status: "delayed" } });
    expect(await instance!.waitForStepResult({ name: "facts" })).toEqual({ status: "delayed", delayed: true, notify: true });
    expect(await instance!.getOutput()).toEqual({ flight: "DL264", date: "2026-12-01", status: "delayed", delayed: true });

    // The lookup used the flight from the input and the secret header from the environment.
    expect(outbound.calls).toHaveLength(1);
    expect(outbound.calls[0]!.url).toBe(`${FLIGHT_API}DL264?date=2026-12-01`);
    expect(outbound.calls[0]!.headers["authorization"]).toBe("test-flight-api-key");

    // The start replaced its schedule with the poll (every 5 minutes).
    const schedules = await schedulesOf("u-run");
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ callback: "pollFlightStatus", type: "cron", cron: "*/5 * * * *" });
    expect((schedules[0]!.payload as PollPayload).instanceId).toBe(instanceId);

    // The poll fires: the instance is complete, so on_complete sets the agent's state and the poll stops.
    await fire("u-run", schedules[0]!);
    const state = await runInDurableObject(agent, async (a: FlightAgent) => a.state);
    expect(state).toEqual({ flight: "DL264", result: { flight: "DL264", date: "2026-12-01", status: "delayed", delayed: true } });
    expect(await schedulesOf("u-run")).toHaveLength(0);
  });

  it("keeps polling while the instance is still running", async () => {
    restore = fakeOutbound({ [FLIGHT_API]: () => jsonResponse({ status: "on_time" }) }).restore;
    const agent = await getAgentByName(env.FlightAgent, "u-running");
    await trigger("u-running");
    const [start] = await schedulesOf("u-running");
    // A poll that finds the instance not finished leaves its schedule in place.
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.mockStepError({ name: "lookup" }, new Error("slow upstream"));
    });
    await fire("u-running", start!);
    const [poll] = await schedulesOf("u-running");
    await fire("u-running", poll!);
    expect(await schedulesOf("u-running")).toHaveLength(1);
    expect(await runInDurableObject(agent, async (a: FlightAgent) => a.state)).toEqual({});
  });

  it("retries the lookup on 503 and succeeds", async () => {
    let calls = 0;
    restore = fakeOutbound({
      [FLIGHT_API]: () => (++calls === 1 ? new Response("busy", { status: 503 }) : jsonResponse({ status: "on_time" })),
    }).restore;
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    await trigger("u-retry", "BA117");
    const [start] = await schedulesOf("u-retry");
    await fire("u-retry", start!);
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(calls).toBe(2);
    expect(await instance!.getOutput()).toMatchObject({ flight: "BA117", status: "on_time", delayed: false });
  });

  it("does not schedule a second start for the same instance id", async () => {
    const agent = await getAgentByName(env.FlightAgent, "u-idem");
    const start = { input: { user: "u-idem", flight: "DL1", date: "2026-12-01", notify: true }, instanceId: "flight-once", startAt: new Date(Date.now() + 60_000).toISOString() };
    const first = await runInDurableObject(agent, async (a: FlightAgent) => a.startFlightStatus(start));
    const second = await runInDurableObject(agent, async (a: FlightAgent) => a.startFlightStatus(start));
    expect(first.status).toBe("scheduled");
    expect(second).toMatchObject({ status: "exists", instance_id: "flight-once" });
    expect(await schedulesOf("u-idem")).toHaveLength(1);
  });
});
