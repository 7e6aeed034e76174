import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadProject } from "../../generator/frontend.ts";
import { runGenerator } from "../../generator/pipeline.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "generator/cli.ts");
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A scratch project with some of the example definitions and the given wrangler.jsonc. */
function scratch(definitions: readonly string[], wrangler?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "flows-"));
  temps.push(dir);
  mkdirSync(join(dir, "definitions"));
  for (const name of definitions) cpSync(join(ROOT, "definitions", name), join(dir, "definitions", name));
  if (wrangler !== undefined) writeFileSync(join(dir, "wrangler.jsonc"), wrangler);
  return dir;
}

const NAP = `flow: nap
steps:
  - id: rest
    sleep: 1 minute
`;

const USER_CONFIG = `// My Worker. Do not lose this comment.
{
  "name": "my-flows", // my name, not the generator's
  "vars": { "API_BASE": "https://api.example.com" },
  "kv_namespaces": [{ "binding": "CACHE", "id": "abc123" }], // a binding the flows do not use
  "observability": { "enabled": true }
}
`;

describe("golden output", () => {
  it("the committed generated/ and wrangler.jsonc are exactly what the definitions produce", () => {
    const result = runGenerator(ROOT, "verify");
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.changes).toEqual({ written: [], deleted: [] });
    expect(result.ok).toBe(true);
  });
});

describe("determinism", () => {
  it("emits the same bytes twice, whatever order the flows are read in", () => {
    const { project } = loadProject(ROOT);
    const first = emitProject(project);
    const second = emitProject({ ...project, flows: [...project.flows].reverse() });
    expect([...second.files]).toEqual([...first.files]);
    expect(second.wrangler).toEqual(first.wrangler);
  });

  it("a second generate changes nothing", () => {
    const dir = scratch(["flight-status.yaml", "expense-approval.yaml"], USER_CONFIG);
    expect(runGenerator(dir, "generate").ok).toBe(true);
    const again = runGenerator(dir, "generate");
    expect(again.changes).toEqual({ written: [], deleted: [] });
  });
});

describe("wrangler.jsonc", () => {
  it("keeps the user's comments and keys, and adds what the flows need", () => {
    const dir = scratch(["flight-status.yaml"], USER_CONFIG);
    expect(runGenerator(dir, "generate").ok).toBe(true);
    const text = readFileSync(join(dir, "wrangler.jsonc"), "utf8");
    expect(text).toContain("// My Worker. Do not lose this comment.");
    expect(text).toContain(`"name": "my-flows", // my name, not the generator's`);
    expect(text).toContain(`"kv_namespaces": [{ "binding": "CACHE", "id": "abc123" }], // a binding the flows do not use`);
    expect(text).toContain(`"observability": { "enabled": true }`);
    expect(text).toContain(`"main": "generated/worker.ts"`);
    expect(text).toMatch(/"binding": "FLIGHT_STATUS_WORKFLOW"/);
    expect(text).toMatch(/"new_sqlite_classes": \["FlightAgent"\]/);
  });

  it("is created with defaults when the project has none", () => {
    const dir = scratch([]);
    writeFileSync(join(dir, "definitions/nap.yaml"), NAP);
    expect(runGenerator(dir, "generate").ok).toBe(true);
    const text = readFileSync(join(dir, "wrangler.jsonc"), "utf8");
    expect(text).toMatch(/"compatibility_date": "\d{4}-\d{2}-\d{2}"/);
    expect(text).toMatch(/"class_name": "NapWorkflow"/);
  });
});

