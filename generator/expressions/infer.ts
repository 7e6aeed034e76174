import { DURATION_EXAMPLE, parseSignedDuration } from "../../runtime/durations.ts";
import type { Value } from "../model/types.ts";
import { flattenAccess, type AccessStep } from "./access.ts";
import type { ExprNode } from "./ast.ts";
import { FUNCTIONS, paramType, resultType } from "./functions.ts";
import { binaryType, but, numberHint, postfix, type TypeReport, unaryType } from "./infer-ops.ts";
import { describe, exprText, quote } from "./print.ts";
import { rootType } from "./root-types.ts";
import type { ExprScope } from "./scope.ts";
import { didYouMean } from "./suggest.ts";
import {
  arrayOf,
  BOOLEAN,
  type ExprType,
  jsonType,
  kinds,
  NEVER,
  nonNull,
  NULL,
  nullable,
  NUMBER,
  objectOf,
  overlaps,
  STRING,
  stringOf,
  typeText,
  union,
  UNKNOWN,
} from "./types.ts";

/**
 * Static types of expressions, and the type errors they reveal. Inference
 * and checking are one walk: `inferType` runs it silently, `checkTypes`
 * reports. Reads the scope checker rejects are typed `unknown`, so each
 * mistake is reported once, and nothing unknown is ever an error.
 */

export type { TypeReport } from "./infer-ops.ts";

/** The static type of an expression at a place of the flow. */
export function inferType(node: ExprNode, scope: ExprScope): ExprType {
  return new Inference(scope).type(node);
}

/** The type of a YAML value: literals as written, templates are text, objects and arrays by their entries. */
export function inferValueType(value: Value, scope: ExprScope): ExprType {
  switch (value.kind) {
    case "literal":
      return jsonType(value.value);
    case "expr":
      return inferType(value.expr, scope);
    case "template":
      return STRING;
    case "object":
      return objectOf(value.entries.map((e) => [e.key, inferValueType(e.value, scope)]));
    case "array":
      return arrayOf(value.items.length === 0 ? NEVER : union(...value.items.map((v) => inferValueType(v, scope))));
  }
}

/** Reports every type error of an expression whose types are known. */
export function checkTypes(node: ExprNode, scope: ExprScope, report: TypeReport): void {
  new Inference(scope, report).type(node);
}

const silent: TypeReport = () => undefined;

class Inference {
  private readonly scope: ExprScope;
  private readonly report: TypeReport;

  constructor(scope: ExprScope, report: TypeReport = silent) {
    this.scope = scope;
    this.report = report;
  }

  type(node: ExprNode): ExprType {
    switch (node.kind) {
      case "literal": {
        const { value } = node;
        return value === null ? NULL : typeof value === "string" ? stringOf([value]) : typeof value === "number" ? NUMBER : BOOLEAN;
      }
      case "array":
        return arrayOf(node.items.length === 0 ? NEVER : union(...node.items.map((item) => this.type(item))));
      case "object":
        return objectOf(node.entries.map((e) => [e.key, this.type(e.value)]));
      case "name":
      case "member":
      case "index":
        return this.access(node);
      case "unary":
        return unaryType(node, this.type(node.operand), this.report);
      case "binary":
        return binaryType(node, this.type(node.left), this.type(node.right), this.report);
      case "conditional":
        this.type(node.test);
        return union(this.type(node.consequent), this.type(node.alternate));
      case "call":
        return this.call(node);
    }
  }

  private call(node: Extract<ExprNode, { kind: "call" }>): ExprType {
    const args = node.args.map((arg) => this.type(arg));
    const info = FUNCTIONS.get(node.callee);
    if (!info) return UNKNOWN;
    node.args.forEach((arg, i) => {
      if (i >= info.params.length && info.maxArgs !== Infinity) return;
      const expected = paramType(info, i);
      const actual = args[i]!;
      if (overlaps(actual, expected)) return;
      const message = `${info.name}() expects ${typeText(nonNull(expected))}, ${but(arg, actual)}`;
      const hint = info.name === "fromJSON" ? "it is not JSON text; use the value directly" : argumentHint(arg, actual, expected);
      this.report(arg.span, message, hint);
    });
    const duration = node.callee === "addDuration" ? node.args[1] : undefined;
    if (duration?.kind === "literal" && typeof duration.value === "string" && !parseSignedDuration(duration.value)) {
      this.report(
        duration.span,
        `${quote(duration.value)} is not a duration`,
        `write a number and a unit, e.g. ${DURATION_EXAMPLE}; a leading - subtracts`,
      );
    }
    return resultType(info, args);
  }

  private access(node: ExprNode): ExprType {
    const { base, path } = flattenAccess(node);
    // Computed keys are expressions too, with their own mistakes.
    const keyTypes = path.map((step) => (step.index ? this.type(step.index) : undefined));
    let type: ExprType;
    let used = 0;
    if (base.kind === "name") {
      const root = rootType(base.name, path, this.scope);
      if (!root) return UNKNOWN;
      ({ type, used } = root);
    } else {
      type = this.type(base);
    }
    let text = postfix(base) + path.slice(0, used).map(stepText).join("");
    for (let i = used; i < path.length; i++) {
      if (type.kind === "unknown") return UNKNOWN;
      const step = path[i]!;
      const subject = text.length <= 48 ? text : "this value";
      const keyType = keyTypes[i];
      type = keyType ? this.computed(type, keyType, subject, step) : this.property(type, step, subject);
      text += stepText(step);
    }
    return type;
  }

