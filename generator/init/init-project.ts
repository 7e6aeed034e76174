import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `cf-flows init <dir>`: a new project of one's own, from templates/project/
 * (shipped in the package) plus a package.json made here, so its tool
 * versions are the ones this cf-flows was tested with. Template names that
 * start with `_` become dot-files (`_gitignore` → `.gitignore`): npm leaves
 * `.gitignore` out of a packed tarball. The project holds none of the
 * tool's own tests, benchmarks, examples or dev-only dependencies.
 */

export interface InitOptions {
  /** What the project's package.json depends on for cf-flows: a version range (default `^<this version>`), or a tarball/folder path. */
  readonly packageSpec?: string;
}

export type InitResult = { readonly ok: true; readonly files: readonly string[] } | { readonly ok: false; readonly error: string };

/** The tool versions a new project's devDependencies get, taken from this package's own. */
const PROJECT_DEV_DEPENDENCIES = ["@cloudflare/vitest-plugin", "@cloudflare/workers-types", "node", "typescript", "vitest", "wrangler"];
/** Install scripts a new project allows (npm ≥ 11 `allowScripts`): Node's binary, esbuild and workerd; the rest are not needed. */
const ALLOW_SCRIPTS = { node: true, esbuild: true, workerd: true, sharp: false, "core-js-pure": false };

export function initProject(dir: string, options: InitOptions = {}): InitResult {
  const target = resolve(dir);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    return { ok: false, error: `${dir} is not empty; cf-flows init only writes into a new or empty folder` };
  }
  const root = packageRoot();
  const templates = join(root, "templates/project");
  const files: string[] = [];
  for (const file of listFiles(templates)) {
    const out = file.split("/").map((part) => (part.startsWith("_") ? `.${part.slice(1)}` : part)).join("/");
    mkdirSync(dirname(join(target, out)), { recursive: true });
    if (/\.(md|jsonc)$/.test(file)) {
      writeFileSync(join(target, out), readFileSync(join(templates, file), "utf8").replaceAll("{{name}}", projectName(target)));
    } else copyFileSync(join(templates, file), join(target, out));
    files.push(out);
  }
  writeFileSync(join(target, "package.json"), projectPackageJson(target, root, options.packageSpec));
  files.push("package.json");
  return { ok: true, files: files.sort() };
}

/** A folder name as an npm package and Worker name: lower case, letters, digits and dashes. */
function projectName(target: string): string {
  return basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "flows";
}

function projectPackageJson(target: string, root: string, spec: string | undefined): string {
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; devDependencies?: Record<string, string> };
  const devDependencies = Object.fromEntries(PROJECT_DEV_DEPENDENCIES.map((name) => [name, own.devDependencies?.[name] ?? "*"]));
  const pkg = {
    name: projectName(target),
    private: true,
    type: "module",
    scripts: {
      generate: "cf-flows generate",
      check: "cf-flows check",
      typecheck: "wrangler types > /dev/null && tsc",
      test: "cf-flows generate --check && npm run typecheck && vitest run && wrangler deploy --dry-run --outdir .wrangler/bundle",
      dev: "cf-flows generate && wrangler dev --ip 127.0.0.1",
      deploy: "cf-flows generate && wrangler deploy",
    },
    dependencies: { "cf-flows": dependencySpec(target, spec, own.version) },
    devDependencies,
    allowScripts: ALLOW_SCRIPTS,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** A path (tarball or folder) becomes `file:` relative to the project, so the project can move with it; anything else is a version range. */
function dependencySpec(target: string, spec: string | undefined, version: string): string {
  if (spec === undefined) return `^${version}`;
  if (spec.endsWith(".tgz") || spec.startsWith(".") || spec.startsWith("/")) return `file:${relative(target, resolve(spec))}`;
  return spec;
}

/** Every file under `dir`, relative to it, with `/`. */
function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

/** The cf-flows package's folder: the nearest package.json above this module (generator/init/ from source, dist/generator/init/ compiled). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "templates"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cf-flows: cannot find the package's own folder (templates/ is missing)");
    dir = up;
  }
  return dir;
}
