import type { CodeBlockWriter } from "ts-morph";
import { alwaysBoolean } from "../expressions/always-boolean.ts";
import { compileCondition, compileValue } from "../expressions/compile.ts";
import { outputReads, type ReadTree } from "../expressions/output-reads.ts";
import { isVolatile } from "../expressions/walk.ts";
import type { Flow, HttpRequestSpec, Step, Value, ValueEntry } from "../model/types.ts";
import { localName, q, stepConfig, textValue } from "./code-text.ts";
import type { ImportSet } from "./import-set.ts";
import { urlCode } from "./url-code.ts";
import { nestedIds } from "../model/walk.ts";
import { writeForEach, writeIf, writeParallel, writeRepeat, writeSwitch } from "./workflow-blocks.ts";
import { writeCall, writeEmail, writeReport, writeRun } from "./workflow-calls.ts";

/** What the step writers know about the flow being emitted and its neighbours. */
export interface FlowEmit {
  readonly flow: Flow;
  /** Every flow of the project (for `call:` targets). */
  readonly flows: readonly Flow[];
}

/**
 * Writes the body of a workflow's `run()`: one durable call per YAML step, in
 * order, each named by its step id, so the generated code reads like the YAML.
 * Every step stores its output in `steps[id]` (null when skipped) because
 * later expressions read `steps.<id>.output`.
 *
 * Inside for_each and repeat the durable names get a per-iteration prefix,
 * held in a variable (`eachLegAt` = `each_leg[2].`), so replays see the same
 * names in the same order (runtime/step-names.ts). Blocks are written by
 * workflow-blocks.ts; call, email, report and run by workflow-calls.ts.
 */
export class StepWriter {
  readonly w: CodeBlockWriter;
  readonly imports: ImportSet;
  readonly emit: FlowEmit;
  /** The variable with the current name prefix; undefined at the top level. */
  private at: string | undefined;

  constructor(w: CodeBlockWriter, imports: ImportSet, emit: FlowEmit) {
    this.w = w;
    this.imports = imports;
    this.emit = emit;
  }

  steps(steps: readonly Step[]): void {
    for (const step of steps) this.step(step);
  }

  /** Writes `inner` with the name prefix held in variable `at`. */
  withPrefix(at: string, inner: () => void): void {
    const outer = this.at;
    this.at = at;
    try {
      inner();
    } finally {
      this.at = outer;
    }
  }

  /** The enclosing prefix as template text (`${eachLegAt}`), or "" at the top level. */
  prefixText(): string {
    return this.at ? `\${${this.at}}` : "";
  }

  /** Code for the durable name of step `id` (plus an internal `suffix` such as `:value`). */
  name(id: string, suffix = ""): string {
    return this.at ? `\`\${${this.at}}${id}${suffix}\`` : q(`${id}${suffix}`);
  }

  private step(step: Step): void {
    this.w.writeLine(`// ${step.id}`);
    if (step.kind === "if") {
      writeIf(this, step);
      return;
    }
    if (!step.if) {
      this.body(step);
      return;
    }
    this.w.write(`if (${this.condition(step.if, this.name(step.id, ":value"), this.guardLabel(step.id, "if"))}) `).inlineBlock(() => this.body(step));
    this.w.write(" else ").block(() => this.skip(step));
  }

  /** A step skipped by its guard: its output, and those of the steps inside it, are null. */
  private skip(step: Step): void {
    const inner = nestedIds(step);
    if (inner.length === 0) {
      this.w.writeLine(`steps[${q(step.id)}] = null;`);
      return;
    }
    this.imports.value("runtime/step-scope.ts", "clearSteps");
    this.w.writeLine(`clearSteps(steps, ${[step.id, ...inner].map(q).join(", ")});`);
  }

