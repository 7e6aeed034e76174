import { env } from "cloudflare:workers";
import { evictDurableObject, introspectWorkflow, runInDurableObject, type WorkflowIntrospector } from "cloudflare:test";
import { getAgentByName, type Schedule } from "agents";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlowAgent } from "../../generated/agents/flow-agent.ts";
import type { RefundRequestInput } from "../../generated/flows/refund-request/input.ts";
import { actionInstanceId } from "../../runtime/action-run.ts";
import type { ActionRunRecord, PollPayload } from "../../runtime/flow-agent.ts";
import { retryDelaySeconds } from "../../runtime/retry-delay.ts";
import { HANG_MS, deferred, fakeOutbound, jsonResponse, SECRETS, send, type RecordedCall } from "./helpers.ts";

/**
 * Poll actions run exactly once per ended instance (runtime/action-run.ts),
 * shown with refund-request: its on_complete starts send-receipt, posts to
 * the ledger, then sets the agent's state; its on_error records event.error.
 * Outbound calls are faked; the ledger can be switched off to make the
 * second action fail.
 */

const REFUNDS = "https://api.example.com/refunds";
const LEDGER = "https://api.example.com/ledger/refunds";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The payments API answers at once (or when `hold` resolves); the ledger answers 503 while `ledger.up` is false. */
function fakeApis(options: { hold?: Promise<void> } = {}): { ledger: { up: boolean }; calls: RecordedCall[]; log: () => string[] } {
  const ledger = { up: true };
  const fake = fakeOutbound({
    [LEDGER]: () => (ledger.up ? jsonResponse({ ok: true }, 201) : new Response("ledger is down", { status: 503 })),
    [REFUNDS]: async (call) => {
      await options.hold;
      return jsonResponse({ id: `rf-${(JSON.parse(call.body) as { order: string }).order}` }, 201);
    },
  });
  cleanups.push(fake.restore);
  const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
  cleanups.push(() => errors.mockRestore());
  return { ledger, calls: fake.calls, log: () => errors.mock.calls.map((c) => String(c[0])) };
}

function refund(order: string, amount = 20): RefundRequestInput {
  return { order_id: order, customer: "ada", email: "ada@example.com", amount };
}

const agentOf = (name: string) => getAgentByName(env.FlowAgent, name);

async function start(name: string, instanceId: string, input: RefundRequestInput): Promise<void> {
  const result = await runInDurableObject(await agentOf(name), (a: FlowAgent) => a.startRefundRequest({ input, instanceId }));
  expect(result.status).toBe("started");
}

async function schedulesOf(name: string): Promise<Schedule<unknown>[]> {
  return runInDurableObject(await agentOf(name), (a: FlowAgent) => a.listSchedules());
}

async function runsOf(name: string): Promise<ActionRunRecord[]> {
  return runInDurableObject(await agentOf(name), (a: FlowAgent) => a.actionRunsInProgress());
}

async function stateOf(name: string): Promise<Record<string, unknown>> {
  return runInDurableObject(await agentOf(name), (a: FlowAgent) => a.state);
}

/** Runs a schedule's callback as the Agents scheduler does, then drops it if it is one-shot (see flight-status.test.ts). */
async function fire(name: string, schedule: Schedule<unknown>): Promise<void> {
  await runInDurableObject(await agentOf(name), async (a: FlowAgent) => {
    const callback = (a as unknown as Record<string, (p: unknown, s: unknown) => Promise<void>>)[schedule.callback]!;
    await callback.call(a, schedule.payload, schedule);
    if (schedule.type === "scheduled" || schedule.type === "delayed") await a.cancelSchedule(schedule.id);
  });
}

async function pollOf(name: string, instanceId: string): Promise<Schedule<unknown>> {
  const polls = (await schedulesOf(name)).filter((s) => s.callback === "pollRefundRequest" && (s.payload as PollPayload).instanceId === instanceId);
  expect(polls).toHaveLength(1);
  return polls[0]!;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = HANG_MS): Promise<T> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Exactly one send-receipt instance was started, and it has this id. */
async function expectOneReceipt(receipts: WorkflowIntrospector, id: string): Promise<void> {
  expect(await receipts.get()).toHaveLength(1);
  expect((await env.SEND_RECEIPT_WORKFLOW.get(id)).id).toBe(id);
}

const ledgerPosts = (calls: RecordedCall[]) => calls.filter((c) => c.url === LEDGER);

