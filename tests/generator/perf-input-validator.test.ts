import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { inputSchema } from "../../generator/emit/input-schema.ts";
import { referenceCode, standaloneValidator } from "../../generator/emit/input-validator.ts";
import { loadProject } from "../../generator/frontend.ts";

/**
 * generator/emit/input-validator.ts compiles ajv's meta-schema once per
 * process instead of once per flow. Its output must be byte for byte what
 * the reference recipe (a fresh Ajv per flow) writes, names included.
 */

const ROOT = resolve(import.meta.dirname, "../..");

const field = (schema: object): object => ({ type: "object", additionalProperties: false, required: ["f"], properties: { f: schema } });

/** Schemas that exercise ajv's shared names: formats the meta-schema uses, deep equality, string length, patterns, defaults. */
const TRICKY: readonly object[] = [
  field({ type: "string", format: "uri" }),
  field({ type: "string", format: "uri-reference" }),
  field({ type: "string", format: "regex" }),
  field({ type: "string", format: "date-time" }),
  // Formats from both runtime modules (input-formats-own.ts and -ajv.ts) in one validator.
  field({ anyOf: [{ type: "string", format: "date" }, { type: "string", format: "byte" }, { type: "integer", format: "int32" }] }),
  field({ type: "string", format: "email", minLength: 3, maxLength: 99 }),
  field({ enum: [{ a: 1 }, [1, 2], "x"] }),
  field({ const: { deep: [true] } }),
  field({ type: "array", items: { type: "integer" }, uniqueItems: true, minItems: 1 }),
  field({ type: "string", pattern: "^[A-Z]{2}[0-9]+$" }),
  field({ type: "object", properties: { n: { type: "number", default: 3 } }, required: ["n"] }),
  field({ type: ["string", "null"], default: null }),
  field({ anyOf: [{ type: "string" }, { type: "number", multipleOf: 0.5 }] }),
  // `$` keywords take the reference recipe.
  { ...field({ $ref: "#/$defs/code" }), $defs: { code: { type: "string", pattern: "^c" } } },
];

describe("input validators", () => {
  it("are byte-identical to a fresh Ajv's, for every example flow", () => {
    const { project } = loadProject(ROOT);
    expect(project.flows.length).toBeGreaterThan(0);
    for (const flow of project.flows) {
      const schema = inputSchema(flow);
      expect(standaloneValidator(schema), flow.id).toBe(referenceCode(schema));
    }
  });

  it("are byte-identical for schemas that share names with the meta-schema's compilation", () => {
    for (const schema of TRICKY) expect(standaloneValidator(schema), JSON.stringify(schema)).toBe(referenceCode(schema));
    // In any order, and again (from the memo).
    for (const schema of [...TRICKY].reverse()) expect(standaloneValidator(schema)).toBe(referenceCode(schema));
  });

  it("reject an invalid schema with the fresh Ajv's error", () => {
    const bad = field({ type: "string", minLength: -1 });
    expect(() => referenceCode(bad)).toThrow(/schema is invalid/);
    expect(() => standaloneValidator(bad)).toThrow(captureError(() => referenceCode(bad)));
  });
});

function captureError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected an error");
}
