import { isAbsolute, join, relative, resolve } from "node:path";
import { cacheEnabled, packageVersion, pruneCache, readCacheEntry, readTextOrUndefined as read, sha256 as sha, writeCacheEntry } from "../disk-cache.ts";
import type { ActionsAnalysis } from "../incremental.ts";
import { tsMorph } from "../cjs.ts";
import { type ActionExport, type ActionsModule, type ActionsSource, analyzeActionsReading } from "./actions-module.ts";

/**
 * Reusing the analysis of the actions module (a TypeScript program over the
 * module, what it imports and the standard library: a quarter of a second)
 * while nothing it read has changed:
 * - in watch mode, in memory, from one run to the next;
 * - between runs, on disk in node_modules/.cache/cf-flows/, as JSON named
 *   by a hash of the module's text and the versions of TypeScript and of
 *   cf-flows (whose code analyses it), holding a hash of every other file the analysis read (by path
 *   relative to the project when inside it, so copies of a project share it).
 * An analysis with an import that did not resolve is never reused (the
 * missing file may appear). See disk-cache.ts for the cache's rules. A
 * module held in memory (tests, editors) is analysed every time.
 */

/** Bump when the analysis or its record changes within one cf-flows version (only while developing it). */
const RECIPE = 1;

/** The analysis for `source`: `last` (watch mode's) when still true, else the disk cache's, else a new one. */
export function actionsAnalysis(source: ActionsSource, last?: ActionsAnalysis): ActionsAnalysis {
  if (last?.complete && source.rootDir !== undefined && last.text === source.text && stillTrue(last.files, ownPath(source))) return last;
  const disk = source.rootDir === undefined || !cacheEnabled() ? undefined : entryName(source);
  const stored = disk ? readStored(disk, source) : undefined;
  if (stored) return stored;
  const { module, files, complete } = analyzeActionsReading(source);
  const analysis = { text: source.text, files, module, complete };
  if (disk && complete) writeStored(disk, analysis, source);
  return analysis;
}

/** Whether every recorded file (but the module itself, compared by text already) still reads the same. */
function stillTrue(files: ReadonlyMap<string, string>, own: string | undefined): boolean {
  for (const [path, text] of files) if (path !== own && read(path) !== text) return false;
  return true;
}

function ownPath(source: ActionsSource): string | undefined {
  return source.rootDir === undefined ? undefined : join(source.rootDir, source.file);
}

function entryName(source: ActionsSource): string {
  const key = sha(JSON.stringify([RECIPE, tsMorph.ts.version, packageVersion("cf-flows"), source.file, source.text]));
  return `actions-${key.slice(0, 24)}.json`;
}

interface Stored {
  /** Path (relative to the project folder when inside it) → sha256 of its text, for every file read but the module itself. */
  readonly files: [string, string][];
  readonly module: { readonly file: string; readonly exports: [string, ActionExport][] };
}

function readStored(entry: string, source: ActionsSource): ActionsAnalysis | undefined {
  const text = readCacheEntry(entry);
  if (text === undefined) return undefined;
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return undefined;
  }
  const files = new Map<string, string>([[ownPath(source) ?? source.file, source.text]]);
  for (const [recorded, hash] of stored.files) {
    const file = resolve(source.rootDir ?? "/", recorded);
    const current = read(file);
    if (current === undefined || sha(current) !== hash) return undefined;
    files.set(file, current);
  }
  const module: ActionsModule = { file: stored.module.file, exports: new Map(stored.module.exports) };
  return { text: source.text, files, module, complete: true };
}

function writeStored(entry: string, analysis: ActionsAnalysis, source: ActionsSource): void {
  const own = ownPath(source);
  const inside = (file: string): string => {
    const rel = relative(source.rootDir ?? "/", file);
    return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
  };
  const stored: Stored = {
    files: [...analysis.files].filter(([file]) => file !== own).map(([file, text]) => [inside(file), sha(text)]),
    module: { file: analysis.module.file, exports: [...analysis.module.exports] },
  };
  writeCacheEntry(entry, JSON.stringify(stored));
  pruneCache("actions-", 64);
}
