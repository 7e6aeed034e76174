import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { type LoadFnOutput, stripTypeScriptTypes } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_DIR, sha256 } from "../../generator/disk-cache.ts";
import { type StrippedStore, strippedModules } from "../../generator/fast-start.ts";
import { ROOT, scratchDir } from "./scratch-project.ts";

/**
 * The generator's start (generator/fast-start.ts): its TypeScript modules
 * are served from the disk cache already stripped of their types, so Node
 * does not strip them again on every run.
 */


const TS = `import type { Flow } from "./model/types.ts";
export const name = (flow: Flow): string => flow.id;
`;

function memoryStore(): StrippedStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, get: (key) => entries.get(key), set: (key, text) => void entries.set(key, text) };
}

const loading = (output: LoadFnOutput) => () => output;
const CONTEXT = { conditions: [], format: undefined, importAttributes: {} };

describe("strippedModules", () => {
  it("serves a TypeScript module as JavaScript, its types blanked out in place, and keeps it", () => {
    const store = memoryStore();
    const out = strippedModules(store)("file:///x/name.ts", CONTEXT, loading({ format: "module-typescript", source: TS }));
    expect(out.format).toBe("module");
    expect(out.source).toBe(stripTypeScriptTypes(TS, { mode: "strip" }));
    expect(String(out.source)).not.toContain(": Flow");
    // Same lines and columns, so stack traces point at the right place.
    expect(String(out.source).split("\n").map((l) => l.length)).toEqual(TS.split("\n").map((l) => l.length));
    expect([...store.entries.keys()]).toEqual([sha256(`${process.version}\n${TS}`)]);
  });

  it("takes a module it has from the store, without stripping it again", () => {
    const store = memoryStore();
    store.entries.set(sha256(`${process.version}\n${TS}`), "export const kept = true;\n");
    const out = strippedModules(store)("file:///x/name.ts", CONTEXT, loading({ format: "module-typescript", source: new TextEncoder().encode(TS) }));
    expect(out).toEqual({ format: "module", source: "export const kept = true;\n", shortCircuit: true });
  });

  it("keys each text apart: an edited module is stripped anew", () => {
    const store = memoryStore();
    const hook = strippedModules(store);
    hook("file:///x/name.ts", CONTEXT, loading({ format: "module-typescript", source: TS }));
    hook("file:///x/name.ts", CONTEXT, loading({ format: "module-typescript", source: `${TS}export const more: number = 1;\n` }));
    expect(store.entries.size).toBe(2);
  });

  it("leaves every other module to Node", () => {
    const store = memoryStore();
    for (const loaded of [
      { format: "module", source: "export {};" },
      { format: "commonjs", source: "module.exports = {};" },
      { format: "json", source: "{}" },
      { format: "builtin", source: undefined },
    ]) {
      expect(strippedModules(store)("file:///x/y", CONTEXT, loading(loaded))).toBe(loaded);
    }
    expect(store.entries.size).toBe(0);
  });
});

describe("the CLI's start", () => {
  it("keeps the generator's modules stripped in node_modules/.cache/cf-flows", () => {
    const dir = scratchDir("flows-start-");
    mkdirSync(join(dir, "definitions"));
    const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", join(ROOT, "generator/cli.ts"), "check"], { cwd: dir, encoding: "utf8", env: { ...process.env, FLOWS_NO_CACHE: "" } });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const module of ["generator/cli-main.ts", "generator/pipeline.ts", "generator/load/parse-yaml.ts"]) {
      const source = readFileSync(join(ROOT, module), "utf8");
      const entry = readFileSync(join(CACHE_DIR, `stripped-${sha256(`${process.version}\n${source}`)}.js`), "utf8");
      expect(entry).toBe(stripTypeScriptTypes(source, { mode: "strip" }));
    }
  });
});
