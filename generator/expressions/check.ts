import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import type { Value } from "../model/types.ts";
import { flattenAccess, type AccessStep } from "./access.ts";
import type { ExprNode } from "./ast.ts";
import { arityText, FUNCTIONS, functionSignature } from "./functions.ts";
import { checkTypes } from "./infer.ts";
import { CONTEXT_ROOTS, FIXED_ROOTS, isContextRoot, visibleRoots, type ExprScope } from "./scope.ts";
import { didYouMean } from "./suggest.ts";

/**
 * Scope checking: every name an expression reads must exist at that point of
 * the flow. Each problem is reported at the span of the offending name, so
 * the user sees exactly which part of a long expression is wrong. Type
 * errors (infer.ts) are reported in the same pass.
 */

export function checkValue(value: Value, scope: ExprScope, bag: DiagnosticBag): void {
  switch (value.kind) {
    case "literal":
      return;
    case "expr":
      return checkExpression(value.expr, scope, bag);
    case "template":
      for (const part of value.parts) if (typeof part !== "string") checkExpression(part, scope, bag);
      return;
    case "object":
      for (const entry of value.entries) checkValue(entry.value, scope, bag);
      return;
    case "array":
      for (const item of value.items) checkValue(item, scope, bag);
      return;
  }
}

/** Scope first, then types: a read the scope checker rejects is `unknown` to the type checker, so it is reported once. */
export function checkExpression(node: ExprNode, scope: ExprScope, bag: DiagnosticBag): void {
  new Checker(scope, bag).node(node);
  checkTypes(node, scope, (span, message, hint) => bag.error(span, message, hint));
}

const GLOBALS = new Set(["Math", "JSON", "Date", "Object", "Array", "String", "Number", "globalThis", "window", "console"]);

class Checker {
  private readonly scope: ExprScope;
  private readonly bag: DiagnosticBag;

  constructor(scope: ExprScope, bag: DiagnosticBag) {
    this.scope = scope;
    this.bag = bag;
  }

  node(node: ExprNode): void {
    switch (node.kind) {
      case "literal":
        return;
      case "array":
        return node.items.forEach((item) => this.node(item));
      case "object": {
        const seen = new Set<string>();
        for (const entry of node.entries) {
          if (seen.has(entry.key)) this.bag.error(entry.value.span, `the key '${entry.key}' appears twice in this object`, "remove one of them; the later one would win");
          seen.add(entry.key);
          this.node(entry.value);
        }
        return;
      }
      case "name":
      case "member":
      case "index": {
        const { base, path } = flattenAccess(node);
        for (const step of path) if (step.index) this.node(step.index);
        if (base.kind === "name") this.root(base.name, base.span, path);
        else this.node(base);
        return;
      }
      case "unary":
        return this.node(node.operand);
      case "binary":
        this.node(node.left);
        return this.node(node.right);
      case "conditional":
        this.node(node.test);
        this.node(node.consequent);
        return this.node(node.alternate);
      case "call":
        return this.call(node);
    }
  }

  private call(node: Extract<ExprNode, { kind: "call" }>): void {
    node.args.forEach((arg) => this.node(arg));
    const info = FUNCTIONS.get(node.callee);
    if (!info) {
      const hint = didYouMean(node.callee, FUNCTIONS.keys()) ?? `the functions are ${[...FUNCTIONS.keys()].join(", ")}`;
      this.bag.error(node.calleeSpan, `unknown function '${node.callee}'`, hint);
    } else if (node.args.length < info.minArgs || node.args.length > info.maxArgs) {
      this.bag.error(
        node.span,
        `'${info.name}' takes ${arityText(info)}, not ${node.args.length}`,
        `write ${functionSignature(info)}`,
      );
    }
  }

  private error(span: SourceSpan, message: string, hint?: string): void {
    this.bag.error(span, message, hint);
  }

  private root(name: string, span: SourceSpan, path: readonly AccessStep[]): void {
    const first = path[0];
    if (name === "input") return this.input(span, first);
    if (name === "steps") return this.steps(span, path);
    if (name === "env") return this.env(span, first);
    const only = FIXED_ROOTS.get(name);
    if (only !== undefined) {
      if (first?.key !== only) {
        this.error(first?.keySpan ?? span, `\`${name}\` has only the property \`${only}\``, `write \`${name}.${only}\``);
      }
      return;
    }
    if (isContextRoot(name)) {
      const info = CONTEXT_ROOTS.get(name)!;
      if (!this.scope.roots.has(name)) {
        return this.error(span, info.onlyIn, `names available here: ${visibleRoots(this.scope).join(", ")}`);
      }
      if (info.properties && first && first.key !== undefined && !info.properties.includes(String(first.key))) {
        const key = String(first.key);
        const list = info.properties.map((p) => `\`${name}.${p}\``).join(", ");
        return this.error(first.keySpan, `\`${name}\` has no property '${key}'`, didYouMean(key, info.properties) ?? `use ${list}`);
      }
      if (name === "request") this.request(path);
      return;
    }
    this.error(span, `unknown name '${name}'`, this.unknownNameHint(name));
  }

