import type { JsonValue } from "../model/types.ts";
import type { ExprType } from "./types.ts";

/**
 * What an expression may read at one point of a flow. The flow checker builds
 * one per place (trigger, step, poll action) and hands it to check.ts; this
 * file only describes the data and the fixed facts about each root name.
 */

/** Roots that exist only in some places of a flow. */
export type ContextRoot = "request" | "message" | "schedule" | "item" | "index" | "attempt" | "event";

export interface InputFieldScope {
  /** False for a field with `default:` too; the schema's `default` tells the two apart. */
  readonly required: boolean;
  /** The field's JSON Schema, `default` included when it has one. */
  readonly schema: { readonly [key: string]: JsonValue };
}

export interface ExprScope {
  /**
   * Fields readable as `input.<field>`. Absent where `input` is not visible,
   * e.g. in trigger expressions, which compute the input.
   */
  readonly inputFields?: ReadonlyMap<string, InputFieldScope>;
  /**
   * Step ids whose output is available here. Absent where `steps` is not
   * visible at all (the agent side: triggers and poll actions).
   */
  readonly stepsRun?: ReadonlySet<string>;
  /** Every step id of the flow, to tell "has not run yet" from "unknown". */
  readonly allSteps: ReadonlySet<string>;
  /** Plain `vars` of wrangler.jsonc, readable as `env.<VAR>`. */
  readonly envVars: readonly string[];
  /** The context roots present here (`request` in http triggers, `item` in for_each, …). */
  readonly roots: ReadonlySet<ContextRoot>;
  /** Path parameters of the http trigger, readable as `request.params.<name>`. */
  readonly requestParams?: readonly string[];
  /**
   * Static types of step outputs (`steps.<id>.output`), for the steps whose
   * output shape is known here. A step missing from the map (or no map) is
   * `unknown`, which never causes a type error. See root-types.ts for the
   * shapes of the step kinds.
   */
  readonly stepTypes?: ReadonlyMap<string, ExprType>;
  /** The type of `item` inside a for_each: the element type of its list. Absent: unknown. */
  readonly itemType?: ExprType;
  /**
   * Types of `env.<VAR>` by the JSON value of the var in wrangler.jsonc.
   * Absent (or a var missing from it): `string`, the usual kind of var.
   */
  readonly envTypes?: ReadonlyMap<string, ExprType>;
}

/** A scope with nothing optional visible; override what applies. */
export function createScope(parts: Partial<ExprScope> = {}): ExprScope {
  return { allSteps: new Set(), envVars: [], roots: new Set(), ...parts };
}

export interface ContextRootInfo {
  /** The sentence explaining where the root exists, used when it does not exist here. */
  readonly onlyIn: string;
  /** Properties it has; undefined when its shape is the user's own data. */
  readonly properties?: readonly string[];
}

export const CONTEXT_ROOTS: ReadonlyMap<ContextRoot, ContextRootInfo> = new Map<ContextRoot, ContextRootInfo>([
  [
    "request",
    { onlyIn: "`request` is only available in http triggers", properties: ["body", "headers", "query", "params", "method", "path"] },
  ],
  ["message", { onlyIn: "`message` is only available in websocket triggers" }],
  ["schedule", { onlyIn: "`schedule` is only available in cron triggers", properties: ["time"] }],
  ["item", { onlyIn: "`item` is only available inside the `steps` of a for_each step" }],
  ["index", { onlyIn: "`index` is only available inside the `steps` of a for_each step" }],
  ["attempt", { onlyIn: "`attempt` is only available inside the `steps` of a repeat step" }],
  [
    "event",
    { onlyIn: "`event` is only available in poll actions (`on_complete`, `on_error`)", properties: ["status", "output", "error"] },
  ],
]);

/** Roots of the language that are always visible, with their only property. */
export const FIXED_ROOTS: ReadonlyMap<string, string> = new Map([
  ["flow", "name"],
  ["instance", "id"],
]);

/** Every root name visible in `scope`, in a fixed order, for hints. */
export function visibleRoots(scope: ExprScope): string[] {
  const names: string[] = [];
  if (scope.inputFields) names.push("input");
  if (scope.stepsRun) names.push("steps");
  names.push("flow", "instance", "env");
  for (const root of CONTEXT_ROOTS.keys()) if (scope.roots.has(root)) names.push(root);
  return names;
}

const CONTEXT_ROOT_NAMES: ReadonlySet<string> = new Set<string>(CONTEXT_ROOTS.keys());

export function isContextRoot(name: string): name is ContextRoot {
  return CONTEXT_ROOT_NAMES.has(name);
}
