import { stringify } from "yaml";
import { pointerSegments } from "../load/yaml-nodes.ts";

/**
 * Hints that show a valid value. The schema's `examples` (which every field
 * has, for editors) are the single source, so a hint never drifts from what
 * hovers show; they are printed as YAML the author could paste.
 */

/** Longer examples stop reading as a hint. */
const MAX_EXAMPLE = 70;

/** `for example timeout: 30 seconds` from the failing schema's `examples`; undefined when it has none short enough. */
export function exampleHint(pointer: string, schema: unknown): string | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const examples = (schema as { examples?: unknown }).examples;
  if (!Array.isArray(examples)) return undefined;
  const key = pointerSegments(pointer).pop();
  // Array items have no key of their own: show the bare value.
  const prefix = key === undefined || /^\d+$/.test(key) ? "" : `${key}: `;
  const shown = examples
    .slice(0, 2)
    .map(asYaml)
    .filter((text): text is string => text !== undefined && text.length <= MAX_EXAMPLE);
  return shown.length === 0 ? undefined : `for example ${shown.map((text) => prefix + text).join(" or ")}`;
}

/** One value as inline YAML: plain where YAML allows, quoted where it must be, collections in flow style. */
function asYaml(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // A cron is valid plain YAML only sometimes (not when it starts with `*`); always quoting it is the habit to teach.
  if (typeof value === "string" && value.includes("*")) return JSON.stringify(value);
  const text = stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trimEnd();
  return text.includes("\n") ? undefined : text;
}

/**
 * A value that fails a name pattern often only differs in case or separators
 * (`Look-Up` for a step id, `orders-token` for a secret name). Returns the
 * closest spelling that the pattern accepts, if a simple one exists.
 */
export function repairToPattern(value: string, pattern: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "");
  if (words.length === 0) return undefined;
  const lower = words.map((w) => w.toLowerCase());
  const candidates = [
    lower.join("_"),
    lower.join("-"),
    lower.join("_").toUpperCase(),
    lower.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(""),
  ];
  return candidates.find((c) => c !== value && regex.test(c));
}
