import { getNodeValue, type Node } from "jsonc-parser";
import type { DesiredDurableObject } from "./wrangler-config.ts";
import { compare, isObject } from "./wrangler-edits.ts";

/**
 * Which `durable_objects.bindings` entries belong to the generator. Only the
 * entries it owns are rewritten or removed; the user's stay byte for byte.
 */

export interface Claims {
  /** Index in the existing bindings array → the generated binding that takes it over. */
  readonly replace: Map<number, DesiredDurableObject>;
  readonly append: readonly DesiredDurableObject[];
  /** Indexes of bindings an earlier run generated for a class no flow uses now, descending. */
  readonly stale: readonly number[];
  /** Classes bound by entries the generator leaves alone. */
  readonly userClasses: readonly string[];
}

/**
 * Decides which existing bindings are the generator's: an entry with the same
 * name and class, else the same class, else the same binding name (two
 * bindings cannot share a name).
 *
 * A binding named exactly like its class, without `script_name`, is what the
 * generator writes for an Agent class; when no flow uses that class any more it
 * is stale (the generated entry no longer exports the class, so deploying it
 * would fail) and is removed. Every other entry is the user's and stays.
 */
export function claimBindings(bindings: Node | undefined, desired: readonly DesiredDurableObject[]): Claims {
  const existing = bindings?.type === "array" ? (bindings.children ?? []).map((n): unknown => getNodeValue(n)) : [];
  const field = (i: number, key: string): unknown => {
    const entry = existing[i];
    return isObject(entry) ? entry[key] : undefined;
  };
  const replace = new Map<number, DesiredDurableObject>();
  const append: DesiredDurableObject[] = [];
  for (const want of [...desired].sort((a, b) => compare(a.name, b.name))) {
    const free = (i: number): boolean => !replace.has(i);
    const indexes = existing.map((_, i) => i).filter(free);
    const index =
      indexes.find((i) => field(i, "name") === want.name && field(i, "class_name") === want.class_name) ??
      indexes.find((i) => field(i, "class_name") === want.class_name) ??
      indexes.find((i) => field(i, "name") === want.name);
    if (index === undefined) append.push(want);
    else replace.set(index, want);
  }
  const generated = new Set(desired.map((d) => d.class_name));
  const stale: number[] = [];
  const userClasses: string[] = [];
  existing.forEach((entry, i) => {
    const cls = field(i, "class_name");
    if (replace.has(i) || typeof cls !== "string") return;
    const looksGenerated = field(i, "name") === cls && isObject(entry) && !Object.hasOwn(entry, "script_name");
    if (looksGenerated && !generated.has(cls)) stale.unshift(i);
    else userClasses.push(cls);
  });
  return { replace, append, stale, userClasses };
}

export function doBinding(d: DesiredDurableObject): { name: string; class_name: string } {
  return { name: d.name, class_name: d.class_name };
}
