import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { loadDefinitions } from "../../generator/frontend.ts";
import { formatNames } from "../../generator/schema/flow-schema.ts";

/**
 * The `format:` names live in three places that must agree: the schema's
 * `schemaFormat` enum (what the generator and editors accept), ajv-formats
 * (what the emitted validators check at run time) and the table in
 * docs/language.md (what authors are told).
 */

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, "..", "..");

/** The names in docs/language.md's format table (a row may name several: `float`, `double`). */
function documentedFormats(): string[] {
  const text = readFileSync(join(ROOT, "docs", "language.md"), "utf8");
  const input = text.slice(text.indexOf("\n## Input\n"), text.indexOf("\n## Triggers\n"));
  const table = input.slice(input.indexOf("| `format` |"));
  const rows = table.split("\n").slice(2).filter((line) => line.startsWith("| `"));
  return rows.flatMap((row) => [...row.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

describe("format names", () => {
  const accepted = [...formatNames()].sort();

  it("the schema accepts a plain list of them", () => {
    expect(accepted.length).toBeGreaterThan(20);
    expect(new Set(accepted).size).toBe(accepted.length);
  });

  it("are exactly the formats the emitted validators check (ajv-formats)", () => {
    const { formatNames: checked } = require("ajv-formats/dist/formats") as { formatNames: string[] };
    expect(accepted).toEqual([...checked].sort());
  });

  it("are exactly the ones docs/language.md lists, once each", () => {
    const documented = documentedFormats();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(accepted);
  });

  it("are all accepted in an input field, and another name is not", () => {
    const fields = accepted.map((f, i) => `  f${i}: { format: ${f}, required: false }`).join("\n");
    const text = `flow: x\ninput:\n${fields}\n  bad: { type: string, format: phone }\nsteps:\n  - { id: s, sleep: 1 minute }\n`;
    const bag = new DiagnosticBag();
    loadDefinitions([{ file: "definitions/x.yaml", text }], [], bag);
    expect(bag.items.map((d) => d.line)).toEqual([accepted.length + 3]);
  });
});
