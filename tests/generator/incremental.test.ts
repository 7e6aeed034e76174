import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { GeneratorCache } from "../../generator/incremental.ts";
import { runGenerator, type RunResult } from "../../generator/pipeline.ts";
import { repositoryCopy } from "./scratch-project.ts";

/**
 * Watch mode's incremental runs (generator/incremental.ts): after any change,
 * a run with the cache of the earlier runs must give exactly what a full run
 * gives, the same diagnostics and the same bytes on disk.
 */

/** A copy of the repository's project: definitions (flows and their tests), actions, runtime and wrangler.jsonc. */
const project = (): string => repositoryCopy("flows-incremental-");

const lines = (result: RunResult): string[] => result.diagnostics.map(formatDiagnostic);

/**
 * The incremental run, then checks that a full run of the same inputs,
 * without the disk caches either (FLOWS_NO_CACHE), reports the same and would write nothing.
 */
function runBoth(dir: string, cache: GeneratorCache): RunResult {
  const incremental = runGenerator(dir, "generate", { cache });
  process.env["FLOWS_NO_CACHE"] = "1";
  let full: RunResult;
  try {
    full = runGenerator(dir, "verify");
  } finally {
    delete process.env["FLOWS_NO_CACHE"];
  }
  expect(lines(incremental)).toEqual(lines(full));
  if (incremental.ok) expect(full.changes).toEqual({ written: [], deleted: [] });
  return incremental;
}

/** How many flows the project has (the examples change; this test must not depend on them). */
function flowCount(dir: string): number {
  return readdirSync(join(dir, "definitions")).filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f)).length;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

