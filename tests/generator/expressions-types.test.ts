import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { FUNCTIONS, resultType } from "../../generator/expressions/functions.ts";
import { inferType, inferValueType } from "../../generator/expressions/infer.ts";
import { parseExpression, parseTemplate } from "../../generator/expressions/parse.ts";
import { exprText } from "../../generator/expressions/print.ts";
import { HTTP_OUTPUT_TYPE, inputFieldType, itemTypeOf, recordedType } from "../../generator/expressions/root-types.ts";
import { createScope, type ExprScope, type InputFieldScope } from "../../generator/expressions/scope.ts";
import {
  arrayOf,
  BOOLEAN,
  type ExprType,
  kinds,
  nonNull,
  NULL,
  nullable,
  NUMBER,
  objectOf,
  overlaps,
  recordOf,
  schemaType,
  showType,
  STRING,
  stringOf,
  typeText,
  union,
  UNKNOWN,
} from "../../generator/expressions/types.ts";
import type { JsonValue } from "../../generator/model/types.ts";
import { functions, typeName } from "../../runtime/expr.ts";

function parse(text: string) {
  const bag = new DiagnosticBag();
  const node = parseExpression(text, "t.yaml", 0, bag);
  expect(bag.items).toEqual([]);
  return node!;
}

describe("the type lattice", () => {
  it("normalises unions: flat, one member per kind, unknown absorbs", () => {
    expect(showType(union(STRING, NULL, STRING))).toBe("string | null");
    expect(showType(union(NULL, union(NUMBER, STRING)))).toBe("string | number | null");
    expect(union(NUMBER, UNKNOWN)).toEqual(UNKNOWN);
    expect(showType(union(stringOf(["a"]), stringOf(["b", "a"])))).toBe("'a' | 'b'");
    expect(showType(union(stringOf(["a"]), STRING))).toBe("string");
    expect(showType(union(arrayOf(NUMBER), arrayOf(STRING)))).toBe("(string | number)[]");
    expect(showType(union(objectOf([["a", NUMBER]]), objectOf([["b", STRING]])))).toBe("{ a: number | null, b: string | null }");
    expect(showType(union())).toBe("never");
  });

  it("answers the questions the checks ask", () => {
    expect(showType(nonNull(nullable(STRING)))).toBe("string");
    expect(kinds(UNKNOWN)).toBeUndefined();
    expect([...kinds(nullable(NUMBER))!]).toEqual(["number", "null"]);
    expect(overlaps(nullable(STRING), STRING)).toBe(true);
    expect(overlaps(NUMBER, STRING)).toBe(false);
    expect(overlaps(UNKNOWN, STRING)).toBe(true);
    expect(typeText(STRING)).toBe("a string");
    expect(typeText(nullable(STRING))).toBe("a string or null");
    expect(typeText(union(STRING, arrayOf(UNKNOWN), recordOf(UNKNOWN)))).toBe("a string, an array or an object");
  });
});

// [JSON Schema of an input field, its type]
const SCHEMAS: readonly (readonly [JsonValue, string])[] = [
  [{ type: "string", format: "date" }, "string"],
  [{ type: "integer", minimum: 0 }, "number"],
  [{ type: "boolean" }, "boolean"],
  [{ type: ["string", "null"] }, "string | null"],
  [{ type: "number", nullable: true }, "number | null"],
  [{ enum: ["a", "b", null] }, "'a' | 'b' | null"],
  [{ type: "string", enum: ["x"] }, "'x'"],
  [{ const: 3 }, "number"],
  [{ type: "array", items: { type: "string" } }, "string[]"],
  [{ type: "array" }, "unknown[]"],
  [
    { type: "object", properties: { city: { type: "string" }, zip: { type: "string" } }, required: ["city"] },
    "{ city: string, zip: string | null }",
  ],
  [{ type: "object", properties: { a: { type: "number" } }, additionalProperties: true }, "{ a: number | null, [key: string]: unknown }"],
  [{ type: "object", additionalProperties: { type: "number" } }, "{ [key: string]: number }"],
  [{ type: "object" }, "{ [key: string]: unknown }"],
  [{ anyOf: [{ type: "string" }, { type: "number" }] }, "string | number"],
  [{ allOf: [{ type: "string" }] }, "unknown"],
  [{ description: "anything" }, "unknown"],
  ["not a schema", "unknown"],
];

