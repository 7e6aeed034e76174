import { env } from "cloudflare:workers";
import { introspectWorkflow, runInDurableObject } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it } from "vitest";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import { SECRETS, fakeOutbound, jsonResponse, send, waitForInstance } from "./helpers.ts";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const HOOKS = "https://api.example.com/hooks/expenses/";
const PAYMENTS = "https://api.example.com/payouts";

async function file(id: string, employee = "ada") {
  return send("POST", "/expenses", { token: SECRETS.EXPENSES_TOKEN, body: { id, employee, amount: 120 } });
}


describe("expense-approval: wait_for_event and send_event", () => {
  it("waits for the approval event, which the send_event trigger delivers, then pays", async () => {
    const outbound = fakeOutbound({ [HOOKS]: () => jsonResponse({ ok: true }, 202), [PAYMENTS]: () => jsonResponse({ payout: "p-1" }) });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    expect((await file("e1")).body).toMatchObject({ instance_id: "expense-e1", status: "started" });
    const [instance] = await wf.get();
    // The manager is told first; then the instance waits for the decision.
    await instance!.waitForStepResult({ name: "notify_manager" });

    const approve = await send("POST", "/expenses/e1/approve", { token: SECRETS.APPROVER_TOKEN, body: { approved: true, by: "grace" } });
    expect(approve.status).toBe(202);
    expect(approve.body).toEqual({ flow: "expense-approval", instance_id: "expense-e1", event: "approval" });

    const done = await waitForInstance(env.EXPENSE_APPROVAL_WORKFLOW, "expense-e1", "complete");
    expect(done.output).toEqual({ expense: "e1", payout: { payout: "p-1" } });
    // Steps ran in order, each with what the earlier ones produced.
    expect(outbound.calls.map((c) => c.url)).toEqual([`${HOOKS}review`, PAYMENTS]);
    // The payout used the decision's instance input, with the currency default filled in.
    expect(JSON.parse(outbound.calls[1]!.body)).toEqual({ reference: "e1", amount: 120, currency: "EUR" });
    expect(outbound.calls[1]!.headers["authorization"]).toBe("test-payments-api-key");
  });

  it("needs the approver's token to signal, and answers 404 for an unknown instance", async () => {
    expect((await send("POST", "/expenses/e2/approve", { token: SECRETS.EXPENSES_TOKEN, body: { approved: true } })).status).toBe(401);
    const unknown = await send("POST", "/expenses/never-filed/approve", { token: SECRETS.APPROVER_TOKEN, body: { approved: true } });
    expect(unknown.status).toBe(404);
    expect(unknown.body["error"]).toBe("unknown_instance");
  });

  it("fails without retry when rejected, running on_error first", async () => {
    const outbound = fakeOutbound({ [HOOKS]: () => jsonResponse({ ok: true }) });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await wf.modifyAll(async (m) => {
      await m.mockEvent({ type: "approval", payload: { approved: false, reason: "no receipt" } });
    });
    await file("e3");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    expect(outbound.calls.map((c) => c.url)).toEqual([`${HOOKS}review`, `${HOOKS}failed`]);
    expect(JSON.parse(outbound.calls[1]!.body)).toEqual({ expense: "e3", employee: "ada" });
  });

  it("errors without retrying when a call answers 404 (not in expect), and runs on_error", async () => {
    let reviewCalls = 0;
    const outbound = fakeOutbound({
      [`${HOOKS}review`]: () => (reviewCalls++, new Response("gone", { status: 404 })),
      [`${HOOKS}failed`]: () => jsonResponse({ ok: true }),
    });
    restore = outbound.restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await file("e4");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    expect(reviewCalls).toBe(1);
    expect(outbound.calls.at(-1)!.url).toBe(`${HOOKS}failed`);
  });

  it("polls every 30 seconds; on error it records the failure in the agent's state and stops", async () => {
    restore = fakeOutbound({ [HOOKS]: () => new Response("gone", { status: 404 }) }).restore;
    await using wf = await introspectWorkflow(env.EXPENSE_APPROVAL_WORKFLOW);
    await file("e5", "poll-user");
    const [instance] = await wf.get();
    await instance!.waitForStatus("errored");
    const agent = await getAgentByName(env.FlowAgent, "poll-user");
    const schedules = await runInDurableObject(agent, async (a: FlowAgent) => a.listSchedules());
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ callback: "pollExpenseApproval", type: "interval", intervalSeconds: 30 });
    const poll = schedules[0] as Schedule<never>;
    await runInDurableObject(agent, async (a: FlowAgent) => a.pollExpenseApproval(poll.payload, poll));
    const state = await runInDurableObject(agent, async (a: FlowAgent) => a.state);
    expect(state).toMatchObject({ expense: "e5", status: "errored" });
    expect(state["error"]).toBeTruthy();
    expect(await runInDurableObject(agent, async (a: FlowAgent) => a.listSchedules())).toHaveLength(0);
  });
});
