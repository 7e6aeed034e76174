import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runGenerator } from "../../generator/pipeline.ts";
import { STAGES, StageTimings, timed } from "../../generator/timings.ts";

/** The pipeline's timing hooks (bench/generator): they measure every stage and change nothing. */

const ROOT = resolve(import.meta.dirname, "../..");

describe("stage timings", () => {
  it("cover every stage of a run, add up to no more than the run, and leave the result as it is", () => {
    const timings = new StageTimings();
    const started = performance.now();
    const result = runGenerator(ROOT, "verify", { timings });
    const total = performance.now() - started;
    expect(result.ok).toBe(true);
    for (const stage of STAGES.filter((s) => s !== "print")) expect(timings.ms[stage], stage).toBeGreaterThan(0);
    const sum = STAGES.reduce((n, s) => n + timings.ms[s], 0);
    expect(sum).toBeLessThanOrEqual(total);
    expect(runGenerator(ROOT, "verify")).toEqual(result);
  });

  it("count a stage nested in another once, under its own name", () => {
    // A clock the test advances itself: the figures are exact, whatever the machine's load.
    let clock = 1000;
    const timings = new StageTimings(() => clock);
    timed(timings, "emit", () => {
      clock += 5;
      timed(timings, "print", () => (clock += 50));
      clock += 2;
    });
    expect(timings.ms).toMatchObject({ emit: 7, print: 50 });
    expect(timed(undefined, "load", () => 42)).toBe(42);
  });
});
