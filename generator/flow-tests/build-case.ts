import type { Node } from "yaml";
import { isMap, isSeq } from "yaml";
import type { DiagnosticBag, LineIndex } from "../diagnostics.ts";
import { entriesOf, entryOf, itemsOf, spanOf, type YamlEntry, type YamlSource } from "../load/yaml-nodes.ts";
import { allSteps } from "../model/walk.ts";
import type { Flow, Step } from "../model/types.ts";
import { child, describeJson } from "../validate/problems.ts";
import { didYouMeanKey } from "../validate/suggest-key.ts";
import { checkCaseInput } from "./check-input.ts";
import { isBlock, ranPatterns, type Resolved, runsAsOneStep, type StepIndex } from "./step-paths.ts";
import type { CaseExpectations, EventData, FailureData, FlowTestCase, MockData, OutputExpectation, StepExpectation } from "./types.ts";

/**
 * One case of a test file → the data the runner executes, checked against
 * the flow under test: input like a start, mock and failure keys are steps
 * that can be replaced, event types are waited for, expected steps exist.
 * Every piece keeps the line that states it.
 */

export interface CaseContext {
  readonly src: YamlSource;
  readonly lines: LineIndex;
  readonly flow: Flow;
  readonly index: StepIndex;
  readonly bag: DiagnosticBag;
}

type Data = Record<string, unknown>;

export function buildCase(ctx: CaseContext, caseNode: Node, data: Data): FlowTestCase | undefined {
  const { src, bag } = ctx;
  const errorsBefore = errorCount(bag);
  const nameEntry = entryOf(src, caseNode, "name");
  const line = lineOf(ctx, nameEntry?.keyNode ?? caseNode);
  const caseSpan = spanOf(src, nameEntry?.value ?? caseNode);
  const input = checkCaseInput(src, ctx.flow, (data["input"] ?? {}) as Data, entryOf(src, caseNode, "input")?.value, caseSpan, bag);
  const mocks = buildMocks(ctx, entryOf(src, caseNode, "mocks")?.value, (data["mocks"] ?? {}) as Data);
  const failures = buildFailures(ctx, entryOf(src, caseNode, "failures")?.value, (data["failures"] ?? {}) as Data, mocks);
  const events = buildEvents(ctx, entryOf(src, caseNode, "events")?.value, (data["events"] ?? {}) as Data);
  const expect = buildExpect(ctx, entryOf(src, caseNode, "expect")?.value, (data["expect"] ?? {}) as Data, line);
  if (errorCount(bag) > errorsBefore || !input) return undefined;
  return { name: String(data["name"]), line, input, mocks, failures, events, expect };
}

function buildMocks(ctx: CaseContext, node: Node | undefined, data: Data): MockData[] {
  const mocks: MockData[] = [];
  for (const entry of entriesOf(ctx.src, node)) {
    const step = replaceable(ctx, entry, "mock");
    if (!step) continue;
    const output = data[entry.key];
    const childResult = step.entry.step.kind === "call" && step.entry.step.wait;
    // Workflows' test engine takes an empty mocked result for "no mock" and runs the step.
    if (!childResult && (output === null || output === undefined || output === false || output === 0 || output === "")) {
      ctx.bag.error(
        spanOf(ctx.src, entry.value ?? entry.keyNode),
        `the mock of step '${entry.key}' is ${describeJson(output)}, which Workflows' test engine cannot return: it runs the step instead`,
        "mock a value that is not null, false, 0 or empty text, or leave the step unmocked",
      );
      continue;
    }
    mocks.push({ key: entry.key, line: lineOf(ctx, entry.keyNode), step: step.path, childResult, output });
  }
  return mocks;
}

function buildFailures(ctx: CaseContext, node: Node | undefined, data: Data, mocks: readonly MockData[]): FailureData[] {
  const failures: FailureData[] = [];
  for (const entry of entriesOf(ctx.src, node)) {
    const step = replaceable(ctx, entry, "failure");
    if (!step) continue;
    const mocked = mocks.find((m) => m.key === entry.key || (m.step.id === step.path.id && m.step.loops.every((l) => l.only === undefined)));
    if (mocked) {
      ctx.bag.error(spanOf(ctx.src, entry.keyNode), `step '${entry.key}' is already mocked at line ${mocked.line}; a step either returns a mock or fails`, "remove it from mocks: or from failures:");
      continue;
    }
    failures.push({ key: entry.key, line: lineOf(ctx, entry.keyNode), step: step.path, message: String(data[entry.key]) });
  }
  return failures;
}

/** A `mocks:` / `failures:` key that names a step Workflows can replace; reports why not otherwise. */
function replaceable(ctx: CaseContext, entry: YamlEntry, use: "mock" | "failure"): Extract<Resolved, { ok: true }> | undefined {
  const resolved = ctx.index.resolve(entry.key, ctx.flow.id);
  const span = spanOf(ctx.src, entry.keyNode);
  if (!resolved.ok) {
    ctx.bag.error(span, resolved.message, resolved.hint);
    return undefined;
  }
  const step = resolved.entry.step;
  const refusal = refuse(step, use);
  if (refusal) {
    ctx.bag.error(span, refusal.message, refusal.hint);
    return undefined;
  }
  return resolved;
}

