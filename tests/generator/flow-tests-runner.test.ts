import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import { loadFlowTests } from "../../generator/flow-tests/load-flow-tests.ts";
import { loadProject } from "../../generator/frontend.ts";
import { checkCase, matchPartial, type Observed } from "../../testing/check-case.ts";
import { namePattern, stepNames } from "../../testing/case-names.ts";

/**
 * The flow-test runner's pure half (testing/check-case.ts and
 * testing/case-names.ts), fed with what the generator makes of a test file:
 * proof that a failing case reports the YAML line of the expectation that
 * failed, expected vs actual, without failing a real Workers run.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { project } = loadProject(ROOT);
const FILE = "definitions/t.test.yaml";
const FLIGHT = `input: { user: u1, flight: DL264, date: "2026-02-23" }`;

function load(text: string) {
  const bag = new DiagnosticBag();
  const tests = loadFlowTests([{ file: FILE, text }], { flows: project.flows, unmodelledIds: new Set() }, bag);
  return { tests, diagnostics: bag.sorted().map(formatDiagnostic) };
}

describe("a failing case names the line of its expectation", () => {
  const TEXT = [
    "flow: flight-status", // 1
    "cases:",
    "  - name: delayed",
    `    ${FLIGHT}`,
    "    mocks:", // 5
    "      lookup: { status: 200, body: { status: delayed } }",
    "    expect:",
    "      output:",
    "        flight: DL264",
    "        status: delayed", // 10
    "        legs:",
    "          - { from: JFK }",
    "      steps:",
    "        lookup: ran",
    "        facts: skipped", // 15
    "  - name: fails",
    `    ${FLIGHT}`,
    "    expect: { status: errored, error: gone }",
    "",
  ].join("\n");
  const observed = (o: Partial<Observed>): Observed => ({ status: "complete", ended: true, output: null, started: [], unmocked: [], waiting: [], timedOut: [], waitedMs: 12, ...o });
  const { tests, diagnostics } = load(TEXT);
  const file = tests[0]!;

  it("loads", () => expect(diagnostics).toEqual([]));

  it("reports each failed expectation at its own line, expected vs actual", () => {
    const got = observed({ output: { flight: "DL264", status: "on time", legs: [{ from: "LHR" }] }, started: ["lookup", "facts"] });
    expect(checkCase(file, file.cases[0]!, got)).toEqual([
      `${FILE}:10: case "delayed": output.status: expected "delayed", got "on time"`,
      `${FILE}:12: case "delayed": output.legs[0].from: expected "JFK", got "LHR"`,
      `${FILE}:15: case "delayed": step 'facts': expected skipped, but it ran`,
    ]);
  });

  it("passes when everything matches, extra output keys ignored", () => {
    const got = observed({ output: { flight: "DL264", status: "delayed", legs: [{ from: "JFK", to: "ATL" }], date: "x" }, started: ["lookup"] });
    expect(checkCase(file, file.cases[0]!, got)).toEqual([]);
  });

  it("a status that was not said is 'complete', reported at the case's line, with the unmocked requests", () => {
    const got = observed({ status: "errored", error: "GET https://api.example.com/f answered 599 (expected 2xx).", unmocked: ["GET https://api.example.com/f"] });
    expect(checkCase(file, file.cases[0]!, got)).toEqual([
      `${FILE}:3: case "delayed": expected status complete, got errored: GET https://api.example.com/f answered 599 (expected 2xx). (outbound requests that were not mocked, each answered 599: GET https://api.example.com/f; mock the steps that send them under mocks:)`,
      `${FILE}:14: case "delayed": step 'lookup': expected ran, but it was skipped`,
    ]);
  });

  it("names the wait that timed out because the case gave no event", () => {
    const got = observed({ status: "errored", error: "Execution timed out after 86400000ms", timedOut: [{ step: "approval", eventType: "approval" }], started: ["lookup"] });
    expect(checkCase(file, file.cases[0]!, got)).toEqual([
      `${FILE}:3: case "delayed": expected status complete, got errored: Execution timed out after 86400000ms (step 'approval' timed out waiting for event 'approval', which the case does not give: add it under events:)`,
    ]);
  });

  it("reports the error text and a stuck instance", () => {
    expect(checkCase(file, file.cases[1]!, observed({ status: "errored", error: "boom" }))).toEqual([`${FILE}:18: case "fails": expected the error to contain "gone", got "boom"`]);
    expect(checkCase(file, file.cases[1]!, observed({ status: "running", ended: false, waiting: [{ step: "approval", eventType: "approval" }] }))).toEqual([
      `${FILE}:16: case "fails": the instance is stuck (status running after 12 ms): step 'approval' waits for another 'approval' event (a case gives each event type once)`,
    ]);
  });
});

describe("the runner's rules", () => {
  it("partial match: mappings by subset, lists by length and order, null matches a missing key", () => {
    expect(matchPartial({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toEqual([]);
    expect(matchPartial({ a: null }, {})).toEqual([]);
    expect(matchPartial([1, { x: 1 }], [1, { x: 1, y: 2 }])).toEqual([]);
    expect(matchPartial([1], [1, 2])).toEqual([{ pointer: "", text: "expected a list of 1 item, got 2 items: [1,2]" }]);
    expect(matchPartial({ a: 1 }, { b: 1 })).toEqual([{ pointer: "/a", text: "expected 1, but there is no 'a'" }]);
    expect(matchPartial({ a: "1" }, { a: 1 })).toEqual([{ pointer: "/a", text: 'expected "1", got 1' }]);
    expect(matchPartial({ constructor: 1 }, {})).toEqual([{ pointer: "/constructor", text: "expected 1, but there is no 'constructor'" }]);
  });

  it("step names: every iteration, or the one named", () => {
    expect(namePattern("legs[].until#.check").test("legs[10].until#3.check")).toBe(true);
    expect(namePattern("legs[1].check").test("legs[10].check")).toBe(false);
    expect(stepNames({ id: "check", loops: [{ kind: "repeat", id: "r", count: 3 }] })).toEqual(["r#1.check", "r#2.check", "r#3.check"]);
    expect(stepNames({ id: "x", loops: [{ kind: "for_each", id: "a", count: 100, only: 2 }, { kind: "repeat", id: "b", count: 2 }] })).toEqual(["a[2].b#1.x", "a[2].b#2.x"]);
    expect(stepNames({ id: "x", loops: [{ kind: "for_each", id: "a", count: 100 }, { kind: "for_each", id: "b", count: 100 }] })).toHaveLength(1000);
  });
});
