import {
  arrayOf,
  BOOLEAN,
  type ExprType,
  kinds,
  memberOf,
  nonNull,
  NULL,
  nullable,
  NUMBER,
  recordOf,
  STRING,
  union,
  UNKNOWN,
} from "./types.ts";

/**
 * The built-in functions of `${{ }}` expressions: the single source of truth
 * for their names, arities and types. The checker reads it to validate calls, docs
 * and hints read the descriptions, and runtime/expr-functions.ts implements
 * exactly these names (a test keeps the two lists equal).
 */

export interface FunctionInfo {
  readonly name: string;
  /** Parameter names as shown in hints; `?` marks optional, `...` variadic. */
  readonly params: readonly string[];
  /**
   * What each parameter accepts (the last one repeats for a variadic
   * function). An argument of a known type that shares no kind with it is a
   * type error; text parameters accept null because it reads as "".
   */
  readonly paramTypes: readonly ExprType[];
  /** The result type, whatever the arguments. */
  readonly returns: ExprType;
  /** A more precise result type for arguments of known types (`values`, `min`, `max`). */
  readonly resultFor?: (args: readonly ExprType[]) => ExprType;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  readonly description: string;
  /**
   * The result differs between calls (`now`, `uuid`): the emitter must
   * evaluate such expressions inside a durable step so a replay sees the
   * value recorded the first time.
   */
  readonly volatile: boolean;
}

interface Extra {
  readonly volatile?: boolean;
  readonly resultFor?: (args: readonly ExprType[]) => ExprType;
}

function fn(
  name: string,
  params: readonly (readonly [string, ExprType])[],
  returns: ExprType,
  description: string,
  extra: Extra = {},
): FunctionInfo {
  const names = params.map(([n]) => n);
  // A variadic parameter needs at least one value: `min()` has no answer.
  const required = names.filter((p) => !p.endsWith("?")).length;
  const variadic = names.some((p) => p.startsWith("..."));
  return {
    name,
    params: names,
    paramTypes: params.map(([, t]) => t),
    returns,
    ...(extra.resultFor ? { resultFor: extra.resultFor } : {}),
    minArgs: required,
    maxArgs: variadic ? Infinity : names.length,
    description,
    volatile: extra.volatile ?? false,
  };
}

const TEXT = nullable(STRING);
const NUM = nullable(NUMBER);
const ANY_ARRAY = arrayOf(UNKNOWN);
const OBJECT = recordOf(UNKNOWN);
const COLLECTION = union(STRING, ANY_ARRAY, OBJECT, NULL);
const EXTREME_ARG = union(NUMBER, STRING, ANY_ARRAY, NULL);
const EXTREME = nullable(union(NUMBER, STRING));

/** `min`/`max`: strings when every item is a string, else numbers; null when the list may be empty. */
function extremeResult(args: readonly ExprType[]): ExprType {
  const list = args.length === 1 ? memberOf(args[0]!, "array") : undefined;
  const items = list ? [list.element, NULL] : args;
  const present = kinds(union(...items.map(nonNull)));
  const base = !present
    ? union(NUMBER, STRING)
    : present.size > 0 && [...present].every((k) => k === "string")
      ? STRING
      : NUMBER;
  const maybeNull = items.some((t) => kinds(t)?.has("null") ?? true);
  return maybeNull ? nullable(base) : base;
}

function valuesResult(args: readonly ExprType[]): ExprType {
  const arg = args[0] ?? UNKNOWN;
  const object = memberOf(arg, "object");
  const array = memberOf(arg, "array");
  if (arg.kind === "unknown" || (object && array)) return ANY_ARRAY;
  if (array) return array;
  if (object) return arrayOf(union(...object.props.values(), ...(object.rest ? [object.rest] : [])));
  return ANY_ARRAY;
}

const LIST: readonly FunctionInfo[] = [
  fn("length", [["value", COLLECTION]], NUMBER, "Number of characters of a string, items of an array or keys of an object; 0 for null."),
  fn("contains", [["haystack", COLLECTION], ["needle", UNKNOWN]], BOOLEAN, "Substring of a string, element (strict equality) of an array, or key of an object."),
  fn("startsWith", [["text", TEXT], ["prefix", TEXT]], BOOLEAN, "Whether the text starts with the prefix."),
  fn("endsWith", [["text", TEXT], ["suffix", TEXT]], BOOLEAN, "Whether the text ends with the suffix."),
  fn("lower", [["text", TEXT]], STRING, "The text in lower case."),
  fn("upper", [["text", TEXT]], STRING, "The text in upper case."),
  fn("trim", [["text", TEXT]], STRING, "The text without leading and trailing whitespace."),
  fn("split", [["text", TEXT], ["separator", TEXT]], arrayOf(STRING), "The parts of the text between separators, as an array of strings."),
  fn("join", [["items", nullable(ANY_ARRAY)], ["separator?", TEXT]], STRING, "The items as text joined by the separator (default `,`)."),
  fn("toJSON", [["value", UNKNOWN]], STRING, "The value as JSON text."),
  fn("fromJSON", [["text", STRING]], UNKNOWN, "The value the JSON text describes; fails on text that is not JSON."),
  fn("round", [["number", NUM], ["digits?", NUM]], NUMBER, "The number rounded to `digits` decimals (default 0)."),
  fn("floor", [["number", NUM]], NUMBER, "The largest integer not above the number."),
  fn("ceil", [["number", NUM]], NUMBER, "The smallest integer not below the number."),
  fn("min", [["...values", EXTREME_ARG]], EXTREME, "The smallest of the arguments, or of the one array argument; null when empty.", {
    resultFor: extremeResult,
  }),
  fn("max", [["...values", EXTREME_ARG]], EXTREME, "The largest of the arguments, or of the one array argument; null when empty.", {
    resultFor: extremeResult,
  }),
  fn("keys", [["object", union(OBJECT, ANY_ARRAY, NULL)]], arrayOf(STRING), "The keys of an object, as an array of strings."),
  fn("values", [["object", union(OBJECT, ANY_ARRAY, NULL)]], ANY_ARRAY, "The values of an object, as an array.", { resultFor: valuesResult }),
  fn("now", [], STRING, "The current time as an ISO timestamp (recorded once per run).", { volatile: true }),
  fn("addDuration", [["timestamp", union(STRING, NUMBER)], ["duration", STRING]], STRING, "The ISO timestamp moved by a duration such as '1 hour' or '-2 days'."),
  fn("uuid", [], STRING, "A random UUID (recorded once per run).", { volatile: true }),
];

export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(LIST.map((f) => [f.name, f]));

/** `split(text, separator)`: how hints show a function's call shape. */
export function functionSignature(info: FunctionInfo): string {
  return `${info.name}(${info.params.join(", ")})`;
}

/** `2 arguments`, `1 or 2 arguments`, `at least 1 argument`. */
export function arityText(info: FunctionInfo): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? "" : "s"}`;
  if (info.maxArgs === Infinity) return `at least ${plural(info.minArgs)}`;
  if (info.minArgs === info.maxArgs) return plural(info.minArgs);
  return `${info.minArgs} to ${plural(info.maxArgs)}`;
}

/** The parameter type argument `index` is checked against. */
export function paramType(info: FunctionInfo, index: number): ExprType {
  return info.paramTypes[Math.min(index, info.paramTypes.length - 1)] ?? UNKNOWN;
}

/** The result type of a call with arguments of these types. */
export function resultType(info: FunctionInfo, args: readonly ExprType[]): ExprType {
  return info.resultFor ? info.resultFor(args) : info.returns;
}
