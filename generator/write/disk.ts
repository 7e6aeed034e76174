import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
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
