import { env } from "cloudflare:workers";
import { evictDurableObject, introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlightAgent } from "../../generated/agents/flight-agent.ts";
import { retryDelaySeconds, type PendingStart, type ScheduledStart } from "../../runtime/flow-agent.ts";
import { HANG_MS, SECRETS, deferred, fakeOutbound, jsonResponse, send, waitForInstance } from "./helpers.ts";

/**
 * Reliability under faults, agent side: the owning agent loses its memory
 * (eviction) in the middle of polling, and a delayed start cannot create its
 * workflow. Neither may lose an instance or leave a schedule behind.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const FLIGHTS = "https://api.example.com/flights/";

async function agentOf(user: string) {
  return getAgentByName(env.FlightAgent, user);
}

async function schedulesOf(user: string): Promise<Schedule<unknown>[]> {
  return runInDurableObject(await agentOf(user), async (a: FlightAgent) => a.listSchedules());
}

async function pendingOf(user: string): Promise<PendingStart[]> {
  return runInDurableObject(await agentOf(user), async (a: FlightAgent) => a.pendingStarts());
}

/** Runs a schedule's callback as the Agents scheduler does, then drops it if it is one-shot (see flight-status.test.ts). */
async function fire(user: string, schedule: Schedule<unknown>): Promise<void> {
  await runInDurableObject(await agentOf(user), async (a: FlightAgent) => {
    const callback = (a as unknown as Record<string, (p: unknown, s: unknown) => Promise<void>>)[schedule.callback]!;
    await callback.call(a, schedule.payload, schedule);
    if (schedule.type === "scheduled" || schedule.type === "delayed") await a.cancelSchedule(schedule.id);
  });
}

