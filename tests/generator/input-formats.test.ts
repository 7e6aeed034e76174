import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadDefinitions } from "../../generator/frontend.ts";
import * as ported from "../../runtime/input-formats.ts";

/**
 * runtime/input-formats.ts is ajv-formats' "full" formats that are checked
 * by a function, copied so that a bundle keeps only the formats its flows
 * use (generated validators import them one by one). These tests hold the
 * copy to the installed ajv-formats, and the generated validators to
 * importing only what they use.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);

type Fn = (value: never) => unknown;
type FormatDef = RegExp | true | Fn | { readonly type?: string; readonly validate: RegExp | Fn; readonly compare?: Fn };

const { fullFormats } = require("ajv-formats/dist/formats") as { fullFormats: Record<string, FormatDef> };
const exportsOf = ported as unknown as Record<string, Exclude<FormatDef, RegExp | true>>;

/** The formats ajv cannot inline (not a regular expression, not `true`): the ones the module must have. */
const FUNCTION_FORMATS = Object.entries(fullFormats)
  .filter(([, def]) => !(def instanceof RegExp) && def !== true)
  .map(([name]) => name)
  .sort();

function validator(def: FormatDef | undefined): (value: unknown) => boolean {
  const check = typeof def === "function" ? def : def && typeof def === "object" && !(def instanceof RegExp) ? def.validate : undefined;
  if (typeof check !== "function") throw new Error("not a function format");
  return check as (value: unknown) => boolean;
}

/** Pieces the string formats are made of; joined at random they reach the checks' edge cases. */
const PIECES = [
  "2026", "1900", "2000", "2028", "0000", "-", "01", "02", "12", "13", "29", "30", "31", "00", "1", "T", "t", " ", "\t", ":", "23", "59", "60", "61", "24",
  ".5", ".123", "Z", "z", "+", "05", "-08", "99", "http", "https", "mailto", "urn", "://", ":", "a", "b.c", "%20", "%zz", "[", "]", "::1", "v1.x", "/", "//", "#", "?",
  "@", "é", "\\Z", "\\", "(", ")", "*", "{", "}", "=", "==", "AAAA", "ab+/", "Zm9v", "\n", "",
] as const;
const structured = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(""));
const anyString = fc.oneof(structured, fc.string({ maxLength: 30 }));

/** Hand-picked values per format, valid and not. */
const SAMPLES: Record<string, readonly string[]> = {
  date: ["2026-12-01", "2028-02-29", "2000-02-29", "1900-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-12-1", "20261201", "tomorrow", ""],
  time: ["10:00:00Z", "10:00:00", "23:59:60Z", "23:59:60+00:00", "15:59:60-08:00", "00:59:60+01:00", "00:00:60+00:01", "12:00:60Z", "24:00:00Z", "10:00:00.5+05:30", "10:00:00+0530", "10:00:00+24:00", "10:00:00+23:59", "10:00:00-23:60", "10:00"],
  "date-time": ["2026-12-01T10:00:00Z", "2026-12-01t10:00:00z", "2026-12-01 10:00:00Z", "2026-12-01T10:00:00", "2026-02-30T10:00:00Z", "2026-12-01T25:00:00Z", "2026-12-01"],
  "iso-time": ["10:00:00", "10:00:00Z", "23:59:60", "25:00:00", "10:00"],
  "iso-date-time": ["2026-12-01T10:00:00", "2026-12-01 10:00:00+01:00", "2026-12-01", "2026-12-01T10:00"],
  uri: ["https://example.com/a?b=c#d", "mailto:ada@example.com", "urn:isbn:0451450523", "http://[::1]:8080/", "example.com", "/relative", "http://exa mple.com", "a:b", ""],
  regex: ["^a+$", "[a-z]{2}", "(", "a\\Z", "\\Z", "[", ""],
  byte: ["Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9", "Zm9v\nYmFy", "****", ""],
};

