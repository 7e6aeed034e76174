import type { ErrorObject } from "ajv";
import { suggestKey } from "./suggest-key.ts";
import { propertyNames } from "../schema/flow-schema.ts";
import { pointerSegments } from "../load/yaml-nodes.ts";
import { child, describeJson, orList, type Problem, typeWord } from "./problems.ts";
import { exampleHint, repairToPattern } from "./examples.ts";

/**
 * ajv's messages ("must NOT have additional properties") name neither the key
 * nor the place. These turn each error into a sentence that does, with a hint
 * where one helps.
 */

/** What to say when a required key is missing; keys are `<key>` or `<parent key>.<key>`. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  flow: "give the flow its id, e.g. flow: flight-status",
  id: "give every step a unique id, e.g. id: lookup",
  auth: "every http trigger needs auth: { bearer: SECRET_NAME }, { hmac: { secret: SECRET_NAME, header: x-signature } } or none",
  "websocket.auth": "every websocket trigger needs auth: { bearer: SECRET_NAME } (the client sends that token when it connects) or none",
  "watch.auth": "say who may watch: auth: { bearer: SECRET_NAME } or auth: none",
  url: "e.g. url: https://api.example.com/items/${{ input.id }}",
  every: 'e.g. every: "*/5 * * * *" or every: 30 seconds',
  if: "an if-block is if + then (+ else)",
  "start.flow": "name the flow to start, e.g. flow: send-receipt",
  "hmac.header": "name the header that carries the signature, e.g. header: x-hub-signature-256",
  "hmac.secret": "name the secret that signs the body, e.g. secret: WEBHOOK_SECRET",
  "wait_for_event.type": "name the event, e.g. type: approval",
  "send_event.type": "name the event, e.g. type: approval",
  "send_event.instance_id": "say which instance to signal, e.g. instance_id: ${{ request.params.id }}",
  "call.flow": "name the flow to call, e.g. flow: send-receipt",
  "email.to": "e.g. to: ${{ input.email }}",
  "email.from": "e.g. from: orders@example.com (an address the send_email binding may send from)",
  "email.subject": "e.g. subject: Your order ${{ input.order_id }}",
  "report.progress": "e.g. report: { progress: { percent: 50, note: halfway } }",
  "repeat.every": "say how long to wait between rounds, e.g. every: 5 minutes",
  "repeat.max": "bound the rounds, e.g. max: 48",
  cases: "e.g. cases: { express: [ ...steps ], standard: [ ...steps ] }",
  steps: "list the steps to run in each round under steps:",
};

/** Keywords of other JSON Schema drafts, or ones input fields leave out, and what to write instead. */
const SCHEMA_KEYWORD_HINTS: Readonly<Record<string, string>> = {
  definitions: "JSON Schema 2020-12 calls it '$defs'",
  dependencies: "JSON Schema 2020-12 splits it into 'dependentRequired' and 'dependentSchemas'",
  $id: "an input field's schema has no id of its own; refer to its parts with $ref: '#/$defs/<name>'",
  $schema: "input fields are always JSON Schema 2020-12; remove '$schema'",
  $anchor: "refer to a schema by its path instead, e.g. $ref: '#/$defs/<name>'",
  $dynamicRef: "dynamic references are not supported; use $ref: '#/$defs/<name>'",
  $dynamicAnchor: "dynamic references are not supported; use $ref: '#/$defs/<name>'",
  nullable: "write type: [string, 'null'] to allow null",
};

export class MessageContext {
  // A plain field: Node's type stripping does not support parameter properties.
  private readonly owners: ReadonlyMap<string, string>;

  constructor(owners: ReadonlyMap<string, string>) {
    this.owners = owners;
  }

  /** `'retries.limit' in step 'lookup'`, or just `step 'lookup'` for the node itself. */
  subject(pointer: string): string {
    const { owner, rel } = this.split(pointer);
    return rel ? `'${rel}' in ${owner}` : owner;
  }

  /** `'retries' of step 'lookup'` — the container a key is unknown in or missing from. */
  container(pointer: string): string {
    const { owner, rel } = this.split(pointer);
    return rel ? `'${rel}' of ${owner}` : owner;
  }

  private split(pointer: string): { owner: string; rel: string } {
    let ownerPointer = "";
    for (const candidate of this.owners.keys()) {
      if ((pointer === candidate || pointer.startsWith(`${candidate}/`)) && candidate.length > ownerPointer.length) {
        ownerPointer = candidate;
      }
    }
    const rel = pointerSegments(pointer.slice(ownerPointer.length))
      .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
      .join("");
    return { owner: this.owners.get(ownerPointer) ?? "flow", rel };
  }
}

