import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { isMap, isScalar, isSeq, parseDocument, Scalar, stringify, visit, type Node, type Pair } from "yaml";
import { readActionsSource, type ActionsSource } from "../../generator/actions/actions-module.ts";
import { DiagnosticBag, type Diagnostic } from "../../generator/diagnostics.ts";
import { emitFlowTests } from "../../generator/emit/flow-tests-module.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadFlowTests } from "../../generator/flow-tests/load-flow-tests.ts";
import { loadDefinitions, loadProject } from "../../generator/frontend.ts";
import type { Flow } from "../../generator/model/types.ts";
import { formatNames } from "../../generator/schema/flow-schema.ts";
import { runGenerator } from "../../generator/pipeline.ts";

/**
 * Fuzzing the generator (tests/generator/fuzz.test.ts and bench/fuzz): the
 * example definitions, mutated the ways people and tools break YAML files.
 * Whatever the text, the generator must not throw; every problem must be a
 * diagnostic at a `file:line:col` inside that file; and when there are
 * errors, nothing may be written.
 */

export interface Seed {
  /** Project-relative, as the generator names it. */
  readonly file: string;
  readonly text: string;
  readonly kind: "flow" | "test";
}

/** One change to a definition; the numbers pick the place, `text` is what goes there. */
export type Mutation =
  | { readonly kind: "delete-key" | "duplicate-key" | "swap-items"; readonly at: number; readonly other: number }
  | { readonly kind: "rename-key"; readonly at: number; readonly text: string }
  | { readonly kind: "change-type"; readonly at: number; readonly value: unknown }
  | { readonly kind: "scalar-chars" | "inject-expression"; readonly at: number; readonly offset: number; readonly text: string }
  | { readonly kind: "indent"; readonly at: number; readonly delta: number; readonly tab: boolean }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "insert-text"; readonly at: number; readonly text: string }
  | { readonly kind: "duplicate-line" | "delete-line" | "swap-lines"; readonly at: number; readonly other: number }
  | { readonly kind: "replace-line"; readonly at: number; readonly text: string }
  | { readonly kind: "random-file"; readonly text: string };

export interface FuzzCase {
  readonly seed: number;
  readonly mutations: readonly Mutation[];
}

export interface Context {
  readonly root: string;
  readonly seeds: readonly Seed[];
  readonly actions: ActionsSource | undefined;
  /** The unmutated project's flows, for checking mutated flow tests against. */
  readonly flows: readonly Flow[];
}

/** The outcome of one case: the mutated text and every broken property ([] = fine). */
export interface CaseResult {
  readonly file: string;
  readonly text: string;
  readonly problems: readonly string[];
  readonly errors: number;
  readonly emitted: boolean;
}

export function fuzzContext(root: string): Context {
  const dir = join(root, "definitions");
  const seeds = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name): Seed => ({ file: `definitions/${name}`, text: readFileSync(join(dir, name), "utf8"), kind: /\.test\.ya?ml$/.test(name) ? "test" : "flow" }));
  const { project } = loadProject(root);
  return { root, seeds, actions: readActionsSource(root), flows: project.flows };
}

// ---------------------------------------------------------------- arbitraries

/** Characters that break parsers, columns or terminals. */
const NASTY_CHARS = [
  "\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\r\n", "\u000b", "\f", "\u001b", "\u007f", "\u0085", "\u00a0",
  "\u200b", "\u200d", "\u2028", "\u2029", "\u202e", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\ud800", "\udfff",
  "😀", "👨‍👩‍👧", "e\u0301", "ß", "İ", "ǅ", "ﬃ", "Ａ", "中文", "עברית", "ع", "\u{10ffff}",
  ":", ": ", " #", "#", "-", "- ", "?", "? ", "&", "*", "!", "|", ">", "%", "@", "`", "'", '"', "\\", "{", "}", "[", "]", ",", "---", "...",
];

