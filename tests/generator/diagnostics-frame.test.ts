import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.ts";
import { codeFrame, PLAIN, renderDiagnostic, terminalStyle } from "../../generator/diagnostics-frame.ts";

/** Code frames under diagnostics on a terminal; exactly one line per diagnostic otherwise. */

const TEXT = "flow: frames\nsteps:\n  - id: nap\n    sleep: 1 hour\n    retires: { limit: 3 }\n";
const TYPO: Diagnostic = {
  severity: "error",
  file: "definitions/frames.yaml",
  line: 5,
  col: 5,
  message: "unknown key 'retires' in step 'nap'; did you mean 'retries'?",
};
const ANSI = /\u001b\[/;

describe("code frames", () => {
  it("show the line before, the offending line and a caret under the column", () => {
    expect(renderDiagnostic(TYPO, TEXT, { frames: true, color: false })).toBe(
      [
        "definitions/frames.yaml:5:5: error: unknown key 'retires' in step 'nap'; did you mean 'retries'?",
        "  4 |     sleep: 1 hour",
        "> 5 |     retires: { limit: 3 }",
        "    |     ^",
      ].join("\n"),
    );
  });

  it("skip a blank line before, and keep the hint on the header", () => {
    const text = `${"#\n".repeat(8)}\nflow: x y\n`;
    const frame = renderDiagnostic({ ...TYPO, line: 10, col: 7, message: "m", hint: "h" }, text, { frames: true, color: false });
    expect(frame).toBe(["definitions/frames.yaml:10:7: error: m (hint: h)", "> 10 | flow: x y", "     |       ^"].join("\n"));
  });

  it("cut a long line to a window around the column, keeping the caret under it", () => {
    const long = `    set: { note: "${"x".repeat(150)}", bad: \${{ oops }} }`;
    const col = long.indexOf("${{") + 1;
    const [, line, caret] = codeFrame(`a\n${long}\n`, 2, col, "31", false);
    expect(line!.startsWith("> 2 | …")).toBe(true);
    expect(line!.endsWith("…") || line!.endsWith("}")).toBe(true);
    expect(line!.length).toBeLessThanOrEqual(110);
    expect(line![caret!.indexOf("^")]).toBe("$");
  });

  it("have no frame when the position is outside the text, and colours only when asked", () => {
    expect(codeFrame("one line\n", 9, 1, "31", false)).toEqual([]);
    expect(renderDiagnostic(TYPO, TEXT, { frames: true, color: false })).not.toMatch(ANSI);
    expect(renderDiagnostic(TYPO, TEXT, { frames: true, color: true })).toMatch(ANSI);
    expect(renderDiagnostic(TYPO, TEXT, PLAIN)).toBe("definitions/frames.yaml:5:5: error: unknown key 'retires' in step 'nap'; did you mean 'retries'?");
  });

  it("are chosen for a TTY, --color or FORCE_COLOR; --no-color and FORCE_COLOR=0 force plain lines; NO_COLOR drops colours", () => {
    expect(terminalStyle([], {}, false)).toEqual({ frames: false, color: false });
    expect(terminalStyle([], {}, true)).toEqual({ frames: true, color: true });
    expect(terminalStyle(["--color"], {}, false)).toEqual({ frames: true, color: true });
    expect(terminalStyle([], { FORCE_COLOR: "1" }, false)).toEqual({ frames: true, color: true });
    expect(terminalStyle([], { FORCE_COLOR: "0" }, true)).toEqual({ frames: false, color: false });
    expect(terminalStyle(["--no-color"], {}, true)).toEqual({ frames: false, color: false });
    expect(terminalStyle([], { NO_COLOR: "1" }, true)).toEqual({ frames: true, color: false });
  });
});

describe("the CLI's diagnostics", () => {
  const CLI = join(resolve(import.meta.dirname, "../.."), "generator/cli.ts");
  const dir = mkdtempSync(join(tmpdir(), "flows-frames-"));
  mkdirSync(join(dir, "definitions"));
  writeFileSync(join(dir, "definitions/frames.yaml"), TEXT);
  writeFileSync(join(dir, "definitions/late.yaml"), "flow: late\nsteps:\n  - id: nap\n    sleep: soon\n");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (flags: readonly string[], extraEnv: Record<string, string>): { status: number | null; stderr: string } => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
    if (!("FORCE_COLOR" in extraEnv)) delete env["FORCE_COLOR"];
    if (!("NO_COLOR" in extraEnv)) delete env["NO_COLOR"];
    return spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", CLI, "check", ...flags], { cwd: dir, env, encoding: "utf8" });
  };

  it("print exactly one line per diagnostic when stderr is not a terminal", () => {
    const run = check([], {});
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      [
        "definitions/frames.yaml:5:5: error: unknown key 'retires' in step 'nap'; did you mean 'retries'?",
        "definitions/late.yaml:4:12: error: sleep 'soon' is not a duration (hint: write a number and a unit, e.g. \"30 seconds\", \"5 minutes\", \"1 hour\", \"2 days\")",
        "2 error(s); nothing was written",
        "",
      ].join("\n"),
    );
  });

  it("print a frame under each with --color (without colours under NO_COLOR), and colours with FORCE_COLOR", () => {
    const framed = check(["--color"], { NO_COLOR: "1" });
    expect(framed.stderr).toContain(["> 5 |     retires: { limit: 3 }", "    |     ^", ""].join("\n"));
    expect(framed.stderr).toContain(["  3 |   - id: nap", "> 4 |     sleep: soon", "    |            ^"].join("\n"));
    expect(framed.stderr).not.toMatch(ANSI);
    expect(check([], { FORCE_COLOR: "1" }).stderr).toMatch(ANSI);
  });
});
