import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Diagnostic, formatDiagnostic } from "./diagnostics.ts";

/**
 * How diagnostics look on a terminal: the usual one-line header, then the
 * offending line with its number and a caret under the column, as TypeScript
 * and Babel print them. Machine output (CI logs, tests, editors parsing
 * `file:line:col:`) stays one line per diagnostic, so this is only chosen
 * when a person is reading (see `terminalStyle`).
 */

export interface FrameStyle {
  /** Print a code frame under each diagnostic. */
  readonly frames: boolean;
  /** ANSI colours (only when frames are on). */
  readonly color: boolean;
}

export const PLAIN: FrameStyle = { frames: false, color: false };

/**
 * Frames on a TTY, or when asked for (`--color`, `FORCE_COLOR`); `--no-color`
 * or `FORCE_COLOR=0` force the plain lines. `NO_COLOR` keeps the frames but
 * drops the colours (https://no-color.org).
 */
export function terminalStyle(flags: readonly string[], env: NodeJS.ProcessEnv, isTTY: boolean): FrameStyle {
  const force = env["FORCE_COLOR"];
  const forcedOff = flags.includes("--no-color") || force === "0" || force === "false";
  const forcedOn = flags.includes("--color") || (force !== undefined && !forcedOff);
  const frames = !forcedOff && (forcedOn || isTTY);
  return { frames, color: frames && !(env["NO_COLOR"] ?? "") };
}

/** Reads each file once per run, relative to the project root; a file that cannot be read gets no frame. */
export function sourceReader(root: string): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(join(root, file), "utf8").replaceAll("\r\n", "\n");
      } catch {
        text = undefined;
      }
      cache.set(file, text);
    }
    return cache.get(file);
  };
}

const ESC = "\u001b[";
const paint = (on: boolean, code: string, text: string): string => (on ? `${ESC}${code}m${text}${ESC}0m` : text);

/** One diagnostic as text (without a trailing newline): the header line, and the frame when the style asks for it. */
export function renderDiagnostic(d: Diagnostic, source: string | undefined, style: FrameStyle): string {
  if (!style.frames) return formatDiagnostic(d);
  const c = style.color;
  const level = d.severity === "error" ? paint(c, "1;31", "error") : paint(c, "1;33", "warning");
  const hint = d.hint ? ` ${paint(c, "36", `(hint: ${d.hint})`)}` : "";
  const header = `${paint(c, "1", `${d.file}:${d.line}:${d.col}`)}: ${level}: ${paint(c, "1", d.message)}${hint}`;
  const frame = source === undefined ? [] : codeFrame(source, d.line, d.col, d.severity === "error" ? "31" : "33", c);
  return [header, ...frame].join("\n");
}

/** Longer lines are cut to a window around the column, so the caret stays on screen. */
const MAX_WIDTH = 100;

/**
 * The line before (for context, when it has text), the offending line marked
 * with `>`, and the caret. Empty when the position is outside the text.
 */
export function codeFrame(text: string, line: number, col: number, caretColor: string, color: boolean): string[] {
  const lines = text.split("\n");
  const target = lines[line - 1];
  if (target === undefined) return [];
  const width = String(line).length;
  const gutter = (n: number | undefined, marker: string): string =>
    `${marker} ${paint(color, "2", `${n === undefined ? " ".repeat(width) : String(n).padStart(width)} |`)}`;
  const line0 = target.replaceAll("\t", " ");
  // One window for both lines, so they stay aligned with each other and with the caret.
  const start = line0.length <= MAX_WIDTH ? 0 : Math.max(0, Math.min(col - 1 - MAX_WIDTH / 2, line0.length - MAX_WIDTH));
  const out: string[] = [];
  const before = lines[line - 2];
  if (before !== undefined && before.trim() !== "") out.push(`${gutter(line - 1, " ")} ${cut(before.replaceAll("\t", " "), start)}`);
  out.push(`${gutter(line, paint(color, `1;${caretColor}`, ">"))} ${cut(line0, start)}`);
  out.push(`${gutter(undefined, " ")} ${" ".repeat(Math.max(0, col - 1 - start))}${paint(color, `1;${caretColor}`, "^")}`);
  return out;
}

/** `line` from `start`, at most MAX_WIDTH wide; a cut end shows as `…`, which takes the place of one character. */
function cut(line: string, start: number): string {
  const body = line.slice(start, start + MAX_WIDTH);
  const head = start > 0 ? `…${body.slice(1)}` : body;
  return start + MAX_WIDTH < line.length ? `${head}…` : head;
}
