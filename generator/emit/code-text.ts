import type { Duration, Retries, Value } from "../model/types.ts";

/** Small pieces of generated TypeScript shared by the emitters. */

/** The `WorkflowStepConfig` of a step, or "" when it uses Workflows' defaults. */
export function stepConfig(retries: Retries | undefined, timeout: Duration | undefined): string {
  const parts: string[] = [];
  if (retries) {
    parts.push(`retries: { limit: ${retries.limit}, delay: ${q(retries.delay.text)}, backoff: ${q(retries.backoff)} }`);
  }
  if (timeout) parts.push(`timeout: ${q(timeout.text)}`);
  return parts.length ? `{ ${parts.join(", ")} }` : "";
}

/**
 * A local variable named after a step: `each_leg` + `Items` → `eachLegItems`.
 * Only letters after `_` are capitalised (`a_1` stays `a_1`), so two step
 * ids never give the same name, and the suffix keeps it clear of the
 * variables run() declares (input, env, steps, …).
 */
export function localName(id: string, suffix: string): string {
  return `${id.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}${suffix}`;
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