describe("all or nothing", () => {
  it("writes nothing when any definition has an error", () => {
    const dir = scratch(["flight-status.yaml"], USER_CONFIG);
    writeFileSync(join(dir, "definitions/broken.yaml"), "flow: broken\nsteps:\n  - id: a\n    sleep: soon\n");
    const result = runGenerator(dir, "generate");
    expect(result.ok).toBe(false);
    expect(result.diagnostics.some((d) => d.file === "definitions/broken.yaml" && d.severity === "error")).toBe(true);
    expect(existsSync(join(dir, "generated"))).toBe(false);
    expect(readFileSync(join(dir, "wrangler.jsonc"), "utf8")).toBe(USER_CONFIG);
  });

  it("--check reports stale output and writes nothing", () => {
    const dir = scratch(["flight-status.yaml"], USER_CONFIG);
    runGenerator(dir, "generate");
    const workflow = join(dir, "generated/flows/flight-status/workflow.ts");
    writeFileSync(workflow, "// edited by hand\n");
    const result = runGenerator(dir, "verify");
    expect(result.ok).toBe(false);
    expect(result.changes.written).toEqual(["generated/flows/flight-status/workflow.ts"]);
    expect(readFileSync(workflow, "utf8")).toBe("// edited by hand\n");
  });

  it("removes generated files of a flow that no longer exists", () => {
    const dir = scratch(["flight-status.yaml"], USER_CONFIG);
    writeFileSync(join(dir, "definitions/nap.yaml"), NAP.replace("flow: nap", "flow: nap\nagent: FlightAgent"));
    expect(runGenerator(dir, "generate").ok).toBe(true);
    rmSync(join(dir, "definitions/nap.yaml"));
    const result = runGenerator(dir, "generate");
    expect(result.ok).toBe(true);
    expect(result.changes.deleted).toContain("generated/flows/nap/workflow.ts");
    expect(existsSync(join(dir, "generated/flows/nap/workflow.ts"))).toBe(false);
  });

  it("refuses to drop an Agent class that has a migration, and says how to delete it", () => {
    const dir = scratch(["flight-status.yaml"], USER_CONFIG);
    writeFileSync(join(dir, "definitions/nap.yaml"), NAP);
    expect(runGenerator(dir, "generate").ok).toBe(true);
    const before = readFileSync(join(dir, "wrangler.jsonc"), "utf8");
    rmSync(join(dir, "definitions/nap.yaml"));
    const result = runGenerator(dir, "generate");
    expect(result.ok).toBe(false);
    const error = result.diagnostics.find((d) => d.file === "wrangler.jsonc");
    expect(error?.message).toMatch(/FlowAgent/);
    expect(error?.hint ?? error?.message).toMatch(/deleted_classes/);
    expect(readFileSync(join(dir, "wrangler.jsonc"), "utf8")).toBe(before);
  });

  it("with removeAgents (generate --remove-agents), appends the deleting migration and keeps the earlier ones", () => {
    const dir = scratch(["flight-status.yaml"], USER_CONFIG);
    writeFileSync(join(dir, "definitions/nap.yaml"), NAP);
    expect(runGenerator(dir, "generate").ok).toBe(true);
    rmSync(join(dir, "definitions/nap.yaml"));
    const result = runGenerator(dir, "generate", { removeAgents: true });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const text = readFileSync(join(dir, "wrangler.jsonc"), "utf8");
    expect(text).toMatch(/"deleted_classes": \[\s*"FlowAgent"\s*\]/);
    expect(text).toMatch(/"new_sqlite_classes": \[[^\]]*"FlowAgent"/);
    expect(runGenerator(dir, "verify").ok).toBe(true);
  });
});

// These start a Node process each; on a loaded 2-core machine that can take several seconds.
describe("the CLI", () => {
  it("prints every error as file:line:col, exits 1, and never shows a stack trace", () => {
    const dir = scratch([], USER_CONFIG);
    writeFileSync(join(dir, "definitions/a.yaml"), "flow: a\nsteps:\n  - id: x\n    sleep: soon\n");
    writeFileSync(join(dir, "definitions/b.yaml"), "flow: b\nstpes: []\n");
    const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", CLI, "check"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    const diagnostics = lines.filter((l) => /^definitions\/[ab]\.yaml:\d+:\d+: error: /.test(l));
    expect(diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("check says what it checked when it finds nothing wrong", () => {
    const dir = scratch(["flight-status.yaml", "flight-status.test.yaml", "expense-approval.yaml"], USER_CONFIG);
    const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", CLI, "check"], { cwd: dir, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("checked 2 flows and 1 flow test file: no problems\n");
    expect(run.status).toBe(0);
  });

  it("generate --check exits 0 on this repository", () => {
    const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", CLI, "generate", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
