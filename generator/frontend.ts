import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar } from "yaml";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { type ActionsSource, readActionsSource } from "./actions/actions-module.ts";
import { loadActions } from "./actions/check-actions.ts";
import { checkProject } from "./check/check-project.ts";
import type { FlowFile } from "./check/flow-file.ts";
import { DiagnosticBag } from "./diagnostics.ts";
import { parseDefinition } from "./load/parse-yaml.ts";
import { loadFlowTests } from "./flow-tests/load-flow-tests.ts";
import type { FlowTestFile } from "./flow-tests/types.ts";
import { type DefinitionText, readDefinitions, readFlowTests } from "./load/read-definitions.ts";
import type { YamlSource } from "./load/yaml-nodes.ts";
import { buildFlow } from "./model/build-flow.ts";
import { jsonType } from "./expressions/types.ts";
import type { JsonValue, Project } from "./model/types.ts";
import { validateFlow } from "./validate/validate-flow.ts";

/**
 * Stages 1–4 of the generator: definitions/*.yaml → a checked Project, and
 * the flow tests (definitions/*.test.yaml) checked against it. Bad
 * input never throws; it becomes diagnostics, each at `file:line:col`
 * relative to `rootDir`. A file with YAML or schema errors is not modelled
 * (its later problems show once those are fixed); a file that models is
 * checked even when modelling found problems, so one run reports them all.
 */
export function loadProject(rootDir: string): LoadedProject {
  const bag = new DiagnosticBag();
  const vars = readEnvVars(rootDir, bag);
  const actions = readActionsSource(rootDir);
  const { project, unmodelledIds } = loadFlows(readDefinitions(rootDir), Object.keys(vars).sort(), bag, { actions, envValues: vars });
  const flowTests = loadFlowTests(readFlowTests(rootDir), { flows: project.flows, unmodelledIds }, bag);
  return { project, flowTests, bag };
}

export interface LoadedProject {
  readonly project: Project;
  /** The checked `definitions/*.test.yaml` (dsl.md §9). */
  readonly flowTests: readonly FlowTestFile[];
  readonly bag: DiagnosticBag;
}

export interface LoadOptions {
  /** The actions module `run:` steps call; absent means the project has none. */
  readonly actions?: ActionsSource | undefined;
  /** The values of wrangler.jsonc `vars`, so `env.<VAR>` has their type; absent vars read as strings. */
  readonly envValues?: Readonly<Record<string, JsonValue>>;
}

/** The same from texts in memory (tests, editors): `file` is the project-relative path. */
export function loadDefinitions(
  definitions: readonly DefinitionText[],
  envVars: readonly string[],
  bag: DiagnosticBag,
  options: LoadOptions = {},
): Project {
  return loadFlows(definitions, envVars, bag, options).project;
}

function loadFlows(
  definitions: readonly DefinitionText[],
  envVars: readonly string[],
  bag: DiagnosticBag,
  options: LoadOptions,
): { project: Project; unmodelledIds: ReadonlySet<string> } {
  const files: FlowFile[] = [];
  const unmodelledIds = new Set<string>();
  for (const { file, text } of definitions) {
    const src = parseDefinition(file, text, bag);
    if (!src) continue;
    if (!validateFlow(src, bag)) {
      const id = rawFlowId(src);
      if (id !== undefined) unmodelledIds.add(id);
      continue;
    }
    files.push({ flow: buildFlow(src, bag), src });
  }
  const flows = files.map((f) => f.flow);
  const actions = loadActions(flows, options.actions, bag);
  const envTypes = new Map(Object.entries(options.envValues ?? {}).map(([name, value]) => [name, jsonType(value)]));
  checkProject(files, { envVars, envTypes, unmodelledIds, ...(actions ? { actions } : {}) }, bag);
  return { project: { flows, envVars }, unmodelledIds };
}

/** The `flow:` of a file that did not validate, so other flows may still name it. */
function rawFlowId(src: YamlSource): string | undefined {
  const root = src.doc.contents;
  const id = isMap(root) ? root.get("flow", true) : undefined;
  return isScalar(id) && typeof id.value === "string" ? id.value : undefined;
}

const WRANGLER = "wrangler.jsonc";

/** The plain `vars` of wrangler.jsonc (readable as `env.NAME`) and their values; none when the file is missing. */
function readEnvVars(rootDir: string, bag: DiagnosticBag): Record<string, JsonValue> {
  const path = join(rootDir, WRANGLER);
  if (!existsSync(path)) return {};
  const text = readFileSync(path, "utf8");
  bag.addFile(WRANGLER, text);
  const errors: ParseError[] = [];
  const config: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  // Later parse errors are mostly the first one's echo.
  const first = errors[0];
  if (first) {
    bag.error({ file: WRANGLER, start: first.offset, end: first.offset + first.length }, `${WRANGLER} is not valid JSONC: ${printParseErrorCode(first.error)}`);
  }
  if (typeof config !== "object" || config === null) return {};
  const vars = (config as { vars?: unknown }).vars;
  return typeof vars === "object" && vars !== null && !Array.isArray(vars) ? (vars as Record<string, JsonValue>) : {};
}
