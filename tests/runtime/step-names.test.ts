import { describe, expect, it } from "vitest";
import { MAX_STEP_NAME, childInstanceId, shortHash, stepPrefix } from "../../runtime/step-names.ts";
import { childScope, clearSteps, forEachItems, mergeScope } from "../../runtime/step-scope.ts";
import { checkStepBudget, countSteps, stepsUsed } from "../../runtime/step-budget.ts";

const VALID_ID = /^[a-zA-Z0-9_][a-zA-Z0-9-_]*$/;

describe("step names", () => {
  it("keeps ordinary prefixes as written", () => {
    expect(stepPrefix("each_leg[3].")).toBe("each_leg[3].");
    expect(stepPrefix("each_leg[3].until_ok#2.")).toBe("each_leg[3].until_ok#2.");
  });

  it("shortens a prefix of deeply nested loops deterministically, leaving room for the step id", () => {
    const deep = Array.from({ length: 12 }, (_, i) => `loop_number_${i}[${i}].`).join("");
    const short = stepPrefix(deep);
    expect(short).toBe(stepPrefix(deep));
    expect(short.length).toBeLessThanOrEqual(190);
    expect(short.endsWith(".")).toBe(true);
    expect(stepPrefix(`${deep}x`)).not.toBe(stepPrefix(`${deep}y`));
    expect(`${short}a_long_step_id_of_forty_characters_xxxx:value`.length).toBeLessThanOrEqual(MAX_STEP_NAME);
  });

  it("hashes with 16 hex digits", () => {
    expect(shortHash("a")).toMatch(/^[0-9a-f]{16}$/);
    expect(shortHash("a")).not.toBe(shortHash("b"));
  });
});

describe("child instance ids", () => {
  it("is the parent id and the step name when that is a valid id", () => {
    expect(childInstanceId("order-o1", "receipt")).toBe("order-o1-receipt");
  });

  it("replaces invalid characters and adds a hash, so iterations stay distinct and valid", () => {
    const a = childInstanceId("order-o1", "lines[0].receipt");
    const b = childInstanceId("order-o1", "lines[1].receipt");
    expect(a).toMatch(VALID_ID);
    expect(a.startsWith("order-o1-lines_0__receipt-")).toBe(true);
    expect(a).not.toBe(b);
    // A step whose id happens to look like the cleaned name gets another child.
    expect(childInstanceId("order-o1", "lines_0__receipt")).not.toBe(a);
  });

  it("stays within 100 characters", () => {
    const id = childInstanceId("p".repeat(90), "receipt_for_a_very_long_order");
    expect(id.length).toBeLessThanOrEqual(100);
    expect(id).toMatch(VALID_ID);
    expect(id).toBe(childInstanceId("p".repeat(90), "receipt_for_a_very_long_order"));
  });
});

describe("step scopes", () => {
  it("reads outer outputs through an iteration's scope and merges its own back", () => {
    const outer: Record<string, unknown> = { lookup: 1 };
    const inner = childScope(outer);
    inner["reserve"] = "r-1";
    expect(inner["lookup"]).toBe(1);
    expect(outer["reserve"]).toBeUndefined();
    mergeScope(outer, inner, { reserve: "r-2" });
    expect(outer).toEqual({ lookup: 1, reserve: "r-2" });
  });

  it("sets the outputs of steps that did not run to null", () => {
    const steps: Record<string, unknown> = { a: 1 };
    clearSteps(steps, "b", "c");
    expect(steps).toEqual({ a: 1, b: null, c: null });
  });

  it("accepts only arrays to iterate over", () => {
    expect(forEachItems("x", [1])).toEqual([1]);
    expect(() => forEachItems("legs", { a: 1 })).toThrow("for_each legs: the list to iterate over is a object, not an array");
    expect(() => forEachItems("legs", undefined)).toThrow("for_each legs: the list to iterate over is missing, not an array");
  });
});

describe("step budget", () => {
  const fakeStep = { do: async (_n: string, f: () => Promise<unknown>) => f(), sleep: async () => undefined, other: () => "x" };

  it("counts the durable calls made through the wrapped step", async () => {
    const step = countSteps(fakeStep);
    await step.do("a", async () => 1);
    await step.sleep();
    expect(step.other()).toBe("x");
    expect(stepsUsed(step)).toBe(2);
    expect(stepsUsed(fakeStep)).toBe(0);
  });

  it("fails when the iterations would pass the limit", async () => {
    const step = countSteps(fakeStep);
    await step.do("a", async () => 1);
    expect(() => checkStepBudget("legs", step, 4, 2, 9)).not.toThrow();
    expect(() => checkStepBudget("legs", step, 5, 2, 10)).toThrow("for_each legs: 5 items × 2 steps each need about 10 steps, but this instance has already used 1 of its limit of 10");
  });
});