/** Fragments of `${{ }}` expressions, broken and not. */
const EXPRESSION_BITS = [
  "${{", "}}", "${{ }}", "${{ input }}", "${{ input.", "${{ input.nope }}", "${{ steps }}", "${{ steps.x.output }}", "${{ steps.lookup.output.body }}",
  "${{ 1 + }}", "${{ + }}", "${{ ((((( }}", "${{ ))) }}", "${{ 'unterminated }}", '${{ "x }}', "${{ a.b.c.d.e.f }}", "${{ fn( }}", "${{ length() }}",
  "${{ length(1, 2, 3) }}", "${{ ${{ x }} }}", "${{ env.NOPE }}", "${{ env }}", "${{ now() }}", "${{ uuid() }}", "${{ [1, 2 }}", "${{ {a: 1} }}",
  "${{ { } }}", "${{ input.x ?? }}", "${{ 1 ? 2 }}", "${{ ? : }}", "${{ '\\u0000' }}", "${{ steps[0] }}", "${{ input['a'] }}", "${{ input[ }}",
  "${{ 1e309 }}", "${{ -0 }}", "${{ 0x10 }}", "${{ 1..2 }}", "${{ !!!!true }}", "${{ a == = b }}", "${{ null.x }}", "${{ item }}", "${{ index }}",
  "${{ attempt }}", "${{ event.status }}", "${{ request.body }}", "${{ message }}", "${{ schedule.time }}", "${{ flow.name }}", "${{ instance.id }}",
  "${{ addDuration(now(), 'soon') }}", "${{ fromJSON('{') }}", "${{ toJSON() }}", "${{ split('a') }}", "${{ __proto__ }}", "${{ constructor }}",
  "${{ input.__proto__.x }}", "${{ input.constructor }}", "${{ 'a' + 1 * 'b' / null % [] }}", "$${{ x }}", "$ {{ x }}", "${ { x } }", "${{}}",
  `\${{ ${"(".repeat(300)}1${")".repeat(300)} }}`, `\${{ ${"a.".repeat(500)}b }}`, `\${{ ${"!".repeat(1000)}true }}`, `\${{ ${"[".repeat(200)} }}`,
];

const EXPRESSION_TOKENS = [
  "input", "steps", "env", "event", "item", "index", "request", "x", ".", "[", "]", "(", ")", "{", "}", ",", ":", "?", "??", "!", "&&", "||",
  "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "'a'", '"b"', "1", "0.5", "-3", "null", "true", "false", "length", "now", "output", "body", "'",
];

/** Every known format, then names that are not one. */
const FORMATS = [...formatNames(), "emial", "Date", ""];

/** Input-field schemas, valid and not, nested at most `depth` deep: they reach ajv and its standalone code generator. */
function schemaOf(depth: number): fc.Arbitrary<unknown> {
  const leaf = fc.constantFrom<unknown>(true, false, {}, { type: "string", format: "date-time" }, { type: "array", items: { type: "string", format: "email" }, uniqueItems: true });
  const child = depth <= 0 ? leaf : schemaOf(depth - 1);
  return fc.oneof(
    leaf,
    fc.record(
      {
        type: fc.constantFrom<unknown>("string", "number", "integer", "boolean", "object", "array", "null", "strng", ["string", "null"]),
        format: fc.constantFrom(...FORMATS),
        pattern: fc.constantFrom("^[a-z]+$", "(", "\\p{L}", "^\\d{2,4}$", ""),
        minLength: fc.integer({ min: -1, max: 5 }),
        maximum: fc.oneof(fc.integer(), fc.constant("10")),
        multipleOf: fc.constantFrom(0, 0.01, 3),
        enum: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
        const: fc.jsonValue({ maxDepth: 1 }),
        default: fc.jsonValue({ maxDepth: 1 }),
        uniqueItems: fc.boolean(),
        required: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 2 }),
        $ref: fc.constantFrom("#", "#/definitions/x", "http://example.com/s"),
        items: child,
        properties: fc.dictionary(fc.constantFrom("a", "b", "__proto__", "x-y"), child, { maxKeys: 2 }),
        oneOf: fc.array(child, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  );
}

const schemaArb = schemaOf(2);

/** Scalars of every type, to replace a value of another type with. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  schemaArb,
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e21, "", " ", "null", "true", "0", "1 minute", "POST /x", "~", [], {}, [[]], { "": null }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean()), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Key names: near misses, reserved words, empty, unicode, prototype keys. */
const keyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "", " ", "id", "ids", "step", "stepz", "Steps", "http", "htttp", "url", "uri", "method", "if", "then", "else", "retries", "retry", "poll",
    "triggers", "trigger", "input", "output", "on_error", "onError", "flow", "agent", "workflow", "cases", "expect", "mocks", "__proto__",
    "constructor", "prototype", "toString", "hasOwnProperty", "0", "-1", "true", "null", "~", "a b", "a.b", "ключ", "キー", "🔑", "\u0000", "key\nnext",
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);

const charsArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_CHARS),
  fc.array(fc.constantFrom(...NASTY_CHARS), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);

const expressionArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...EXPRESSION_BITS),
  fc.array(fc.constantFrom(...EXPRESSION_TOKENS), { maxLength: 12 }).map((tokens) => `\${{ ${tokens.join(" ")} }}`),
  fc.array(fc.constantFrom(...EXPRESSION_TOKENS), { maxLength: 12 }).map((tokens) => `\${{ ${tokens.join("")}`),
  fc.string({ maxLength: 12 }).map((inner) => `\${{ ${inner} }}`),
);

/** Whole files that have broken YAML tools before: odd syntax, directives, tags, aliases (and an alias bomb), deep nesting, huge values. */
export const NOTABLE_FILES: readonly string[] = [
  "",
  "\n",
  "---\n---\n",
  "...",
  "%YAML 1.2\n---\nflow: x\n",
  "%YAML 9.9\n",
  "%TAG ! tag:example.com,2000:\n---\n!foo bar",
  "flow: !!binary aGVsbG8=\n",
  "flow: !!int x\n",
  "flow: !custom x\n",
  "? [a, b]\n: c\n",
  "? |\n  block key\n: value\n",
  "{ flow: a, steps: [ { id: x, sleep: 1 minute } ] }",
  "[flow, steps]",
  "flow: a\nsteps:\n  - &s { id: x, sleep: 1 minute }\n  - *s\n",
  "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
  "flow: x\nsteps: *nowhere\n",
  "<<: { flow: x }\nsteps: []\n",
  "flow: x\n<<: *m\n",
  "flow: |\n  a\n b\n",
  "flow: >-\n\n\n",
  "flow: 'a\n",
  'flow: "\\x"\n',
  'flow: "\\uD800"\n',
  "flow:\ta\n",
  "\tflow: a\n",
  "flow: x # comment ${{ x }}\n",
  "- - - - - - - - - -\n",
  `${"[".repeat(500)}${"]".repeat(500)}`,
  `${"{a: ".repeat(300)}1${"}".repeat(300)}`,
  `${"- ".repeat(300)}x`,
  `flow: ${"x".repeat(100_000)}`,
  "\ufeffflow: x\nsteps:\n  - id: a\n    sleep: 1 minute\n",
  "flow: x\r\nsteps:\r\n  - id: a\r\n    sleep: 1 minute\r\n",
  "flow: x\rsteps:\r  - id: a\r    sleep: 1 minute\r",
  "flow: x\u0000\nsteps: []\n",
  "flow: x\nsteps:\n  - id: a\n    sleep: ${{ }}\n",
  "flow: x\ninput:\n  a: &a { type: string }\n  b: *a\nsteps:\n  - &s { id: s, sleep: 1 minute }\n",
  "flow: x\ndescription: &a [x, x, x, x, x, x, x, x, x, x]\ninput:\n  a: { type: string, default: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a] }\nsteps:\n  - { id: s, sleep: 1 minute }\n",
];

/** YAML text of its own: random values, random strings, and the notable files. */
const randomYamlArb: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.constantFrom(...NOTABLE_FILES),
);

function mutationArb(seed: Seed): fc.Arbitrary<Mutation> {
  const nat = fc.nat({ max: 1_000_000 });
  void seed;
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete-key" as const), at: nat, other: nat }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("duplicate-key" as const), at: nat, other: nat }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("rename-key" as const), at: nat, text: keyArb }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("change-type" as const), at: nat, value: valueArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("swap-items" as const), at: nat, other: nat }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("scalar-chars" as const), at: nat, offset: nat, text: charsArb }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("inject-expression" as const), at: nat, offset: nat, text: expressionArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("indent" as const), at: nat, delta: fc.integer({ min: -6, max: 6 }), tab: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: nat }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("insert-text" as const), at: nat, text: fc.oneof(charsArb, expressionArb) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("duplicate-line" as const, "delete-line" as const, "swap-lines" as const), at: nat, other: nat }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace-line" as const), at: nat, text: randomYamlArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("random-file" as const), text: randomYamlArb }) },
  );
}

