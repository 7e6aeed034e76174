import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runGenerator } from "../../generator/pipeline.ts";
import { BackgroundWriter } from "../../generator/write/background-writer.ts";
import { repositoryCopy } from "./scratch-project.ts";

/**
 * Big `generate` runs write on a second thread while emitting
 * (generator/write/background-writer.ts). Whatever writes them, the files
 * on disk and the changes reported must be the same, and the writer keeps
 * writeOutputs' promises: untouched files stay untouched, stale ones go,
 * and nothing moves into place unless the run gets to its commit.
 */

/** A copy of this repository's definitions, actions and wrangler.jsonc, without generated/. */
const project = (): string => repositoryCopy("flows-bg-", ["definitions", "actions", "wrangler.jsonc"]);

/** Every file below `dir` with its text, by relative path. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const ALWAYS = { backgroundWriteFrom: 0 };
const NEVER = { backgroundWriteFrom: Number.POSITIVE_INFINITY };

describe("generate with the background writer", () => {
  it("writes exactly what writing in place writes, and reports the same changes", () => {
    const inPlace = project();
    const background = project();
    const a = runGenerator(inPlace, "generate", NEVER);
    const b = runGenerator(background, "generate", ALWAYS);
    expect(b.ok).toBe(true);
    expect(b.changes).toEqual(a.changes);
    expect(b.changes.written.length).toBeGreaterThan(20);
    expect(tree(background)).toEqual(tree(inPlace));
    // And it is what this repository has committed.
    expect(runGenerator(background, "verify").changes).toEqual({ written: [], deleted: [] });
  });

  it("leaves files that are already right untouched, and deletes generated files nothing makes any more", () => {
    const dir = project();
    runGenerator(dir, "generate", NEVER);
    const worker = join(dir, "generated/worker.ts");
    const before = statSync(worker);
    writeFileSync(join(dir, "generated/flows/stale.ts"), "// from a flow that is gone\n");
    const edited = join(dir, "generated/agents", readdirSync(join(dir, "generated/agents"))[0]!);
    writeFileSync(edited, "// edited by hand\n");

    const result = runGenerator(dir, "generate", ALWAYS);
    expect(result.changes).toEqual({ written: [relative(dir, edited)], deleted: ["generated/flows/stale.ts"] });
    expect(statSync(worker).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(worker).ino).toBe(before.ino);
    expect(readFileSync(edited, "utf8")).not.toContain("edited by hand");
    expect(existsSync(join(dir, "generated/flows/stale.ts"))).toBe(false);
    expect(runGenerator(dir, "generate", ALWAYS).changes).toEqual({ written: [], deleted: [] });
  });

  it("is not used when a definition has an error: nothing is written", () => {
    const dir = project();
    writeFileSync(join(dir, "definitions/broken.yaml"), "flow: broken\nsteps:\n  - id: x\n    sleep: soon\n");
    const before = tree(dir);
    const result = runGenerator(dir, "generate", ALWAYS);
    expect(result.ok).toBe(false);
    expect(tree(dir)).toEqual(before);
  });
});

describe("BackgroundWriter", () => {
  it("changes nothing on disk until commit, and abort takes back what it wrote", () => {
    const dir = project();
    mkdirSync(join(dir, "generated/old"), { recursive: true });
    writeFileSync(join(dir, "generated/old/kept.ts"), "kept\n");
    const before = tree(dir);

    const writer = new BackgroundWriter(dir, "generated");
    writer.put("generated/new/a.ts", "a\n");
    writer.put("wrangler.jsonc", "{}\n");
    writer.abort();
    expect(tree(dir)).toEqual(before);
  });

  it("commits: new files in place, no temporary files left, files not put again deleted", () => {
    const dir = project();
    mkdirSync(join(dir, "generated/old"), { recursive: true });
    writeFileSync(join(dir, "generated/old/gone.ts"), "gone\n");
    const writer = new BackgroundWriter(dir, "generated");
    writer.put("generated/new/a.ts", "a\n");
    writer.put("generated/new/b.ts", "b\n");
    expect(writer.commit()).toEqual({ written: ["generated/new/a.ts", "generated/new/b.ts"], deleted: ["generated/old/gone.ts"] });
    expect([...tree(join(dir, "generated"))]).toEqual([
      ["new/a.ts", "a\n"],
      ["new/b.ts", "b\n"],
    ]);
    writer.abort(); // after a commit: nothing to take back
    expect(tree(join(dir, "generated")).size).toBe(2);
  });

  it("a file it cannot write fails the commit, which then moves nothing into place and leaves no temporary files", () => {
    const dir = project();
    // A file where a folder should be: nothing can be written below it.
    mkdirSync(join(dir, "generated"), { recursive: true });
    writeFileSync(join(dir, "generated/flows"), "not a folder\n");
    const writer = new BackgroundWriter(dir, "generated");
    writer.put("generated/agents/a.ts", "a\n");
    writer.put("generated/flows/x/b.ts", "b\n");
    writer.put("generated/worker.ts", "w\n");
    expect(() => writer.commit()).toThrow(/writing generated files failed: .*generated\/flows/);
    expect([...tree(join(dir, "generated"))]).toEqual([["flows", "not a folder\n"]]);
  });
});
