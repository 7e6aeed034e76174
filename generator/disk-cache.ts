import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

/**
 * The generator's cache between runs: the project's node_modules/.cache/cf-flows/,
 * where build tools keep theirs (removed with node_modules, never committed).
 * Each entry is one file named by a hash of its input and of the versions of
 * the packages that make it (cf-flows itself, ajv, TypeScript…): the generator
 * ships compiled, so its code changes only with its version, and an entry is
 * either right or never looked up. Reading or writing it may fail (read-only
 * checkout, full disk): that only means doing the work again.
 * `FLOWS_NO_CACHE=1` turns every cache off (the benchmark's first run, tests
 * comparing cached and fresh results); `FLOWS_CACHE_DIR` moves it (this
 * repository's own tests use a fresh one each run, since here the generator
 * runs from source and changes without a new version).
 */

export const CACHE_DIR = process.env["FLOWS_CACHE_DIR"] ?? join(process.cwd(), "node_modules/.cache/cf-flows");

const require = createRequire(import.meta.url);

/** The installed version of `pkg` ("cf-flows" is this package: its package.json is reachable through its own exports). */
export function packageVersion(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

export function cacheEnabled(): boolean {
  return !process.env["FLOWS_NO_CACHE"];
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The text of `file` (absolute), or undefined when it cannot be read. */
export function readTextOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** The cache entry `name`, or undefined. */
export function readCacheEntry(name: string): string | undefined {
  return readTextOrUndefined(join(CACHE_DIR, name));
}

/**
 * Stores an entry: written beside and renamed, so a concurrent run reads the
 * old entry or the new one, never half of one.
 */
export function writeCacheEntry(name: string, text: string): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temp = join(CACHE_DIR, `${name}.${process.pid}.tmp`);
    writeFileSync(temp, text);
    renameSync(temp, join(CACHE_DIR, name));
  } catch {
    // No cache this time.
  }
}

/** Keeps the `keep` newest entries whose names start with `prefix` (each version of an input has its own). */
export function pruneCache(prefix: string, keep: number): void {
  try {
    pruneEntries(prefix, keep);
  } catch {
    // Pruned next time.
  }
}

function pruneEntries(prefix: string, keep: number): void {
  const names = readdirSync(CACHE_DIR).filter((name) => name.startsWith(prefix) && !name.endsWith(".tmp"));
  if (names.length <= keep) return;
  const byAge = names.map((name) => ({ name, mtime: statSync(join(CACHE_DIR, name)).mtimeMs })).sort((a, b) => b.mtime - a.mtime);
  for (const { name } of byAge.slice(keep)) rmSync(join(CACHE_DIR, name), { force: true });
}
