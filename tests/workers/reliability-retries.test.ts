import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it, vi } from "vitest";
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

  // dsl.md: on_error steps "run when the workflow fails, then it still fails" — with the failure
  // that made it fail. A failing on_error step is logged and kept in the instance's history as
  // that step's failure, but it must not take the cause's place.
  it("an on_error step that fails itself: the instance still errors with the original cause, and on_error runs once", async () => {
    let failedHookCalls = 0;
    restore = fakeOutbound({
      [`${HOOKS}review`]: () => new Response("gone", { status: 404 }),
      [`${HOOKS}failed`]: () => (failedHookCalls++, new Response("also gone", { status: 404 })),
    }).restore;
    const logged = vi.spyOn(console, "error");
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await fileExpense("double-fault", "unlucky-user");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    expect(failedHookCalls).toBe(1);

    // The instance reports the cause (notify_manager's 404), not the on_error step's 404.
    const error = await instance!.getError();
    expect(error.message).toContain("hooks/expenses/review answered 404");
    expect(error.message).not.toContain("hooks/expenses/failed");
    const status = await (await env.EXPENSE_APPROVAL_WORKFLOW.get("expense-double-fault")).status();
    expect(status.status).toBe("errored");
    expect(status.error?.message).toContain("hooks/expenses/review answered 404");

    // Both failures are in the instance's step history: the cause, and the on_error step's own.
    // (Locally the engine's step record says only that the step failed, not why; the log below says why.)
    await expect(instance!.waitForStepResult({ name: "notify_manager" })).rejects.toBeDefined();
    await expect(instance!.waitForStepResult({ name: "tell_employee" })).rejects.toBeDefined();
    // And the on_error step's failure is logged, next to the cause it did not replace.
    const lines = logged.mock.calls.map((args) => args.map(String).join(" "));
    expect(lines).toContainEqual(expect.stringMatching(/^flow expense-approval: an on_error step failed \(.*hooks\/expenses\/failed answered 404.*\); the instance fails with its original error: .*hooks\/expenses\/review answered 404/));
    logged.mockRestore();

    // The owning agent's poll records the cause too.
    const agent = await getAgentByName(env.FlowAgent, "unlucky-user");
    const [poll] = await runInDurableObject(agent, async (a: FlowAgent) => a.listSchedules());
    await runInDurableObject(agent, async (a: FlowAgent) => a.pollExpenseApproval((poll as Schedule<never>).payload, poll as Schedule<never>));
    const state = await runInDurableObject(agent, async (a: FlowAgent) => a.state);
    expect(state).toMatchObject({ expense: "double-fault", status: "errored" });
    expect(JSON.stringify(state["error"])).toContain("hooks/expenses/review answered 404");
    expect(JSON.stringify(state["error"])).not.toContain("hooks/expenses/failed");
  });

  it("an on_error step that keeps failing after its retries: the instance errors with the flow's own `fail:` message", async () => {
    const failed = flaky(Number.POSITIVE_INFINITY, () => jsonResponse({}));
    restore = fakeOutbound({ [`${HOOKS}review`]: () => jsonResponse({ ok: true }, 202), [`${HOOKS}failed`]: failed.handler }).restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.disableRetryDelays();
      await m.mockEvent({ type: "approval", payload: { approved: false, reason: "no receipt" } });
    });
    await fileExpense("rejected-unheard", "unheard-user");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    // tell_employee was retried (transient failures) and gave up; the flow still ends with the rejection.
    expect(failed.attempts()).toBeGreaterThan(1);
    await expect(instance!.waitForStepResult({ name: "tell_employee" })).rejects.toBeDefined();
    expect((await instance!.getError()).message).toContain("Expense rejected-unheard was rejected: no receipt");
  });
});
