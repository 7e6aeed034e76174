import { describe, expect, it } from "vitest";
import { actionInstanceId } from "../../runtime/action-run.ts";
import { instanceEvent } from "../../runtime/instance-event.ts";

/** `event` in agent actions has one shape, whatever the engine reports (docs/language.md, "Poll"). */
describe("instanceEvent", () => {
  it("a completed instance: its output, no error", () => {
    expect(instanceEvent({ status: "complete", output: { ok: 1 } })).toEqual({ status: "complete", output: { ok: 1 }, error: null });
    expect(instanceEvent({ status: "complete" })).toEqual({ status: "complete", output: null, error: null });
  });

  it.each([
    ["an error object", { name: "NonRetryableError", message: "no way" }, { name: "NonRetryableError", message: "no way" }],
    ["an object without a name", { message: "no way" }, { name: "Error", message: "no way" }],
    ["an object without a name whose message names the class", { message: "TypeError: x is not a function" }, { name: "TypeError", message: "x is not a function" }],
    ["plain text", "upstream said no", { name: "Error", message: "upstream said no" }],
    ["text that starts with an error class", "HttpStepError: POST https://api.example.com/x answered 503", { name: "HttpStepError", message: "POST https://api.example.com/x answered 503" }],
    ["a message that is not text", { name: "Error", message: 42 }, { name: "Error", message: "42" }],
    ["nothing", undefined, { name: "Error", message: "The instance ended errored without an error message." }],
  ])("an errored instance with %s: { name, message }", (_what, raw, expected) => {
    expect(instanceEvent({ status: "errored", error: raw, output: "ignored" })).toEqual({ status: "errored", output: null, error: expected });
  });

  it("a terminated instance without an error gets one that says so", () => {
    expect(instanceEvent({ status: "terminated" })).toEqual({ status: "terminated", output: null, error: { name: "Terminated", message: "The instance was terminated." } });
  });
});

describe("actionInstanceId", () => {
  const VALID = /^[a-zA-Z0-9_][a-zA-Z0-9-_]*$/;

  it("is the ended instance's id, the purpose and the action's position", async () => {
    expect(await actionInstanceId("refund-o-1", "poll", 0)).toBe("refund-o-1-poll-0");
    expect(await actionInstanceId("refund-o-1", "poll", 2)).toBe("refund-o-1-poll-2");
    expect(await actionInstanceId("refund-o-1", "deadline", 0)).toBe("refund-o-1-deadline-0");
  });

  it("stays a valid Workflows id of at most 100 characters for the longest ids, distinct and the same each time", async () => {
    const a = `${"a".repeat(99)}b`;
    const b = `${"a".repeat(99)}c`;
    const ids = [await actionInstanceId(a, "poll", 0), await actionInstanceId(b, "poll", 0), await actionInstanceId(a, "poll", 1), await actionInstanceId(a, "poll", 12)];
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(100);
      expect(id).toMatch(VALID);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/-poll-0$/);
    expect(await actionInstanceId(a, "poll", 0)).toBe(ids[0]);
  });
});
