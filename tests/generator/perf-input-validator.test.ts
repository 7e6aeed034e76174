import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { inputSchema } from "../../generator/emit/input-schema.ts";
import { referenceCode, standaloneValidator } from "../../generator/emit/input-validator.ts";
import { cachedValidatorCode } from "../../generator/emit/validator-cache.ts";
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

describe("the input validators' disk cache", () => {
  it("gives the code a fresh compile writes, made once per schema", () => {
    // A schema no earlier run has seen, so the first call makes it.
    const schema = field({ type: "string", description: `run ${process.pid} ${Date.now()}`, minLength: 2 });
    let made = 0;
    const make = (s: object): string => {
      made++;
      return standaloneValidator(s);
    };
    const first = cachedValidatorCode(schema, make);
    const second = cachedValidatorCode(schema, make);
    expect(made).toBe(1);
    expect(first).toBe(referenceCode(schema));
    expect(second).toBe(first);
    // Another schema is another entry.
    const other = field({ type: "string", description: `other ${process.pid} ${Date.now()}` });
    expect(cachedValidatorCode(other, make)).toBe(referenceCode(other));
    expect(made).toBe(2);
  });

  it("is skipped with FLOWS_NO_CACHE", () => {
    const schema = field({ type: "integer", description: `no cache ${process.pid}` });
    process.env["FLOWS_NO_CACHE"] = "1";
    let made = 0;
    try {
      cachedValidatorCode(schema, (s) => (made++, standaloneValidator(s)));
      cachedValidatorCode(schema, (s) => (made++, standaloneValidator(s)));
    } finally {
      delete process.env["FLOWS_NO_CACHE"];
    }
    expect(made).toBe(2);
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