describe("poll actions: each runs exactly once per ended instance", () => {
  it("a failing second action repeats neither the first nor starts a second child; it is retried with a growing delay until it succeeds", async () => {
    const name = "refunds-ledger-down";
    const id = "refund-o-101";
    const { ledger, calls, log } = fakeApis();
    ledger.up = false;
    await using refunds = await introspectWorkflow(env.REFUND_REQUEST_WORKFLOW);
    await using receipts = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    await start(name, id, refund("o-101"));
    const [instance] = await refunds.get();
    await instance!.waitForStatus("complete");

    await fire(name, await pollOf(name, id));

    // The child started once, with an id derived from the refund's.
    await expectOneReceipt(receipts, `${id}-poll-0`);
    // The poll is gone; the run is recorded with the first action done and a retry scheduled.
    const [run] = await runsOf(name);
    expect(run).toMatchObject({ flow: "refund-request", purpose: "poll", instance_id: id, method: "onRefundRequestComplete", done: 1 });
    expect(run!.attempts).toBeGreaterThanOrEqual(1);
    expect(run!.last_error).toContain("503");
    expect(Date.parse(run!.retry_at!) - Date.parse(run!.last_attempt_at!)).toBe(retryDelaySeconds(run!.attempts) * 1000);
    expect((await schedulesOf(name)).map((s) => s.callback)).toEqual(["retryActionRun"]);
    expect(await stateOf(name)).toEqual({});

    // The retry schedule (a real alarm) tries again after a longer delay; the first action stays done.
    const second = await until("a second failed attempt", async () => (await runsOf(name)).find((r) => r.attempts >= 2));
    expect(second.done).toBe(1);
    expect(Date.parse(second.retry_at!) - Date.parse(second.last_attempt_at!)).toBe(retryDelaySeconds(second.attempts) * 1000);
    expect(retryDelaySeconds(second.attempts)).toBeGreaterThan(retryDelaySeconds(1));
    await expectOneReceipt(receipts, `${id}-poll-0`);

    // The ledger is back: the next retry finishes the run.
    ledger.up = true;
    const [retry] = (await schedulesOf(name)).filter((s) => s.callback === "retryActionRun");
    if (retry) await fire(name, retry);
    await until("the run to finish", async () => ((await runsOf(name)).length === 0 ? true : undefined));
    expect(await schedulesOf(name)).toEqual([]);
    expect(await stateOf(name)).toEqual({ refunded: "o-101" });
    await expectOneReceipt(receipts, `${id}-poll-0`);
    // Every ledger post but the last failed; exactly one succeeded.
    const posts = ledgerPosts(calls);
    expect(posts.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(posts.at(-1)!.body)).toEqual({ order: "o-101", refund: "rf-o-101" });
    expect(log()).toContainEqual(
      expect.stringMatching(new RegExp(`^flow refund-request: poll action 2 \\(onRefundRequestComplete\\) for instance ${id} failed \\(attempt 1\\): HttpStepError: .*503.*; retrying at `)),
    );
  });

  it("runs each action once when the poll fires twice at the same time and once more afterwards", async () => {
    const name = "refunds-twice";
    const id = "refund-o-102";
    const { calls } = fakeApis();
    await using refunds = await introspectWorkflow(env.REFUND_REQUEST_WORKFLOW);
    await using receipts = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    await start(name, id, refund("o-102"));
    const [instance] = await refunds.get();
    await instance!.waitForStatus("complete");

    const poll = await pollOf(name, id);
    await Promise.all([fire(name, poll), fire(name, poll)]);
    await fire(name, poll);

    expect(ledgerPosts(calls)).toHaveLength(1);
    await expectOneReceipt(receipts, `${id}-poll-0`);
    expect(await stateOf(name)).toEqual({ refunded: "o-102" });
    expect(await runsOf(name)).toEqual([]);
    expect(await schedulesOf(name)).toEqual([]);
  });

  it("a repeated start action finds the child its derived id names and starts nothing new", async () => {
    const name = "refunds-repeat-start";
    fakeApis();
    await using receipts = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    const payload: PollPayload = { instanceId: "refund-o-103", input: refund("o-103") };
    const event = { status: "complete", output: { refund: "rf-o-103" }, error: null };
    const childId = await actionInstanceId(payload.instanceId, "poll", 0);
    await runInDurableObject(await agentOf(name), async (a: FlowAgent) => {
      await a.onRefundRequestComplete(event, payload)[0]!(childId);
      await a.onRefundRequestComplete(event, payload)[0]!(childId);
    });
    await expectOneReceipt(receipts, "refund-o-103-poll-0");
  });

  it("keeps its progress in storage: after eviction the retry runs only what is left", async () => {
    const name = "refunds-evicted";
    const id = "refund-o-104";
    const { ledger, calls } = fakeApis();
    ledger.up = false;
    await using refunds = await introspectWorkflow(env.REFUND_REQUEST_WORKFLOW);
    await using receipts = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    await start(name, id, refund("o-104"));
    const [instance] = await refunds.get();
    await instance!.waitForStatus("complete");
    await fire(name, await pollOf(name, id));
    expect((await runsOf(name))[0]).toMatchObject({ done: 1 });

    await evictDurableObject(await agentOf(name));
    const [run] = await runsOf(name);
    expect(run).toMatchObject({ instance_id: id, done: 1, method: "onRefundRequestComplete", event: { status: "complete", output: { refund: "rf-o-104" }, error: null } });
    ledger.up = true;
    const [retry] = (await schedulesOf(name)).filter((s) => s.callback === "retryActionRun");
    if (retry) await fire(name, retry);
    await until("the run to finish", async () => ((await runsOf(name)).length === 0 ? true : undefined));

    await expectOneReceipt(receipts, `${id}-poll-0`);
    expect(ledgerPosts(calls).filter((c) => c.body.includes("o-104")).length).toBeGreaterThanOrEqual(2);
    expect(await stateOf(name)).toEqual({ refunded: "o-104" });
    expect(await schedulesOf(name)).toEqual([]);
  });
});

