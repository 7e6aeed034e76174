import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import { compileCondition, compileValue } from "../../generator/expressions/compile.ts";
import { parseTemplate } from "../../generator/expressions/parse.ts";
import type { Value } from "../../generator/model/types.ts";
import * as runtime from "../../runtime/expr.ts";

/** Parses a YAML string value, failing the test on any diagnostic. */
function parse(text: string): Value {
  const bag = new DiagnosticBag();
  bag.addFile("t.yaml", text);
  const value = parseTemplate(text, "t.yaml", 0, bag);
  expect(bag.items.map(formatDiagnostic)).toEqual([]);
  return value;
}

const compile = (text: string): string => compileValue(parse(text));

// [YAML string value, generated TypeScript]
const GOLDEN: readonly (readonly [string, string])[] = [
  ["plain text", '"plain text"'],
  ["${{ 42 }}", "42"],
  ["${{ -1.5 }}", "-1.5"],
  ["${{ 'it\\'s' }}", '"it\'s"'],
  ['${{ "a\\"b" }}', '"a\\"b"'],
  ["${{ true }}", "true"],
  ["${{ null }}", "null"],
  ["${{ [1, 'two', null] }}", '[1, "two", null]'],
  ["${{ {a: 1, 'b-c': 'x', \"d\": [true]} }}", '{ a: 1, "b-c": "x", d: [true] }'],
  ["${{ {} }}", "{}"],
  ["${{ {__proto__: 1} }}", '{ ["__proto__"]: 1 }'],
  ["${{ input }}", "input"],
  ["${{ input.flight }}", "input.flight"],
  ["${{ input['user-id'] }}", 'input["user-id"]'],
  ["${{ input.address.city }}", '$.at(input.address, "city")'],
  ["${{ input[key] }}", "$.at(input, key)"],
  ["${{ steps.lookup.output }}", 'steps["lookup"]'],
  ["${{ steps.lookup.output.body.status }}", '$.at(steps["lookup"], "body", "status")'],
  ["${{ steps.lookup.output.body.legs[0]['from'] }}", '$.at(steps["lookup"], "body", "legs", 0, "from")'],
  ["${{ steps.lookup.output.body.legs[index].to }}", '$.at(steps["lookup"], "body", "legs", index, "to")'],
  ["${{ flow.name }}", "flow.name"],
  ["${{ instance.id }}", "instance.id"],
  ["${{ env.API_URL }}", "env.API_URL"],
  ["${{ env.MODE == 'dev' }}", '$.eq(env.MODE, "dev")'],
  ["${{ index == 'x' }}", '$.eq(index, "x")'],
  ["${{ request.headers['user-id'] }}", '$.at(request, "headers", "user-id")'],
  ["${{ request.body }}", '$.at(request, "body")'],
  ["${{ item }}", "item"],
  ["${{ item.price * 2 }}", '$.mul($.at(item, "price"), 2)'],
  ["${{ schedule.time }}", '$.at(schedule, "time")'],
  ["${{ event.output.total }}", '$.at(event, "output", "total")'],
  ["${{ steps.a.output.x == 'delayed' }}", '$.at(steps["a"], "x") === "delayed"'],
  ["${{ steps.a.output.x === 1 }}", '$.at(steps["a"], "x") === 1'],
  ["${{ steps.a.output.x != null }}", '$.ne($.at(steps["a"], "x"), null)'],
  // `steps["a"]` is a reference TypeScript narrows: `===` twice on it would not compile.
  ["${{ steps.a.output == 'x' || steps.a.output == 'y' }}", '$.eq(steps["a"], "x") || $.eq(steps["a"], "y")'],
  ["${{ steps.a.output == 'x' ? steps.a.output != 'y' : false }}", '$.eq(steps["a"], "x") ? $.ne(steps["a"], "y") : false'],
  ["${{ input.kind == 'c' }}", '$.eq(input.kind, "c")'],
  ["${{ input.count !== 3 }}", "$.ne(input.count, 3)"],
  ["${{ input.count < 3 }}", "$.lt(input.count, 3)"],
  ["${{ input.count <= 3 }}", "$.le(input.count, 3)"],
  ["${{ input.count > 3 }}", "$.gt(input.count, 3)"],
  ["${{ input.count >= 3 }}", "$.ge(input.count, 3)"],
  ["${{ 1 + 2 * 3 }}", "$.add(1, $.mul(2, 3))"],
  ["${{ (1 + 2) * 3 }}", "$.mul($.add(1, 2), 3)"],
  ["${{ 7 - 2 - 1 }}", "$.sub($.sub(7, 2), 1)"],
  ["${{ 7 / 2 % 3 }}", "$.mod($.div(7, 2), 3)"],
  ["${{ -input.count }}", "$.neg(input.count)"],
  ["${{ +input.flight }}", "$.num(input.flight)"],
  ["${{ - -3 }}", "$.neg(-3)"],
  ["${{ !input.notify }}", "!input.notify"],
  ["${{ !(a && b) }}", "!(a && b)"],
  ["${{ a && b || c }}", "a && b || c"],
  ["${{ a && (b || c) }}", "a && (b || c)"],
  ["${{ a || b && c }}", "a || b && c"],
  ["${{ (a ?? b) || c }}", "(a ?? b) || c"],
  ["${{ a ?? (b && c) }}", "a ?? (b && c)"],
  ["${{ a ?? b ?? c }}", "a ?? b ?? c"],
  ["${{ a ? b : c ? d : e }}", "a ? b : c ? d : e"],
  ["${{ (a ? b : c) ? d : e }}", "(a ? b : c) ? d : e"],
  ["${{ a || b ? 1 : 2 }}", "a || b ? 1 : 2"],
  ["${{ 'x' || a }}", '$.val("x") || a'],
  ["${{ 3 ?? a }}", "$.val(3) ?? a"],
  ["${{ (1 + 2) ?? a }}", "$.add(1, 2) ?? a"],
  ["${{ !null }}", "!$.val(null)"],
  ["${{ [] ? 1 : 2 }}", "$.val([]) ? 1 : 2"],
  ["${{ lower(input.flight) }}", "$.lower(input.flight)"],
  ["${{ addDuration(input.date, '-2 hours') }}", '$.addDuration(input.date, "-2 hours")'],
  ["${{ now() }}", "$.now()"],
  ["${{ fromJSON(input.flight).a == 1 }}", '$.at($.fromJSON(input.flight), "a") === 1'],
  ["${{ length(input.flight) == 3 }}", "$.eq($.length(input.flight), 3)"],
  ["${{ [1, 2][0] }}", "$.at([1, 2], 0)"],
  ["  ${{ input.count }}  ", "input.count"],
  ["Flight ${{ input.flight }} is delayed", '"Flight " + $.str(input.flight) + " is delayed"'],
  ["${{ input.flight }}${{ input.date }}", "$.str(input.flight) + $.str(input.date)"],
  ["${{ input.count }} ", "input.count"],
  ["${{ input.count }}.", '$.str(input.count) + "."'],
  ["x ${{ {a: 1} }}", '"x " + $.str({ a: 1 })'],
];