  /** `a.b`, `a['b']`, `a[0]`: a key written literally. */
  private property(type: ExprType, step: AccessStep, subject: string): ExprType {
    const key = step.key!;
    const found = propertyType(type, key);
    if (found) return found;
    const name = String(key);
    const present = nonNull(type);
    if (present.kind === "object") {
      const object = present;
      const props = [...object.props.keys()];
      const hint = didYouMean(name, props) ?? (props.length === 0 ? "it has no properties" : `its properties are ${props.join(", ")}`);
      this.report(step.keySpan, `${subject} has no property ${quote(name)}`, hint);
    } else if (isIndex(key) && present.kind !== "array" && present.kind !== "string") {
      this.report(step.keySpan, `${subject} is ${typeText(type)}; it cannot be indexed`);
    } else {
      const hint =
        present.kind === "string"
          ? "a string has only `length` and characters by position, e.g. [0]"
          : present.kind === "array"
            ? "an array has only `length` and items by position, e.g. [0]"
            : undefined;
      this.report(step.keySpan, `${subject} is ${typeText(type)}; it has no property ${quote(name)}`, hint);
    }
    return UNKNOWN;
  }

  /** `a[expr]`: a key computed at run time. */
  private computed(type: ExprType, keyType: ExprType, subject: string, step: AccessStep): ExprType {
    const index = step.index!;
    if (!overlaps(keyType, union(STRING, NUMBER))) {
      this.report(step.keySpan, `an index must be a number or a string, but ${describe(index)} is ${typeText(keyType)}`);
      return UNKNOWN;
    }
    const found = indexType(type);
    if (found) return found;
    this.report(step.keySpan, `${subject} is ${typeText(type)}; it cannot be indexed`);
    return UNKNOWN;
  }
}

function argumentHint(arg: ExprNode, actual: ExprType, expected: ExprType): string | undefined {
  const k = kinds(actual);
  const wants = kinds(expected);
  if (!k || !wants) return undefined;
  const textOnly = [...wants].every((w) => w === "string" || w === "null");
  if (textOnly && [...k].every((kind) => kind === "number" || kind === "boolean")) {
    return `write toJSON(${exprText(arg)}) to use it as text`;
  }
  return wants.has("number") ? numberHint(arg, actual) : undefined;
}

/** How a path step reads in the flow language: `.body`, `['user-id']`, `[0]`, `[index]`. */
function stepText(step: AccessStep): string {
  if (step.index) return `[${exprText(step.index)}]`;
  if (typeof step.key === "number") return `[${step.key}]`;
  const key = String(step.key);
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${quote(key)}]`;
}

/** A key the runtime reads as a position (runtime `at`): a non-negative integer, or its digits. */
function isIndex(key: string | number): boolean {
  return typeof key === "number" ? Number.isInteger(key) && key >= 0 : /^(0|[1-9]\d*)$/.test(key);
}

/**
 * What reading a literal key gives (runtime `at`): strings and arrays answer
 * `length` and positions, objects their own properties; any read may miss,
 * which reads as null. Undefined when no member of the type has the key.
 */
function propertyType(type: ExprType, key: string | number): ExprType | undefined {
  return eachMember(type, (member) => {
    switch (member.kind) {
      case "string":
        return key === "length" ? NUMBER : isIndex(key) ? nullable(STRING) : undefined;
      case "array":
        return key === "length" ? NUMBER : isIndex(key) ? nullable(member.element) : undefined;
      case "object": {
        const prop = member.props.get(String(key));
        return prop ?? (member.rest ? nullable(member.rest) : undefined);
      }
      default:
        return undefined;
    }
  });
}

/** What reading a computed key gives: any character, item or property, or nothing. */
function indexType(type: ExprType): ExprType | undefined {
  return eachMember(type, (member) => {
    switch (member.kind) {
      case "string":
        return nullable(STRING);
      case "array":
        return nullable(member.element);
      case "object":
        return nullable(union(...member.props.values(), ...(member.rest ? [member.rest] : [])));
      default:
        return undefined;
    }
  });
}

/**
 * Applies a read to each member of a type. Reading from null gives null
 * (reads are null-safe), so null members never fail the read; it fails only
 * when every other member lacks the key, or the type is null alone.
 */
function eachMember(type: ExprType, read: (member: ExprType) => ExprType | undefined): ExprType | undefined {
  if (type.kind === "unknown") return UNKNOWN;
  const members = type.kind === "union" ? type.members : [type];
  if (members.length === 0) return type;
  const present = members.filter((m) => m.kind !== "null");
  if (present.length === 0) return undefined;
  const found = present.map(read);
  const hits = found.filter((t): t is ExprType => t !== undefined);
  if (hits.length === 0) return undefined;
  const missed = hits.length < present.length || present.length < members.length;
  return missed ? nullable(union(...hits)) : union(...hits);
}
