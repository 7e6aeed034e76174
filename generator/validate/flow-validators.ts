import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { CACHE_DIR, cacheEnabled, packageVersion, pruneCache, sha256, writeCacheEntry } from "../disk-cache.ts";
import { FLOW_SCHEMA_URL, flowSchema, flowSchemaId, schemaDefinitions } from "../schema/flow-schema.ts";

/**
 * The validators of schema/flow.schema.json: the whole file and each of its
 * definitions (validate-flow.ts picks one per step, trigger, action, auth).
 *
 * Compiling them is a fixed cost of every run (about a quarter of a second,
 * most of a small project's validation), so the compiled code is also kept
 * on disk, as ajv's standalone module, in node_modules/.cache/cf-flows/,
 * named by a hash of everything it depends on (the schema's text, ajv's
 * version, the options below). A later run loads that module instead of
 * compiling (disk-cache.ts has the cache's rules).
 * tests/generator/perf-flow-validators.test.ts holds the two to the same
 * diagnostics.
 */

export type FlowValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true } as const;
/** Bump when the way validators are made changes (the keyword below, OPTIONS' meaning). */
const RECIPE = 1;
const ROOT = "";

const require = createRequire(import.meta.url);
let table: ReadonlyMap<string, FlowValidator> | undefined;

/** The validator of the whole file, or of `definitions/<definition>`. */
export function flowValidator(definition?: string): FlowValidator {
  table ??= (cacheEnabled() ? loadCached() : undefined) ?? compileAll(true);
  const validate = table.get(definition ?? ROOT);
  if (!validate) throw new Error(`flow.schema.json has no definition '${definition}'`);
  return validate;
}

/** Every validator compiled by ajv; with `save`, also written to the cache. */
export function compileAll(save: boolean): ReadonlyMap<string, FlowValidator> {
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  // Editors (yaml-language-server) show it; for us it is an annotation.
  ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
  ajv.addSchema(flowSchema());
  const refs = references();
  const compiled = new Map<string, FlowValidator>();
  for (const [name, ref] of refs) {
    const validate = ajv.getSchema(ref);
    if (validate) compiled.set(name, validate);
  }
  if (save) {
    try {
      const { default: standaloneCode } = require("ajv/dist/standalone") as { default: (ajv: Ajv, refs: Record<string, string>) => string };
      writeCacheEntry(cacheName(), standaloneCode(ajv, Object.fromEntries(refs)));
      pruneCache("flow-schema-", 4);
    } catch {
      // ajv could not write it: no cache this time.
    }
  }
  return compiled;
}

/** The cached validators, when the cache has them for this schema. */
export function loadCached(): ReadonlyMap<string, FlowValidator> | undefined {
  let module: Record<string, FlowValidator>;
  try {
    module = require(join(CACHE_DIR, cacheName())) as Record<string, FlowValidator>;
  } catch {
    return undefined;
  }
  const loaded = new Map<string, FlowValidator>();
  for (const [name] of references()) {
    const validate = module[name];
    if (typeof validate !== "function") return undefined;
    loaded.set(name, validate);
  }
  return loaded;
}

/** Export name → schema reference: "" for the whole file, each definition by its name. */
function references(): [string, string][] {
  const id = flowSchemaId();
  return [[ROOT, id], ...Object.keys(schemaDefinitions()).map((name): [string, string] => [name, `${id}#/definitions/${name}`])];
}

let name: string | undefined;

function cacheName(): string {
  if (name === undefined) {
    const hash = sha256(JSON.stringify([RECIPE, packageVersion("cf-flows"), packageVersion("ajv"), OPTIONS, readFileSync(FLOW_SCHEMA_URL, "utf8")]));
    name = `flow-schema-${hash.slice(0, 16)}.cjs`;
  }
  return name;
}
