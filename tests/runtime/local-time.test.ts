import { describe, expect, it } from "vitest";
import { isLocalDevBuild, localTime, scaledDuration, timeScaleOf } from "../../runtime/local-time.ts";

/** A step that records what each durable call was given. */
function recordingStep() {
  const calls: { method: string; args: unknown[] }[] = [];
  const record =
    (method: string) =>
    async (...args: unknown[]): Promise<unknown> => {
      calls.push({ method, args });
      const callback = args.at(-1);
      return typeof callback === "function" ? (callback as () => unknown)() : undefined;
    };
  return { calls, step: { do: record("do"), sleep: record("sleep"), sleepUntil: record("sleepUntil"), waitForEvent: record("waitForEvent") } };
}

describe("FLOWS_TIME_SCALE (npm run dev only)", () => {
  it("scales sleeps, retry delays, timeouts and waits down by the factor in a local dev build", async () => {
    const { calls, step } = recordingStep();
    const env = { FLOWS_TIME_SCALE: "60" };
    expect(timeScaleOf(env, true)).toBe(60);
    const fast = localTime(step, env, timeScaleOf(env, true));
    await fast.sleep("nap", "1 hour");
    await fast.do("call", { retries: { limit: 3, delay: "10 seconds", backoff: "exponential" }, timeout: "2 minutes" }, async () => "ok");
    await fast.waitForEvent("approval", { type: "approval", timeout: "1 day" });
    const inOneHour = Date.now() + 3_600_000;
    await fast.sleepUntil("later", new Date(inOneHour));
    expect(calls.slice(0, 3)).toEqual([
      { method: "sleep", args: ["nap", 60_000] },
      { method: "do", args: ["call", { retries: { limit: 3, delay: 167, backoff: "exponential" }, timeout: 2_000 }, expect.any(Function)] },
      { method: "waitForEvent", args: ["approval", { type: "approval", timeout: 1_440_000 }] },
    ]);
    // An hour ahead becomes about a minute ahead.
    const until = (calls[3]!.args[1] as Date).getTime();
    expect(until).toBeLessThan(inOneHour - 3_000_000);
    expect(until).toBeGreaterThan(Date.now());
  });

  it("changes nothing without the var, with a value that is not a number of at least 1, or outside a dev build", async () => {
    expect(isLocalDevBuild()).toBe(false);
    for (const env of [{}, { FLOWS_TIME_SCALE: "" }, { FLOWS_TIME_SCALE: "fast" }, { FLOWS_TIME_SCALE: "0.5" }, { FLOWS_TIME_SCALE: "-3" }]) expect(timeScaleOf(env, true), JSON.stringify(env)).toBe(1);
    // Deployed (no --define FLOWS_LOCAL_DEV): the var is ignored, and the step is the engine's own.
    const { calls, step } = recordingStep();
    const env = { FLOWS_TIME_SCALE: "60" };
    expect(timeScaleOf(env)).toBe(1);
    expect(timeScaleOf(env, false)).toBe(1);
    const same = localTime(step, env);
    expect(same).toBe(step);
    await same.sleep("nap", "1 hour");
    expect(calls).toEqual([{ method: "sleep", args: ["nap", "1 hour"] }]);
  });

  it("leaves what it cannot read as it is, and never waits less than a millisecond", () => {
    expect(scaledDuration("soon", 60)).toBe("soon");
    expect(scaledDuration(undefined, 60)).toBe(undefined);
    expect(scaledDuration("1 second", 10_000)).toBe(1);
    expect(scaledDuration(90_000, 60)).toBe(1_500);
  });
});
