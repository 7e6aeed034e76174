import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlightAgent } from "../../generated/agents/flight-agent.ts";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import { SECRETS, fakeOutbound, jsonResponse, send, type RecordedCall } from "./helpers.ts";

/**
 * Reliability under faults, step side: an outbound call that fails for a
 * while is retried by Workflows as the definition says (`retries:`) and the
 * flow completes; one that never recovers errors the instance after exactly
 * the allowed attempts, runs `on_error`, and the owning agent's poll records it.
 */

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const HOOKS = "https://api.example.com/hooks/expenses/";
const PAYOUTS = "https://api.example.com/payouts";
const FLIGHTS = "https://api.example.com/flights/";

/** The transient failures a retry may fix: 5xx, 429, 408 and a network error (fetch rejects). */
const TRANSIENT: readonly (() => Response)[] = [
  () => new Response("unavailable", { status: 503 }),
  () => new Response("slow down", { status: 429, headers: { "retry-after": "1" } }),
  () => {
    throw new TypeError("Network connection lost.");
  },
  () => new Response("timeout", { status: 408 }),
  () => new Response("bad gateway", { status: 502 }),
];

/** Answers with the transient failures in turn `failures` times, then with `ok()`. */
function flaky(failures: number, ok: () => Response): { handler: (call: RecordedCall) => Response; attempts: () => number } {
  let attempts = 0;
  return {
    handler: () => {
      const n = attempts++;
      return n < failures ? TRANSIENT[n % TRANSIENT.length]!() : ok();
    },
    attempts: () => attempts,
  };
}

async function fileExpense(id: string, employee: string) {
  const res = await send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: { id, employee, amount: 75 } });
  expect(res.status).toBe(202);
  return res;
}

describe("reliability: transient step failures", () => {
  // expense-approval's `pay` step: retries { limit: 3 }, so up to 4 attempts.
  it.each([1, 2, 3])("pay fails transiently %i time(s), is retried and the flow completes", async (failures) => {
    const pay = flaky(failures, () => jsonResponse({ payout: `p-${failures}` }));
    const outbound = fakeOutbound({ [HOOKS]: () => jsonResponse({ ok: true }, 202), [PAYOUTS]: pay.handler });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableRetryDelays();
      await m.mockEvent({ type: "approval", payload: { approved: true, by: "grace" } });
    });
    await fileExpense(`retry-${failures}`, "retry-user");
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    // Exactly one attempt per failure plus the one that succeeded; the flow saw only the success.
    expect(pay.attempts()).toBe(failures + 1);
    expect(await instance!.getOutput()).toEqual({ expense: `retry-${failures}`, payout: { payout: `p-${failures}` } });
    // No on_error: the failure hook was never called.
    expect(outbound.calls.filter((c) => c.url === `${HOOKS}failed`)).toHaveLength(0);
  });

  it("a lookup with retries { limit: 5 } survives five transient failures in a row (six attempts)", async () => {
    const lookup = flaky(5, () => jsonResponse({ status: "delayed" }));
    restore = fakeOutbound({ [FLIGHTS]: lookup.handler }).restore;
    await using wf = await introspectWorkflow(env.FLIGHT_STATUS_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    const agent = await getAgentByName(env.FlightAgent, "retry-flyer");
    const started = await runInDurableObject(agent, async (a: FlightAgent) =>
      a.startFlightStatus({ input: { user: "retry-flyer", flight: "DL1", date: "2026-12-01", notify: true }, instanceId: "flight-retry-5" }),
    );
    expect(started.status).toBe("started");
    const [instance] = await wf.get();
    await instance!.waitForStatus("complete");
    expect(lookup.attempts()).toBe(6);
    expect(await instance!.getOutput()).toMatchObject({ flight: "DL1", status: "delayed", delayed: true });
  });
});

describe("reliability: a step that never recovers", () => {
  it("errors the instance after exactly 1 + limit attempts, runs on_error once, and the poll records the failure", async () => {
    const pay = flaky(Number.POSITIVE_INFINITY, () => jsonResponse({}));
    const outbound = fakeOutbound({ [HOOKS]: () => jsonResponse({ ok: true }, 202), [PAYOUTS]: pay.handler });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableRetryDelays();
      await m.mockEvent({ type: "approval", payload: { approved: true, by: "grace" } });
    });
    await fileExpense("never-pays", "broke-user");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");

    expect(pay.attempts()).toBe(4);
    // The error names the call and its last answer (the 4th transient failure: 408), not a generic failure.
    const error = await instance!.getError();
    expect(error.message).toContain("POST https://api.example.com/payouts answered 408");
    // on_error ran exactly once, after the last attempt, with the instance's input.
    const urls = outbound.calls.map((c) => c.url);
    expect(urls.filter((u) => u === `${HOOKS}failed`)).toHaveLength(1);
    expect(urls.lastIndexOf(PAYOUTS)).toBeLessThan(urls.indexOf(`${HOOKS}failed`));
    expect(JSON.parse(outbound.calls.at(-1)!.body)).toEqual({ expense: "never-pays", employee: "broke-user" });

    // The owning agent's poll sees the end, records it and stops polling.
    const agent = await getAgentByName(env.FlowAgent, "broke-user");
    const [poll] = await runInDurableObject(agent, async (a: FlowAgent) => a.listSchedules());
    expect(poll).toMatchObject({ callback: "pollExpenseApproval" });
    await runInDurableObject(agent, async (a: FlowAgent) => a.pollExpenseApproval((poll as Schedule<never>).payload, poll as Schedule<never>));
    const state = await runInDurableObject(agent, async (a: FlowAgent) => a.state);
    expect(state).toMatchObject({ expense: "never-pays", status: "errored" });
    expect(JSON.stringify(state["error"])).toContain("answered 408");
    expect(await runInDurableObject(agent, async (a: FlowAgent) => a.listSchedules())).toHaveLength(0);
  });

  it("an on_error step that fails itself still ends the instance errored, running on_error only once", async () => {
    let failedHookCalls = 0;
    restore = fakeOutbound({
      [`${HOOKS}review`]: () => new Response("gone", { status: 404 }),
      [`${HOOKS}failed`]: () => (failedHookCalls++, new Response("also gone", { status: 404 })),
    }).restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await fileExpense("double-fault", "unlucky-user");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    expect(failedHookCalls).toBe(1);
    // (The instance's error is then the on_error step's own failure, not the cause that triggered it.)
    expect((await instance!.getError()).message).toContain("hooks/expenses/failed answered 404");
  });
});
