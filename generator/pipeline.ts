import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "./diagnostics.ts";
import { emitFlowTests } from "./emit/flow-tests-module.ts";
import { emitProject } from "./emit/project-files.ts";
import { updateWranglerConfig } from "./emit/wrangler-config.ts";
import { loadProject, type RunHooks } from "./frontend.ts";
import { timed } from "./timings.ts";
import { planChanges, writeOutputs, type OutputChanges } from "./write/write-outputs.ts";

/**
 * The whole generator as one function, shared by the CLI, watch mode and the
 * tests: load → validate → model → check → emit → write.
 */

export type Mode = "check" | "generate" | "verify";

export interface RunResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Files changed (generate) or that would change (verify); empty for check. */
  readonly changes: OutputChanges;
  readonly ok: boolean;
}

const WRANGLER = "wrangler.jsonc";
const NO_CHANGES: OutputChanges = { written: [], deleted: [] };

/**
 * `timings` collects the time of each stage (bench/generator); `cache` is
 * what watch mode keeps between runs (incremental.ts). Neither changes what
 * a run produces.
 */
export type RunOptions = RunHooks;

export function runGenerator(root: string, mode: Mode, options: RunOptions = {}): RunResult {
  const { timings, cache } = options;
  const { project, flowTests, bag } = loadProject(root, options);
  cache?.sweepChecked();
  if (bag.hasErrors || mode === "check") return { diagnostics: bag.sorted(), changes: NO_CHANGES, ok: !bag.hasErrors };

  const { generated, wrangler } = timed(timings, "emit", () => {
    const emitted = emitProject(project, options);
    const generated = new Map([...emitted.files, ...emitFlowTests(flowTests)]);
    const wranglerPath = join(root, WRANGLER);
    const before = existsSync(wranglerPath) ? readFileSync(wranglerPath, "utf8") : "{\n}\n";
    return { generated, wrangler: updateWranglerConfig(before, emitted.wrangler) };
  });
  cache?.sweepEmitted();
  const diagnostics = [...bag.sorted(), ...wrangler.errors.map((message) => configError(message))];
  if (wrangler.errors.length > 0) return { diagnostics, changes: NO_CHANGES, ok: false };

  const files = new Map<string, string>([...[...generated].map(([p, t]): [string, string] => [`generated/${p}`, t]), [WRANGLER, wrangler.text]]);
  const outputs = { files, ownedDir: "generated" };
  const changes = timed(timings, "write", () => (mode === "verify" ? planChanges(root, outputs) : writeOutputs(root, outputs, cache)));
  return { diagnostics, changes, ok: mode === "generate" || (changes.written.length === 0 && changes.deleted.length === 0) };
}

/** wrangler.jsonc problems are reported in the same `file:line:col:` shape; the message carries its own position when it has one. */
function configError(message: string): Diagnostic {
  const match = /^(\d+):(\d+): (.*)$/s.exec(message);
  return match
    ? { severity: "error", file: WRANGLER, line: Number(match[1]), col: Number(match[2]), message: match[3]! }
    : { severity: "error", file: WRANGLER, line: 1, col: 1, message };
}
