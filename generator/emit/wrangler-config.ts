import { findNodeAtLocation, getNodeValue, parse, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { LineIndex, type Diagnostic } from "../diagnostics.ts";
import type { JsonValue } from "../model/types.ts";
import { claimBindings, doBinding } from "./wrangler-bindings.ts";
import { compare, isObject, JsoncDocument, PARSE_OPTIONS, sameJson } from "./wrangler-edits.ts";
import { liveClasses, nextMigrationTag } from "./wrangler-migrations.ts";

/**
 * Brings wrangler.jsonc in line with the flows while keeping every comment,
 * every byte of formatting and every key the generator does not own.
 *
 * Owned (rewritten to exactly what the flows need):
 * - `main`;
 * - the whole `workflows` array;
 * - `durable_objects.bindings` entries whose class (or binding name) the
 *   generator emits, and stale ones it wrote earlier (see wrangler-bindings.ts);
 *   other bindings are the user's and stay;
 * - `triggers.crons`: exactly the crons of the flows' cron triggers, written
 *   even when empty, because `wrangler deploy` only removes a deployed cron
 *   when the list says so;
 * - `secrets.required`: merged, the user's names are kept and ours added, sorted.
 *
 * Append-only: `migrations`. A generated class no migration declares gets a
 * new `{ tag, new_sqlite_classes }` entry; a declared class nothing generates
 * or binds any more is an error, since deleting it (and its data) is the
 * user's decision: the error names the migration to add, and
 * `generate --remove-agents` (`removeUnusedClasses`) adds it, as
 * `deleted_classes` in the run's new entry.
 *
 * Defaults written only when absent: `name`, `compatibility_date`,
 * `compatibility_flags`; in that list the generator owns only PRESERVE_FLAG. Extra binding arrays (`extra.bindings`) only gain the
 * entries they lack.
 */

export const DEFAULT_COMPATIBILITY_DATE = "2026-11-01";
export const DEFAULT_COMPATIBILITY_FLAGS: readonly string[] = ["nodejs_compat"];
/**
 * The one compatibility flag the generator owns. Without it Workflows
 * replaces the message of a NonRetryableError thrown in a step (an http
 * step's 4xx, a child's invalid input) by a generic WorkflowFatalError. It is
 * on by default from PRESERVE_FLAG_DEFAULT_DATE, and from then on naming it
 * is an error that stops a deploy, so it is added to the user's flags for an
 * earlier compatibility_date and removed for a later one. (`fail:` steps and
 * failed `call`s do not depend on it: they fail the run outside any step,
 * with a plain Error, whose message every engine keeps.)
 */
export const PRESERVE_FLAG = "workflows_preserve_non_retryable_error_message";
export const PRESERVE_FLAG_DEFAULT_DATE = "2026-05-14";
export const DEFAULT_WORKER_NAME = "flows";

export interface DesiredWorkflow {
  readonly name: string;
  readonly binding: string;
  readonly class_name?: string;
  /** Set when the workflow lives in another Worker. */
  readonly script_name?: string;
  readonly limits?: { readonly steps: number };
}

export interface DesiredDurableObject {
  readonly name: string;
  readonly class_name: string;
}

export interface DesiredConfig {
  /** The Worker entry, relative to wrangler.jsonc (`generated/worker.ts`). */
  readonly main: string;
  readonly workflows: readonly DesiredWorkflow[];
  /** The Agent classes this Worker exports. */
  readonly durableObjects: readonly DesiredDurableObject[];
  readonly crons: readonly string[];
  readonly secretsRequired: readonly string[];
  readonly extra?: {
    /** Worker `name` when the config has none. */
    readonly name?: string;
    /**
     * Other top-level binding arrays the flows need, e.g. `{ send_email: [{ name: "EMAIL" }] }`.
     * An entry is added when no entry has the same `binding` (or `name`); existing entries are never changed.
     */
    readonly bindings?: Readonly<Record<string, readonly { readonly [key: string]: JsonValue }[]>>;
  };
}

export interface WranglerUpdate {
  /** The new text; the input text unchanged when there are errors (the caller then writes nothing). */
  readonly text: string;
  /** `LINE:COL: message (hint: …)`, for callers that add the file name and severity themselves. */
  readonly errors: readonly string[];
  /** The same problems, for callers that collect diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
}

/** What a missing or empty wrangler.jsonc starts from. */
const NEW_CONFIG = '{\n  "$schema": "node_modules/wrangler/config-schema.json"\n}\n';

export interface UpdateOptions {
  /** Delete (with a `deleted_classes` migration) the Agent classes no flow uses and nothing binds any more. */
  readonly removeUnusedClasses?: boolean;
}

export function updateWranglerConfig(text: string, desired: DesiredConfig, file = "wrangler.jsonc", options: UpdateOptions = {}): WranglerUpdate {
  const source = text.trim() === "" ? NEW_CONFIG : text;
  const lines = new LineIndex(source);
  const diagnostics: Diagnostic[] = [];
  const error = (offset: number, message: string, hint?: string): void => {
    const { line, col } = lines.position(offset);
    diagnostics.push({ severity: "error", file, line, col, message, ...(hint ? { hint } : {}) });
  };
  const fail = (): WranglerUpdate => ({ text, errors: diagnostics.map(formatError), diagnostics });

  const parseErrors: ParseError[] = [];
  const root = parseTree(source, parseErrors, PARSE_OPTIONS);
  // Only the first: later parse errors are mostly echoes of it.
  const parseError = parseErrors[0];
  if (parseError) {
    error(parseError.offset, `${file} is not valid JSONC: ${describeParseError(parseError)}.`);
    return fail();
  }
  if (root?.type !== "object") {
    error(root?.offset ?? 0, `${file} must contain one JSON object.`);
    return fail();
  }
  checkShapes(root, Object.keys(desired.extra?.bindings ?? {}), error);
  if (diagnostics.length > 0) return fail();

  const doc = new JsoncDocument(source);
  const at = (path: (string | number)[]): Node | undefined => findNodeAtLocation(doc.root(), path);

  // Whatever binds a class after this run counts as "in use" for the migration check.
  const claims = claimBindings(at(["durable_objects", "bindings"]), desired.durableObjects);
  const bound = new Set([...claims.userClasses, ...desired.durableObjects.map((d) => d.class_name)]);
  const migrations = at(["migrations"]);
  const live = liveClasses(migrations);
  const tag = nextMigrationTag(migrations);
  const unused = [...live.values()].filter((cls) => !bound.has(cls.name)).sort((a, b) => compare(a.name, b.name));
  if (!options.removeUnusedClasses) {
    for (const cls of unused) {
      error(
        cls.node.offset,
        `Durable Object class ${cls.name} is declared by migration "${cls.tag}", but no flow uses it any more and no binding names it.`,
        `keep a flow that uses it, or run \`generate --remove-agents\` to add { "tag": "${tag}", "deleted_classes": ["${cls.name}"] } to "migrations" ` +
          `(or add it yourself); that deletes the class's stored data (use "renamed_classes" instead if you renamed the agent)`,
      );
    }
  }
  const deleted = options.removeUnusedClasses ? unused.map((cls) => cls.name) : [];
  const added = [...new Set(desired.durableObjects.map((d) => d.class_name))].filter((c) => !live.has(c)).sort(compare);
  const exportsNode = at(["exports"]);
  if (exportsNode && (added.length > 0 || live.size > 0)) {
    error(exportsNode.offset, `${file} configures Durable Objects with "exports", which wrangler does not allow together with "migrations".`, 'remove "exports"; the generator manages "migrations"');
  }
  if (diagnostics.length > 0) return fail();

  const ensure = (path: string[], value: JsonValue, owned: boolean): void => setValue(doc, path, value, owned);
  ensure(["name"], desired.extra?.name ?? DEFAULT_WORKER_NAME, false);
  ensure(["main"], desired.main, true);
  ensure(["compatibility_date"], DEFAULT_COMPATIBILITY_DATE, false);
  ensure(["compatibility_flags"], [...DEFAULT_COMPATIBILITY_FLAGS], false);
  ownPreserveFlag(doc, getNodeValue(at(["compatibility_date"])!));

  // Durable Object bindings: claimed entries are rewritten in place, missing ones appended.
  for (const [index, binding] of claims.replace) {
    const node = at(["durable_objects", "bindings", index]);
    if (node && !sameJson(getNodeValue(node), doBinding(binding))) doc.replace(node, doBinding(binding));
  }
  for (const index of claims.stale) {
    const bindings = at(["durable_objects", "bindings"]);
    if (bindings) doc.removeItem(bindings, index);
  }
  for (const binding of claims.append) appendTo(doc, ["durable_objects", "bindings"], doBinding(binding));

  const workflows = [...desired.workflows].sort((a, b) => compare(a.binding, b.binding)).map(workflowEntry);
  if (workflows.length > 0 || at(["workflows"])) ensure(["workflows"], workflows, true);

  if (added.length > 0 || deleted.length > 0) {
    appendTo(doc, ["migrations"], { tag, ...(added.length > 0 ? { new_sqlite_classes: added } : {}), ...(deleted.length > 0 ? { deleted_classes: deleted } : {}) });
  }

  ensure(["triggers", "crons"], sortedUnique(desired.crons), true);

  const secretsNode = at(["secrets", "required"]);
  const userSecrets = secretsNode ? stringItems(getNodeValue(secretsNode)) : [];
  if (desired.secretsRequired.length > 0 || secretsNode) {
    ensure(["secrets", "required"], sortedUnique([...userSecrets, ...desired.secretsRequired]), true);
  }

  for (const [key, entries] of Object.entries(desired.extra?.bindings ?? {}).sort(([a], [b]) => compare(a, b))) {
    for (const entry of entries) {
      const present = (at([key])?.children ?? []).some((n) => sameBindingName(getNodeValue(n), entry));
      if (!present) appendTo(doc, [key], entry);
    }
  }
  return { text: doc.text, errors: [], diagnostics: [] };
}

/** Names of the plain `vars` (top level), sorted; [] when there are none or the text does not parse. */
export function readWranglerVars(text: string): string[] {
  const errors: ParseError[] = [];
  const config: unknown = parse(text, errors, PARSE_OPTIONS);
  if (errors.length > 0 || !isObject(config) || !isObject(config["vars"])) return [];
  return Object.keys(config["vars"]).sort(compare);
}

/** PRESERVE_FLAG in `compatibility_flags` exactly when the compatibility date needs it; the user's other flags stay as written. */
function ownPreserveFlag(doc: JsoncDocument, date: unknown): void {
  const list = findNodeAtLocation(doc.root(), ["compatibility_flags"]);
  if (!list) return;
  const index = stringItems(getNodeValue(list)).indexOf(PRESERVE_FLAG);
  const needed = typeof date === "string" && date < PRESERVE_FLAG_DEFAULT_DATE;
  if (needed && index < 0) doc.appendItem(list, PRESERVE_FLAG);
  if (!needed && index >= 0) doc.removeItem(list, (list.children ?? []).findIndex((n) => getNodeValue(n) === PRESERVE_FLAG));
}

/** Sets `path` to `value`, creating missing objects; an existing value is only replaced when `owned`. */
function setValue(doc: JsoncDocument, path: readonly string[], value: JsonValue, owned: boolean): void {
  let parent = doc.root();
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth]!;
    const node = findNodeAtLocation(parent, [key]);
    if (!node) {
      doc.insertProperty(parent, key, nest(path.slice(depth + 1), value));
      return;
    }
    if (depth === path.length - 1) {
      if (owned && !sameJson(getNodeValue(node), value)) doc.replace(node, value);
      return;
    }
    parent = node;
  }
}

