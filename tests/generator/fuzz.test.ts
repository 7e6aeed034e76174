import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadDefinitions } from "../../generator/frontend.ts";
import { formatNames } from "../../generator/schema/flow-schema.ts";
import {
  NOTABLE_FILES,
  captureConsole,
  caseArb,
  checkInMemory,
  checkPipeline,
  diagnosticProblems,
  fuzzContext,
  fuzzWorkDir,
  mutate,
  type FuzzCase,
} from "../../bench/fuzz/fuzz-harness.ts";

/**
 * Property-based fuzzing of the generator with fast-check (the bench runs
 * thousands more: bench/fuzz). The example definitions are mutated — keys
 * deleted, duplicated or renamed, scalars of another type, unicode and
 * control characters, broken indentation, truncation, swapped items,
 * `${{ }}` fragments, random YAML — and for every case:
 *   - the generator never throws;
 *   - every problem is a diagnostic at file:line:col inside that file;
 *   - a run with errors writes nothing (whole pipeline, on a temporary copy).
 * The seed is fixed so `npm test` is repeatable; FUZZ_SEED picks another.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEED = Number(process.env["FUZZ_SEED"] ?? 20261125);
const ctx = fuzzContext(ROOT);
const work = fuzzWorkDir();
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A failing case is shown with its mutated text, so it can be turned into a regression test. */
function explain(c: FuzzCase, problems: readonly string[], text: string): string {
  return `${problems.join("\n")}\n--- mutations: ${JSON.stringify(c.mutations).slice(0, 2000)}\n--- text (first 2000 chars):\n${text.slice(0, 2000)}`;
}

