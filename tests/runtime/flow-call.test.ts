import { NonRetryableError } from "cloudflare:workflows";
import type { WorkflowStep } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { childStart, resultEventType, startedChild, waitForChild } from "../../runtime/flow-call.ts";
import type { InputValidator } from "../../runtime/input-validation.ts";

const accept: InputValidator = () => true;
const refuse: InputValidator = Object.assign(() => false, {
  errors: [{ instancePath: "", keyword: "required", params: { missingProperty: "email" }, message: "must have email" }],
});

describe("childStart", () => {
  it("derives the child's id and, when waiting, where to report", () => {
    const start = childStart(accept, "send-receipt", { n: 1 }, { stepName: "receipt", parentId: "order-1", parentBinding: "ORDER_WORKFLOW" });
    expect(start).toEqual({
      input: { n: 1 },
      instanceId: "order-1-receipt",
      parent: { binding: "ORDER_WORKFLOW", instanceId: "order-1", eventType: resultEventType("order-1-receipt") },
    });
    expect(childStart(accept, "x", {}, { stepName: "kick", parentId: "p" })).toEqual({ input: {}, instanceId: "p-kick" });
  });

  it("fails without retry on input the child refuses", () => {
    expect(() => childStart(refuse, "send-receipt", {}, { stepName: "receipt", parentId: "p" })).toThrow(NonRetryableError);
    expect(() => childStart(refuse, "send-receipt", {}, { stepName: "receipt", parentId: "p" })).toThrow("call receipt: the input for flow send-receipt is not valid: email is required");
  });

  it("reads the instance id the child's agent answered", () => {
    expect(startedChild({ flow: "x", instance_id: "p-kick", status: "exists" })).toEqual({ instance_id: "p-kick" });
    expect(() => startedChild({})).toThrow();
  });
});

/** A step that records names; `events` answers waitForEvent in turn (undefined = the round times out). */
function scriptedStep(events: unknown[], statuses: unknown[]) {
  const names: string[] = [];
  const timeouts: unknown[] = [];
  const terminated: string[] = [];
  const step = {
    async waitForEvent(name: string, options: { timeout?: unknown }) {
      names.push(name);
      timeouts.push(options.timeout);
      const payload = events.shift();
      if (payload === undefined) throw new Error("timed out");
      return { payload, type: "t", timestamp: new Date() };
    },
    async do(name: string, callback: () => Promise<unknown>) {
      names.push(name);
      return callback();
    },
  };
  let checks = 0;
  const workflow = {
    get: async (id: string) => ({ status: async () => statuses[checks++], terminate: async () => void terminated.push(id) }),
  } as unknown as Workflow;
  return { step: step as unknown as WorkflowStep, workflow, names, timeouts, terminated };
}

describe("waitForChild", () => {
  it("returns the output the child reports", async () => {
    const { step, workflow, names } = scriptedStep([{ ok: true, output: { sent: true } }], []);
    expect(await waitForChild(step, "receipt", { instance_id: "c" }, workflow, { flow: "send-receipt" })).toEqual({ sent: true });
    expect(names).toEqual(["receipt:wait#1"]);
  });

  it("reads the child's status after a silent round, and waits another round while it runs", async () => {
    const { step, workflow, names } = scriptedStep([undefined, undefined], [{ status: "running" }, { status: "complete", output: 7 }]);
    expect(await waitForChild(step, "receipt", { instance_id: "c" }, workflow, { flow: "send-receipt" })).toBe(7);
    expect(names).toEqual(["receipt:wait#1", "receipt:check#1", "receipt:wait#2", "receipt:check#2"]);
  });

  it("fails, naming the child, when it reports a failure", async () => {
    const { step, workflow } = scriptedStep([{ ok: false, error: "mailbox full" }], []);
    const failure = waitForChild(step, "receipt", { instance_id: "order-1-receipt" }, workflow, { flow: "send-receipt" });
    await expect(failure).rejects.toThrow("call receipt: flow send-receipt (instance order-1-receipt) failed: mailbox full");
  });

  it("with a timeout, waits rounds that add up to it, then terminates the child and fails saying so", async () => {
    const { step, workflow, names, timeouts, terminated } = scriptedStep([undefined, undefined], [{ status: "running" }, { status: "waiting" }]);
    const failure = waitForChild(step, "approval", { instance_id: "p-approval" }, workflow, { flow: "review", timeout: { text: "36 hours", seconds: 129_600 } });
    await expect(failure).rejects.toThrow("call approval: flow review (instance p-approval) did not end within 36 hours, so it was terminated");
    expect(names).toEqual(["approval:wait#1", "approval:check#1", "approval:wait#2", "approval:check#2"]);
    expect(timeouts).toEqual(["86400 seconds", "43200 seconds"]);
    expect(terminated).toEqual(["p-approval"]);
  });

  it("with a timeout, still returns the output of a child that ends in time", async () => {
    const { step, workflow, terminated } = scriptedStep([{ ok: true, output: "yes" }], []);
    expect(await waitForChild(step, "a", { instance_id: "c" }, workflow, { flow: "f", timeout: { text: "1 hour", seconds: 3_600 } })).toBe("yes");
    expect(terminated).toEqual([]);
  });

  it("fails when the status shows the child errored (its report was lost)", async () => {
    const { step, workflow } = scriptedStep([undefined], [{ status: "errored", error: { name: "Error", message: "boom" } }]);
    await expect(waitForChild(step, "r", { instance_id: "c" }, workflow, { flow: "f" })).rejects.toThrow("call r: flow f (instance c) failed: boom");
  });
});