function refuse(step: Step, use: "mock" | "failure"): { message: string; hint: string } | undefined {
  if (step.kind === "wait_for_event") {
    return { message: `step '${step.id}' waits for an event: a case gives the event, not a ${use}`, hint: `events: { ${step.eventType}: <payload> }` };
  }
  if (step.kind === "sleep" || step.kind === "sleep_until") {
    return { message: `step '${step.id}' sleeps, and flow tests skip every sleep: there is nothing to ${use === "mock" ? "mock" : "fail"}`, hint: `remove '${step.id}'` };
  }
  if (isBlock(step)) {
    return { message: `step '${step.id}' is a ${step.kind === "if" ? "if" : step.kind} block: it has no ${use === "mock" ? "output" : "work"} of its own`, hint: `${use === "mock" ? "mock" : "fail"} the steps inside it` };
  }
  if (step.kind === "fail" && use === "mock") {
    return { message: `step '${step.id}' is a fail step: a mock would only hide the failure`, hint: "give the case an input or event under which the step is not reached, or expect status: errored" };
  }
  return runsAsOneStep(step) ? undefined : { message: `step '${step.id}' cannot be replaced in a test`, hint: "leave it out" };
}

function buildEvents(ctx: CaseContext, node: Node | undefined, data: Data): EventData[] {
  const waited = [...new Set([...allSteps(ctx.flow.steps), ...allSteps(ctx.flow.onError)].flatMap((s) => (s.kind === "wait_for_event" ? [s.eventType] : [])))];
  const events: EventData[] = [];
  for (const entry of entriesOf(ctx.src, node)) {
    if (!waited.includes(entry.key)) {
      const hint = didYouMeanKey(entry.key, waited) ?? (waited.length ? `its steps wait for ${waited.map((t) => `'${t}'`).join(", ")}` : "it has no wait_for_event step");
      ctx.bag.error(spanOf(ctx.src, entry.keyNode), `flow '${ctx.flow.id}' has no wait_for_event step for event type '${entry.key}'`, hint);
      continue;
    }
    events.push({ type: entry.key, line: lineOf(ctx, entry.keyNode), payload: data[entry.key] ?? null });
  }
  return events;
}

function buildExpect(ctx: CaseContext, node: Node | undefined, data: Data, caseLine: number): CaseExpectations {
  const { src, bag } = ctx;
  const statusEntry = entryOf(src, node, "status");
  const status = { value: data["status"] === "errored" ? ("errored" as const) : ("complete" as const), line: statusEntry ? lineOf(ctx, statusEntry.keyNode) : caseLine };
  const outputEntry = entryOf(src, node, "output");
  const errorEntry = entryOf(src, node, "error");
  if (outputEntry && status.value !== "complete") {
    bag.error(spanOf(src, outputEntry.keyNode), "'output' is only checked when the flow completes, but this case expects status errored", "check the failure with error: <part of its message>");
  }
  if (errorEntry && status.value !== "errored") {
    bag.error(spanOf(src, errorEntry.keyNode), "'error' is only checked when the flow ends errored, but this case expects status complete", "add status: errored");
  }
  const steps: StepExpectation[] = [];
  const stepData = (data["steps"] ?? {}) as Data;
  for (const entry of entriesOf(src, entryOf(src, node, "steps")?.value)) {
    const resolved = ctx.index.resolve(entry.key, ctx.flow.id);
    if (!resolved.ok) {
      bag.error(spanOf(src, entry.keyNode), resolved.message, resolved.hint);
      continue;
    }
    const names = ranPatterns(resolved.entry.step, resolved.path);
    steps.push({ key: entry.key, line: lineOf(ctx, entry.keyNode), expect: stepData[entry.key] === "ran" ? "ran" : "skipped", names });
  }
  return {
    status,
    ...(errorEntry ? { error: { value: String(data["error"]), line: lineOf(ctx, errorEntry.keyNode) } } : {}),
    ...(outputEntry ? { output: outputExpectation(ctx, outputEntry, data["output"]) } : {}),
    steps,
  };
}

/** The expected output with the line of every key and item in it, by JSON pointer. */
function outputExpectation(ctx: CaseContext, entry: YamlEntry, value: unknown): OutputExpectation {
  const lines: Record<string, number> = { "": lineOf(ctx, entry.keyNode) };
  const walk = (node: Node | undefined, pointer: string): void => {
    if (isMap(node)) {
      for (const e of entriesOf(ctx.src, node)) {
        lines[child(pointer, e.key)] = lineOf(ctx, e.keyNode);
        walk(e.value, child(pointer, e.key));
      }
    } else if (isSeq(node)) {
      itemsOf(ctx.src, node).forEach((item, i) => {
        lines[child(pointer, i)] = lineOf(ctx, item);
        walk(item, child(pointer, i));
      });
    }
  };
  walk(entry.value, "");
  return { value: value ?? null, lines };
}

function lineOf(ctx: CaseContext, node: Node): number {
  return ctx.lines.position(node.range?.[0] ?? 0).line;
}

function errorCount(bag: DiagnosticBag): number {
  return bag.items.filter((d) => d.severity === "error").length;
}