  private unknownNameHint(name: string): string {
    if (name === "undefined") return "write null";
    if (GLOBALS.has(name)) return "globals are not available; use the built-in functions, e.g. round(x), toJSON(x), now()";
    const visible = visibleRoots(this.scope);
    return didYouMean(name, visible) ?? `names available here: ${visible.join(", ")}`;
  }

  private input(span: SourceSpan, field: AccessStep | undefined): void {
    const fields = this.scope.inputFields;
    if (!fields) {
      const hint = this.scope.roots.has("event")
        ? "poll actions run outside the workflow; read its result from `event.output`"
        : "trigger expressions compute the input; read the trigger's own data (`request`, `message`, `schedule`) instead";
      return this.error(span, "`input` is not available here", hint);
    }
    if (!field || field.key === undefined || fields.has(String(field.key))) return;
    const key = String(field.key);
    const names = [...fields.keys()];
    const hint =
      didYouMean(key, names) ??
      (names.length === 0 ? "declare it under `input:` of the flow" : `the input fields are ${names.join(", ")}`);
    this.error(field.keySpan, `unknown input field '${key}'`, hint);
  }

  private steps(span: SourceSpan, path: readonly AccessStep[]): void {
    const { stepsRun, allSteps } = this.scope;
    if (!stepsRun) {
      const hint = this.scope.roots.has("event")
        ? "poll actions run outside the workflow; read its result from `event.output`"
        : "step outputs exist only inside the workflow's steps";
      return this.error(span, "`steps` is not available here", hint);
    }
    const [id, output] = path;
    if (!id) return this.error(span, "`steps` must be followed by a step id", "write `steps.<id>.output`");
    if (id.key === undefined) return this.error(id.keySpan, "step ids must be written literally", "write `steps.<id>.output`");
    const step = String(id.key);
    if (!allSteps.has(step)) {
      const hint = didYouMean(step, allSteps) ?? `the steps of this flow are ${[...allSteps].join(", ")}`;
      return this.error(id.keySpan, `unknown step '${step}'`, hint);
    }
    if (!stepsRun.has(step)) {
      return this.error(
        id.keySpan,
        `step '${step}' has not run yet here; its output is only available after it has run`,
        `read it from a step that comes after '${step}'`,
      );
    }
    if (!output) {
      return this.error(id.keySpan, `\`steps.${step}\` must be followed by \`.output\``, `write \`steps.${step}.output\``);
    }
    if (output.key !== "output") {
      const key = output.key === undefined ? "…" : String(output.key);
      this.error(
        output.keySpan,
        `a step has only \`output\`; \`steps.${step}.${key}\` does not exist`,
        `write \`steps.${step}.output.${key}\` to read a field of its output`,
      );
    }
  }

  private env(span: SourceSpan, name: AccessStep | undefined): void {
    const vars = this.scope.envVars;
    if (!name) return this.error(span, "`env` must be followed by a variable name", "write `env.<VAR>` with a var from wrangler.jsonc");
    if (name.key === undefined) return this.error(name.keySpan, "env var names must be written literally", "write `env.<VAR>`");
    const key = String(name.key);
    if (vars.includes(key)) return;
    const hint =
      didYouMean(key, vars) ?? "declare it under `vars` in wrangler.jsonc; secrets cannot be read in expressions";
    this.error(name.keySpan, `unknown env var '${key}'`, hint);
  }

  private request(path: readonly AccessStep[]): void {
    const [group, item] = path;
    if (!group || !item || item.key === undefined) return;
    const key = String(item.key);
    if (group.key === "params") {
      const params = this.scope.requestParams ?? [];
      if (params.includes(key)) return;
      const hint =
        didYouMean(key, params) ??
        (params.length === 0 ? "this trigger's path has no `{param}`" : `the path parameters are ${params.join(", ")}`);
      this.error(item.keySpan, `the trigger's path has no parameter '${key}'`, hint);
    } else if (group.key === "headers" && key !== key.toLowerCase()) {
      this.bag.warning(
        item.keySpan,
        `header names are lower-cased, so '${key}' never matches`,
        `write request.headers['${key.toLowerCase()}']`,
      );
    }
  }
}
