/**
 * The built-in functions of `${{ }}` expressions: the single source of truth
 * for their names and arities. The checker reads it to validate calls, docs
 * and hints read the descriptions, and runtime/expr-functions.ts implements
 * exactly these names (a test keeps the two lists equal).
 */

export interface FunctionInfo {
  readonly name: string;
  /** Parameter names as shown in hints; `?` marks optional, `...` variadic. */
  readonly params: readonly string[];
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

function fn(name: string, params: readonly string[], description: string, volatile = false): FunctionInfo {
  // A variadic parameter needs at least one value: `min()` has no answer.
  const required = params.filter((p) => !p.endsWith("?")).length;
  const variadic = params.some((p) => p.startsWith("..."));
  return { name, params, minArgs: required, maxArgs: variadic ? Infinity : params.length, description, volatile };
}

const LIST: readonly FunctionInfo[] = [
  fn("length", ["value"], "Number of characters of a string, items of an array or keys of an object; 0 for null."),
  fn("contains", ["haystack", "needle"], "Substring of a string, element (strict equality) of an array, or key of an object."),
  fn("startsWith", ["text", "prefix"], "Whether the text starts with the prefix."),
  fn("endsWith", ["text", "suffix"], "Whether the text ends with the suffix."),
  fn("lower", ["text"], "The text in lower case."),
  fn("upper", ["text"], "The text in upper case."),
  fn("trim", ["text"], "The text without leading and trailing whitespace."),
  fn("split", ["text", "separator"], "The parts of the text between separators, as an array of strings."),
  fn("join", ["items", "separator?"], "The items as text joined by the separator (default `,`)."),
  fn("toJSON", ["value"], "The value as JSON text."),
  fn("fromJSON", ["text"], "The value the JSON text describes; fails on text that is not JSON."),
  fn("round", ["number", "digits?"], "The number rounded to `digits` decimals (default 0)."),
  fn("floor", ["number"], "The largest integer not above the number."),
  fn("ceil", ["number"], "The smallest integer not below the number."),
  fn("min", ["...values"], "The smallest of the arguments, or of the one array argument; null when empty."),
  fn("max", ["...values"], "The largest of the arguments, or of the one array argument; null when empty."),
  fn("keys", ["object"], "The keys of an object, as an array of strings."),
  fn("values", ["object"], "The values of an object, as an array."),
  fn("now", [], "The current time as an ISO timestamp (recorded once per run).", true),
  fn("addDuration", ["timestamp", "duration"], "The ISO timestamp moved by a duration such as '1 hour' or '-2 days'."),
  fn("uuid", [], "A random UUID (recorded once per run).", true),
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