describe("JSON Schema to type", () => {
  it.each(SCHEMAS)("%j", (schema, expected) => {
    expect(showType(schemaType(schema))).toBe(expected);
  });

  it("types an optional input field without a default as possibly null", () => {
    expect(showType(inputFieldType({ required: true, schema: { type: "string" } }))).toBe("string");
    expect(showType(inputFieldType({ required: false, schema: { type: "string" } }))).toBe("string | null");
    expect(showType(inputFieldType({ required: false, schema: { type: "boolean", default: true } }))).toBe("boolean");
  });
});

describe("step output helpers", () => {
  it("types what a durable step records and what a for_each iterates", () => {
    expect(showType(recordedType(objectOf([["ratio", NUMBER], ["tags", arrayOf(STRING)]])))).toBe("{ ratio: number | null, tags: string[] }");
    expect(showType(itemTypeOf(nullable(arrayOf(NUMBER))))).toBe("number");
    expect(itemTypeOf(STRING)).toEqual(UNKNOWN);
  });
});

const SCOPE = createScope({
  inputFields: new Map<string, InputFieldScope>([
    ["flight", { required: true, schema: { type: "string" } }],
    ["commit", { required: false, schema: { type: "string" } }],
    ["tags", { required: true, schema: { type: "array", items: { type: "string" } } }],
  ]),
  stepsRun: new Set(["lookup", "approval"]),
  allSteps: new Set(["lookup", "approval"]),
  envVars: ["API_BASE"],
  roots: new Set(["item", "index"] as const),
  itemType: objectOf([["sku", STRING]]),
  stepTypes: new Map([["lookup", HTTP_OUTPUT_TYPE]]),
});
const HTTP = createScope({ roots: new Set(["request"] as const), requestParams: ["id"] });
const POLL = createScope({ roots: new Set(["event"] as const) });

// [expression, scope, its type]
const INFERRED: readonly (readonly [string, ExprScope, string])[] = [
  ["input", SCOPE, "{ flight: string, commit: string | null, tags: string[] }"],
  ["input.commit ?? 'HEAD'", SCOPE, "string"],
  ["input.commit || input.tags", SCOPE, "string | string[]"],
  ["input.tags[0]", SCOPE, "string | null"],
  ["input.tags.length + 1", SCOPE, "number"],
  ["input.flight + 1", SCOPE, "string"],
  ["input.commit + 1", SCOPE, "string | number"],
  ["steps.lookup.output", SCOPE, "{ status: number, headers: { [key: string]: string }, body: unknown }"],
  ["steps.lookup.output.headers.etag", SCOPE, "string | null"],
  ["steps.lookup.output.body.x", SCOPE, "unknown"],
  ["steps.approval.output", SCOPE, "unknown"],
  ["flow.name + instance.id + env.API_BASE", SCOPE, "string"],
  ["item.sku", SCOPE, "string"],
  ["index", SCOPE, "number"],
  ["request", HTTP, "{ body: unknown, headers: { [key: string]: string }, query: { [key: string]: string }, params: { id: string }, method: string, path: string }"],
  ["event.status == 'complete' ? event.output : 'none'", POLL, "unknown"],
  ["{a: 1, b: [true, null], c: 'x'}", SCOPE, "{ a: number, b: (boolean | null)[], c: 'x' }"],
  ["input.flight == 'x' && !input.commit", SCOPE, "boolean"],
  ["split(input.flight, '-')", SCOPE, "string[]"],
  ["min(1, 2)", SCOPE, "number"],
  ["max(input.tags)", SCOPE, "string | null"],
  ["values({a: 1, b: 'x'})", SCOPE, "('x' | number)[]"],
  ["fromJSON(input.flight)", SCOPE, "unknown"],
  ["inptu.flight", SCOPE, "unknown"],
];