export function toProblem(error: ErrorObject, ctx: MessageContext): Problem | undefined {
  const pointer = error.instancePath;
  // A bad key name fails both `propertyNames` and its inner `pattern`; report it once.
  if (error.propertyName !== undefined && error.keyword !== "propertyNames") return undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const allowed = propertyNames(error.parentSchema);
      const suggested = suggestKey(key, allowed);
      const hint = suggested === undefined ? undefined : `did you mean '${suggested}'?`;
      // In a JSON Schema (an input field) the fifty keywords make a poor hint; say what to write instead.
      const inSchema = allowed.includes("$defs");
      const other = inSchema ? (SCHEMA_KEYWORD_HINTS[key] ?? "input fields take the JSON Schema 2020-12 keywords (docs/language.md lists them)") : `allowed keys: ${allowed.join(", ")}`;
      return {
        pointer: child(pointer, key),
        at: "key",
        message: `unknown key '${key}' in ${ctx.container(pointer)}${hint ? `; ${hint}` : ""}`,
        ...(hint || allowed.length === 0 ? {} : { hint: other }),
        ...(suggested ? { suggested } : {}),
      };
    }
    case "required": {
      const key = String(params["missingProperty"]);
      const parentKey = pointerSegments(pointer).pop();
      // A union member (a trigger) is named by its kind, its schema's first property: `websocket.auth`.
      const kindKey = propertyNames(error.parentSchema)[0];
      const hint = REQUIRED_HINTS[`${parentKey}.${key}`] ?? REQUIRED_HINTS[`${kindKey}.${key}`] ?? REQUIRED_HINTS[key];
      const where = pointer === "" ? "at the top of the file" : `in ${ctx.container(pointer)}`;
      return { pointer, at: "value", message: `missing required key '${key}' ${where}`, missingKey: key, ...(hint ? { hint } : {}) };
    }
    case "type": {
      const types = String(params["type"]).split(",").map(typeWord);
      const example = exampleHint(pointer, error.parentSchema);
      const hint = example ? { hint: example } : {};
      if (error.data === null || error.data === undefined) {
        return { pointer, at: "value", message: `${ctx.subject(pointer)} is empty; it must be ${orList(types)}`, ...hint };
      }
      return { pointer, at: "value", message: `${ctx.subject(pointer)} must be ${orList(types)}, not ${describeJson(error.data)}`, ...hint };
    }
    case "enum":
    case "const": {
      const allowed = (error.keyword === "enum" ? (params["allowedValues"] as unknown[]) : [params["allowedValue"]]).map(String);
      const got = String(error.data);
      const close = allowed.find((a) => a.toLowerCase() === got.toLowerCase()) ?? suggestKey(got, allowed);
      return {
        pointer,
        at: "value",
        message: `${ctx.subject(pointer)} must be ${orList(allowed.map((a) => `'${a}'`))}, not ${describeJson(error.data)}`,
        ...(close ? { hint: `did you mean '${close}'?` } : {}),
      };
    }
    case "pattern": {
      const custom = (error.parentSchema as Record<string, unknown> | undefined)?.["patternErrorMessage"];
      const message = typeof custom === "string" ? `'${String(error.data)}' ${custom}` : `${ctx.subject(pointer)} must match ${String(params["pattern"])}`;
      const fixed = repairToPattern(String(error.data), String(params["pattern"]));
      const hint = fixed !== undefined ? `did you mean '${fixed}'?` : exampleHint(pointer, error.parentSchema);
      return { pointer, at: "value", message, ...(hint ? { hint } : {}) };
    }
    case "propertyNames": {
      const name = String(params["propertyName"]);
      return {
        pointer: child(pointer, name),
        at: "key",
        message: `'${name}' is not a valid ${pointer === "/input" ? "input field name" : `name in ${ctx.container(pointer)}`}: use letters, digits and '_', not starting with a digit`,
      };
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words: Record<string, string> = { minimum: "at least", maximum: "at most", exclusiveMinimum: "more than", exclusiveMaximum: "less than" };
      return { pointer, at: "value", message: `${ctx.subject(pointer)} must be ${words[error.keyword]} ${String(params["limit"])}, not ${String(error.data)}` };
    }
    case "minItems":
    case "maxItems": {
      const limit = Number(params["limit"]);
      const words = error.keyword === "minItems" ? "at least" : "at most";
      return { pointer, at: "value", message: `${ctx.subject(pointer)} must have ${words} ${limit} ${limit === 1 ? "item" : "items"}` };
    }
    case "if":
    case "then":
      return undefined;
    default:
      return { pointer, at: "value", message: `${ctx.subject(pointer)} ${error.message ?? "is not valid"}` };
  }
}
