import { env } from "cloudflare:workers";
import { introspectWorkflow } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { SECRETS, fakeOutbound, jsonResponse, send, waitForInstance } from "./helpers.ts";

/**
 * refund-claim and its child refund-approval: the parts of the contract
 * they exercise are `instance.id` in a trigger's input, a guard that must be
 * a boolean at run time, a `call` whose `timeout` bounds the wait for the
 * child, and a `fail:` step's message reaching the child's and the caller's
 * errors (through the compatibility flag the generator writes into
 * wrangler.jsonc; vitest.config.ts adds none).
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((undo) => undo()));

function fakePayments(): { calls: { url: string; body: string }[] } {
  const outbound = fakeOutbound({ "https://api.example.com/refunds": () => jsonResponse({ ok: true }, 201) });
  cleanups.push(outbound.restore);
  return outbound;
}

async function requestRefund(body: Record<string, unknown>): Promise<string> {
  const answer = await send("POST", "/refunds", { token: SECRETS.SHOP_TOKEN, body });
  expect(answer.status).toBe(202);
  const id = answer.body["instance_id"];
  if (typeof id !== "string") throw new Error(`no instance id in ${JSON.stringify(answer.body)}`);
  return id;
}

async function childExists(id: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await env.REFUND_APPROVAL_WORKFLOW.get(id).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`child ${id} was never started`);
}

describe("instance.id in a trigger's input", () => {
  it("is the id of the instance the trigger starts", async () => {
    const payments = fakePayments();
    const id = await requestRefund({ order_id: "o-1", amount: 12, auto_approve: true });
    const done = await waitForInstance(env.REFUND_CLAIM_WORKFLOW, id, "complete");
    expect(done.output).toEqual({ reference: `refund-${id}`, approved_by: "shop" });
    expect(JSON.parse(payments.calls[0]!.body)).toEqual({ order_id: "o-1", amount: 12, reference: `refund-${id}` });
    // Each request draws its own id, and its input carries that one.
    const other = await requestRefund({ order_id: "o-2", amount: 3, auto_approve: true });
    expect(other).not.toBe(id);
    expect((await waitForInstance(env.REFUND_CLAIM_WORKFLOW, other, "complete")).output).toMatchObject({ reference: `refund-${other}` });
  });
});

describe("guards are booleans at run time", () => {
  it("fails the instance, naming the step and the value, when `if:` reads text", async () => {
    const payments = fakePayments();
    const id = await requestRefund({ order_id: "o-3", amount: 5, auto_approve: "yes" });
    const failed = await waitForInstance(env.REFUND_CLAIM_WORKFLOW, id, "errored");
    expect(failed.error?.message).toBe(`step 'decide': 'if' must be true or false, but it was "yes" (string)`);
    // Nothing after the guard ran: no refund was paid.
    expect(payments.calls).toEqual([]);
  });
});

describe("call with wait: true", () => {
  it("passes a fail: step's own message to the child's error and to the waiting caller's", async () => {
    fakePayments();
    const id = await requestRefund({ order_id: "o-4", amount: 500, auto_approve: false });
    const child = `${id}-manager`;
    // The call starts the child; an event sent before it reaches its wait is kept for it.
    await childExists(child);
    const decision = await send("POST", `/refunds/${id}/decision`, { token: SECRETS.APPROVER_TOKEN, body: { approved: false, reason: "outside the return window" } });
    expect(decision.status).toBe(202);

    const childStatus = await waitForInstance(env.REFUND_APPROVAL_WORKFLOW, child, "errored");
    expect(childStatus.error?.message).toBe(`Refund refund-${id} was declined: outside the return window`);
    const parent = await waitForInstance(env.REFUND_CLAIM_WORKFLOW, id, "errored");
    expect(parent.error?.message).toBe(
      `call manager: flow refund-approval (instance ${child}) failed: Refund refund-${id} was declined: outside the return window`,
    );
  });

  it("fails the call when the child has not ended within the call's timeout, and stops the child", async () => {
    const payments = fakePayments();
    await using parents = await introspectWorkflow(env.REFUND_CLAIM_WORKFLOW);
    // The call's timeout is 1 day: the whole wait is one round, which passes here without an answer.
    await parents.modifyAll(async (m) => {
      await m.forceEventTimeout({ name: "manager:wait#1" });
    });
    const id = await requestRefund({ order_id: "o-5", amount: 900, auto_approve: false });
    const parent = await waitForInstance(env.REFUND_CLAIM_WORKFLOW, id, "errored");
    expect(parent.error?.message).toBe(`call manager: flow refund-approval (instance ${id}-manager) did not end within 1 day, so it was terminated`);
    // The manager's decision can no longer arrive: the child was stopped, and nothing was paid.
    expect((await (await env.REFUND_APPROVAL_WORKFLOW.get(`${id}-manager`)).status()).status).toBe("terminated");
    expect(payments.calls).toEqual([]);
  });
});
