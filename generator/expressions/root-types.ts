import type { AccessStep } from "./access.ts";
import { CONTEXT_ROOTS, FIXED_ROOTS, isContextRoot, type ExprScope, type InputFieldScope } from "./scope.ts";
import {
  arrayOf,
  type ExprType,
  memberOf,
  nullable,
  NUMBER,
  objectOf,
  recordOf,
  schemaType,
  STRING,
  union,
  UNKNOWN,
} from "./types.ts";

/**
 * The static types of the root names (dsl.md §2), and of the step outputs
 * whose shape the language fixes, for the check stage to put in
 * `ExprScope.stepTypes`. A step that may not have run (an `if:` guard, a
 * branch) has output `nullable(…)`; a step missing from the map is unknown.
 */

/** An http step's output: response headers are lower-cased text; the body is whatever the server sent. */
export const HTTP_OUTPUT_TYPE: ExprType = objectOf([
  ["status", NUMBER],
  ["headers", recordOf(STRING)],
  ["body", UNKNOWN],
]);

/**
 * A value as a durable step records it (JSON): a NaN or infinite number
 * (`1 / 0`) comes back as null, so a `set` step's `a / b` may be null.
 */
export function recordedType(type: ExprType): ExprType {
  switch (type.kind) {
    case "number":
      return nullable(NUMBER);
    case "array":
      return arrayOf(recordedType(type.element));
    case "object": {
      const props = [...type.props].map(([k, v]): [string, ExprType] => [k, recordedType(v)]);
      return { kind: "object", props: new Map(props), ...(type.rest ? { rest: recordedType(type.rest) } : {}) };
    }
    case "union":
      return union(...type.members.map(recordedType));
    default:
      return type;
  }
}

/** `item` in a for_each over a list of this type: its element type, or unknown when the list is not known to be an array. */
export function itemTypeOf(list: ExprType): ExprType {
  return memberOf(list, "array")?.element ?? UNKNOWN;
}

/** `schedule` in a cron trigger: the scheduled time as an ISO string. */
export const SCHEDULE_TYPE: ExprType = objectOf([["time", STRING]]);

/**
 * `event` in a poll action: the instance's output is the flow's own data; its
 * error is normalised by the runtime (runtime/instance-event.ts) to
 * `{ name, message }`, or null when the instance completed.
 */
export const EVENT_TYPE: ExprType = objectOf([
  ["status", STRING],
  ["output", UNKNOWN],
  ["error", nullable(objectOf([["name", STRING], ["message", STRING]]))],
]);

/** `request` in an http trigger with these path parameters. */
export function requestType(params: readonly string[]): ExprType {
  return objectOf([
    ["body", UNKNOWN],
    ["headers", recordOf(STRING)],
    ["query", recordOf(STRING)],
    ["params", objectOf(params.map((p) => [p, STRING]))],
    ["method", STRING],
    ["path", STRING],
  ]);
}

/**
 * `input.<field>`: the type of its schema. A field that is neither required
 * nor defaulted may be missing, which reads as null (`T | null`).
 */
export function inputFieldType(field: InputFieldScope): ExprType {
  const type = schemaType(field.schema);
  return field.required || Object.hasOwn(field.schema, "default") ? type : nullable(type);
}

/** `input` as a whole: a closed object of its fields. */
export function inputType(fields: ReadonlyMap<string, InputFieldScope>): ExprType {
  return objectOf([...fields].map(([name, field]) => [name, inputFieldType(field)]));
}

export interface RootRead {
  readonly type: ExprType;
  /** How many steps of the path the root consumed (`steps.<id>.output` consumes two). */
  readonly used: number;
}

/**
 * The type of a root name together with the path steps the scope checker
 * validates with it (`input.<field>`, `steps.<id>.output`, `env.<VAR>`, …).
 * Undefined when the scope checker reports the read, so a mistake is told
 * once, by the checker that knows it best.
 */
export function rootType(name: string, path: readonly AccessStep[], scope: ExprScope): RootRead | undefined {
  const first = path[0];
  const key = first?.key === undefined ? undefined : String(first.key);
  switch (name) {
    case "input": {
      const fields = scope.inputFields;
      if (!fields) return undefined;
      if (!first || key === undefined) return { type: inputType(fields), used: 0 };
      const field = fields.get(key);
      return field ? { type: inputFieldType(field), used: 1 } : undefined;
    }
    case "steps": {
      if (key === undefined || !scope.stepsRun?.has(key) || path[1]?.key !== "output") return undefined;
      return { type: scope.stepTypes?.get(key) ?? UNKNOWN, used: 2 };
    }
    case "env":
      if (key === undefined || !scope.envVars.includes(key)) return undefined;
      return { type: scope.envTypes?.get(key) ?? STRING, used: 1 };
  }
  const only = FIXED_ROOTS.get(name);
  if (only !== undefined) return key === only ? { type: STRING, used: 1 } : undefined;
  if (!isContextRoot(name) || !scope.roots.has(name)) return undefined;
  const properties = CONTEXT_ROOTS.get(name)?.properties;
  if (properties && key !== undefined && !properties.includes(key)) return undefined;
  switch (name) {
    case "request": {
      const params = scope.requestParams ?? [];
      const param = path[1]?.key;
      if (key === "params" && param !== undefined && !params.includes(String(param))) return undefined;
      return { type: requestType(params), used: 0 };
    }
    case "schedule":
      return { type: SCHEDULE_TYPE, used: 0 };
    case "event":
      return { type: EVENT_TYPE, used: 0 };
    case "item":
      return { type: scope.itemType ?? UNKNOWN, used: 0 };
    case "index":
    case "attempt":
      return { type: NUMBER, used: 0 };
    case "message":
      return { type: UNKNOWN, used: 0 };
  }
}
