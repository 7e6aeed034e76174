import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runGenerator } from "../../generator/pipeline.ts";

/**
 * Temporary generator projects for the benchmarks: a folder (under
 * bench/results/, gitignored) with `definitions/`, a base `wrangler.jsonc`
 * and `runtime/` (a symlink to the real one, so the generated
 * `../../../runtime/…` imports resolve to the same modules as the rest of
 * the benchmark's code; or a copy, so a bundle looks exactly like that of a
 * user's project, module paths included), then the real
 * pipeline (`runGenerator`) writes `generated/` and completes wrangler.jsonc,
 * exactly as `npm run generate` does in a user's project.
 * Nothing here touches the repository's own definitions/ or generated/.
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The compatibility settings of the repository's wrangler.jsonc; every benchmark Worker uses them. */
export const COMPATIBILITY_DATE = "2026-11-01";
export const COMPATIBILITY_FLAGS: readonly string[] = ["nodejs_compat"];
export const API_BASE = "https://api.example.com";

export interface ProjectDefinition {
  /** File name under definitions/, e.g. `flight-status.yaml`. */
  readonly name: string;
  readonly text: string;
}

export interface ProjectOptions {
  /** Worker name in wrangler.jsonc. */
  readonly workerName: string;
  readonly definitions: readonly ProjectDefinition[];
  /** `link` (default): runtime/ is a symlink to the repository's; `copy`: a copy. */
  readonly runtime?: "link" | "copy";
}

/** Creates (or recreates) a project at `root` and runs the generator over it; throws with the diagnostics if it fails. */
export function createProject(root: string, options: ProjectOptions): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "definitions"), { recursive: true });
  for (const definition of options.definitions) writeFileSync(join(root, "definitions", definition.name), definition.text);
  const base = {
    name: options.workerName,
    vars: { API_BASE },
    compatibility_date: COMPATIBILITY_DATE,
    compatibility_flags: COMPATIBILITY_FLAGS,
  };
  writeFileSync(join(root, "wrangler.jsonc"), `${JSON.stringify(base, null, 2)}\n`);
  if (options.runtime === "copy") cpSync(join(REPO_ROOT, "runtime"), join(root, "runtime"), { recursive: true });
  else symlinkSync(join(REPO_ROOT, "runtime"), join(root, "runtime"), "dir");
  const result = runGenerator(root, "generate");
  if (!result.ok) {
    const problems = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
    throw new Error(`generating the benchmark project ${root} failed:\n${problems.join("\n")}`);
  }
}

/** A definition of the repository (definitions/<name>). */
export function repoDefinition(name: string): ProjectDefinition {
  return { name, text: readFileSync(join(REPO_ROOT, "definitions", name), "utf8") };
}

/** A benchmark-only definition (bench/runtime/flows/<name>). */
export function benchDefinition(name: string): ProjectDefinition {
  return { name, text: readFileSync(join(REPO_ROOT, "bench", "runtime", "flows", name), "utf8") };
}