describe("fuzzing the generator", () => {
  it("300 mutated definitions: no throw, every diagnostic inside its file, output emitted only without errors", () => {
    let withErrors = 0;
    let emitted = 0;
    fc.assert(
      fc.property(caseArb(ctx), (c) => {
        const result = checkInMemory(ctx, c);
        if (result.errors > 0) withErrors++;
        if (result.emitted) emitted++;
        expect(result.problems, explain(c, result.problems, result.text)).toEqual([]);
        // Errors and emitting exclude each other.
        expect(result.errors > 0 && result.emitted).toBe(false);
      }),
      { numRuns: 300, seed: SEED },
    );
    // The mutations are not all fatal, nor all harmless: both paths were exercised.
    expect(withErrors).toBeGreaterThan(100);
    expect(emitted).toBeGreaterThan(10);
  }, 180_000);

  it("30 of them through the whole pipeline on a temporary project: a run with errors changes no file", () => {
    fc.assert(
      fc.property(caseArb(ctx), (c) => {
        const result = checkPipeline(ctx, c, work);
        expect(result.problems, explain(c, result.problems, result.text)).toEqual([]);
      }),
      { numRuns: 30, seed: SEED + 1 },
    );
  }, 180_000);

  it.each(NOTABLE_FILES.map((text, i) => [i, text] as const))("notable file #%i as a definition: diagnostics or output, never a throw", (_, text) => {
    const bag = new DiagnosticBag();
    const file = "definitions/x.yaml";
    const project = loadDefinitions([{ file, text }], ["API_BASE"], bag);
    expect(diagnosticProblems(bag.items, new Map([[file, text]]))).toEqual([]);
    if (!bag.hasErrors) expect(emitProject(project).files.size).toBeGreaterThan(0);
  });

  // Found while fuzzing: `format:` took any text; the generated validator then ignored an unknown
  // format (ajv only printed "unknown format ignored" while generating). Now it is a diagnostic.
  it("an unknown input format is a diagnostic at the format, with a suggestion; known formats pass", () => {
    const text = "flow: x\ninput:\n  a: { type: string, format: emial }\n  b: { type: object, properties: { c: { type: string, format: dat } } }\nsteps:\n  - { id: s, sleep: 1 minute }\n";
    const bag = new DiagnosticBag();
    loadDefinitions([{ file: "definitions/x.yaml", text }], [], bag);
    const found = bag.items.map((d) => ({ line: d.line, col: d.col, text: text.split("\n")[d.line - 1]!.slice(d.col - 1, d.col + 4), hint: d.hint }));
    expect(found).toEqual([
      { line: 3, col: 30, text: "emial", hint: "did you mean 'email'?" },
      { line: 4, col: 63, text: "dat }", hint: "did you mean 'date'?" },
    ]);
  });

  // Found while fuzzing: every format whose ajv-formats name has a dash (date-time, iso-time,
  // iso-date-time) made the emitter throw "ajv standalone output has a require() this generator
  // cannot rewrite", so `npm run generate` crashed on a `format: date-time` input field.
  it("every known format generates a working validator (date-time included)", async () => {
    const formats = formatNames();
    const fields = formats.map((f, i) => `  f${i}: { type: string, format: ${f}, required: false }`).join("\n");
    const printed = captureConsole();
    const bag = new DiagnosticBag();
    let files: ReadonlyMap<string, string>;
    try {
      const project = loadDefinitions([{ file: "definitions/x.yaml", text: `flow: x\ninput:\n${fields}\nsteps:\n  - { id: s, sleep: 1 minute }\n` }], [], bag);
      expect(bag.items).toEqual([]);
      files = emitProject(project).files;
    } finally {
      printed.restore();
    }
    expect(printed.lines).toEqual([]);
    const source = files.get("flows/x/input-validator.js")!;
    expect(source).toMatch(/= __ajv\d+\["date-time"\];/);
    expect(source).not.toMatch(/\brequire\(/);
    // Load the emitted module (it imports ajv's runtime from node_modules and
    // ../../../runtime/input-formats-own.ts and -ajv.ts) and use it. Under the project (so node_modules
    // resolves), in the git-ignored .tmp/, three levels below the root (as generated/flows/x/).
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, ".tmp", "fuzz-"));
    try {
      mkdirSync(join(dir, "flows"));
      writeFileSync(join(dir, "flows", "input-validator.mjs"), source);
      const { default: validate } = (await import(pathToFileURL(join(dir, "flows", "input-validator.mjs")).href)) as { default: (data: unknown) => boolean };
      const at = (format: string, value: string) => ({ [`f${formats.indexOf(format)}`]: value });
      expect(validate(at("date-time", "2026-11-25T15:00:00Z"))).toBe(true);
      expect(validate(at("date-time", "yesterday"))).toBe(false);
      expect(validate(at("iso-time", "15:00:00"))).toBe(true);
      expect(validate(at("email", "not an address"))).toBe(false);
      // uri comes from ajv-formats (runtime/input-formats-ajv.ts).
      expect(validate(at("uri", "https://example.com/a"))).toBe(true);
      expect(validate(at("uri", "example.com"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Found by this fuzzer (case: a `${{` inserted into flight-status's `pattern:`): the flow reported
  // its invalid schema, but checking its flow tests (flight-status.test.yaml) compiled the same
  // schema again and runGenerator threw "SyntaxError: Invalid regular expression".
  it("a flow whose input schema does not compile, with flow tests beside it: one diagnostic, no throw", () => {
    const flight = ctx.seeds.find((s) => s.file === "definitions/flight-status.yaml")!;
    const c: FuzzCase = {
      seed: ctx.seeds.indexOf(flight),
      mutations: [{ kind: "insert-text", at: flight.text.indexOf("{2}") + 1, text: "${{ " }],
    };
    const result = checkPipeline(ctx, c, work);
    expect(result.text).toContain('pattern: "^[A-Z0-9]{${{ 2}');
    expect(result.problems).toEqual([]);
    expect(result.errors).toBe(1);
  });

  it("mutations change what they say they change", () => {
    const text = "flow: a\nsteps:\n  - id: x\n    sleep: 1 minute\n  - id: y\n    sleep: 2 minutes\n";
    expect(mutate(text, { kind: "truncate", at: 7 })).toBe("flow: a");
    expect(mutate(text, { kind: "delete-key", at: 0, other: 0 })).not.toContain("flow:");
    expect(mutate(text, { kind: "rename-key", at: 0, text: "flw" })).toContain("flw: a");
    expect(mutate(text, { kind: "change-type", at: 0, value: 42 })).toContain("flow: 42");
    expect(mutate(text, { kind: "swap-items", at: 0, other: 1 }).indexOf("id: y")).toBeLessThan(mutate(text, { kind: "swap-items", at: 0, other: 1 }).indexOf("id: x"));
    expect(mutate(text, { kind: "indent", at: 0, delta: 3, tab: false })).toMatch(/^ {3}flow: a/);
    expect(mutate(text, { kind: "inject-expression", at: 0, offset: 0, text: "${{ 1 + }}" })).toContain("${{ 1 + }}");
    expect(mutate(text, { kind: "duplicate-key", at: 0, other: 0 }).match(/flow: a/g)).toHaveLength(2);
  });
});
