import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadDefinitions, loadProject } from "../../generator/frontend.ts";

/**
 * Generated code imports the runtime pieces that only some flows need only
 * when a flow needs them, so a Worker's bundle does not carry the rest
 * (BENCHMARKS.md, "Size and start-up"): the cron dispatcher, WebSocket
 * triggers, progress reports, the HMAC check and the function formats of
 * input validators.
 */

const ROOT = resolve(import.meta.dirname, "../..");

function emitted(definitions: readonly string[]): ReadonlyMap<string, string> {
  const bag = new DiagnosticBag();
  const files = definitions.map((name) => ({ file: `definitions/${name}`, text: readFileSync(resolve(ROOT, "definitions", name), "utf8") }));
  const project = loadDefinitions(files, ["API_BASE"], bag);
  expect(bag.items.filter((d) => d.severity === "error")).toEqual([]);
  return emitProject(project).files;
}

const importsOf = (source: string) => source.split("\n").filter((line) => line.startsWith("import "));

describe("generated code imports only what its flows use", () => {
  it("flight-status alone (http trigger with bearer auth, a date input, no cron, WebSocket or report)", () => {
    const files = emitted(["flight-status.yaml"]);
    const worker = files.get("worker.ts")!;
    expect(worker).not.toMatch(/dispatchCron|CronRoute|scheduled\(/);
    expect(worker).toContain("async fetch(request, env)");
    const agent = files.get("agents/flight-agent.ts")!;
    expect(agent).not.toMatch(/websocket-triggers|progress\.ts|onMessage|onWorkflowProgress/);
    expect(importsOf(files.get("flows/flight-status/triggers.ts")!)).toContain('import { bearerAuth } from "cf-flows/runtime/auth.ts";');
    expect(importsOf(files.get("flows/flight-status/input-validator.js")!)).toEqual(['import * as __ajv0 from "cf-flows/runtime/input-formats-own.ts";']);
  });

  it("the example project: each piece where a flow uses it", () => {
    const { project } = loadProject(ROOT);
    const files = emitProject(project).files;
    // github-push has a cron trigger and HMAC auth.
    expect(files.get("worker.ts")!).toContain("await dispatchCron(crons, controller, env);");
    expect(importsOf(files.get("flows/github-push/triggers.ts")!)).toContain('import { hmacAuth } from "cf-flows/runtime/auth.ts";');
    // order-fulfilment has a WebSocket trigger and a report step.
    const order = files.get("agents/order-agent.ts")!;
    expect(order).toContain('import { answerTriggerMessage } from "cf-flows/runtime/websocket-triggers.ts";');
    expect(order).toContain('import { recordProgress } from "cf-flows/runtime/progress.ts";');
    // Only flight-status's validator reads a function format; the e-mail ones inline their regular expression.
    const withFormats = [...files].filter(([path, text]) => path.endsWith("input-validator.js") && text.includes("runtime/input-formats-")).map(([path]) => path);
    expect(withFormats).toEqual(["flows/flight-status/input-validator.js"]);
  });
});
