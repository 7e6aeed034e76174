#!/usr/bin/env node
import { formatDiagnostic } from "./diagnostics.ts";
import { runGenerator, type Mode } from "./pipeline.ts";

/**
 * `npm run generate [-- --check]` and `npm run check`. Diagnostics go to
 * stderr one per line; the exit status is 1 when anything is wrong (or, with
 * --check, stale). Bad input never produces a stack trace.
 */

const USAGE = "usage: cli.ts generate [--check] | check";

function main(argv: readonly string[]): number {
  const [command, ...flags] = argv;
  const unknown = flags.filter((f) => f !== "--check");
  if ((command !== "generate" && command !== "check") || unknown.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const mode: Mode = command === "check" ? "check" : flags.includes("--check") ? "verify" : "generate";
  const result = runGenerator(process.cwd(), mode);
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (!result.ok && mode === "verify" && result.diagnostics.every((d) => d.severity !== "error")) {
    for (const path of result.changes.written) console.error(`${path}: out of date`);
    for (const path of result.changes.deleted) console.error(`${path}: would be deleted`);
    console.error("generated output is stale: run `npm run generate` and commit the result");
  }
  if (result.ok && mode === "generate") {
    const n = result.changes.written.length + result.changes.deleted.length;
    console.log(n === 0 ? "generated/ is up to date" : `updated ${n} file(s)`);
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) console.error(`${errors} error(s); nothing was written`);
  return result.ok ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  // Only a bug in the generator gets here; say so plainly.
  console.error(`internal error in the generator (please report it): ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 70;
}
