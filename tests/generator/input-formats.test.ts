import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { formatModule } from "../../generator/emit/input-validator.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadDefinitions } from "../../generator/frontend.ts";
import * as fromAjv from "../../runtime/input-formats-ajv.ts";
import * as own from "../../runtime/input-formats-own.ts";

/**
 * The formats generated validators check with a function come from two
 * runtime modules: runtime/input-formats-own.ts (dates, times and number
 * formats, written for this project) and runtime/input-formats-ajv.ts
 * (uri, regex and byte, ajv-formats' own functions). The generator
 * compiles schemas against ajv-formats' "full" formats, so the written
 * ones must give its verdicts: these tests compare the two on hand-picked
 * edge cases, on grids of dates and times, and on random strings. Then the
 * generated validators: each imports only the module it needs, and a
 * bundle carries ajv-formats only when a flow uses one of its formats.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);

type Fn = (value: never) => unknown;
type FormatDef = RegExp | true | Fn | { readonly type?: string; readonly validate: RegExp | Fn; readonly compare?: Fn };

const { fullFormats } = require("ajv-formats/dist/formats") as { fullFormats: Record<string, FormatDef> };
const ownExports = own as unknown as Record<string, FormatDef>;
const ajvExports = fromAjv as unknown as Record<string, FormatDef>;

/** The formats ajv cannot inline (not a regular expression, not `true`): the ones the runtime modules must have. */
const FUNCTION_FORMATS = Object.entries(fullFormats)
  .filter(([, def]) => !(def instanceof RegExp) && def !== true)
  .map(([name]) => name)
  .sort();

const STRING_FORMATS = ["date", "time", "date-time", "iso-time", "iso-date-time"] as const;
const NUMBER_FORMATS = ["int32", "int64", "float", "double"] as const;

function check<T>(def: FormatDef | undefined): (value: T) => boolean {
  const fn = typeof def === "function" ? def : def && typeof def === "object" && !(def instanceof RegExp) ? def.validate : undefined;
  if (typeof fn !== "function") throw new Error("not a function format");
  return fn as (value: T) => boolean;
}

const ajvCheck = (name: string) => check<never>(fullFormats[name]);
const ownCheck = (name: string) => check<never>(ownExports[name]);

