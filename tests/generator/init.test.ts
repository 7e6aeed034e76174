import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initProject } from "../../generator/init/init-project.ts";
import { runGenerator } from "../../generator/pipeline.ts";

/**
 * `cf-flows init <dir>` writes a project of one's own: exactly these files,
 * none of this repository's examples, tests or tools; it never writes into
 * a folder that has something in it. (npm run test:package installs and
 * tests such a project from the packed tarball.)
 */

const EXPECTED = [
  ".dev.vars.example",
  ".gitignore",
  ".vscode/settings.json",
  "README.md",
  "actions/index.ts",
  "definitions/packing-check.test.yaml",
  "definitions/packing-check.yaml",
  "package.json",
  "tests/flows.test.ts",
  "tsconfig.json",
  "vitest.config.ts",
  "wrangler.jsonc",
];

const fresh = (): string => mkdtempSync(join(tmpdir(), "cf-flows-init-"));

describe("cf-flows init", () => {
  it("writes exactly the project's files, named after its folder", () => {
    const dir = join(fresh(), "My Flows");
    const result = initProject(dir);
    expect(result).toEqual({ ok: true, files: EXPECTED });
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    const own = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
    expect(pkg["name"]).toBe("my-flows");
    expect(pkg["dependencies"]).toEqual({ "cf-flows": `^${own.version}` });
    expect(Object.keys(pkg["scripts"]!)).toEqual(["generate", "check", "typecheck", "test", "dev", "deploy"]);
    expect(Object.keys(pkg["devDependencies"]!)).toContain("node");
    expect(Object.keys(pkg["devDependencies"]!)).not.toContain("mermaid");
    expect(readFileSync(join(dir, "wrangler.jsonc"), "utf8")).toContain('"name": "my-flows"');
  });

  it("points the dependency at a tarball by a path relative to the project", () => {
    const parent = fresh();
    initProject(join(parent, "app"), { packageSpec: join(parent, "cf-flows-9.9.9.tgz") });
    const pkg = JSON.parse(readFileSync(join(parent, "app/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ "cf-flows": "file:../cf-flows-9.9.9.tgz" });
  });

  it("makes a project the generator accepts as it is", () => {
    const dir = join(fresh(), "app");
    initProject(dir);
    const result = runGenerator(dir, "generate");
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(readFileSync(join(dir, "generated/flows/packing-check/workflow.ts"), "utf8")).toContain('from "cf-flows/runtime/');
    expect(runGenerator(dir, "verify").ok).toBe(true);
  });

  it("refuses a folder that is not empty, and writes nothing there", () => {
    const dir = fresh();
    writeFileSync(join(dir, "notes.txt"), "mine");
    const result = initProject(dir);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(/is not empty/);
    expect(existsSync(join(dir, "package.json"))).toBe(false);
  });

  it("accepts an empty folder that already exists", () => {
    const dir = join(fresh(), "empty");
    mkdirSync(dir);
    expect(initProject(dir).ok).toBe(true);
  });
});
