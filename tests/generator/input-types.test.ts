import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import { inputSchema, schemaType } from "../../generator/emit/input-schema.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadFlowTests } from "../../generator/flow-tests/load-flow-tests.ts";
import { loadDefinitions } from "../../generator/frontend.ts";
import type { JsonValue } from "../../generator/model/types.ts";

/**
 * Input fields are JSON Schema 2020-12 (dsl.md §3): the TypeScript type the
 * generator emits for a field follows its schema where TypeScript can say
 * it, and is `unknown` where it cannot; the validator is ajv's standalone
 * code, which evaluates nothing at run time.
 */

const TYPES: readonly (readonly [what: string, schema: JsonValue, type: string])[] = [
  ["plain type", { type: "string" }, "string"],
  ["type list", { type: ["string", "null"] }, "string | null"],
  ["integer", { type: "integer", minimum: 0 }, "number"],
  ["const", { const: "v1" }, '"v1"'],
  ["enum", { enum: ["a", 1, null] }, '"a" | 1 | null'],
  ["anyOf", { anyOf: [{ type: "string" }, { type: "number" }] }, "string | number"],
  ["oneOf with objects", { oneOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { type: "number" }] }, "{ readonly a: string } | number"],
  ["allOf of objects", { allOf: [{ type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { b: { type: "number" } } }] }, "{ readonly a?: string } & { readonly b?: number }"],
  ["allOf that only narrows", { type: "integer", allOf: [{ minimum: 0 }, { multipleOf: 5 }] }, "number"],
  ["required list", { type: "object", required: ["a"], properties: { a: { type: "string" }, b: { type: "boolean" } } }, "{ readonly a: string; readonly b?: boolean }"],
  ["required name without a schema", { type: "object", required: ["id"], properties: {}, additionalProperties: false }, "{ readonly id: unknown }"],
  ["additionalProperties schema", { type: "object", additionalProperties: { type: "number" } }, "{ readonly [key: string]: number }"],
  ["patternProperties", { type: "object", patternProperties: { "^x-": { type: "string" } }, additionalProperties: false }, "{ readonly [key: string]: string }"],
  ["named members with an index signature", { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "number" } }, "{ readonly a?: string; readonly [key: string]: unknown }"],
  ["closed empty object", { type: "object", additionalProperties: false }, "{}"],
  ["open object", { type: "object" }, "{ readonly [key: string]: unknown }"],
  ["array", { type: "array", items: { type: "string" } }, "readonly string[]"],
  ["array of a union", { type: "array", items: { enum: ["a", "b"] } }, 'readonly ("a" | "b")[]'],
  ["prefixItems, closed", { type: "array", prefixItems: [{ type: "number" }, { type: "string" }], items: false, minItems: 2 }, "readonly [number, string]"],
  ["prefixItems, optional tail", { type: "array", prefixItems: [{ type: "number" }, { type: "string" }], minItems: 1, items: false }, "readonly [number, string?]"],
  ["prefixItems, then more", { type: "array", prefixItems: [{ type: "number" }], items: { type: "boolean" } }, "readonly [number?, ...boolean[]]"],
  ["$ref into $defs", { $ref: "#/$defs/p", $defs: { p: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } } }, "{ readonly x: number }"],
  ["recursive $ref", { type: "object", properties: { child: { $ref: "#" } } }, "{ readonly child?: { readonly child?: unknown } }"],
  ["not", { not: { type: "string" } }, "unknown"],
  ["if/then/else", { if: { type: "string" }, then: { minLength: 1 }, else: { type: "number" } }, "unknown"],
  ["typed, with if/then", { type: "string", if: { minLength: 3 }, then: { pattern: "^a" } }, "string"],
  ["true and false", { type: "array", items: true }, "readonly unknown[]"],
  ["no keyword that gives a shape", { description: "anything" }, "unknown"],
];

describe("the TypeScript type of an input field's schema", () => {
  it.each(TYPES)("%s", (_what, schema, type) => {
    expect(schemaType(schema)).toBe(type);
  });
});

describe("$ref in an input field", () => {
  it("is written relative to the field and becomes a pointer into the flow's input schema", () => {
    const project = load(`  home:\n    $ref: "#/$defs/address"\n    $defs:\n      address: { type: object, properties: { next: { $ref: "#" } } }\n`);
    expect(inputSchema(project.flows[0]!)["properties"]).toEqual({
      home: { $ref: "#/properties/home/$defs/address", $defs: { address: { type: "object", properties: { next: { $ref: "#/properties/home" } } } } },
    });
  });

  it("leaves `$ref` keys that are data, not references, as they are", () => {
    const project = load(`  doc:\n    type: object\n    properties: { $ref: { type: string } }\n    default: { $ref: "#/x" }\n`);
    expect(inputSchema(project.flows[0]!)["properties"]).toEqual({
      doc: { type: "object", properties: { $ref: { type: "string" } }, default: { $ref: "#/x" } },
    });
  });
});

describe("the generated validator of a schema using the whole vocabulary", () => {
  const fields = [
    "  a: { type: object, required: [x], properties: { x: { type: string } }, dependentRequired: { x: [y] }, dependentSchemas: { y: { required: [x] } }, unevaluatedProperties: false }",
    "  b: { type: array, prefixItems: [{ type: number }], items: false, contains: { type: number }, minContains: 1, maxContains: 2, uniqueItems: true, unevaluatedItems: false }",
    "  c: { allOf: [{ type: string }], anyOf: [{ minLength: 1 }], oneOf: [{ maxLength: 3 }], not: { const: ab }, if: { const: a }, then: { minLength: 1 }, else: { maxLength: 9 } }",
    "  d: { $ref: '#/$defs/e', $defs: { e: { type: object, propertyNames: { maxLength: 3 }, patternProperties: { '^x': { type: number } }, additionalProperties: false } } }",
    "  f: { type: string, pattern: '^[a-z]+$', format: email, deprecated: true, readOnly: true, title: F, examples: [a], $comment: why }",
  ].join("\n");

  it("evaluates no code at run time: no eval, no Function constructor", () => {
    const code = emitProject(load(fields)).files.get("flows/x/input-validator.js")!;
    expect(code).toContain("export default");
    expect(code).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/);
  });
});

function load(fields: string) {
  const bag = new DiagnosticBag();
  const project = loadDefinitions([{ file: "definitions/x.yaml", text: `flow: x\ninput:\n${fields}\nsteps:\n  - { id: s, sleep: 1 minute }\n` }], [], bag);
  expect(bag.items.map(formatDiagnostic)).toEqual([]);
  return project;
}

describe("a flow test's input", () => {
  // The case's input is checked as a start would be: as draft 2020-12, where items: false after
  // prefixItems closes the tuple (in draft-07 it would refuse every item).
  const flowText = `flow: x\ninput:\n  size: { type: array, prefixItems: [{ type: number }, { type: number }], items: false, minItems: 2 }\nsteps:\n  - { id: s, sleep: 1 minute }\n`;
  const check = (size: string): string[] => {
    const bag = new DiagnosticBag();
    const project = loadDefinitions([{ file: "definitions/x.yaml", text: flowText }], [], bag);
    loadFlowTests([{ file: "definitions/x.test.yaml", text: `flow: x\ncases:\n  - name: a\n    input: { size: ${size} }\n` }], { flows: project.flows, unmodelledIds: new Set() }, bag);
    return bag.sorted().map((d) => `${d.line}:${d.col}: ${d.message}`);
  };

  it("is checked against the field's 2020-12 schema", () => {
    expect(check("[30, 20]")).toEqual([]);
    expect(check("[30, 20, 10]")).toHaveLength(1);
  });
});