/** Hand-picked values and their verdicts (ajv-formats' full mode). */
const SAMPLES: Record<(typeof STRING_FORMATS)[number], readonly (readonly [string, boolean])[]> = {
  date: [
    ["2026-12-01", true],
    ["2028-02-29", true], // leap year
    ["2000-02-29", true], // divisible by 400
    ["0000-02-29", true], // year 0 is divisible by 400 (Date.UTC alone would read it as 1900)
    ["0004-02-29", true],
    ["1900-02-29", false], // divisible by 100, not 400
    ["2100-02-29", false],
    ["2026-02-29", false],
    ["2028-02-30", false],
    ["2026-02-28", true],
    ["2026-00-10", false],
    ["2026-13-01", false],
    ["2026-12-00", false],
    ["2026-12-32", false],
    ["2026-12-31", true],
    ["2026-04-31", false],
    ["2026-04-30", true],
    ["9999-12-31", true],
    ["2026-12-1", false],
    ["026-12-01", false],
    ["20261201", false],
    ["2026/12/01", false],
    ["2026-12-01\n", false],
    [" 2026-12-01", false],
    ["２０２６-12-01", false], // full-width digits are not \d
    ["2026-12-01T10:00:00Z", false],
    ["tomorrow", false],
    ["", false],
  ],
  time: [
    ["10:00:00Z", true],
    ["10:00:00z", true],
    ["10:00:00", false], // time needs an offset
    ["10:00:00.5+05:30", true],
    ["10:00:00.123456789-08:00", true],
    ["10:00:00.+05:30", false],
    ["10:00:00+0530", true], // ajv-formats: colon optional
    ["10:00:00+05", true], // and minutes too
    ["10:00:00+05:", false],
    ["10:00:00+5:30", false],
    ["10:00:00+23:59", true],
    ["10:00:00-23:59", true],
    ["10:00:00+24:00", false],
    ["10:00:00-23:60", false],
    ["00:00:00Z", true],
    ["23:59:59Z", true],
    ["23:59:59.999Z", true],
    ["24:00:00Z", false],
    ["23:60:00Z", false],
    ["12:00:60Z", false],
    ["23:59:60Z", true], // leap second at 23:59 UTC
    ["23:59:60.5Z", true],
    ["23:59:61Z", false],
    ["23:59:60+00:00", true],
    ["15:59:60-08:00", true], // 23:59 UTC
    ["16:59:60-08:00", false],
    ["00:59:60+01:00", true], // 23:59 UTC the day before
    ["00:00:60+00:01", true],
    ["00:29:60+00:30", true],
    ["05:29:60+05:30", true],
    ["05:30:60+05:30", false],
    ["23:59:60+01:00", false],
    ["24:00:00+00:01", true], // ajv-formats' leap rule alone: 23:59 UTC, minute and second fine
    ["22:99:60-00:20", false], // 23:59 UTC too, but ajv-formats' minute field reads 119
    ["10:00", false],
    ["10:00:00 Z", false],
    ["T10:00:00Z", false],
    ["", false],
  ],
  "date-time": [
    ["2026-12-01T10:00:00Z", true],
    ["2026-12-01t10:00:00z", true],
    ["2026-12-01 10:00:00Z", true],
    ["2026-12-01\t10:00:00Z", true],
    ["2026-12-01\n10:00:00Z", true],
    ["2026-12-01\u00a010:00:00Z", true], // any white space: ajv-formats splits on \s
    ["2026-12-01\u202810:00:00Z", true],
    ["2026-12-01_10:00:00Z", false],
    ["2026-12-0110:00:00Z", false],
    ["2026-12-01TT10:00:00Z", false],
    ["2026-12-01T 10:00:00Z", false],
    ["2026-12-01T10:00:00", false], // date-time needs an offset
    ["2026-12-01T10:00:00+01:00", true],
    ["2026-02-30T10:00:00Z", false],
    ["2028-02-29T10:00:00Z", true],
    ["2026-12-01T25:00:00Z", false],
    ["2026-12-31T23:59:60Z", true],
    ["2026-12-31T18:59:60-05:00", true],
    ["2026-12-31T23:59:60+01:00", false],
    ["2026-12-01T10:00:00Zt", false],
    ["2026-12-01", false],
    ["10:00:00Z", false],
    ["", false],
  ],
  "iso-time": [
    ["10:00:00", true],
    ["10:00:00Z", true],
    ["10:00:00.25", true],
    ["10:00:00+01:00", true],
    ["23:59:60", true], // no offset: read as UTC
    ["22:59:60", false],
    ["25:00:00", false],
    ["10:00:00+24:00", false],
    ["10:00", false],
    ["", false],
  ],
  "iso-date-time": [
    ["2026-12-01T10:00:00", true],
    ["2026-12-01 10:00:00+01:00", true],
    ["2026-12-01t10:00:00.5", true],
    ["2026-12-31T23:59:60", true],
    ["2026-13-01T10:00:00", false],
    ["2026-12-01", false],
    ["2026-12-01T10:00", false],
    ["2026-12-01T", false],
    ["", false],
  ],
};

/** Digit strings of 1–5 digits, weighted toward the right length for a field. */
const digits = (length: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: length, maxLength: length }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 5 }) },
  );
const number2 = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
const field2 = (max: number) => fc.oneof({ weight: 4, arbitrary: number2(max) }, { weight: 1, arbitrary: digits(2) });
const oneOf = (...values: string[]) => fc.constantFrom(...values);

const nearDate = fc
  .tuple(fc.oneof(oneOf("2026", "2028", "2000", "1900", "2100", "0000", "0004", "9999"), digits(4)), oneOf("-", "-", "-", "/", ""), field2(13), oneOf("-", "-", "-", ""), field2(32))
  .map((parts) => parts.join(""));