function appendTo(doc: JsoncDocument, path: readonly string[], item: JsonValue): void {
  const array = findNodeAtLocation(doc.root(), [...path]);
  if (array) doc.appendItem(array, item);
  else setValue(doc, path, [item], true);
}

function nest(path: readonly string[], value: JsonValue): JsonValue {
  return path.reduceRight<JsonValue>((inner, key) => ({ [key]: inner }), value);
}

/** Containers the generator edits must have the right type, or an edit would corrupt them. */
function checkShapes(root: Node, extraArrays: readonly string[], error: (offset: number, message: string) => void): void {
  const expected: [string[], "object" | "array"][] = [
    [["compatibility_flags"], "array"],
    [["durable_objects"], "object"],
    [["durable_objects", "bindings"], "array"],
    [["migrations"], "array"],
    [["triggers"], "object"],
    [["secrets"], "object"],
    [["secrets", "required"], "array"],
    ...extraArrays.map((key): [string[], "array"] => [[key], "array"]),
  ];
  for (const [path, type] of expected) {
    const node = findNodeAtLocation(root, path);
    if (node && node.type !== type) error(node.offset, `"${path.join(".")}" must be an ${type}.`);
  }
}

function workflowEntry(w: DesiredWorkflow): JsonValue {
  return {
    name: w.name,
    binding: w.binding,
    ...(w.class_name !== undefined ? { class_name: w.class_name } : {}),
    ...(w.script_name !== undefined ? { script_name: w.script_name } : {}),
    ...(w.limits !== undefined ? { limits: { steps: w.limits.steps } } : {}),
  };
}

function sameBindingName(existing: unknown, wanted: { readonly [key: string]: JsonValue }): boolean {
  if (!isObject(existing)) return false;
  const key = "binding" in wanted ? "binding" : "name";
  return existing[key] === wanted[key];
}

function formatError(d: Diagnostic): string {
  return `${d.line}:${d.col}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ""}`;
}

function describeParseError(e: ParseError): string {
  const words = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.startsWith("<") ? "unexpected text" : words;
}

function stringItems(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}
