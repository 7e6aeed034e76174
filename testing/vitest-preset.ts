import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { parse } from "jsonc-parser";
import type { TestProjectInlineConfiguration } from "vitest/config";

/**
 * `cf-flows/vitest`: a vitest project that runs a cf-flows project's tests in
 * workerd against its generated Worker (wrangler.jsonc), in a few lines:
 *
 *   import { defineConfig } from "vitest/config";
 *   import { flowsProject } from "cf-flows/vitest";
 *   export default defineConfig({ test: { projects: [flowsProject()] } });
 *
 * Every secret the flows name (wrangler.jsonc `secrets.required`) is bound to
 * a stand-in value `test-<name>` unless `secrets` gives one, so tests never
 * read .dev.vars and never need real secrets. Compiled (dist/): vitest loads
 * its config with Node, which does not strip types inside node_modules.
 */

export interface FlowsProjectOptions {
  /** The project folder (default: the current directory). */
  readonly root?: string;
  /** Test files (default: tests/**\/*.test.ts). */
  readonly include?: readonly string[];
  /** Secret values for the tests, by name; others named in wrangler.jsonc get `test-<name>`. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** The vitest project's name (default "flows"). */
  readonly name?: string;
}

/**
 * miniflare's local Workflows engine runs on a compatibility date of its own, so
 * without this flag it replaces the message of a NonRetryableError thrown in a
 * step by a generic one; a deployed Worker has it from its compatibility_date.
 */
const LOCAL_ENGINE_FLAGS = ["workflows_preserve_non_retryable_error_message"];

export function flowsProject(options: FlowsProjectOptions = {}): TestProjectInlineConfiguration {
  const root = options.root ?? process.cwd();
  const configPath = join(root, "wrangler.jsonc");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath },
        miniflare: { bindings: { ...standInSecrets(configPath), ...options.secrets }, compatibilityFlags: LOCAL_ENGINE_FLAGS },
      }),
    ],
    test: { name: options.name ?? "flows", include: [...(options.include ?? ["tests/**/*.test.ts"])] },
  };
}

/** `test-<name>` for each name in `secrets.required` of wrangler.jsonc. */
export function standInSecrets(configPath: string): Record<string, string> {
  const config = parse(readFileSync(configPath, "utf8")) as { secrets?: { required?: unknown } } | undefined;
  const names = Array.isArray(config?.secrets?.required) ? config.secrets.required.filter((n): n is string => typeof n === "string") : [];
  return Object.fromEntries(names.map((name) => [name, `test-${name.toLowerCase().replaceAll("_", "-")}`]));
}
