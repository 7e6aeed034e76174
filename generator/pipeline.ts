import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "./diagnostics.ts";
import { emitFlowTests } from "./emit/flow-tests-module.ts";
import { emitProject, projectConfig } from "./emit/project-files.ts";
import { updateWranglerConfig } from "./emit/wrangler-config.ts";
import { loadProject, type RunHooks } from "./frontend.ts";
import { timed } from "./timings.ts";
import { BackgroundWriter } from "./write/background-writer.ts";
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
  /** What the run read and checked (the flows it could model, the flow test files it could build), for the summary line. */
  readonly checked: { readonly flows: number; readonly flowTests: number };
}

const WRANGLER = "wrangler.jsonc";
const OWNED = "generated";
const NO_CHANGES: OutputChanges = { written: [], deleted: [] };
/** From this many flows, `generate` writes on a second thread while it emits (BackgroundWriter); below it the thread costs more than it saves. */
const BACKGROUND_WRITE_FLOWS = 50;

/**
 * `timings` collects the time of each stage (bench/generator); `cache` is
 * what watch mode keeps between runs (incremental.ts); `backgroundWriteFrom`
 * moves the threshold above (tests). None changes what a run produces.
 */
export interface RunOptions extends RunHooks {
  readonly backgroundWriteFrom?: number;
  /** `generate --remove-agents`: delete the Agent classes no flow uses any more (a `deleted_classes` migration) instead of refusing. */
  readonly removeAgents?: boolean;
}

export function runGenerator(root: string, mode: Mode, options: RunOptions = {}): RunResult {
  const { timings, cache } = options;
  const { project, flowTests, bag } = loadProject(root, options);
  cache?.sweepChecked();
  const checked = { flows: project.flows.length, flowTests: flowTests.length };
  if (bag.hasErrors || mode === "check") return { diagnostics: bag.sorted(), changes: NO_CHANGES, ok: !bag.hasErrors, checked };

  // wrangler.jsonc first: its problems, like the definitions', stop the run before anything is written.
  const wrangler = timed(timings, "emit", () => {
    const path = join(root, WRANGLER);
    return updateWranglerConfig(existsSync(path) ? readFileSync(path, "utf8") : "{\n}\n", projectConfig(project), WRANGLER, {
      removeUnusedClasses: options.removeAgents === true,
    });
  });
  const diagnostics = [...bag.sorted(), ...wrangler.errors.map((message) => configError(message))];
  if (wrangler.errors.length > 0) return { diagnostics, changes: NO_CHANGES, ok: false, checked };

  // Watch mode keeps its own record of what it wrote (writeOutputs), so it writes in place.
  const background = mode === "generate" && !cache && project.flows.length >= (options.backgroundWriteFrom ?? BACKGROUND_WRITE_FLOWS);
  const writer = background ? new BackgroundWriter(root, OWNED) : undefined;
  try {
    const put = writer ? (path: string, text: string): void => writer.put(`${OWNED}/${path}`, text) : undefined;
    const generated = timed(timings, "emit", () => {
      const tests = emitFlowTests(flowTests);
      if (put) for (const [path, text] of tests) put(path, text);
      return new Map([...emitProject(project, options, put).files, ...tests]);
    });
    cache?.sweepEmitted();
    const changes = timed(timings, "write", () => {
      if (writer) {
        writer.put(WRANGLER, wrangler.text);
        return writer.commit();
      }
      const files = new Map<string, string>([...[...generated].map(([p, t]): [string, string] => [`${OWNED}/${p}`, t]), [WRANGLER, wrangler.text]]);
      const outputs = { files, ownedDir: OWNED };
      return mode === "verify" ? planChanges(root, outputs) : writeOutputs(root, outputs, cache);
    });
    return { diagnostics, changes, ok: mode === "generate" || (changes.written.length === 0 && changes.deleted.length === 0), checked };
  } finally {
    // After a commit this does nothing; after a failure it takes back what was written beside the targets.
    writer?.abort();
  }
}

/** wrangler.jsonc problems are reported in the same `file:line:col:` shape; the message carries its own position when it has one. */
function configError(message: string): Diagnostic {
  const match = /^(\d+):(\d+): (.*)$/s.exec(message);
  return match
    ? { severity: "error", file: WRANGLER, line: Number(match[1]), col: Number(match[2]), message: match[3]! }
    : { severity: "error", file: WRANGLER, line: 1, col: 1, message };
}