export function caseArb(ctx: Context): fc.Arbitrary<FuzzCase> {
  return fc.nat({ max: ctx.seeds.length - 1 }).chain((seed) =>
    fc.record({ seed: fc.constant(seed), mutations: fc.array(mutationArb(ctx.seeds[seed]!), { minLength: 1, maxLength: 3 }) }),
  );
}

// ---------------------------------------------------------------- mutations

export function mutate(text: string, mutation: Mutation): string {
  switch (mutation.kind) {
    case "truncate":
      return text.slice(0, mutation.at % (text.length + 1));
    case "insert-text": {
      const at = mutation.at % (text.length + 1);
      return text.slice(0, at) + mutation.text + text.slice(at);
    }
    case "indent":
    case "duplicate-line":
    case "delete-line":
    case "swap-lines":
    case "replace-line":
      return mutateLines(text, mutation);
    case "random-file":
      return mutation.text;
    default:
      return mutateTree(text, mutation);
  }
}

function mutateLines(text: string, m: Extract<Mutation, { kind: "indent" | "duplicate-line" | "delete-line" | "swap-lines" | "replace-line" }>): string {
  const lines = text.split("\n");
  const i = m.at % lines.length;
  switch (m.kind) {
    case "indent": {
      const line = lines[i]!;
      lines[i] = m.delta >= 0 ? (m.tab ? "\t" : " ".repeat(m.delta)) + line : line.replace(new RegExp(`^ {0,${-m.delta}}`), "");
      break;
    }
    case "duplicate-line":
      lines.splice(m.other % (lines.length + 1), 0, lines[i]!);
      break;
    case "delete-line":
      lines.splice(i, 1);
      break;
    case "swap-lines": {
      const j = m.other % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      break;
    }
    case "replace-line":
      lines[i] = m.text;
      break;
  }
  return lines.join("\n");
}