describe("inferType", () => {
  it.each(INFERRED)("%s", (text, scope, expected) => {
    expect(showType(inferType(parse(text), scope))).toBe(expected);
  });

  it("types YAML values: literals as written, templates as text", () => {
    const value = (text: string) => parseTemplate(text, "t.yaml", 0, new DiagnosticBag());
    expect(showType(inferValueType(value("hello"), SCOPE))).toBe("'hello'");
    expect(showType(inferValueType(value("Flight ${{ input.flight }}"), SCOPE))).toBe("string");
    expect(showType(inferValueType(value("${{ input.tags }}"), SCOPE))).toBe("string[]");
    const span = { file: "t.yaml", start: 0, end: 0 };
    const mapping = {
      kind: "object",
      span,
      entries: [
        { key: "n", keySpan: span, value: { kind: "literal", value: 3, span } },
        { key: "list", keySpan: span, value: { kind: "array", items: [value("${{ input.flight }}")], span } },
      ],
    } as const;
    expect(showType(inferValueType(mapping, SCOPE))).toBe("{ n: number, list: string[] }");
  });
});

// [function, arguments]: the runtime's result must be of a kind the declared return type admits.
const SAMPLES: readonly (readonly [string, readonly unknown[]])[] = [
  ["length", ["abc"]],
  ["contains", [["a"], "a"]],
  ["startsWith", ["abc", "a"]],
  ["endsWith", ["abc", "c"]],
  ["lower", ["A"]],
  ["upper", ["a"]],
  ["trim", [" a "]],
  ["split", ["a-b", "-"]],
  ["join", [["a", "b"]]],
  ["toJSON", [{ a: 1 }]],
  ["round", [1.5]],
  ["floor", [1.5]],
  ["ceil", [1.5]],
  ["min", [[]]],
  ["max", ["a", "b"]],
  ["keys", [{ a: 1 }]],
  ["values", [{ a: 1 }]],
  ["now", []],
  ["addDuration", ["2026-01-01T00:00:00Z", "1 day"]],
  ["uuid", []],
];

describe("function types match the runtime", () => {
  it("declares a type for every function and parameter", () => {
    expect(SAMPLES.map(([name]) => name).sort()).toEqual([...FUNCTIONS.keys()].filter((n) => n !== "fromJSON").sort());
    for (const info of FUNCTIONS.values()) expect(info.paramTypes).toHaveLength(info.params.length);
  });

  it.each(SAMPLES)("%s", (name, args) => {
    const info = FUNCTIONS.get(name)!;
    const result: unknown = (functions[name as keyof typeof functions] as (...a: unknown[]) => unknown)(...args);
    const declared = kinds(info.returns);
    expect(declared && [...declared]).toContain(typeName(result));
    const argTypes: ExprType[] = args.map((a) => (typeof a === "string" ? STRING : Array.isArray(a) ? arrayOf(UNKNOWN) : recordOf(UNKNOWN)));
    expect(overlaps(resultType(info, argTypes), info.returns)).toBe(true);
  });

  it("refines min and max by their arguments", () => {
    const min = FUNCTIONS.get("min")!;
    expect(showType(resultType(min, [NUMBER, NUMBER]))).toBe("number");
    expect(showType(resultType(min, [STRING, nullable(STRING)]))).toBe("string | null");
    expect(showType(resultType(min, [arrayOf(NUMBER)]))).toBe("number | null");
    expect(showType(resultType(min, [UNKNOWN]))).toBe("string | number | null");
    expect(showType(resultType(FUNCTIONS.get("values")!, [BOOLEAN]))).toBe("unknown[]");
  });
});

describe("expressions printed for messages", () => {
  it.each([
    ["input['user-id'].x[0][i]", "input['user-id'].x[0][i]"],
    ["(a + b) * -c", "(a + b) * -c"],
    ["a - (b - c)", "a - (b - c)"],
    ["- -a", "- -a"],
    ["(!(a && b) || c) ?? d", "(!(a && b) || c) ?? d"],
    ["a ?? (b && c)", "a ?? (b && c)"],
    ['lower("it\'s")', "lower('it\\'s')"],
    ["{a: [1, null], 'b-c': true}", "{a: [1, null], 'b-c': true}"],
    ["(a ? b : c).d", "(a ? b : c).d"],
  ])("%s", (text, expected) => {
    expect(exprText(parse(text))).toBe(expected);
  });
});