describe("runtime/input-formats.ts", () => {
  it("is written for the installed ajv-formats (re-check the copy when this changes)", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "node_modules/ajv-formats/package.json"), "utf8")) as { version: string };
    expect(pkg.version).toBe("3.0.1");
  });

  it("exports exactly ajv-formats' function formats, each in the shape of its fullFormats entry", () => {
    expect(FUNCTION_FORMATS.length).toBeGreaterThan(0);
    expect(Object.keys(exportsOf).sort()).toEqual(FUNCTION_FORMATS);
    for (const name of FUNCTION_FORMATS) {
      const original = fullFormats[name]!;
      const copy = exportsOf[name]!;
      if (typeof original === "function") {
        expect(typeof copy, name).toBe("function");
        continue;
      }
      expect(Object.keys(copy).sort(), name).toEqual(Object.keys(original).sort());
      for (const [key, value] of Object.entries(original)) {
        if (typeof value === "function") expect(typeof (copy as Record<string, unknown>)[key], `${name}.${key}`).toBe("function");
        else expect((copy as Record<string, unknown>)[key], `${name}.${key}`).toEqual(value);
      }
    }
  });

  it("has ajv-formats' regular expressions, character for character", () => {
    const source = readFileSync(join(ROOT, "node_modules/ajv-formats/src/formats.ts"), "utf8");
    const copy = readFileSync(join(ROOT, "runtime/input-formats.ts"), "utf8");
    const constants = (text: string) => new Map([...text.matchAll(/^const ([A-Z_]+) =\s*(\/.+\/[a-z]*);?$/gm)].map((m) => [m[1]!, m[2]!]));
    const theirs = constants(source);
    const ours = constants(copy);
    expect(ours.size).toBeGreaterThan(0);
    // Every regular expression of the copy is one of ajv-formats' named ones, and every one that the function formats use is here.
    for (const [name, literal] of ours) expect(literal, name).toBe(theirs.get(name));
    expect([...ours.keys()].sort()).toEqual(["BYTE", "DATE", "DATE_TIME_SEPARATOR", "NOT_URI_FRAGMENT", "TIME", "URI", "Z_ANCHOR"]);
  });

  it.each(Object.keys(SAMPLES))("%s: agrees with ajv-formats on samples and random strings", (name) => {
    const theirs = validator(fullFormats[name]);
    const ours = validator(exportsOf[name]);
    for (const sample of SAMPLES[name]!) expect(ours(sample), JSON.stringify(sample)).toBe(theirs(sample));
    // Both results occur among the samples, so the comparison means something.
    expect(new Set(SAMPLES[name]!.map((s) => theirs(s)))).toEqual(new Set([true, false]));
    fc.assert(fc.property(anyString, (s) => ours(s) === theirs(s)), { numRuns: 3000 });
  });

  it("every string format agrees with ajv-formats on random strings, compare included", () => {
    for (const name of FUNCTION_FORMATS) {
      const original = fullFormats[name]!;
      const copy = exportsOf[name]!;
      if (typeof original === "object" && !(original instanceof RegExp) && original.type === "number") continue;
      const theirs = validator(original);
      const ours = validator(copy);
      fc.assert(fc.property(anyString, (s) => ours(s) === theirs(s)), { numRuns: 1000 });
      if (typeof original === "object" && !(original instanceof RegExp) && original.compare) {
        const theirCompare = original.compare as unknown as (a: string, b: string) => unknown;
        const ourCompare = (copy as unknown as { compare: (a: string, b: string) => unknown }).compare;
        const sample = fc.oneof(fc.constantFrom(...(SAMPLES[name] ?? [])), anyString);
        fc.assert(fc.property(sample, sample, (a, b) => Object.is(ourCompare(a, b), theirCompare(a, b))), { numRuns: 1000 });
      }
    }
  });

  it("number formats (int32, int64, float, double) agree with ajv-formats", () => {
    const numbers = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 0.5, -0, Number.NaN, Infinity, -Infinity),
    );
    for (const name of ["int32", "int64", "float", "double"]) {
      const theirs = validator(fullFormats[name]);
      const ours = validator(exportsOf[name]);
      fc.assert(fc.property(numbers, (n) => ours(n) === theirs(n)), { numRuns: 2000 });
    }
  });
});

/** The emitted input-validator.js of a one-flow project whose input is `fields` (YAML lines). */
function emittedValidator(fields: string): string {
  const bag = new DiagnosticBag();
  const project = loadDefinitions([{ file: "definitions/x.yaml", text: `flow: x\ninput:\n${fields}\nsteps:\n  - { id: s, sleep: 1 minute }\n` }], [], bag);
  expect(bag.items).toEqual([]);
  return emitProject(project).files.get("flows/x/input-validator.js")!;
}

const importLines = (source: string) => source.split("\n").filter((line) => line.startsWith("import "));

describe("generated input validators import only the formats they use", () => {
  it("no format: no import", () => {
    expect(importLines(emittedValidator("  a: { type: string }\n  b: { type: integer }"))).toEqual([]);
  });

  it("email (a regular expression): inlined, no import", () => {
    const source = emittedValidator("  a: { type: string, format: email }");
    expect(importLines(source)).toEqual([]);
    expect(source).toContain('format: "email"');
    expect(source).toContain(`const formats0 = ${String(fullFormats["email"])};`);
  });

  it("date: one import of runtime/input-formats.ts, one format read from it", () => {
    const source = emittedValidator("  a: { type: string, format: date }\n  b: { type: string, format: email }");
    expect(importLines(source)).toEqual(['import * as __ajv0 from "../../../runtime/input-formats.ts";']);
    expect(source.match(/__ajv0\b[.[][^;]*/g)).toEqual(["__ajv0.date"]);
  });

  it("no committed validator refers to ajv-formats", () => {
    const flows = join(ROOT, "generated", "flows");
    for (const flow of readdirSync(flows)) {
      const source = readFileSync(join(flows, flow, "input-validator.js"), "utf8");
      expect(source, flow).not.toContain("ajv-formats");
    }
  });

  it("bundled, a validator that uses date keeps date's check and none of the other formats", async () => {
    const source = emittedValidator("  a: { type: string, format: date }");
    // Three levels below the root, as generated/flows/x/, so ../../../runtime/ resolves; in the git-ignored .tmp/.
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, ".tmp", "formats-"));
    try {
      mkdirSync(join(dir, "flows"));
      writeFileSync(join(dir, "flows", "input-validator.js"), source);
      // esbuild, as wrangler bundles (no minification).
      const out = await build({ entryPoints: [join(dir, "flows", "input-validator.js")], bundle: true, write: false, format: "esm", logLevel: "silent" });
      const text = out.outputFiles[0]!.text;
      expect(text).toMatch(/function isDate\(/);
      for (const other of ["isStrictTime", "isDateTime", "compareTime", "NOT_URI_FRAGMENT", "Z_ANCHOR", "BYTE", "validateInt32", "validateNumber"]) {
        expect(text, other).not.toContain(other);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
