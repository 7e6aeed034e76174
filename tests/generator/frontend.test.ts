import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostic } from "../../generator/diagnostics.ts";
import type { ExprNode } from "../../generator/expressions/ast.ts";
import { loadDefinitions, loadProject } from "../../generator/frontend.ts";
import type { Flow, Step, Value } from "../../generator/model/types.ts";

/** The shipped examples load cleanly and model as the language says. */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { project, bag } = loadProject(ROOT);
const flow = (id: string): Flow => {
  const found = project.flows.find((f) => f.id === id);
  if (!found) throw new Error(`no flow ${id}`);
  return found;
};
const step = (f: Flow, id: string): Step => {
  const found = f.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};
/** The source text a span covers, to prove offsets point into the file. */
const textAt = (span: { file: string; start: number; end: number }): string =>
  readFileSync(join(ROOT, span.file), "utf8").slice(span.start, span.end);
const exprsOf = (value: Value | undefined): ExprNode[] =>
  value?.kind === "template" ? value.parts.filter((p): p is ExprNode => typeof p !== "string") : value?.kind === "expr" ? [value.expr] : [];

describe("the examples in definitions/", () => {
  it("load with no diagnostics", () => {
    expect(bag.items.map(formatDiagnostic)).toEqual([]);
    // Users add and remove flows: each file gives its flow, whatever the set.
    const files = readdirSync(join(ROOT, "definitions")).filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f));
    expect(project.flows.map((f) => f.file).sort()).toEqual(files.map((f) => `definitions/${f}`).sort());
  });

  it("flight-status: names, input, trigger", () => {
    const f = flow("flight-status");
    expect(f.file).toBe("definitions/flight-status.yaml");
    expect(f.agentClass).toBe("FlightAgent");
    expect(f.workflow).toEqual({ className: "FlightStatusWorkflow", binding: "FLIGHT_STATUS_WORKFLOW", name: "flight-status", stepLimit: 10000 });
    expect(f.input.map((i) => [i.name, i.required])).toEqual([["user", true], ["flight", true], ["date", true], ["notify", false]]);
    expect(f.input[3]).toMatchObject({ default: true, schema: { type: "boolean", default: true } });
    expect(f.input[1]!.schema).toEqual({ type: "string", pattern: "^[A-Z0-9]{2}[0-9]{1,4}$" });
    const [t] = f.triggers;
    expect(t).toMatchObject({ kind: "http", method: "POST", path: "/flights", params: [], auth: { kind: "bearer", secret: "FLIGHTS_TOKEN" } });
    expect(t!.delay).toMatchObject({ seconds: 300, text: "5 minutes" });
    expect(t!.agentName?.kind).toBe("expr");
    expect(t!.input?.kind === "object" && t!.input.entries.map((e) => e.key)).toEqual(["user", "flight", "date"]);
  });

  it("flight-status: steps, output and poll", () => {
    const f = flow("flight-status");
    const lookup = step(f, "lookup");
    if (lookup.kind !== "http") throw new Error("lookup is not http");
    expect(lookup.request.method).toBe("GET");
    expect(lookup.request.secretHeaders.map(({ header, secret }) => ({ header, secret }))).toEqual([{ header: "authorization", secret: "FLIGHT_API_KEY" }]);
    expect(lookup.retries).toMatchObject({ limit: 5, delay: { seconds: 10 }, backoff: "exponential" });
    expect(lookup.timeout?.seconds).toBe(30);
    // Expression spans point at the expression text in the file.
    expect(lookup.request.url.kind).toBe("template");
    expect(exprsOf(lookup.request.url).map((e) => textAt(e.span))).toEqual(["env.API_BASE", "input.flight", "input.date"]);
    const facts = step(f, "facts");
    expect(facts.kind === "set" && facts.values.map((v) => v.key)).toEqual(["status", "delayed", "notify"]);
    expect(f.output?.kind).toBe("object");
    expect(f.poll?.every).toMatchObject({ kind: "cron", cron: "*/5 * * * *" });
    expect(f.poll?.onComplete.map((a) => a.kind)).toEqual(["set_state"]);
    expect(f.poll?.onError.map((a) => a.kind)).toEqual(["set_state"]);
  });

  it("expense-approval: send_event, if-block, on_error, interval poll", () => {
    const f = flow("expense-approval");
    expect(f.agentClass).toBe("FlowAgent");
    expect(f.triggers[0]?.instanceId?.kind).toBe("template");
    const signal = f.triggers[1];
    expect(signal).toMatchObject({ kind: "http", path: "/expenses/{id}/approve", params: ["id"], sendEvent: { type: "approval" } });
    const wait = step(f, "approval");
    expect(wait).toMatchObject({ kind: "wait_for_event", eventType: "approval", timeout: { seconds: 86400 } });
    const decision = step(f, "decision");
    if (decision.kind !== "if") throw new Error("decision is not an if-block");
    expect(decision.if).toBeUndefined();
    expect(decision.condition.kind).toBe("expr");
    expect(decision.then.map((s) => s.kind)).toEqual(["http"]);
    expect(decision.else.map((s) => [s.id, s.kind])).toEqual([["rejected", "fail"]]);
    expect(f.onError.map((s) => s.id)).toEqual(["tell_employee"]);
    expect(f.poll?.every).toMatchObject({ kind: "interval", duration: { seconds: 30 } });
    // A quoted scalar's expression is found one character after the quote.
    const broadcast = f.poll?.onComplete[0];
    const expense = broadcast?.kind === "broadcast" && broadcast.value.kind === "object" ? broadcast.value.entries[1]?.value : undefined;
    expect(exprsOf(expense).map((e) => textAt(e.span))).toEqual(["input.expense_id"]);
  });

  it("github-push: hmac auth, cron trigger, guards and sleeps", () => {
    const f = flow("github-push");
    expect(f.triggers[0]).toMatchObject({
      kind: "http",
      auth: { kind: "hmac", secret: "GITHUB_WEBHOOK_SECRET", header: "x-hub-signature-256", prefix: "sha256=", algorithm: "sha256" },
    });
    expect(f.triggers[1]).toMatchObject({ kind: "cron", cron: "0 3 * * *" });
    expect(f.input.map((i) => [i.name, i.required])).toEqual([["ref", true], ["commit", false], ["pusher", false]]);
    expect(f.input[1]!.schema).toEqual({ type: "string" });
    expect(step(f, "settle")).toMatchObject({ kind: "sleep", duration: { seconds: 60 }, if: { kind: "expr" } });
    expect(step(f, "deploy").if?.kind).toBe("expr");
    expect(step(f, "quiet_hours").kind).toBe("sleep_until");
  });
});

