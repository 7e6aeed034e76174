/**
 * What validation found, before it is placed in the file: the JSON pointer
 * of the data concerned and whether the key or the value is to blame
 * (an unknown key is shown at the key, a wrong type at the value).
 */
export interface Problem {
  readonly pointer: string;
  readonly at: "key" | "value";
  readonly message: string;
  readonly hint?: string;
  /** For a missing required key: its name, so a misspelt sibling that suggests it can stand for it. */
  readonly missingKey?: string;
  /** For an unknown key: the known key it is probably a typo of. */
  readonly suggested?: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const isObject = (value: unknown): value is { [key: string]: Json } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const child = (pointer: string, key: string | number): string =>
  `${pointer}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;

/** `a, b or c` — lists in messages read as prose. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** `a, b and c` */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** How a value is named in "must be X, not Y". */
export function describeJson(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `the text '${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
    case "number":
      return `the number ${value}`;
    case "boolean":
      return `${value}`;
    default:
      return "a mapping";
  }
}

/** How a JSON Schema type is named in messages. */
export function typeWord(type: string): string {
  switch (type) {
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "integer":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "null":
      return "empty";
    case "string":
      return "text";
    default:
      return `a ${type}`;
  }
}