describe("compileValue golden output", () => {
  it.each(GOLDEN)("%s", (text, expected) => {
    expect(compile(text)).toBe(expected);
  });

  it("compiles YAML objects and arrays with expressions inside", () => {
    const span = { file: "t.yaml", start: 0, end: 0 };
    const value: Value = {
      kind: "object",
      span,
      entries: [
        { key: "flight", keySpan: span, value: parse("${{ input.flight }}") },
        { key: "tags", keySpan: span, value: { kind: "array", span, items: [parse("a"), parse("${{ 1 + 1 }}")] } },
        { key: "user id", keySpan: span, value: { kind: "literal", span, value: { nested: [1, null, { "x-y": false }] } } },
      ],
    };
    expect(compileValue(value)).toBe(
      '{ flight: input.flight, tags: ["a", $.add(1, 1)], "user id": { nested: [1, null, { "x-y": false }] } }',
    );
  });

  it("guards constant conditions that TypeScript would reject", () => {
    expect(compileCondition(parse("yes"))).toBe("true");
    expect(compileCondition(parse(""))).toBe("false");
    expect(compileCondition({ kind: "literal", value: 0, span: { file: "t.yaml", start: 0, end: 0 } })).toBe("false");
    expect(compileCondition({ kind: "literal", value: [], span: { file: "t.yaml", start: 0, end: 0 } })).toBe("true");
    expect(compileCondition(parse("${{ 'yes' }}"))).toBe('$.val("yes")');
    expect(compileCondition(parse("${{ null }}"))).toBe("$.val(null)");
    expect(compileCondition(parse("${{ input.notify }}"))).toBe("input.notify");
    expect(compileCondition(parse("a ${{ b }}"))).toBe('"a " + $.str(b)');
  });
});

/** Every name generated code may read, with the types an emitter could give them. */
const PRELUDE = `
declare const input: { flight: string; date: string; count: number; notify?: boolean; kind: "a" | "b";
  "user-id": string; address: { city: string } };
declare const steps: Record<string, unknown>;
declare const flow: { name: string };
declare const instance: { id: string };
declare const env: { API_URL: string; MODE: "prod" };
declare const request: { body: unknown; headers: Record<string, string>; query: Record<string, string>;
  params: Record<string, string>; method: string; path: string };
declare const message: unknown;
declare const schedule: { time: string };
declare const item: unknown;
declare const index: number;
declare const attempt: number;
declare const event: { status: string; output: unknown; error: unknown };
declare const a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, key: string;
`;

