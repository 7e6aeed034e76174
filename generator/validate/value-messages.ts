import type { ErrorObject } from "ajv";
import { pointerSegments } from "../load/yaml-nodes.ts";
import { describeJson, orList, typeWord } from "./problems.ts";
import { suggestKey } from "./suggest-key.ts";

/**
 * A value against an input field's own JSON Schema (a default, or what a
 * trigger or call gives): ajv says "must be equal to one of the allowed
 * values"; the author needs to hear which values, and which one they meant.
 * The result reads after a subject: "<subject> must be 'a' or 'b', not …".
 */
export interface ValueProblem {
  /** Where inside the value, when not the value itself: ` at [0]`, ` at .address.city`. */
  readonly where: string;
  /** The predicate: `must be a whole number, not the text 'many'`. */
  readonly text: string;
  readonly hint?: string;
}

export function describeValueError(error: ErrorObject | undefined): ValueProblem {
  if (!error) return { where: "", text: "is not valid" };
  const where = pointerSegments(error.instancePath)
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join("");
  const at = where === "" ? "" : ` at ${where.replace(/^\./, "")}`;
  const params = error.params as Record<string, unknown>;
  const got = describeJson(error.data);
  switch (error.keyword) {
    case "type": {
      const types = String(params["type"]).split(",").map(typeWord);
      return { where: at, text: `must be ${orList(types)}, not ${got}` };
    }
    case "enum":
    case "const": {
      const allowed = error.keyword === "enum" ? (params["allowedValues"] as unknown[]) : [params["allowedValue"]];
      const shown = allowed.map((v) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v)));
      const close = typeof error.data === "string" ? suggestKey(error.data, allowed.filter((v): v is string => typeof v === "string")) : undefined;
      return { where: at, text: `must be ${orList(shown)}, not ${got}`, ...(close !== undefined ? { hint: `did you mean '${close}'?` } : {}) };
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words: Record<string, string> = { minimum: "at least", maximum: "at most", exclusiveMinimum: "more than", exclusiveMaximum: "less than" };
      return { where: at, text: `must be ${words[error.keyword]} ${String(params["limit"])}, not ${String(error.data)}` };
    }
    case "minLength":
    case "maxLength": {
      const limit = Number(params["limit"]);
      const bound = error.keyword === "minLength" ? "at least" : "at most";
      return { where: at, text: `must have ${bound} ${limit} character${limit === 1 ? "" : "s"}, not ${String(error.data).length}` };
    }
    case "minItems":
    case "maxItems": {
      const limit = Number(params["limit"]);
      const bound = error.keyword === "minItems" ? "at least" : "at most";
      const count = Array.isArray(error.data) ? error.data.length : 0;
      return { where: at, text: `must have ${bound} ${limit} item${limit === 1 ? "" : "s"}, not ${count}` };
    }
    case "pattern":
      return { where: at, text: `must match the pattern ${String(params["pattern"])}, but ${got} does not` };
    case "required":
      return { where: at, text: `is missing the key '${String(params["missingProperty"])}'` };
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      const close = suggestKey(key, Object.keys(properties));
      return { where: at, text: `has the unknown key '${key}'`, ...(close !== undefined ? { hint: `did you mean '${close}'?` } : {}) };
    }
    default:
      return { where: at, text: error.message ?? "is not valid" };
  }
}