describe("poll actions: when the retry cannot be scheduled", () => {
  it("the poll stays and the next poll finishes the recorded run, without repeating what succeeded", async () => {
    const name = "refunds-no-retry-schedule";
    const id = "refund-o-105";
    const { ledger, calls } = fakeApis();
    ledger.up = false;
    await using refunds = await introspectWorkflow(env.REFUND_REQUEST_WORKFLOW);
    await using receipts = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    await start(name, id, refund("o-105"));
    const [instance] = await refunds.get();
    await instance!.waitForStatus("complete");
    // The agent's storage refuses the retry schedule once, right after the ledger failed.
    await runInDurableObject(await agentOf(name), async (a: FlowAgent) => {
      const spy = vi.spyOn(a, "schedule");
      spy.mockImplementationOnce(async () => {
        throw new Error("simulated storage failure");
      });
      cleanups.push(() => spy.mockRestore());
    });
    const poll = await pollOf(name, id);
    await expect(fire(name, poll)).rejects.toThrow("simulated storage failure");
    expect((await runsOf(name))[0]).toMatchObject({ done: 1, attempts: 1, retry_schedule: null });
    expect((await schedulesOf(name)).map((s) => s.id)).toEqual([poll.id]);

    ledger.up = true;
    await fire(name, poll);
    await expectOneReceipt(receipts, `${id}-poll-0`);
    expect(ledgerPosts(calls)).toHaveLength(2);
    expect(await stateOf(name)).toEqual({ refunded: "o-105" });
    expect(await runsOf(name)).toEqual([]);
    expect(await schedulesOf(name)).toEqual([]);
  });
});

describe("poll actions: event.error", () => {
  it("is { name, message } for an instance that a fail step ended", async () => {
    const name = "refunds-over-limit";
    const id = "refund-o-201";
    fakeApis();
    await using refunds = await introspectWorkflow(env.REFUND_REQUEST_WORKFLOW);
    await start(name, id, refund("o-201", 900));
    const [instance] = await refunds.get();
    await instance!.waitForStatus("errored");
    await fire(name, await pollOf(name, id));
    expect(await stateOf(name)).toEqual({
      refund_failed: "o-201",
      status: "errored",
      // The engine names the error after its class: a fail step throws a NonRetryableError.
      error: { name: "Error", message: "A refund of 900 EUR for order o-201 needs a manager" },
      reason: "A refund of 900 EUR for order o-201 needs a manager",
    });
    expect(await schedulesOf(name)).toEqual([]);
  });

  it("is { name: Terminated, message } for a terminated instance", async () => {
    const name = "refunds-cancelled";
    const id = "refund-o-202";
    const hold = deferred();
    fakeApis({ hold: hold.promise });
    await start(name, id, refund("o-202"));
    const instance = await env.REFUND_REQUEST_WORKFLOW.get(id);
    await instance.terminate();
    await until("the instance to be terminated", async () => ((await instance.status()).status === "terminated" ? true : undefined));
    hold.resolve();
    await fire(name, await pollOf(name, id));
    expect(await stateOf(name)).toEqual({
      refund_failed: "o-202",
      status: "terminated",
      // The engine gives no error for a terminated instance; actions still get one.
      error: { name: "Terminated", message: "The instance was terminated." },
      reason: "The instance was terminated.",
    });
  });
});

/** A trigger-started refund uses the same poll: a smoke test through the Worker's fetch. */
describe("poll actions: through the trigger", () => {
  it("names the refund instance after the order and starts the receipt after it", async () => {
    const { calls } = fakeApis();
    await using receipts = await introspectWorkflow(env.SEND_RECEIPT_WORKFLOW);
    const res = await send("POST", "/orders/o-301/refund", { token: SECRETS.ORDERS_TOKEN, body: { customer: "ada", email: "ada@example.com", amount: 5 } });
    expect(res.status).toBe(202);
    expect(res.body["instance_id"]).toBe("refund-o-301");
    await until("the refund to complete", async () => ((await (await env.REFUND_REQUEST_WORKFLOW.get("refund-o-301")).status()).status === "complete" ? true : undefined));
    await fire("default", await pollOf("default", "refund-o-301"));
    await expectOneReceipt(receipts, "refund-o-301-poll-0");
    expect(ledgerPosts(calls)).toHaveLength(1);
  });
});
