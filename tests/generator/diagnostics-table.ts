import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import { loadDefinitions } from "../../generator/frontend.ts";

/**
 * The table of bad definitions, shared by tests/generator/diagnostics-*.test.ts
 * (one file per area): each case is a definition and the exact diagnostics it
 * produces, as `line:col: severity: message (hint: …)` in the case's own file
 * (other files' diagnostics keep their path). Inline YAML escapes `${{` as
 * `\${{`; cases without `yaml` live in tests/fixtures/bad/ so they read as
 * users write them.
 */

export interface DiagnosticCase {
  readonly name: string;
  /** The definition, as `definitions/<name>.yaml`; or read from tests/fixtures/bad/<name>.yaml. */
  readonly yaml?: string;
  /** Further definition files of the project: file name → text. */
  readonly others?: Readonly<Record<string, string>>;
  readonly envVars?: readonly string[];
  readonly expected: readonly string[];
}

/** A minimal valid step list, for cases about something else. */
export const STEP = `steps:\n  - id: nap\n    sleep: 1 hour\n`;

/** A flow other cases call or start: two required input fields and one with a default. */
export const CHILD = `flow: child\ninput:\n  email: { type: string }\n  total: { type: number }\n  note: { type: string, default: none }\nsteps:\n  - id: mail\n    email: { to: "\${{ input.email }}", from: shop@example.com, subject: Receipt, text: "Total \${{ input.total }}" }\noutput: { sent: true }\n`;

const FIXTURES = new URL("../fixtures/bad/", import.meta.url);

/** Runs stages 1–4 on one case's files. */
export function diagnosticsOf(c: DiagnosticCase): string[] {
  const main = `definitions/${c.name}.yaml`;
  const text = c.yaml ?? readFileSync(new URL(`${c.name}.yaml`, FIXTURES), "utf8");
  const others = Object.entries(c.others ?? {}).map(([name, t]) => ({ file: `definitions/${name}`, text: t }));
  const bag = new DiagnosticBag();
  loadDefinitions([{ file: main, text }, ...others], c.envVars ?? [], bag);
  return bag.sorted().map((d) => (d.file === main ? formatDiagnostic(d).slice(main.length + 1) : formatDiagnostic(d)));
}

/** One area's cases as a describe block; every case that expects something also checks that each diagnostic has a position. */
export function describeDiagnostics(area: string, cases: readonly DiagnosticCase[]): void {
  describe(`diagnostics of bad definitions: ${area}`, () => {
    it("has unique case names", () => {
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    });

    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const actual = diagnosticsOf(c);
      expect(actual).toEqual(c.expected);
      for (const line of actual) expect(line).toMatch(/^(definitions\/[\w.-]+:)?\d+:\d+: (error|warning): \S/);
    });
  });
}
