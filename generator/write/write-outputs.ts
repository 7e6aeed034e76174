import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

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

/** What `write` would change, without changing anything (`--check`). */
export function planChanges(root: string, outputs: PlannedOutputs): OutputChanges {
  const written = [...outputs.files].filter(([path, text]) => readOrUndefined(join(root, path)) !== text).map(([path]) => path);
  const deleted = listFiles(join(root, outputs.ownedDir))
    .map((abs) => relative(root, abs).split("\\").join("/"))
    .filter((path) => !outputs.files.has(path));
  return { written: written.sort(), deleted: deleted.sort() };
}

export function writeOutputs(root: string, outputs: PlannedOutputs): OutputChanges {
  const changes = planChanges(root, outputs);
  for (const path of changes.written) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, outputs.files.get(path)!);
    renameSync(temp, target);
  }
  for (const path of changes.deleted) rmSync(join(root, path));
  return changes;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
