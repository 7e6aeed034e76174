import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach } from "vitest";

/** Temporary projects for the generator tests; a test file that imports this has them removed after each test. */

export const ROOT = resolve(import.meta.dirname, "../..");

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** An empty temporary folder, removed after the test. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A temporary copy of parts of this repository's project (by default everything the generator reads). */
export function repositoryCopy(prefix: string, parts: readonly string[] = ["definitions", "actions", "runtime", "wrangler.jsonc"]): string {
  const dir = scratchDir(prefix);
  for (const part of parts) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  return dir;
}