describe("compiled output type-checks under strict TypeScript", () => {
  it("accepts every golden expression and condition", () => {
    const runtimePath = fileURLToPath(new URL("../../runtime/expr.ts", import.meta.url));
    const lines = GOLDEN.flatMap(([text], i) => [
      `export const v${i} = ${compile(text)};`,
      `export function c${i}() { if (${compileCondition(parse(text))}) return 1; return 0; }`,
    ]);
    const source = `import * as $ from ${JSON.stringify(runtimePath)};\n${PRELUDE}\n${lines.join("\n")}\n`;
    const fileName = fileURLToPath(new URL("./generated-expressions.ts", import.meta.url));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noUncheckedIndexedAccess: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      lib: ["lib.es2024.d.ts"],
      types: ["node"],
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (name) => (name === fileName ? source : read(name));
    host.fileExists = ((exists) => (name: string) => name === fileName || exists(name))(host.fileExists.bind(host));
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) =>
      name === fileName ? ts.createSourceFile(name, source, version) : getSourceFile(name, version);
    const program = ts.createProgram([fileName], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const line = where ? source.split("\n")[where.line] : "";
      return `${ts.flattenDiagnosticMessageText(d.messageText, " ")} in: ${line}`;
    });
    expect(problems).toEqual([]);
  });
});

type Context = Readonly<Record<string, unknown>>;
const NAMES = ["input", "steps", "flow", "instance", "env", "request", "message", "schedule", "item", "index", "attempt", "event"];

/** Runs compiled code against the real runtime; tests only, never shipped. */
function evaluate(text: string, context: Context = {}): unknown {
  const fn = new Function("$", ...NAMES, `return (${compile(text)});`) as (...args: unknown[]) => unknown;
  return fn(runtime, ...NAMES.map((n) => context[n]));
}

const CONTEXT: Context = {
  input: { flight: "DL264", date: "2026-02-23", count: 3, notify: false, "user-id": "u1", tags: ["a", "b"] },
  steps: {
    lookup: { status: 200, body: { status: "delayed", legs: [{ from: "JFK", to: "LAX" }], delay: 45 } },
    skipped: null,
  },
  flow: { name: "flight-status" },
  instance: { id: "abc-123" },
  env: { API_URL: "https://api.example.com" },
  request: { headers: { "user-id": "u9" }, body: { flight: "UA1" }, params: { id: "7" } },
  item: { price: 2.5 },
  index: 1,
};

// [YAML string value, expected result]
const RESULTS: readonly (readonly [string, unknown])[] = [
  ["${{ steps.lookup.output.body.status == 'delayed' }}", true],
  ["${{ steps.lookup.output.body.legs[0].to }}", "LAX"],
  ["${{ steps.lookup.output.body.legs[5].to }}", undefined],
  ["${{ steps.skipped.output.body.status }}", undefined],
  ["${{ steps.missing.output }}", undefined],
  ["${{ steps.skipped.output ?? 'none' }}", "none"],
  ["${{ steps.lookup.output.body.delay > 30 && input.count < 5 }}", true],
  ["${{ steps.lookup.output.body.delay / 60 }}", 0.75],
  ["${{ input.count + 1 }}", 4],
  ["${{ input.count + '1' }}", "31"],
  ["${{ 'n=' + steps.lookup.output.nothing }}", "n="],
  ["${{ 10 % 4 - -1 }}", 3],
  ["${{ input.count == '3' }}", false],
  ["${{ input.count === 3 }}", true],
  ["${{ input['user-id'] }}", "u1"],
  ["${{ input.tags[1] }}", "b"],
  ["${{ input.flight.length }}", 5],
  ["${{ input.flight[0] }}", "D"],
  ["${{ input.notify ? 'yes' : 'no' }}", "no"],
  ["${{ !input.notify }}", true],
  ["${{ input.missing || 'fallback' }}", "fallback"],
  ["${{ {flight: input.flight, n: [index, item.price * 2]} }}", { flight: "DL264", n: [1, 5] }],
  ["${{ request.headers['user-id'] }}", "u9"],
  ["${{ request.body.flight }}", "UA1"],
  ["${{ request.body.constructor }}", undefined],
  ["${{ flow.name + '/' + instance.id }}", "flight-status/abc-123"],
  ["${{ env.API_URL }}/flights", "https://api.example.com/flights"],
  ["Flight ${{ input.flight }} on ${{ input.date }}", "Flight DL264 on 2026-02-23"],
  ["n=${{ steps.lookup.output.nothing }}; legs=${{ steps.lookup.output.body.legs }}", 'n=; legs=[{"from":"JFK","to":"LAX"}]'],
  ["${{ upper(lower('MiXeD')) }}", "MIXED"],
  ["${{ contains(input.tags, 'a') && contains(input.flight, '26') }}", true],
  ["${{ join(split('a-b-c', '-'), '+') }}", "a+b+c"],
  ["${{ round(2.345, 2) }}", 2.35],
  ["${{ max(input.count, 7, 2) }}", 7],
  ["${{ addDuration(input.date, '-2 hours') }}", "2026-02-22T22:00:00.000Z"],
  ["${{ fromJSON(toJSON({a: [1]})).a[0] }}", 1],
  ["${{ length(keys(steps.lookup.output)) }}", 2],
];

describe("compiled output evaluates with the runtime library", () => {
  it.each(RESULTS)("%s", (text, expected) => {
    expect(evaluate(text, CONTEXT)).toEqual(expected);
  });

  it("evaluates now() and uuid() freshly", () => {
    expect(evaluate("${{ now() }}")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(evaluate("${{ uuid() }}")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
