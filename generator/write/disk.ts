import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** The file operations both writers (write-outputs.ts, write-worker.ts) share; reading is disk-cache.ts's readTextOrUndefined. */

/** Every file below `dir`, as a path relative to `root` with `/` separators; none when `dir` does not exist. */
export function filesBelow(root: string, dir: string): string[] {
  return listFiles(join(root, dir)).map((abs) => relative(root, abs).split("\\").join("/"));
}

export function isInside(path: string, dir: string): boolean {
  return path.startsWith(`${dir.replace(/\/$/, "")}/`);
}

/**
 * Writes `text` beside `target` (its folder made first, once per folder of
 * `madeDirs`) and returns the temporary file's path; renaming it onto the
 * target then replaces the file in one step, so nobody reads half a file.
 */
export function writeBeside(target: string, text: string, madeDirs: Set<string>, tag: string): string {
  const dir = dirname(target);
  if (!madeDirs.has(dir)) mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
  const temp = `${target}.${tag}.tmp`;
  writeFileSync(temp, text);
  return temp;
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

/**
 * Deletes stale generated files, then the folders they leave empty (a removed
 * flow's generated/flows/<flow>/): an empty folder is invisible to git but
 * not to whatever lists generated/ on the disk.
 */
export function deleteStale(root: string, paths: readonly string[]): void {
  for (const path of paths) rmSync(join(root, path));
  const dirs = new Set(paths.map((path) => dirname(path)));
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    // Up to, never including, the top folder (generated/ itself stays).
    for (let d = dir; dirname(d) !== "." && d !== "."; d = dirname(d)) {
      try {
        rmdirSync(join(root, d));
      } catch {
        break; // not empty (or gone already): its parents are not empty either
      }
    }
  }
}
