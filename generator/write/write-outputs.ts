import { renameSync } from "node:fs";
import { join } from "node:path";
import { type FileStat, type GeneratorCache, sameStat, statOf, type WrittenState } from "../incremental.ts";
import { readTextOrUndefined } from "../disk-cache.ts";
import { deleteStale, filesBelow, isInside, writeBeside } from "./disk.ts";

/**
 * Stage 6: bring the disk in line with what was emitted. All or nothing is
 * the caller's job (it never calls this when there are errors); here each
 * file is replaced atomically (write beside, then rename), unchanged files
 * are not touched, and generated files no longer emitted are removed.
 */

export interface PlannedOutputs {
  /** Project-relative path → wanted content. */
  readonly files: ReadonlyMap<string, string>;
  /** Project-relative folder the generator owns entirely (stale files in it are deleted). */
  readonly ownedDir: string;
}

export interface OutputChanges {
  readonly written: readonly string[];
  readonly deleted: readonly string[];
}

/**
 * What `write` would change, without changing anything (`--check`).
 * `last` (watch mode) is what the previous run wrote: a file with the same
 * text, size, modification time and inode as then is not read back.
 */
export function planChanges(root: string, outputs: PlannedOutputs, last?: WrittenState): OutputChanges {
  const unchanged = ([path, text]: [string, string]): boolean =>
    last !== undefined && last.files.get(path) === text && sameStat(last.stats.get(path), statOf(join(root, path)));
  const present = new Set(filesBelow(root, outputs.ownedDir));
  // A file of the owned folder that is not there is new: no read (and no failed read) needed.
  const absent = (path: string): boolean => !present.has(path) && isInside(path, outputs.ownedDir);
  const written = [...outputs.files]
    .filter((entry) => absent(entry[0]) || (!unchanged(entry) && readTextOrUndefined(join(root, entry[0])) !== entry[1]))
    .map(([path]) => path);
  const deleted = [...present].filter((path) => !outputs.files.has(path));
  return { written: written.sort(), deleted: deleted.sort() };
}

/** Writes what changed; with watch mode's cache, remembers what the disk now holds. */
export function writeOutputs(root: string, outputs: PlannedOutputs, cache?: GeneratorCache): OutputChanges {
  const changes = planChanges(root, outputs, cache?.written);
  const made = new Set<string>();
  for (const path of changes.written) {
    const target = join(root, path);
    renameSync(writeBeside(target, outputs.files.get(path)!, made, String(process.pid)), target);
  }
  deleteStale(root, changes.deleted);
  if (cache) cache.written = writtenState(root, outputs, changes, cache.written);
  return changes;
}

/** Each output's text and stat now; files neither written now nor changed since the last run keep their stat. */
function writtenState(root: string, outputs: PlannedOutputs, changes: OutputChanges, last: WrittenState | undefined): WrittenState {
  const written = new Set(changes.written);
  const stats = new Map<string, FileStat>();
  for (const [path, text] of outputs.files) {
    const kept = !written.has(path) && last?.files.get(path) === text ? last.stats.get(path) : undefined;
    const stat = kept ?? statOf(join(root, path));
    if (stat) stats.set(path, stat);
  }
  return { files: new Map(outputs.files), stats };
}
