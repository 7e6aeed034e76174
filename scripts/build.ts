import { execFileSync } from "node:child_process";
import { copyFileSync, globSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * `npm run build` (run by `npm pack`): the generator compiled to dist/, so the
 * package's `cf-flows` command starts from plain JavaScript. Files the
 * compiled modules read next to themselves at run time (the JSON Schemas, the
 * flow-test types copied into generated/) are copied beside them.
 */

const root = join(import.meta.dirname, "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
for (const file of [...globSync("generator/schema/*.json", { cwd: root }), "generator/flow-tests/types.ts"]) {
  const target = join(root, "dist", file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(root, file), target);
}
