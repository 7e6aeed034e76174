import type { CodeBlockWriter } from "ts-morph";
import { compileCondition, compileValue } from "../expressions/compile.ts";
import type { Duration, HttpRequestSpec, Retries, Step, Value, ValueEntry } from "../model/types.ts";
import type { ImportSet } from "./import-set.ts";
import { isVolatile } from "../expressions/walk.ts";

/**
 * Writes the body of a workflow's `run()`: one durable call per YAML step, in
 * order, each named by its step id, so the generated code reads like the YAML.
 * Every step stores its output in `steps[id]` (null when skipped) because
 * later expressions read `steps.<id>.output`.
 */
export class StepWriter {
  private readonly w: CodeBlockWriter;
  private readonly imports: ImportSet;

  constructor(w: CodeBlockWriter, imports: ImportSet) {
    this.w = w;
    this.imports = imports;
  }

  steps(steps: readonly Step[]): void {
    for (const step of steps) this.step(step);
  }

  private step(step: Step): void {
    this.w.writeLine(`// ${step.id}`);
    if (step.kind === "if") {
      this.ifBlock(step);
      return;
    }
    if (!step.if) {
      this.body(step);
      return;
    }
    this.w.write(`if (${this.condition(step.if, step.id)}) `).inlineBlock(() => this.body(step));
    this.w.write(" else ").block(() => this.w.writeLine(`steps[${q(step.id)}] = null;`));
  }

  private body(step: Exclude<Step, { kind: "if" }>): void {
    const id = q(step.id);
    const config = stepConfig(step.retries, step.timeout);
    const head = config ? `${id}, ${config}, ` : `${id}, `;
    switch (step.kind) {
      case "http":
        this.imports.value("runtime/http-step.ts", "httpCall").value("runtime/step-values.ts", "toJson");
        this.w.write(`steps[${id}] = await step.do(${head}async () =>`).indent(() => {
          this.w.write("toJson(await httpCall(");
          this.request(step.request);
          this.w.write(", env)),");
        });
        this.w.writeLine(");");
        return;
      case "sleep":
        this.w.writeLine(`await step.sleep(${id}, ${q(step.duration.text)});`);
        this.w.writeLine(`steps[${id}] = null;`);
        return;
      case "sleep_until":
        this.imports.value("runtime/step-values.ts", "toDate");
        this.w.writeLine(`await step.sleepUntil(${id}, toDate(${this.stable(step.until, step.id)}));`);
        this.w.writeLine(`steps[${id}] = null;`);
        return;
      case "wait_for_event": {
        const options = step.timeout ? `{ type: ${q(step.eventType)}, timeout: ${q(step.timeout.text)} }` : `{ type: ${q(step.eventType)} }`;
        this.w.writeLine(`const ${eventVar(step.id)} = await step.waitForEvent(${id}, ${options});`);
        this.w.writeLine(`steps[${id}] = ${eventVar(step.id)}.payload;`);
        return;
      }
      case "set":
        this.imports.value("runtime/step-values.ts", "toJson");
        this.w.writeLine(`steps[${id}] = await step.do(${head}async () => toJson(${this.entries(step.values)}));`);
        return;
      case "fail":
        this.imports.value("cloudflare:workflows", "NonRetryableError");
        // A durable step, so the failure is recorded under the step's own name.
        this.w.write(`await step.do(${head}async () => `).block(() => {
          this.w.writeLine(`throw new NonRetryableError(${this.text(step.message)});`);
        });
        this.w.writeLine(");");
        this.imports.namespace("runtime/expr.ts", "$");
        return;
    }
  }

  private ifBlock(step: Extract<Step, { kind: "if" }>): void {
    this.w.write(`if (${this.condition(step.condition, step.id)}) `).inlineBlock(() => this.branch(step.id, step.then));
    this.w.write(" else ").block(() => this.branch(step.id, step.else));
  }

  /** A branch's output is its last step's output (null for an empty branch). */
  private branch(blockId: string, steps: readonly Step[]): void {
    this.steps(steps);
    const last = steps.at(-1);
    this.w.writeLine(`steps[${q(blockId)}] = ${last ? `steps[${q(last.id)}]` : "null"};`);
  }

  private request(spec: HttpRequestSpec): void {
    const fields: string[] = [`method: ${q(spec.method)}`, `url: ${this.text(spec.url)}`];
    this.imports.namespace("runtime/expr.ts", "$");
    if (spec.headers.length > 0) {
      this.imports.value("runtime/step-values.ts", "headerValues");
      fields.push(`headers: headerValues(${this.entries(spec.headers)})`);
    }
    if (spec.secretHeaders.length > 0) {
      const pairs = spec.secretHeaders.map((h) => `${q(h.header)}: ${q(h.secret)}`).join(", ");
      fields.push(`secretHeaders: { ${pairs} }`);
    }
    if (spec.body) fields.push(`body: ${this.value(spec.body)}`);
    if (spec.expect) fields.push(`expect: [${spec.expect.join(", ")}]`);
    this.w.write(`{ ${fields.join(", ")} }`);
  }

  value(value: Value): string {
    if (value.kind !== "literal") this.imports.namespace("runtime/expr.ts", "$");
    return compileValue(value);
  }

  /** A value used as text: templates and string literals already are. */
  text(value: Value): string {
    return textValue(value, (v) => this.value(v));
  }

  /** An `if:` test; evaluated in a durable step when it calls now() or uuid(). */
  condition(value: Value, stepId: string): string {
    if (isVolatile(value)) return this.stable(value, stepId);
    if (value.kind !== "literal") this.imports.namespace("runtime/expr.ts", "$");
    return compileCondition(value);
  }

  /**
   * A value computed outside any step.do. When it calls now() or uuid() it is
   * computed once inside its own durable step (`<id>:value`), so a replay of
   * the instance sees the value the first run saw (dsl.md §2).
   */
  stable(value: Value, stepId: string): string {
    const code = this.value(value);
    if (!isVolatile(value)) return code;
    this.imports.value("runtime/step-values.ts", "toJson");
    return `(await step.do(${q(`${stepId}:value`)}, async () => toJson(${code})))`;
  }

  entries(entries: readonly ValueEntry[]): string {
    if (entries.length === 0) return "{}";
    return `{ ${entries.map((e) => `${q(e.key)}: ${this.value(e.value)}`).join(", ")} }`;
  }
}

/** The `WorkflowStepConfig` of a step, or "" when it uses Workflows' defaults. */
export function stepConfig(retries: Retries | undefined, timeout: Duration | undefined): string {
  const parts: string[] = [];
  if (retries) {
    parts.push(`retries: { limit: ${retries.limit}, delay: ${q(retries.delay.text)}, backoff: ${q(retries.backoff)} }`);
  }
  if (timeout) parts.push(`timeout: ${q(timeout.text)}`);
  return parts.length ? `{ ${parts.join(", ")} }` : "";
}

function eventVar(id: string): string {
  return `${id.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Event`;
}

/** A TypeScript string literal. */
export function q(text: string): string {
  return JSON.stringify(text);
}

/** Compiles a value that must be a string (a URL, a message), adding `$.str` only when it may not be one. */
export function textValue(value: Value, compile: (v: Value) => string): string {
  const code = compile(value);
  const isText = value.kind === "template" || (value.kind === "literal" && typeof value.value === "string");
  return isText ? code : `$.str(${code})`;
}
