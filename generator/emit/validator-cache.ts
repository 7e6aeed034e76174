import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cacheEnabled, pruneCache, readCacheEntry, sha256, writeCacheEntry } from "../disk-cache.ts";

/**
 * The input validators' code, kept between runs (disk-cache.ts): ajv's
 * code generation is the largest part of emitting a flow (about 2 ms a
 * schema), and most runs regenerate flows whose input did not change.
 * An entry is named by a hash of the schema and of everything that shapes
 * the code made from it: ajv's and ajv-formats' versions and the source of
 * the module that drives them. The code is the same bytes a fresh compile
 * writes (tests/generator/perf-validator-cache.test.ts).
 */

/** Bump when the way validators are made changes in a way the hashed files would not show. */
const RECIPE = 1;
const KEEP = 4096;
const MAKERS = [new URL("./input-validator.ts", import.meta.url)];

let recipe: string | undefined;
let pruned = false;

/** `make(schema)`, or what it returned for the same schema in an earlier run. */
export function cachedValidatorCode(schema: object, make: (schema: object) => string): string {
  if (!cacheEnabled()) return make(schema);
  const name = `input-validator-${sha256(`${recipeKey()}\n${JSON.stringify(schema)}`).slice(0, 32)}.js`;
  const stored = readCacheEntry(name);
  if (stored !== undefined) return stored;
  const code = make(schema);
  writeCacheEntry(name, code);
  if (!pruned) pruneCache("input-validator-", KEEP);
  pruned = true;
  return code;
}

function recipeKey(): string {
  if (recipe === undefined) {
    const require = createRequire(import.meta.url);
    const version = (pkg: string): string => (require(`${pkg}/package.json`) as { version: string }).version;
    recipe = sha256(JSON.stringify([RECIPE, version("ajv"), version("ajv-formats"), MAKERS.map((url) => readFileSync(url, "utf8"))]));
  }
  return recipe;
}
