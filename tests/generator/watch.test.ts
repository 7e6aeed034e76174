import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startWatch, type Watcher, type WatchRun } from "../../generator/watch.ts";

/**
 * `generate --watch` against a scratch project: real files, real fs events.
 * Each step waits for the run it causes (bounded), then looks at the disk.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = `// a scratch project\n{\n  "name": "watch-test",\n  "vars": { "API_BASE": "https://api.example.com" }\n}\n`;
const WORKFLOW = "generated/flows/flight-status/workflow.ts";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "flows-watch-"));
  mkdirSync(join(dir, "definitions"));
  for (const name of ["flight-status.yaml", "expense-approval.yaml", "github-push.yaml"]) cpSync(join(ROOT, "definitions", name), join(dir, "definitions", name));
  writeFileSync(join(dir, "wrangler.jsonc"), WRANGLER);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts a watcher whose runs can be awaited one by one. */
function watched(dir: string): { watcher: Watcher; next: (what: string) => Promise<WatchRun>; runs: WatchRun[] } {
  const runs: WatchRun[] = [];
  const waiting: ((run: WatchRun) => void)[] = [];
  const watcher = startWatch(dir, {
    debounceMs: 50,
    onRun: (run) => {
      runs.push(run);
      waiting.shift()?.(run);
    },
    onError: (error) => {
      throw error;
    },
  });
  cleanups.unshift(() => watcher.close());
  const next = (what: string): Promise<WatchRun> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no run after ${what} within 10 s`)), 10_000);
      waiting.push((run) => {
        clearTimeout(timer);
        resolve(run);
      });
    });
  return { watcher, next, runs };
}

const errorsOf = (run: WatchRun): string[] => run.result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Generous for a loaded CI machine; each awaited run is bounded by `next` too. */
const TEST_TIMEOUT = 60_000;

describe("generate --watch", () => {
  it("regenerates on save, keeps the last good output while a save is broken, and regenerates once fixed", async () => {
    const dir = scratch();
    const { watcher, next, runs } = watched(dir);
    await watcher.ready;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.first).toBe(true);
    expect(errorsOf(runs[0]!)).toEqual([]);
    const workflowPath = join(dir, WORKFLOW);
    expect(readFileSync(workflowPath, "utf8")).toContain("class FlightStatusWorkflow");

    // A change: the flow's description becomes the class's doc comment.
    const definition = join(dir, "definitions/flight-status.yaml");
    const good = readFileSync(definition, "utf8").replace(/^description: .*$/m, "description: Watched and regenerated.");
    let pending = next("a change");
    writeFileSync(definition, good);
    let run = await pending;
    expect(run).toMatchObject({ first: false, changed: ["definitions/flight-status.yaml"] });
    expect(errorsOf(run)).toEqual([]);
    expect(run.result.changes.written).toContain(WORKFLOW);
    const goodOutput = readFileSync(workflowPath, "utf8");
    expect(goodOutput).toContain("Watched and regenerated.");
    const goodStat = statSync(workflowPath);

    // A broken save: reported at its line, nothing written.
    pending = next("a broken save");
    writeFileSync(definition, good.replace("description: Watched and regenerated.", "description: Broken now.\nstpes: []"));
    run = await pending;
    expect(errorsOf(run)).toEqual(["definitions/flight-status.yaml:4:1: unknown key 'stpes' in flow; did you mean 'steps'?"]);
    expect(run.result.changes).toEqual({ written: [], deleted: [] });
    expect(readFileSync(workflowPath, "utf8")).toBe(goodOutput);
    expect(statSync(workflowPath).mtimeMs).toBe(goodStat.mtimeMs);

    // Fixed: regenerated from the new text.
    pending = next("the fix");
    writeFileSync(definition, good.replace("Watched and regenerated.", "Fixed again."));
    run = await pending;
    expect(errorsOf(run)).toEqual([]);
    expect(readFileSync(workflowPath, "utf8")).toContain("Fixed again.");

    // Our own write of wrangler.jsonc, and a save that changes nothing, start no run.
    const count = runs.length;
    writeFileSync(definition, readFileSync(definition, "utf8"));
    await sleep(500);
    expect(runs).toHaveLength(count);

    watcher.close();
    writeFileSync(definition, good.replace("Watched and regenerated.", "After close."));
    await sleep(300);
    expect(runs).toHaveLength(count);
  }, TEST_TIMEOUT);

  it("debounces a burst of saves into one run", async () => {
    const dir = scratch();
    const { watcher, next, runs } = watched(dir);
    await watcher.ready;
    const definition = join(dir, "definitions/expense-approval.yaml");
    const text = readFileSync(definition, "utf8");
    const pending = next("a burst");
    for (let i = 1; i <= 5; i++) writeFileSync(definition, text.replace(/^description: .*$/m, `description: Save ${i}.`));
    const run = await pending;
    await sleep(400);
    expect(runs).toHaveLength(2);
    expect(run.changed).toEqual(["definitions/expense-approval.yaml"]);
    expect(readFileSync(join(dir, "generated/flows/expense-approval/workflow.ts"), "utf8")).toContain("Save 5.");
  }, TEST_TIMEOUT);

  it("keeps following a file saved by rename (vim, sed -i, an editor's safe write, git checkout), save after save", async () => {
    const dir = scratch();
    const { watcher, next } = watched(dir);
    await watcher.ready;
    const definition = join(dir, "definitions/flight-status.yaml");
    const text = readFileSync(definition, "utf8");
    // Each save writes a temporary file beside the definition and renames it over it: a new inode every time.
    for (const [i, where] of [[1, "definitions/.flight-status.yaml.swp"], [2, "flight-status.yaml.tmp"], [3, "definitions/.flight-status.yaml.swp"]] as const) {
      const temporary = join(dir, where);
      writeFileSync(temporary, text.replace(/^description: .*$/m, `description: Renamed save ${i}.`));
      const pending = next(`rename-save ${i}`);
      renameSync(temporary, definition);
      const run = await pending;
      expect(run.changed).toEqual(["definitions/flight-status.yaml"]);
      expect(errorsOf(run)).toEqual([]);
      expect(readFileSync(join(dir, WORKFLOW), "utf8")).toContain(`Renamed save ${i}.`);
    }
  }, TEST_TIMEOUT);

  it("survives files being renamed and deleted, and the definitions folder being replaced", async () => {
    const dir = scratch();
    const { watcher, next } = watched(dir);
    await watcher.ready;

    // Renamed: the flow id no longer matches the file name, a warning.
    let pending = next("a rename");
    renameSync(join(dir, "definitions/expense-approval.yaml"), join(dir, "definitions/expenses.yaml"));
    let run = await pending;
    expect(run.changed).toEqual(["definitions/expense-approval.yaml", "definitions/expenses.yaml"]);
    expect(run.result.diagnostics.map((d) => `${d.severity}: ${d.file}`)).toEqual(["warning: definitions/expenses.yaml"]);

    // Deleted: its generated files go too (github-push keeps its Agent class, so no migration is needed).
    pending = next("a deletion");
    rmSync(join(dir, "definitions/expenses.yaml"));
    run = await pending;
    expect(errorsOf(run)).toEqual([]);
    expect(run.result.changes.deleted).toContain("generated/flows/expense-approval/workflow.ts");
    // No empty folder is left behind for tools that list generated/flows/.
    expect(existsSync(join(dir, "generated/flows/expense-approval"))).toBe(false);
    expect(existsSync(join(dir, "generated/flows/flight-status"))).toBe(true);

    // The folder deleted and made again: the new folder is watched.
    const saved = readFileSync(join(dir, "definitions/flight-status.yaml"), "utf8");
    const push = readFileSync(join(dir, "definitions/github-push.yaml"), "utf8");
    pending = next("the folder removed");
    rmSync(join(dir, "definitions"), { recursive: true });
    await pending;
    mkdirSync(join(dir, "definitions"));
    await sleep(200);
    writeFileSync(join(dir, "definitions/github-push.yaml"), push);
    pending = next("a file in the new folder");
    writeFileSync(join(dir, "definitions/flight-status.yaml"), saved.replace(/^description: .*$/m, "description: In a new folder."));
    run = await pending;
    expect(errorsOf(run)).toEqual([]);
    expect(readFileSync(join(dir, WORKFLOW), "utf8")).toContain("In a new folder.");
  }, TEST_TIMEOUT);
});