/** Mutations of the YAML tree; text that does not parse as YAML is changed as text instead. */
function mutateTree(text: string, m: Exclude<Mutation, { kind: "truncate" | "insert-text" | "indent" | "duplicate-line" | "delete-line" | "swap-lines" | "replace-line" | "random-file" }>): string {
  const doc = parseDocument(text, { uniqueKeys: false, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const at = ("offset" in m ? m.offset : m.at) % (text.length + 1);
    const insert = "text" in m ? m.text : stringify("value" in m ? m.value : "x").trimEnd();
    return text.slice(0, at) + insert + text.slice(at);
  }
  const pairs: { pair: Pair<unknown, unknown>; parent: Node }[] = [];
  const seqs: Node[] = [];
  const scalars: Scalar[] = [];
  const values: { holder: Pair<unknown, unknown> | { items: unknown[] }; index: number | "value" }[] = [];
  visit(doc, {
    Pair(_key, pair, path) {
      const parent = path[path.length - 1];
      if (isMap(parent)) pairs.push({ pair: pair as Pair<unknown, unknown>, parent });
      values.push({ holder: pair as Pair<unknown, unknown>, index: "value" });
    },
    Seq(_key, seq) {
      seqs.push(seq);
      seq.items.forEach((_, index) => values.push({ holder: seq as unknown as { items: unknown[] }, index }));
    },
    Scalar(key, scalar) {
      if (key !== "key" && typeof scalar.value === "string") scalars.push(scalar);
    },
  });
  switch (m.kind) {
    case "delete-key": {
      const target = pick(pairs, m.at);
      if (target && isMap(target.parent)) target.parent.items.splice(target.parent.items.indexOf(target.pair), 1);
      break;
    }
    case "duplicate-key": {
      const target = pick(pairs, m.at);
      if (target && isMap(target.parent)) target.parent.items.splice(m.other % (target.parent.items.length + 1), 0, doc.createPair(keyText(target.pair), target.pair.value));
      break;
    }
    case "rename-key": {
      const target = pick(pairs, m.at);
      if (target) target.pair.key = doc.createNode(m.text);
      break;
    }
    case "change-type": {
      const target = pick(values, m.at);
      if (!target) break;
      const node = doc.createNode(m.value);
      if (target.index === "value") (target.holder as Pair<unknown, unknown>).value = node;
      else (target.holder as { items: unknown[] }).items[target.index] = node;
      break;
    }
    case "swap-items": {
      const seq = pick(seqs.filter((s) => isSeq(s) && s.items.length >= 2), m.at);
      if (seq && isSeq(seq)) {
        const i = m.at % seq.items.length;
        const j = m.other % seq.items.length;
        [seq.items[i], seq.items[j]] = [seq.items[j], seq.items[i]];
      }
      break;
    }
    case "scalar-chars":
    case "inject-expression": {
      const scalar = pick(scalars, m.at);
      if (!scalar) return text + m.text;
      const value = String(scalar.value);
      const at = m.offset % (value.length + 1);
      // Sometimes replace the whole value, sometimes insert into it.
      scalar.value = m.offset % 3 === 0 ? m.text : value.slice(0, at) + m.text + value.slice(at);
      break;
    }
  }
  try {
    return doc.toString({ lineWidth: 0 });
  } catch {
    // A tree the yaml library cannot print (e.g. an odd key): fall back to a text change.
    return text + ("text" in m ? m.text : "");
  }
}

function pick<T>(items: readonly T[], at: number): T | undefined {
  return items.length === 0 ? undefined : items[at % items.length];
}

function keyText(pair: Pair<unknown, unknown>): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

export function applyCase(ctx: Context, c: FuzzCase): { seed: Seed; text: string } {
  const seed = ctx.seeds[c.seed]!;
  let text = seed.text;
  for (const m of c.mutations) text = mutate(text, m);
  return { seed, text };
}

// ---------------------------------------------------------------- checks

/**
 * The in-memory pipeline (loadDefinitions / loadFlowTests, then the emitters
 * when there are no errors) on one mutated file, loaded with the flows it
 * needs. Everything thrown, and every diagnostic out of place, is a problem.
 */
export function checkInMemory(ctx: Context, c: FuzzCase): CaseResult {
  const { seed, text } = applyCase(ctx, c);
  const problems: string[] = [];
  const bag = new DiagnosticBag();
  let emitted = false;
  const texts = new Map<string, string>([[seed.file, text]]);
  const printed = captureConsole();
  try {
    if (seed.kind === "flow") {
      // The flows this one calls (order-fulfilment → send-receipt, parcel-tracking) load beside it, unmutated.
      const others = ctx.seeds.filter((s) => s.kind === "flow" && s.file !== seed.file && seed.text.includes(`flow: ${flowIdOf(s)}`));
      for (const other of others) texts.set(other.file, other.text);
      const definitions = [...texts].map(([file, t]) => ({ file, text: t }));
      const project = loadDefinitions(definitions, ["API_BASE"], bag, { actions: text.includes("run:") ? ctx.actions : undefined, envValues: { API_BASE: "https://api.example.com" } });
      // The flow's own tests (definitions/<flow>.test.yaml), unmutated, are checked against the mutated flow.
      const tests = ctx.seeds.filter((s) => s.kind === "test" && flowIdOf(s) === flowIdOf(seed));
      for (const t of tests) texts.set(t.file, t.text);
      const flowTests = loadFlowTests(tests, { flows: project.flows, unmodelledIds: new Set() }, bag);
      if (!bag.hasErrors) {
        emitProject(project);
        emitFlowTests(flowTests);
        emitted = true;
      }
    } else {
      const tests = loadFlowTests([{ file: seed.file, text }], { flows: ctx.flows, unmodelledIds: new Set() }, bag);
      if (!bag.hasErrors) {
        emitFlowTests(tests);
        emitted = true;
      }
    }
  } catch (error) {
    problems.push(`threw ${describe(error)}`);
  } finally {
    printed.restore();
  }
  // The generator talks to the author through diagnostics only; a library printing on its own means a problem went unreported.
  for (const line of printed.lines.slice(0, 3)) problems.push(`printed to the console instead of a diagnostic: ${line.slice(0, 300)}`);
  problems.push(...diagnosticProblems(bag.items, texts));
  return { file: seed.file, text, problems, errors: bag.items.filter((d) => d.severity === "error").length, emitted };
}

/**
 * The whole pipeline (runGenerator "generate") on a temporary copy of the
 * project with the mutated file in place: besides the checks above, a run
 * with errors must leave every file of the copy exactly as it was.
 */
export function checkPipeline(ctx: Context, c: FuzzCase, workDir: string): CaseResult {
  const { seed, text } = applyCase(ctx, c);
  const problems: string[] = [];
  const dir = mkdtempSync(join(workDir, "case-"));
  let errors = 0;
  let emitted = false;
  try {
    mkdirSync(join(dir, "definitions"));
    for (const s of ctx.seeds) writeFileSync(join(dir, s.file), s.file === seed.file ? text : s.text);
    cpSync(join(ctx.root, "wrangler.jsonc"), join(dir, "wrangler.jsonc"));
    if (ctx.actions) {
      mkdirSync(join(dir, "actions"));
      writeFileSync(join(dir, ctx.actions.file), ctx.actions.text);
    }
    // A stale generated/ file, to prove a failed run neither rewrites nor deletes it.
    mkdirSync(join(dir, "generated"));
    writeFileSync(join(dir, "generated", "worker.ts"), "// stale\n");
    const before = snapshot(dir);
    let result: ReturnType<typeof runGenerator> | undefined;
    try {
      result = runGenerator(dir, "generate");
    } catch (error) {
      problems.push(`runGenerator threw ${describe(error)}`);
    }
    if (result) {
      errors = result.diagnostics.filter((d) => d.severity === "error").length;
      const texts = new Map(ctx.seeds.map((s) => [s.file, s.file === seed.file ? text : s.text]));
      texts.set("wrangler.jsonc", readFileSync(join(dir, "wrangler.jsonc"), "utf8"));
      problems.push(...diagnosticProblems(result.diagnostics, texts));
      if (result.ok !== (errors === 0)) problems.push(`ok is ${result.ok} with ${errors} error(s)`);
      if (errors > 0) {
        const after = snapshot(dir);
        const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
        if (changed.length > 0) problems.push(`a run with errors changed ${changed.slice(0, 5).join(", ")}`);
        if (result.changes.written.length + result.changes.deleted.length > 0) problems.push("a run with errors reports changes");
      } else {
        emitted = true;
        if (readFileSync(join(dir, "generated", "worker.ts"), "utf8") === "// stale\n") problems.push("a run without errors did not write generated/worker.ts");
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { file: seed.file, text, problems, errors, emitted };
}

/** Each diagnostic names a file it was given, at a line and column inside that file's text, with a message. */
export function diagnosticProblems(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.file}:${d.line}:${d.col}`;
    const text = texts.get(d.file);
    if (text === undefined) {
      problems.push(`diagnostic in a file it was not given: ${where} ${d.message}`);
      continue;
    }
    const lines = text.split("\n");
    const ok = Number.isInteger(d.line) && Number.isInteger(d.col) && d.line >= 1 && d.col >= 1 && d.line <= lines.length && d.col <= lines[d.line - 1]!.length + 1;
    if (!ok) problems.push(`diagnostic outside the file (${lines.length} lines): ${where} ${d.message}`);
    if (typeof d.message !== "string" || d.message.trim() === "") problems.push(`diagnostic without a message at ${where}`);
    if (d.severity !== "error" && d.severity !== "warning") problems.push(`diagnostic with severity ${String(d.severity)} at ${where}`);
  }
  return problems;
}

/** Collects what is printed through console.log/info/warn/error/debug until restored. */
export function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const saved = methods.map((name) => [name, console[name]] as const);
  for (const name of methods) console[name] = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  return {
    lines,
    restore: () => {
      for (const [name, fn] of saved) console[name] = fn;
    },
  };
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel), "utf8"));
    }
  };
  walk("");
  return out;
}

function flowIdOf(seed: Seed): string {
  return /^flow:\s*([\w-]+)/m.exec(seed.text)?.[1] ?? "";
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${(error.stack ?? "").split("\n").slice(1, 6).join("\n")}`;
  return String(error);
}

/** A work folder for checkPipeline cases, under the OS temp dir. */
export function fuzzWorkDir(): string {
  return mkdtempSync(join(tmpdir(), "flows-fuzz-"));
}