describe("loadProject on other project folders", () => {
  const dirs: string[] = [];
  const folder = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), "flows-"));
    dirs.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("has no flows and no diagnostics without definitions/ or wrangler.jsonc", () => {
    const result = loadProject(folder({}));
    expect(result.project).toEqual({ flows: [], envVars: [] });
    expect(result.bag.items).toEqual([]);
  });

  it("reads env var names from wrangler.jsonc (comments allowed) and skips flow tests", () => {
    const dir = folder({
      "wrangler.jsonc": `{\n  // plain vars\n  "vars": { "REGION": "eu", "API_BASE": "https://x" },\n}\n`,
      "definitions/ping.yaml": "flow: ping\nsteps:\n  - id: get\n    http: { url: \"${{ env.API_BASE }}/ping\" }\n",
      "definitions/ping.test.yaml": "flow: ping\ncases: []\n",
      "definitions/notes.txt": "not a flow",
    });
    const result = loadProject(dir);
    expect(result.bag.items.map(formatDiagnostic)).toEqual([]);
    expect(result.project.envVars).toEqual(["API_BASE", "REGION"]);
    expect(result.project.flows.map((f) => f.id)).toEqual(["ping"]);
  });

  it("reports a broken wrangler.jsonc at its position", () => {
    const result = loadProject(folder({ "wrangler.jsonc": `{\n  "vars": { "A": 1 \n` }));
    expect(result.bag.items.map(formatDiagnostic)).toEqual(["wrangler.jsonc:3:1: error: wrangler.jsonc is not valid JSONC: CloseBraceExpected"]);
  });

  it("accepts .yml files and a workflow in another Worker", () => {
    const dir = folder({
      "definitions/mailer.yml":
        "flow: mailer\ninput:\n  to: { type: string }\ntriggers:\n  - websocket: send-mail\n    auth: { bearer: MAIL_TOKEN }\n    input: { to: \"${{ message.to }}\" }\nworkflow: { script: email-workflows, limits: { steps: 500 } }\n",
    });
    const result = loadProject(dir);
    expect(result.bag.items.map(formatDiagnostic)).toEqual([]);
    expect(result.project.flows[0]?.workflow).toEqual({
      className: "MailerWorkflow",
      binding: "MAILER_WORKFLOW",
      name: "mailer",
      script: "email-workflows",
      stepLimit: 500,
    });
  });
});

// Its running time grows with the examples users keep, and the machine may be busy: no tight timeout.
describe("robustness", () => {
  it("never throws on mangled definitions (deterministic fuzz of the examples)", () => {
    const texts = project.flows.map((f) => readFileSync(join(ROOT, f.file), "utf8"));
    const pieces = ["{", "}", "[", "]", ": ", "\n", "- ", " #", "'", '"', "${{", "}}", "&a ", "*a", "*b", "!!str ", "? ", ": []", ": {}", ": 5", ": null", "\t"];
    let seed = 1;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 400; i++) {
      let text = texts[next(texts.length)]!;
      for (let m = 1 + next(3); m > 0; m--) {
        const at = next(text.length);
        text = next(2) === 0 ? text.slice(0, at) + pieces[next(pieces.length)]! + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + next(8));
      }
      const bag = new DiagnosticBag();
      expect(() => loadDefinitions([{ file: "definitions/fuzz.yaml", text }], [], bag), text).not.toThrow();
    }
  });
});
