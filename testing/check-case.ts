import type { FlowTestCase, FlowTestFile } from "../generator/flow-tests/types.ts";
import { namePattern } from "./case-names.ts";

/**
 * The judging half of the flow-test runner: what an instance did (Observed)
 * against what a case expects. Pure (no Workers APIs), so the generator's
 * Node tests can prove that a failure names the right YAML line.
 *
 * Every failure is one line `<file>:<line>: case "<name>": <expected vs actual>`,
 * the line being the one in the test file that states the failed expectation.
 */

export interface Observed {
  /** The instance's last status (`complete`, `errored`, … or `running` when it did not end in time). */
  readonly status: string;
  readonly ended: boolean;
  readonly output: unknown;
  readonly error?: string | undefined;
  /** Workflows names of every step that started (`lookup`, `legs[0].lookup`; counters removed). */
  readonly started: readonly string[];
  /** Outbound requests no mock answered (`GET https://…`); each got the runner's 599. */
  readonly unmocked: readonly string[];
  /** Waits still open when the instance did not end: step name and event type. */
  readonly waiting: readonly WaitSeen[];
  /** Waits that timed out (the runner times out every wait whose event the case does not give). */
  readonly timedOut: readonly WaitSeen[];
  /** How long the runner waited for the end. */
  readonly waitedMs: number;
}

export interface WaitSeen {
  readonly step: string;
  readonly eventType: string;
}

interface Failure {
  readonly line: number;
  readonly text: string;
}

export function checkCase(file: FlowTestFile, testCase: FlowTestCase, observed: Observed): string[] {
  const failures: Failure[] = [];
  const expect = testCase.expect;
  if (!observed.ended) {
    const waits = observed.waiting.map((w) =>
      w.step.includes(":") ? `step '${w.step.split(":")[0]}' waits for the flow it calls` : `step '${w.step}' waits for another '${w.eventType}' event (a case gives each event type once)`,
    );
    const state = `status ${observed.status} after ${observed.waitedMs} ms`;
    failures.push({ line: testCase.line, text: waits.length ? `the instance is stuck (${state}): ${waits.join("; ")}` : `the instance did not end in time (${state})` });
  } else if (observed.status !== expect.status.value) {
    const why = observed.error !== undefined ? `: ${observed.error}` : "";
    failures.push({ line: expect.status.line, text: `expected status ${expect.status.value}, got ${observed.status}${why}${unmockedNote(observed)}` });
  } else {
    if (expect.error && !(observed.error ?? "").includes(expect.error.value)) {
      failures.push({ line: expect.error.line, text: `expected the error to contain ${show(expect.error.value)}, got ${show(observed.error ?? "")}` });
    }
    if (expect.output) {
      for (const m of matchPartial(expect.output.value, observed.output)) {
        failures.push({ line: lineFor(expect.output.lines, m.pointer), text: `${outputPath(m.pointer)}: ${m.text}` });
      }
    }
  }
  for (const step of expect.steps) {
    const ran = step.names.some((pattern) => observed.started.some((name) => namePattern(pattern).test(name)));
    if (ran !== (step.expect === "ran")) {
      failures.push({ line: step.line, text: `step '${step.key}': expected ${step.expect}, but it ${ran ? "ran" : "was skipped"}` });
    }
  }
  return failures.sort((a, b) => a.line - b.line).map((f) => `${file.file}:${f.line}: case "${testCase.name}": ${f.text}`);
}

function unmockedNote(observed: Observed): string {
  const notes = observed.timedOut.map((w) => ` (step '${w.step}' timed out waiting for event '${w.eventType}', which the case does not give: add it under events:)`);
  const requests = [...new Set(observed.unmocked)];
  if (requests.length > 0) notes.push(` (outbound requests that were not mocked, each answered 599: ${requests.join(", ")}; mock the steps that send them under mocks:)`);
  return notes.join("");
}

export interface Mismatch {
  /** JSON pointer of the expected value that did not match. */
  readonly pointer: string;
  readonly text: string;
}

/**
 * Partial match: a mapping matches when every key it gives matches (extra
 * keys are ignored, at any depth); a list matches a list of the same length
 * whose items match in order; `null` also matches a missing key; anything
 * else must be equal.
 */
export function matchPartial(expected: unknown, actual: unknown, pointer = ""): Mismatch[] {
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [{ pointer, text: `expected a mapping, got ${show(actual)}` }];
    return Object.entries(expected).flatMap(([key, value]) => {
      const at = `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (Object.hasOwn(actual, key) && actual[key] !== undefined) return matchPartial(value, actual[key], at);
      return value === null ? [] : [{ pointer: at, text: `expected ${show(value)}, but there is no '${key}'` }];
    });
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ pointer, text: `expected a list of ${count(expected.length)}, got ${show(actual)}` }];
    if (actual.length !== expected.length) return [{ pointer, text: `expected a list of ${count(expected.length)}, got ${count(actual.length)}: ${show(actual)}` }];
    return expected.flatMap((value, i) => matchPartial(value, actual[i], `${pointer}/${i}`));
  }
  const equal = expected === null ? actual === null || actual === undefined : expected === actual;
  return equal ? [] : [{ pointer, text: `expected ${show(expected)}, got ${show(actual)}` }];
}

/** The line of the expectation at `pointer`, or of the nearest enclosing one. */
function lineFor(lines: Readonly<Record<string, number>>, pointer: string): number {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const line = lines[p];
    if (line !== undefined) return line;
    if (p === "") return 0;
  }
}

/** `/body/items/0/id` → `output.body.items[0].id` */
function outputPath(pointer: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  return `output${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join("")}`;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

const count = (n: number): string => `${n} item${n === 1 ? "" : "s"}`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