const offset = fc.oneof(
  oneOf("", "Z", "z", "Z", "+", "-", "ZZ", "+00:00"),
  fc.tuple(oneOf("+", "-", "+", "-", "±"), field2(25), oneOf(":", ":", "", "::", "."), fc.oneof(field2(61), oneOf("", "5"))).map((parts) => parts.join("")),
);
const nearTime = fc
  .tuple(field2(25), oneOf(":", ":", ":", "."), field2(61), oneOf(":", ":", ":", ""), fc.oneof({ weight: 3, arbitrary: field2(61) }, { weight: 1, arbitrary: oneOf("60", "59") }), oneOf("", "", ".5", ".999", ".", ".0000001"), offset)
  .map((parts) => parts.join(""));
const separator = oneOf("T", "t", " ", "T", "\t", "\n", "\u00a0", "\u2028", "\ufeff", "_", "", "TT", "x");
const nearDateTime = fc.tuple(nearDate, separator, nearTime).map((parts) => parts.join(""));
/** Any string over the characters these formats are made of. */
const alphabetSoup = fc.string({ unit: fc.constantFrom(..."0123456789-:.+zZtT \t\n\u00a0x"), maxLength: 30 });

const RANDOM: Record<(typeof STRING_FORMATS)[number], fc.Arbitrary<string>> = {
  date: fc.oneof(nearDate, alphabetSoup),
  time: fc.oneof(nearTime, alphabetSoup),
  "date-time": fc.oneof(nearDateTime, alphabetSoup),
  "iso-time": fc.oneof(nearTime, alphabetSoup),
  "iso-date-time": fc.oneof(nearDateTime, alphabetSoup),
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

describe("the runtime's format modules", () => {
  it("export exactly ajv-formats' function formats, each from the module the generator imports for it", () => {
    expect(FUNCTION_FORMATS.length).toBeGreaterThan(0);
    const ownNames = Object.keys(ownExports).sort();
    const ajvNames = Object.keys(ajvExports).sort();
    expect(ownNames).toEqual([...STRING_FORMATS, ...NUMBER_FORMATS].sort());
    expect(ajvNames).toEqual(["byte", "regex", "uri"]);
    expect([...ownNames, ...ajvNames].sort()).toEqual(FUNCTION_FORMATS);
    for (const name of ownNames) expect(formatModule(name), name).toBe("cf-flows/runtime/input-formats-own.ts");
    for (const name of ajvNames) expect(formatModule(name), name).toBe("cf-flows/runtime/input-formats-ajv.ts");
    expect(() => formatModule("duration")).toThrow(/no runtime module has the input format "duration"/);
  });

  it("export each format in the shape ajv-formats registers it (generated code calls `f(x)` or `f.validate(x)` accordingly)", () => {
    for (const name of FUNCTION_FORMATS) {
      const registered = fullFormats[name]!;
      const exported = ownExports[name] ?? ajvExports[name];
      if (typeof registered === "function") expect(typeof exported, name).toBe("function");
      else expect(typeof (exported as { validate?: unknown }).validate, name).toBe("function");
    }
  });

  it("runtime/input-formats-ajv.ts hands out ajv-formats' own functions", () => {
    for (const name of ["uri", "regex", "byte"]) expect(ajvExports[name], name).toBe(fullFormats[name]);
    expect(fromAjv.uri("https://example.com/a?b=c#d")).toBe(true);
    expect(fromAjv.uri("example.com")).toBe(false);
    expect(fromAjv.regex("a\\Z")).toBe(false);
    expect(fromAjv.byte("Zm9vYg==")).toBe(true);
  });
});

describe("runtime/input-formats-own.ts gives ajv-formats' verdicts", () => {
  it.each(STRING_FORMATS)("%s: hand-picked edge cases", (name) => {
    const theirs = ajvCheck(name);
    const ours = ownCheck(name);
    for (const [value, verdict] of SAMPLES[name]) {
      // The expectation is ajv-formats' verdict (so this table is right), and ours equals it.
      expect(theirs(value as never), `ajv-formats, ${name} ${JSON.stringify(value)}`).toBe(verdict);
      expect(ours(value as never), `ours, ${name} ${JSON.stringify(value)}`).toBe(verdict);
    }
  });

  it("date: every month 00–13 and day 00–32 of years around the leap rules", () => {
    const years = [0, 1, 4, 99, 100, 104, 400, 1600, 1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400, 9996, 9999];
    let valid = 0;
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          const verdict = ajvCheck("date")(text as never);
          if (verdict) valid++;
          if (ownCheck("date")(text as never) !== verdict) expect.fail(`date ${text}: ajv-formats says ${verdict}`);
        }
      }
    }
    // 365 or 366 days a year: both verdicts occur, in the right number.
    const leap = years.filter((y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)).length;
    expect(valid).toBe(years.length * 365 + leap);
  });

  it("time, iso-time and the date-times: a grid of hours, minutes, seconds and offsets (leap seconds included)", () => {
    // Hours and minutes past their ranges too: ajv-formats' leap-second rule reads them (see SAMPLES.time).
    const hours = [0, 1, 5, 12, 22, 23, 24, 25, 46, 47, 99];
    const minutes = [...Array.from({ length: 62 }, (_, m) => m), 79, 80, 99];
    const seconds = ["00", "59", "59.999", "60", "60.5", "61"];
    const offsets = ["", "Z", "z"];
    for (const sign of ["+", "-"]) {
      for (const h of [0, 1, 8, 23, 24]) {
        offsets.push(`${sign}${pad(h)}`);
        for (const m of [0, 1, 20, 30, 59, 60]) offsets.push(`${sign}${pad(h)}:${pad(m)}`, `${sign}${pad(h)}${pad(m)}`);
      }
    }
    const names = ["time", "iso-time"] as const;
    const counts = { time: 0, "iso-time": 0 };
    for (const h of hours) {
      for (const m of minutes) {
        for (const s of seconds) {
          for (const z of offsets) {
            const text = `${pad(h)}:${pad(m)}:${s}${z}`;
            for (const name of names) {
              const verdict = ajvCheck(name)(text as never);
              if (verdict) counts[name]++;
              if (ownCheck(name)(text as never) !== verdict) expect.fail(`${name} ${text}: ajv-formats says ${verdict}`);
            }
            // Through the date-times too, on a sample of the grid (every date is valid here).
            if (m % 7 === 0 || m >= 59) {
              for (const [name, sep] of [["date-time", "T"], ["iso-date-time", " "]] as const) {
                const text2 = `2026-12-31${sep}${text}`;
                const verdict = ajvCheck(name)(text2 as never);
                if (ownCheck(name)(text2 as never) !== verdict) expect.fail(`${name} ${text2}: ajv-formats says ${verdict}`);
              }
            }
          }
        }
      }
    }
    expect(counts.time).toBeGreaterThan(1000);
    expect(counts["iso-time"]).toBeGreaterThan(counts.time);
  }, 60_000);

  it.each(STRING_FORMATS)("%s: random strings near the format and from its alphabet", (name) => {
    const theirs = ajvCheck(name);
    const ours = ownCheck(name);
    const seen = new Set<boolean>();
    fc.assert(
      fc.property(fc.oneof(RANDOM[name], fc.string({ maxLength: 30 })), (text) => {
        const verdict = theirs(text as never);
        seen.add(verdict as boolean);
        return ours(text as never) === verdict;
      }),
      { numRuns: 20_000 },
    );
    // The random strings reach both verdicts, so the comparison means something.
    expect(seen).toEqual(new Set([true, false]));
  });

  it("int32, int64, float, double: bounds, fractions, NaN and infinities, random numbers", () => {
    const edges: readonly (readonly [number, boolean, boolean])[] = [
      // value, int32, int64
      [0, true, true],
      [-0, true, true],
      [1, true, true],
      [-1, true, true],
      [2 ** 31 - 1, true, true],
      [2 ** 31, false, true],
      [-(2 ** 31), true, true],
      [-(2 ** 31) - 1, false, true],
      [2 ** 32, false, true],
      [2 ** 32 + 5, false, true],
      [2 ** 53, false, true],
      [Number.MAX_VALUE, false, true],
      [0.5, false, false],
      [-1.5, false, false],
      [2 ** 31 - 0.5, false, false],
      [Number.MIN_VALUE, false, false],
      [Number.EPSILON, false, false],
      [Number.NaN, false, false],
      [Infinity, false, false],
      [-Infinity, false, false],
    ];
    for (const [value, int32, int64] of edges) {
      expect(ajvCheck("int32")(value as never), `ajv-formats int32 ${value}`).toBe(int32);
      expect(ownCheck("int32")(value as never), `int32 ${value}`).toBe(int32);
      expect(ajvCheck("int64")(value as never), `ajv-formats int64 ${value}`).toBe(int64);
      expect(ownCheck("int64")(value as never), `int64 ${value}`).toBe(int64);
      for (const name of ["float", "double"]) expect(ownCheck(name)(value as never), `${name} ${value}`).toBe(ajvCheck(name)(value as never));
    }
    const numbers = fc.oneof(fc.double(), fc.integer(), fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.constantFrom(...edges.map(([value]) => value)));
    for (const name of NUMBER_FORMATS) {
      fc.assert(fc.property(numbers, (n) => ownCheck(name)(n as never) === ajvCheck(name)(n as never)), { numRuns: 5000 });
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

/** esbuild's bundle of a validator (as wrangler bundles: no minification). */
async function bundled(source: string): Promise<string> {
  // Inside the repository (the git-ignored .tmp/), so cf-flows/runtime/ resolves through the package's own exports.
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".tmp", "formats-"));
  try {
    mkdirSync(join(dir, "flows"));
    writeFileSync(join(dir, "flows", "input-validator.js"), source);
    const out = await build({ entryPoints: [join(dir, "flows", "input-validator.js")], bundle: true, write: false, format: "esm", logLevel: "silent" });
    return out.outputFiles[0]!.text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

  it("date: one import of runtime/input-formats-own.ts, one format read from it", () => {
    const source = emittedValidator("  a: { type: string, format: date }\n  b: { type: string, format: email }");
    expect(importLines(source)).toEqual(['import * as __ajv0 from "cf-flows/runtime/input-formats-own.ts";']);
    expect(source.match(/__ajv0\b[.[][^;]*/g)).toEqual(["__ajv0.date"]);
  });

  it("uri and dates: one import per module, each format read from its own", () => {
    const source = emittedValidator("  a: { type: string, format: uri }\n  b: { type: string, format: date-time }\n  c: { type: string, format: date }");
    expect(importLines(source)).toEqual(['import * as __ajv0 from "cf-flows/runtime/input-formats-ajv.ts";', 'import * as __ajv1 from "cf-flows/runtime/input-formats-own.ts";']);
    expect(source.match(/__ajv\d\b[.[][^;]*/g)).toEqual(["__ajv0.uri", '__ajv1["date-time"]', "__ajv1.date"]);
  });

  it("no committed validator refers to ajv-formats", () => {
    const flows = join(ROOT, "generated", "flows");
    for (const flow of readdirSync(flows)) {
      const source = readFileSync(join(flows, flow, "input-validator.js"), "utf8");
      expect(source, flow).not.toContain("ajv-formats");
      expect(source, flow).not.toContain("input-formats-ajv");
    }
  });

  it("bundled, a validator that uses date keeps date's check and nothing of ajv-formats or the other formats", async () => {
    const text = await bundled(emittedValidator("  a: { type: string, format: date }"));
    expect(text).toMatch(/function isDate\(/);
    for (const other of ["ajv-formats", "fullFormats", "input-formats-ajv", "isTime", "TIME_SHAPE", "isDateTime", "int32", "Number.isInteger"]) {
      expect(text, other).not.toContain(other);
    }
  });

  it("bundled, a validator that uses uri carries ajv-formats", async () => {
    const text = await bundled(emittedValidator("  a: { type: string, format: uri }"));
    expect(text).toContain("node_modules/ajv-formats/dist/formats.js");
    expect(text).toContain("fullFormats");
    expect(text).not.toContain("isDate");
  });
});