  private body(step: Exclude<Step, { kind: "if" }>): void {
    const id = q(step.id);
    switch (step.kind) {
      case "http": {
        this.imports.value("runtime/http-step.ts", "httpCall").value("runtime/step-values.ts", "toJson");
        // Only the parts of the response that later expressions read are kept (and so persisted).
        const read = outputReads(this.emit.flow).get(step.id) ?? {};
        this.w.write(`steps[${id}] = await step.do(${this.head(step)}async () =>`).indent(() => {
          this.w.write("toJson(await httpCall(");
          this.request(step.request);
          this.w.write(read === true ? ", env))," : `, env, ${readTreeCode(read)})),`);
        });
        this.w.writeLine(");");
        return;
      }
      case "sleep":
        this.w.writeLine(`await step.sleep(${this.name(step.id)}, ${q(step.duration.text)});`);
        this.w.writeLine(`steps[${id}] = null;`);
        return;
      case "sleep_until":
        this.imports.value("runtime/step-values.ts", "toDate");
        this.w.writeLine(`await step.sleepUntil(${this.name(step.id)}, toDate(${this.stable(step.until, this.name(step.id, ":value"))}));`);
        this.w.writeLine(`steps[${id}] = null;`);
        return;
      case "wait_for_event": {
        const options = step.timeout ? `{ type: ${q(step.eventType)}, timeout: ${q(step.timeout.text)} }` : `{ type: ${q(step.eventType)} }`;
        this.w.writeLine(`const ${localName(step.id, "Event")} = await step.waitForEvent(${this.name(step.id)}, ${options});`);
        this.w.writeLine(`steps[${id}] = ${localName(step.id, "Event")}.payload;`);
        return;
      }
      case "set":
        this.imports.value("runtime/step-values.ts", "toJson");
        this.w.writeLine(`steps[${id}] = await step.do(${this.head(step)}async () => toJson(${this.entries(step.values)}));`);
        return;
      case "fail":
        // The message is computed once, in a durable step under the step's own name; the run
        // then fails outside any step with a plain Error, which is never retried and whose
        // message every Workflows engine keeps (a NonRetryableError's needs a compatibility flag).
        this.w.writeLine(`throw new Error(await step.do(${this.head(step)}async () => ${this.text(step.message)}));`);
        this.imports.namespace("runtime/expr.ts", "$");
        return;
      case "switch":
        return writeSwitch(this, step);
      case "for_each":
        return writeForEach(this, step);
      case "parallel":
        return writeParallel(this, step);
      case "repeat":
        return writeRepeat(this, step);
      case "call":
        return writeCall(this, step);
      case "email":
        return writeEmail(this, step);
      case "report":
        return writeReport(this, step);
      case "run":
        return writeRun(this, step);
    }
  }

  /** `name, config, ` for a step.do call (config only when the step sets retries or timeout). */
  head(step: Step): string {
    const config = stepConfig(step.retries, step.timeout);
    return config ? `${this.name(step.id)}, ${config}, ` : `${this.name(step.id)}, `;
  }

  private request(spec: HttpRequestSpec): void {
    const fields: string[] = [`method: ${q(spec.method)}`, `url: ${urlCode(spec.url, (v) => this.value(v), this.imports)}`];
    this.imports.namespace("runtime/expr.ts", "$");
    if (spec.headers.length > 0 && spec.headers.every((h) => h.value.kind === "literal" && typeof h.value.value === "string")) {
      fields.push(`headers: ${this.entries(spec.headers)}`);
    } else if (spec.headers.length > 0) {
      // Values computed at run time, or YAML numbers and booleans, become header text.
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

  /**
   * A test (`if:`, `until:`); evaluated in a durable step named `name` (code)
   * when it calls now() or uuid(). Unless its shape makes it true or false,
   * `$.guard` fails the instance on any other value, naming `where` (text
   * such as "step 'x': 'if'", code when inside a loop).
   */
  condition(value: Value, name: string, where: string): string {
    if (value.kind === "literal") return compileCondition(value);
    this.imports.namespace("runtime/expr.ts", "$");
    const code = isVolatile(value) ? this.stable(value, name) : compileCondition(value);
    return alwaysBoolean(value) ? code : `$.guard(${code}, ${where})`;
  }

  /** The text naming a guard in a run-time failure: "step 'x': 'if'" (with the iteration's prefix inside loops). */
  guardLabel(id: string, key: string): string {
    return this.at ? `\`step '\${${this.at}}${id}': '${key}'\`` : q(`step '${id}': '${key}'`);
  }

  /**
   * A value computed outside any step.do. When it calls now() or uuid() it is
   * computed once inside its own durable step (`name`, code, usually
   * `<id>:value`), so a replay of the instance sees the value the first run
   * saw (dsl.md §2).
   */
  stable(value: Value, name: string): string {
    const code = this.value(value);
    if (!isVolatile(value)) return code;
    this.imports.value("runtime/step-values.ts", "toJson");
    return `(await step.do(${name}, async () => toJson(${code})))`;
  }

  entries(entries: readonly ValueEntry[]): string {
    if (entries.length === 0) return "{}";
    return `{ ${entries.map((e) => `${q(e.key)}: ${this.value(e.value)}`).join(", ")} }`;
  }
}

/** A ReadTree as a TypeScript literal: `{ body: { status: true } }`. */
function readTreeCode(read: ReadTree): string {
  if (read === true) return "true";
  const entries = Object.keys(read).map((key) => {
    // A plain or quoted `__proto__` key would set the prototype instead.
    const name = key === "__proto__" ? '["__proto__"]' : /^[A-Za-z_$][\w$]*$/.test(key) ? key : q(key);
    return `${name}: ${readTreeCode(read[key]!)}`;
  });
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}