describe("incremental runs (watch mode)", () => {
  it("give what a full run gives, change after change", () => {
    const dir = project();
    const cache = new GeneratorCache();
    expect(runBoth(dir, cache).ok).toBe(true);

    // Nothing changed: nothing to write.
    expect(runBoth(dir, cache).changes).toEqual({ written: [], deleted: [] });

    // One flow's own text: only it is parsed, checked and emitted again, and only its files change.
    const before = { files: cache.files.misses, rules: cache.rules.misses, flows: cache.flowOutputs.misses, agents: cache.agentFiles.misses, hits: cache.flowOutputs.hits };
    edit(dir, "definitions/flight-status.yaml", (t) => t.replace(/^description: .*$/m, "description: Edited while watching."));
    const described = runBoth(dir, cache);
    expect(described.ok).toBe(true);
    expect(described.changes.written).toContain("generated/flows/flight-status/workflow.ts");
    expect(described.changes.written).not.toContain("generated/flows/expense-approval/workflow.ts");
    const after = { files: cache.files.misses, rules: cache.rules.misses, flows: cache.flowOutputs.misses, agents: cache.agentFiles.misses, hits: cache.flowOutputs.hits };
    expect(after).toEqual({ files: before.files + 1, rules: before.rules + 1, flows: before.flows + 1, agents: before.agents + 1, hits: before.hits + flowCount(dir) - 1 });

    // A called flow moves to another agent: its caller's workflow (which starts it through that agent) changes too.
    edit(dir, "definitions/send-receipt.yaml", (t) => t.replace(/^flow: send-receipt$/m, "flow: send-receipt\nagent: ReceiptAgent"));
    const moved = runBoth(dir, cache);
    expect(moved.ok).toBe(true);
    expect(moved.changes.written).toContain("generated/flows/order-fulfilment/workflow.ts");
    expect(moved.changes.written).toContain("generated/agents/receipt-agent.ts");

    // A call that no longer waits: the callee stops reporting to its caller.
    edit(dir, "definitions/order-fulfilment.yaml", (t) => t.replace(/wait: true/, "wait: false").replace(/ {2}receipt_sent: .*\n/, ""));
    const unwaited = runBoth(dir, cache);
    expect(unwaited.ok).toBe(true);
    expect(unwaited.changes.written).toContain("generated/flows/send-receipt/workflow.ts");

    // A broken save: errors, nothing written; fixed again: the same as before it broke.
    const good = readFileSync(join(dir, "definitions/github-push.yaml"), "utf8");
    edit(dir, "definitions/github-push.yaml", (t) => t.replace("sleep: 1 minute", "sleep: soon").replace("steps:", "steps:\n  - id: x\n    http: { url: ${{ nope }} }"));
    const broken = runBoth(dir, cache);
    expect(broken.ok).toBe(false);
    expect(broken.changes).toEqual({ written: [], deleted: [] });
    writeFileSync(join(dir, "definitions/github-push.yaml"), good);
    expect(runBoth(dir, cache).ok).toBe(true);

    // A new flow, then its removal.
    writeFileSync(join(dir, "definitions/nap.yaml"), "flow: nap\nagent: FlightAgent\nsteps:\n  - id: rest\n    sleep: 1 minute\n");
    expect(runBoth(dir, cache).changes.written).toContain("generated/flows/nap/workflow.ts");
    rmSync(join(dir, "definitions/nap.yaml"));
    expect(runBoth(dir, cache).changes.deleted).toContain("generated/flows/nap/workflow.ts");

    // Project facts the per-flow checks read: wrangler.jsonc vars, the actions module.
    const wrangler = readFileSync(join(dir, "wrangler.jsonc"), "utf8");
    edit(dir, "wrangler.jsonc", (t) => t.replace('"API_BASE"', '"API_ROOT"'));
    expect(runBoth(dir, cache).ok).toBe(false);
    writeFileSync(join(dir, "wrangler.jsonc"), wrangler);
    expect(runBoth(dir, cache).ok).toBe(true);
    const actions = readFileSync(join(dir, "actions/index.ts"), "utf8");
    edit(dir, "actions/index.ts", (t) => t.replace("args: { customer: string; total: number }", "args: { customer: number; total: number }"));
    expect(runBoth(dir, cache).ok).toBe(false);
    // ...and a file the actions module imports.
    writeFileSync(join(dir, "actions/index.ts"), actions);
    edit(dir, "runtime/action-context.ts", (t) => `${t}\nexport type Unused = never;\n`);
    expect(runBoth(dir, cache).ok).toBe(true);
    // ...and one it imports before it exists: its arrival changes the analysis.
    edit(dir, "actions/index.ts", (t) => `import type { PointsArgs } from "./extra.ts";\n${t.replace("args: { customer: string; total: number }", "args: PointsArgs")}`);
    expect(runBoth(dir, cache).ok).toBe(true);
    writeFileSync(join(dir, "actions/extra.ts"), "export interface PointsArgs {\n  readonly customer: string;\n  readonly coupon: string;\n}\n");
    const stricter = runBoth(dir, cache);
    expect(stricter.ok).toBe(false);
    expect(lines(stricter).join("\n")).toMatch(/coupon|total/);
    rmSync(join(dir, "actions/extra.ts"));
    writeFileSync(join(dir, "actions/index.ts"), actions);
    expect(runBoth(dir, cache).ok).toBe(true);

    // A generated file edited by hand is put back, though the cache last wrote the same text.
    writeFileSync(join(dir, "generated/flows/flight-status/input.ts"), "// edited by hand\n");
    expect(runBoth(dir, cache).changes.written).toEqual(["generated/flows/flight-status/input.ts"]);
  });

  it("report a flow's own problems again while it stays broken, and other flows' problems while they stay", () => {
    const dir = project();
    const cache = new GeneratorCache();
    writeFileSync(join(dir, "definitions/bad.yaml"), "flow: bad\nsteps:\n  - id: a\n    sleep: soon\n");
    writeFileSync(join(dir, "definitions/odd.yaml"), "flow: odd-name\nsteps:\n  - id: a\n    sleep: 1 minute\n");
    const first = runBoth(dir, cache);
    expect(first.ok).toBe(false);
    edit(dir, "definitions/flight-status.yaml", (t) => t.replace(/^description: .*$/m, "description: Still broken elsewhere."));
    expect(lines(runBoth(dir, cache))).toEqual(lines(first));
    rmSync(join(dir, "definitions/bad.yaml"));
    const fixed = runBoth(dir, cache);
    expect(fixed.ok).toBe(true);
    expect(fixed.diagnostics.map((d) => d.severity)).toEqual(["warning"]);
  });
});
