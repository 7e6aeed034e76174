import { resolve } from "node:path";
import type { Diagnostic } from "./diagnostics.ts";
import { type FrameStyle, renderDiagnostic, sourceReader, terminalStyle } from "./diagnostics-frame.ts";
import { initProject } from "./init/init-project.ts";
import { runGenerator, type Mode, type RunResult } from "./pipeline.ts";
import { startWatch, type WatchRun } from "./watch.ts";

/**
 * The `cf-flows` command (`npm run generate [-- --check | --watch]` and
 * `npm run check [-- --watch]` in this repository), and `cf-flows init <dir>`.
 * Diagnostics go to stderr, one line each, with a code frame under each when
 * a person is reading (a TTY, `--color`); the exit status is 1 when anything
 * is wrong (or, with --check, stale). Bad input never produces a stack trace.
 */

const USAGE = [
  "usage: cf-flows generate [--check | --watch] [--remove-agents] [--color | --no-color]",
  "       cf-flows check [--watch] [--color | --no-color]",
  "       cf-flows init <dir> [--package <version | path to cf-flows tarball or folder>]",
].join("\n");
const FLAGS = ["--check", "--watch", "--color", "--no-color", "--remove-agents"];

function main(argv: readonly string[]): number | "watching" {
  const [command, ...flags] = argv;
  if (command === "init") return init(flags);
  const unknown = flags.filter((f) => !FLAGS.includes(f) || (f === "--remove-agents" && command !== "generate"));
  const watching = flags.includes("--watch");
  if ((command !== "generate" && command !== "check") || unknown.length > 0 || (watching && flags.includes("--check"))) {
    console.error(USAGE);
    return 2;
  }
  const style = terminalStyle(flags, process.env, process.stderr.isTTY === true);
  if (watching) {
    watchMode(command, style);
    return "watching";
  }
  const mode: Mode = command === "check" ? "check" : flags.includes("--check") ? "verify" : "generate";
  const result = runGenerator(process.cwd(), mode, { removeAgents: flags.includes("--remove-agents") });
  printDiagnostics(result.diagnostics, style);
  if (!result.ok && mode === "verify" && result.diagnostics.every((d) => d.severity !== "error")) {
    for (const path of result.changes.written) console.error(`${path}: out of date`);
    for (const path of result.changes.deleted) console.error(`${path}: would be deleted`);
    console.error("generated output is stale: run `npm run generate` and commit the result");
  }
  if (result.ok && mode === "generate") console.log(changesText(result));
  // Silence on success reads as "did it run at all?": say what was checked.
  if (result.ok && mode === "check") console.log(checkedText(result));
  const errors = count(result.diagnostics, "error");
  if (errors > 0) console.error(`${errors} error(s); nothing was written`);
  return result.ok ? 0 : 1;
}

/** `init <dir> [--package <spec>]`: scaffolds the project, then generates it once so `npm test` finds generated/ fresh. */
function init(args: readonly string[]): number {
  const [dir, ...rest] = args;
  const spec = rest[0] === "--package" && rest.length === 2 ? rest[1] : undefined;
  if (dir === undefined || dir.startsWith("-") || (rest.length > 0 && spec === undefined)) {
    console.error(USAGE);
    return 2;
  }
  const made = initProject(dir, spec === undefined ? {} : { packageSpec: spec });
  if (!made.ok) {
    console.error(`error: ${made.error}`);
    return 1;
  }
  const result = runGenerator(resolve(dir), "generate");
  printDiagnostics(result.diagnostics, { frames: false, color: false });
  if (!result.ok) return 1;
  console.log(`created ${dir} (${made.files.length} files, and generated/). Next:\n  cd ${dir}\n  npm install\n  npm test`);
  return 0;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], style: FrameStyle): void {
  const read = sourceReader(process.cwd());
  for (const d of diagnostics) {
    console.error(renderDiagnostic(d, style.frames ? read(d.file) : undefined, style));
    // A blank line keeps frames apart; plain output stays one line per diagnostic.
    if (style.frames) console.error("");
  }
}

const count = (diagnostics: readonly Diagnostic[], severity: Diagnostic["severity"]): number =>
  diagnostics.filter((d) => d.severity === severity).length;

/** `checked 11 flows and 4 flow test files: no problems` (or how many warnings). */
function checkedText(result: RunResult): string {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`;
  const warnings = count(result.diagnostics, "warning");
  const what = `checked ${plural(result.checked.flows, "flow")} and ${plural(result.checked.flowTests, "flow test file")}`;
  return `${what}: ${warnings > 0 ? plural(warnings, "warning") : "no problems"}`;
}

function changesText(result: RunResult): string {
  const n = result.changes.written.length + result.changes.deleted.length;
  return n === 0 ? "generated/ is up to date" : `updated ${n} file(s)`;
}

/** Runs until Ctrl-C; every run prints its diagnostics and one timestamped summary line. */
function watchMode(command: "generate" | "check", style: FrameStyle): void {
  const onRun = ({ result, at, durationMs, changed, first }: WatchRun): void => {
    printDiagnostics(result.diagnostics, style);
    const errors = count(result.diagnostics, "error");
    const warnings = count(result.diagnostics, "warning");
    const problems = `${errors} error(s), ${warnings} warning(s)`;
    const outcome =
      errors > 0
        ? command === "generate"
          ? `${problems}; nothing written, the last good output is kept`
          : problems
        : command === "generate"
          ? `${changesText(result)}${warnings > 0 ? `; ${warnings} warning(s)` : ""}`
          : `definitions are valid${warnings > 0 ? `; ${warnings} warning(s)` : ""}`;
    const what = !first && changed.length === 1 ? ` (${changed[0]})` : "";
    const line = `[${at.toTimeString().slice(0, 8)}] ${outcome}${what} in ${Math.round(durationMs)} ms`;
    (errors > 0 ? console.error : console.log)(line);
  };
  const onError = (error: unknown): void => {
    console.error(`internal error in the generator (please report it): ${error instanceof Error ? error.stack : String(error)}`);
  };
  const watcher = startWatch(process.cwd(), { mode: command, onRun, onError });
  void watcher.ready.then(() => console.log("watching definitions/, actions/ and wrangler.jsonc; press Ctrl-C to stop"));
  const stop = (): void => {
    watcher.close();
    console.log("stopped watching");
    process.exitCode = 0;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

try {
  const status = main(process.argv.slice(2));
  if (status !== "watching") process.exitCode = status;
} catch (error) {
  // Only a bug in the generator gets here; say so plainly.
  console.error(`internal error in the generator (please report it): ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 70;
}
