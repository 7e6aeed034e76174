import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FLOW_TESTS_FILE, planFlowTests } from "../../scripts/flow-test-plan.ts";
import { scratchDir } from "./scratch-project.ts";

/**
 * `npm run test:flow -- <flow>` (scripts/test-flow.ts): it regenerates before
 * it runs anything, so the cases run are the YAML's as saved, never a stale
 * generated/flow-tests/. A scratch project of its own, not the examples.
 */

const FLOW = "flow: nap\nsteps:\n  - id: rest\n    sleep: 1 minute\noutput: { rested: true }\n";
const tests = (name: string): string => `flow: nap\ncases:\n  - name: ${name}\n    expect: { status: complete, output: { rested: true } }\n`;

function project(): string {
  const dir = scratchDir("flow-test-plan-");
  mkdirSync(join(dir, "definitions"));
  writeFileSync(join(dir, "definitions/nap.yaml"), FLOW);
  writeFileSync(join(dir, "definitions/nap.test.yaml"), tests("first name"));
  writeFileSync(join(dir, "wrangler.jsonc"), `{ "name": "plan-test" }\n`);
  return dir;
}

const generatedCases = (dir: string): string => readFileSync(join(dir, "generated/flow-tests/nap.ts"), "utf8");

describe("npm run test:flow", () => {
  it("regenerates first, so an edit to the test file is what runs, then filters to that flow's cases", () => {
    const dir = project();
    expect(planFlowTests(dir, "nap").ok).toBe(true);
    expect(generatedCases(dir)).toContain("first name");
    // Edited after the last generate: generated/flow-tests/ is stale until the command runs.
    writeFileSync(join(dir, "definitions/nap.test.yaml"), tests("renamed case"));
    expect(generatedCases(dir)).toContain("first name");
    const plan = planFlowTests(dir, "nap");
    expect(plan).toEqual({ ok: true, messages: [], vitestArgs: ["run", "--project", "workers", FLOW_TESTS_FILE, "--testNamePattern", "^definitions/nap\\.test\\.ya?ml "] });
    expect(generatedCases(dir)).toContain("renamed case");
    expect(generatedCases(dir)).not.toContain("first name");
    // The pattern matches the describe block flow-tests.test.ts names for this file, and no other flow's.
    const pattern = new RegExp(plan.ok ? plan.vitestArgs.at(-1)! : "");
    expect(pattern.test("definitions/nap.test.yaml (flow nap)")).toBe(true);
    expect(pattern.test("definitions/nap-later.test.yaml (flow nap-later)")).toBe(false);
  });

  it("runs nothing when generate fails, so stale cases never pass for the new YAML", () => {
    const dir = project();
    expect(planFlowTests(dir, undefined).ok).toBe(true);
    writeFileSync(join(dir, "definitions/nap.yaml"), `${FLOW}stpes: []\n`);
    const plan = planFlowTests(dir, "nap");
    expect(plan.ok).toBe(false);
    expect(plan).not.toHaveProperty("vitestArgs");
    expect(plan.messages.at(-1)).toBe("generate failed, so no flow test ran (fix the errors above first)");
  });

  it("says which flows have tests when asked for one that has none, and runs every flow's without an argument", () => {
    const dir = project();
    expect(planFlowTests(dir, "napp")).toEqual({ ok: false, messages: ["there is no definitions/napp.test.yaml (flows with tests: nap)"] });
    expect(planFlowTests(dir, undefined)).toEqual({ ok: true, messages: [], vitestArgs: ["run", "--project", "workers", FLOW_TESTS_FILE] });
  });
});