async function trigger(user: string, flight: string) {
  const res = await send("POST", "/flights", { token: SECRETS.FLIGHTS_TOKEN, headers: { "user-id": user }, body: { flight, date: "2026-12-01" } });
  expect(res.status).toBe(202);
  expect(res.body["status"]).toBe("scheduled");
  return String(res.body["instance_id"]);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe("reliability: the owning agent is evicted mid-poll", () => {
  it("keeps its poll schedule, resumes polling after eviction, runs on_complete once the instance ends and cancels the poll", async () => {
    const user = "evicted-flyer";
    const answer = deferred();
    restore(fakeOutbound({ [FLIGHTS]: async () => (await answer.promise, jsonResponse({ status: "delayed" })) }).restore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const instanceId = await trigger(user, "EV1");
    const [start] = await schedulesOf(user);
    await fire(user, start!);
    const [instance] = await wf.get();

    // First poll: the lookup is still waiting for the API, so the instance runs and the poll stays.
    const [poll] = await schedulesOf(user);
    expect(poll).toMatchObject({ callback: "pollFlightStatus", type: "cron" });
    await fire(user, poll!);
    expect(await schedulesOf(user)).toEqual([poll]);

    // The agent is evicted: its in-memory state is gone, its storage (schedules, state) is not.
    const stub = await agentOf(user);
    await evictDurableObject(stub);
    const afterEviction = await schedulesOf(user);
    expect(afterEviction).toHaveLength(1);
    expect(afterEviction[0]).toMatchObject({ id: poll!.id, callback: "pollFlightStatus", payload: { instanceId } });
    // A poll from the fresh instance while the flow still runs changes nothing.
    await fire(user, afterEviction[0]!);
    expect(await runInDurableObject(stub, async (a: FlightAgent) => a.state)).toEqual({});

    // The API answers, the instance completes; the next poll (after a second eviction) records it and stops.
    answer.resolve();
    await instance!.waitForStatus("complete");
    await evictDurableObject(await agentOf(user));
    const [again] = await schedulesOf(user);
    await fire(user, again!);
    expect(await runInDurableObject(await agentOf(user), async (a: FlightAgent) => a.state)).toEqual({
      flight: "EV1",
      result: { flight: "EV1", date: "2026-12-01", status: "delayed", delayed: true },
    });
    expect(await schedulesOf(user)).toHaveLength(0);
  });
});

describe("reliability: a delayed start that cannot create its workflow", () => {
  it("is recorded, logged and retried by a new schedule until the workflow is created; never dropped", async () => {
    const user = "unlucky-flyer";
    restore(fakeOutbound({ [FLIGHTS]: () => jsonResponse({ status: "on_time" }) }).restore);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    restore(() => errors.mockRestore());
    // The binding the agent creates instances with refuses twice, as Workflows might during an incident.
    const binding = env.FLIGHT_STATUS_WORKFLOW;
    const create = binding.create.bind(binding);
    let calls = 0;
    const spy = vi.spyOn(binding, "create").mockImplementation(async (options) => {
      if (++calls <= 2) throw new Error(`workflows.api.error.internal (simulated outage ${calls})`);
      return create(options);
    });
    restore(() => spy.mockRestore());

    const instanceId = await trigger(user, "UN1");
    const [start] = await schedulesOf(user);
    expect(start).toMatchObject({ callback: "startScheduledFlightStatus", type: "scheduled" });

    // The scheduled start fires (as the scheduler would at starts_at) and creation fails.
    const before = Date.now();
    await fire(user, start!);
    expect(calls).toBe(1);
    const [pending] = await pendingOf(user);
    expect(pending).toMatchObject({ instance_id: instanceId, flow: "flight-status", attempts: 1 });
    expect(pending!.last_error).toContain("simulated outage 1");
    expect(Date.parse(pending!.retry_at!) - before).toBeGreaterThanOrEqual(retryDelaySeconds(1) * 1000 - 50);
    // Logged with the flow, the instance and the attempt.
    expect(errors.mock.calls.map((c) => String(c[0]))).toContainEqual(
      expect.stringMatching(new RegExp(`flow flight-status: scheduled start of instance ${instanceId} failed \\(attempt 1\\): .*simulated outage 1.*; retrying at `)),
    );
    // Not dropped: a new one-shot schedule of the same callback carries the same start.
    const [retry] = await schedulesOf(user);
    expect(retry).toMatchObject({ callback: "startScheduledFlightStatus", type: "scheduled" });
    expect((retry!.payload as ScheduledStart).instanceId).toBe(instanceId);
    expect(retry!.id).not.toBe(start!.id);
    // A duplicate trigger meanwhile still sees the start as pending.
    const duplicate = await runInDurableObject(await agentOf(user), async (a: FlightAgent) =>
      a.startFlightStatus({ input: { user, flight: "UN1", date: "2026-12-01", notify: true }, instanceId }),
    );
    expect(duplicate.status).toBe("exists");

    // From here the Agents scheduler itself (a real alarm) runs the retries: attempt 2 fails, attempt 3 creates it.
    const started = await until("the retried start", async () => ((await pendingOf(user)).length === 0 ? true : undefined), HANG_MS);
    expect(started).toBe(true);
    expect(calls).toBe(3);
    expect(errors.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining(`instance ${instanceId} failed (attempt 2)`));
    const done = await waitForInstance(env.FLIGHT_STATUS_WORKFLOW, instanceId, "complete");
    expect(done.output).toMatchObject({ flight: "UN1", status: "on_time" });
    // The start schedule is gone and the poll took its place.
    const schedules = await schedulesOf(user);
    expect(schedules.map((s) => s.callback)).toEqual(["pollFlightStatus"]);
  });

  it("a start whose instance was created but whose poll could not be scheduled is completed by the retry: one instance, one poll", async () => {
    const user = "half-started-flyer";
    restore(fakeOutbound({ [FLIGHTS]: () => jsonResponse({ status: "on_time" }) }).restore);
    restore(vi.spyOn(console, "error").mockImplementation(() => undefined).mockRestore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    const instanceId = await trigger(user, "HS1");
    const [start] = await schedulesOf(user);
    // The agent's storage refuses the poll schedule once, right after the instance was created.
    await runInDurableObject(await agentOf(user), async (a: FlightAgent) => {
      const spy = vi.spyOn(a, "schedule");
      spy.mockImplementationOnce(async () => {
        throw new Error("simulated storage failure");
      });
      restore(() => spy.mockRestore());
    });
    await fire(user, start!);
    expect(await wf.get()).toHaveLength(1);
    const [pending] = await pendingOf(user);
    expect(pending).toMatchObject({ instance_id: instanceId, attempts: 1 });
    expect(pending!.last_error).toContain("simulated storage failure");
    expect((await schedulesOf(user)).map((s) => s.callback)).toEqual(["startScheduledFlightStatus"]);

    // The retry (a real alarm) finds the instance already there, and adds the missing poll.
    await until("the retried start", async () => ((await pendingOf(user)).length === 0 ? true : undefined), HANG_MS);
    const schedules = await schedulesOf(user);
    expect(schedules.map((s) => s.callback)).toEqual(["pollFlightStatus"]);
    expect(schedules[0]!.payload).toMatchObject({ instanceId });
    expect(await wf.get()).toHaveLength(1);
  });

  it("backs off 1, 2, 4 … seconds between attempts, at most 10 minutes", () => {
    expect([1, 2, 3, 4, 5, 10, 11, 50].map(retryDelaySeconds)).toEqual([1, 2, 4, 8, 16, 512, 600, 600]);
  });
});

describe("reliability: concurrent duplicate starts", () => {
  it("start the instance once: the others answer exists", async () => {
    restore(fakeOutbound({ [FLIGHTS]: () => jsonResponse({ status: "on_time" }) }).restore);
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    // Creation takes a while, as under load: the duplicates arrive while the first is still being created.
    const binding = env.FLIGHT_STATUS_WORKFLOW;
    const create = binding.create.bind(binding);
    const spy = vi.spyOn(binding, "create").mockImplementation(async (options) => {
      await new Promise((r) => setTimeout(r, 50));
      return create(options);
    });
    restore(() => spy.mockRestore());
    const agent = await agentOf("twin-flyer");
    const start = { input: { user: "twin-flyer", flight: "TW1", date: "2026-12-01", notify: true }, instanceId: "flight-twins" };
    const answers = await Promise.all(Array.from({ length: 5 }, () => agent.startFlightStatus(start)));
    expect(answers.map((a) => a.status).sort()).toEqual(["exists", "exists", "exists", "exists", "started"]);
    expect(await wf.get()).toHaveLength(1);
    // The duplicates waited for the first creation instead of racing it.
    expect(spy).toHaveBeenCalledTimes(1);
    const polls = (await schedulesOf("twin-flyer")).filter((s) => s.callback === "pollFlightStatus");
    expect(polls).toHaveLength(1);
  });
});

function restore(cleanup: () => void): void {
  cleanups.push(cleanup);
}
