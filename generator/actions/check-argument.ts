import type { DiagnosticBag } from "../diagnostics.ts";
import { type ExprType, showType } from "../expressions/types.ts";
import type { JsonValue, Value } from "../model/types.ts";
import { andList, describeJson } from "../validate/problems.ts";
import { suggestKey } from "../validate/suggest-key.ts";
import { optionsOf, type TypeDesc, typeText } from "./type-desc.ts";

/**
 * A run step's `with:` against the action's parameter type. What YAML wrote
 * literally is checked all the way down; text with `${{ }}` inside is a
 * string; a whole `${{ }}` value has the static type the expression checker
 * infers (`typeOf`), which must be able to fit: like the expression checker,
 * only a type that can never fit is an error, so dynamic data and
 * maybe-null values never give a false alarm. Each problem is reported at
 * the key or value concerned, named by its path (`items[0].sku`).
 */
export function checkArgument(value: Value, type: TypeDesc, action: string, typeOf: (value: Value) => ExprType, bag: DiagnosticBag): void {
  new ArgumentChecker(action, typeOf, bag).check(value, type, "");
}

class ArgumentChecker {
  private readonly action: string;
  private readonly typeOf: (value: Value) => ExprType;
  private readonly bag: DiagnosticBag;

  constructor(action: string, typeOf: (value: Value) => ExprType, bag: DiagnosticBag) {
    this.action = action;
    this.typeOf = typeOf;
    this.bag = bag;
  }

  check(value: Value, type: TypeDesc, path: string): void {
    if (type.kind === "any") return;
    const options = optionsOf(type);
    switch (value.kind) {
      case "expr": {
        const got = this.typeOf(value);
        if (!exprFits(got, type)) this.mismatch(value, type, path, `but the expression gives ${showType(got)}`);
        return;
      }
      case "template":
        if (!options.some((o) => o.kind === "string" || o.kind === "any")) this.mismatch(value, type, path, "not text");
        return;
      case "literal":
        if (!options.some((o) => fitsScalar(value.value, o))) this.mismatch(value, type, path, `not ${describeJson(value.value)}`);
        return;
      case "array": {
        const arrays = options.filter((o) => o.kind === "array");
        if (arrays.length === 0) return this.mismatch(value, type, path, "not a list");
        const element: TypeDesc = arrays.length === 1 ? arrays[0]!.element : { kind: "union", options: arrays.map((a) => a.element) };
        value.items.forEach((item, i) => this.check(item, element, `${path}[${i}]`));
        return;
      }
      case "object": {
        const objects = options.filter((o) => o.kind === "object");
        if (objects.length === 0) return this.mismatch(value, type, path, "not a mapping");
        // With several object shapes, which one is meant is a guess; only a single shape is checked key by key.
        if (objects.length === 1) this.object(value, objects[0]!, path);
        return;
      }
    }
  }

  private object(value: Extract<Value, { kind: "object" }>, type: Extract<TypeDesc, { kind: "object" }>, path: string): void {
    const names = type.properties.map((p) => p.name);
    // A misspelt key is reported once, as unknown with its correction, not again as missing.
    const corrected = new Set<string>();
    for (const entry of value.entries) {
      const keyPath = path === "" ? entry.key : `${path}.${entry.key}`;
      const property = type.properties.find((p) => p.name === entry.key);
      if (property) {
        this.check(entry.value, property.type, keyPath);
      } else if (type.index) {
        this.check(entry.value, type.index, keyPath);
      } else {
        const where = path === "" ? `action '${this.action}'` : `'${path}' of action '${this.action}'`;
        const close = suggestKey(entry.key, names);
        if (close !== undefined) corrected.add(close);
        const hint = close !== undefined ? `did you mean '${close}'?` : names.length ? `it takes ${andList(names)}` : "it takes no keys";
        this.bag.error(entry.keySpan, `'${entry.key}' is not a parameter of ${where}`, hint);
      }
    }
    const given = new Set(value.entries.map((e) => e.key));
    const missing = type.properties.filter((p) => !p.optional && !given.has(p.name) && !corrected.has(p.name)).map((p) => `'${p.name}'`);
    if (missing.length > 0) {
      const what = path === "" ? "" : ` in '${path}'`;
      this.bag.error(value.span, `action '${this.action}' needs ${andList(missing)}${what}`, `add ${missing.length === 1 ? "it" : "them"} under with:`);
    }
  }

  /** `tail` says what was given instead: "not the text 'x'", "but the expression gives a string". */
  private mismatch(value: Value, type: TypeDesc, path: string, tail: string): void {
    const subject = path === "" ? `the argument of action '${this.action}'` : `'${path}' of action '${this.action}'`;
    this.bag.error(value.span, `${subject} must be ${typeText(type)}, ${tail}`);
  }
}

/** Whether some value of the expression's type is a value of the parameter's type. */
function exprFits(type: ExprType, desc: TypeDesc): boolean {
  if (type.kind === "unknown") return true;
  const members = type.kind === "union" ? type.members : [type];
  // No members: an expression that never has a value (an empty list's element); nothing to refuse.
  return members.length === 0 || members.some((m) => optionsOf(desc).some((o) => memberFits(m, o)));
}

function memberFits(member: ExprType, option: TypeDesc): boolean {
  if (option.kind === "any") return true;
  switch (member.kind) {
    case "null":
      return option.kind === "null" || option.kind === "undefined";
    case "boolean":
    case "number":
      return option.kind === member.kind;
    case "string":
      return option.kind === "string" && (option.literal === undefined || member.values === undefined || member.values.includes(option.literal));
    case "array":
      return option.kind === "array" && exprFits(member.element, option.element);
    case "object":
      if (option.kind !== "object") return false;
      return option.properties.every((p) => {
        const prop = member.props.get(p.name);
        return prop === undefined || exprFits(prop, p.type);
      });
    default:
      return true;
  }
}

function fitsScalar(value: JsonValue, type: TypeDesc): boolean {
  switch (type.kind) {
    case "any":
      return true;
    case "string":
    case "number":
    case "boolean":
      return typeof value === type.kind && (type.literal === undefined || type.literal === value);
    case "null":
      return value === null;
    default:
      return false;
  }
}
