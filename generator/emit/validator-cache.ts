import { cacheEnabled, packageVersion, pruneCache, readCacheEntry, sha256, writeCacheEntry } from "../disk-cache.ts";

/**
 * The input validators' code, kept between runs (disk-cache.ts): ajv's
 * code generation is the largest part of emitting a flow (about 2 ms a
 * schema), and most runs regenerate flows whose input did not change.
 * An entry is named by a hash of the schema and of everything that shapes
 * the code made from it: the versions of cf-flows (whose input-validator.ts
 * drives ajv), ajv and ajv-formats. The code is the same bytes a fresh compile
 * writes (tests/generator/perf-validator-cache.test.ts).
 */

/** Bump when the way validators are made changes within one cf-flows version (only while developing it). */
const RECIPE = 1;
const KEEP = 4096;

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
    recipe = sha256(JSON.stringify([RECIPE, packageVersion("cf-flows"), packageVersion("ajv"), packageVersion("ajv-formats")]));
  }
  return recipe;
}
