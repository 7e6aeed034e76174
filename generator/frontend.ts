import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { isMap, isScalar } from "yaml";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { actionsAnalysis } from "./actions/actions-cache.ts";
import { type ActionsModule, type ActionsSource, readActionsSource } from "./actions/actions-module.ts";
import { loadActions } from "./actions/check-actions.ts";
import { type CheckMemo, checkProject } from "./check/check-project.ts";
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
import { partialSource } from "./validate/partial-flow.ts";
import { validateFlow } from "./validate/validate-flow.ts";
import { type StageTimings, timed } from "./timings.ts";
import { captured, type FileOutcome, type GeneratorCache } from "./incremental.ts";

/**
 * Stages 1–4 of the generator: definitions/*.yaml → a checked Project, and
 * the flow tests (definitions/*.test.yaml) checked against it. Bad
 * input never throws; it becomes diagnostics, each at `file:line:col`
 * relative to `rootDir`. A file with YAML errors is not modelled; one with
 * schema errors is modelled without the steps, triggers or fields they lie
 * in (validate/partial-flow.ts); a file that models is checked even when
 * modelling found problems, so one run reports them all.
 */
export function loadProject(rootDir: string, hooks: RunHooks = {}): LoadedProject {
  const { timings } = hooks;
  const bag = new DiagnosticBag();
  const { vars, actions, definitions, tests } = timed(timings, "load", () => ({
    vars: readEnvVars(rootDir, bag),
    actions: readActionsSource(rootDir),
    definitions: readDefinitions(rootDir),
    tests: readFlowTests(rootDir),
  }));
  const options = { actions, envValues: vars, ...hooks };
  const { project, unmodelledIds } = loadFlows(definitions, Object.keys(vars).sort(), bag, options);
  // A flow with schema errors is only partly modelled: its tests wait until it validates.
  const modelled = project.flows.filter((f) => !f.partial);
  const flowTests = timed(timings, "check", () => loadFlowTests(tests, { flows: modelled, unmodelledIds }, bag));
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
  readonly timings?: StageTimings;
  readonly cache?: GeneratorCache;
}

/** Optional extras of a run: where the time goes, per stage (bench/generator), and what watch mode keeps between runs. */
export interface RunHooks {
  readonly timings?: StageTimings;
  readonly cache?: GeneratorCache;
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
  const { timings, cache } = options;
  for (const { file, text } of definitions) {
    const outcome = cache ? replayed(cache, file, text, bag, timings) : fileOutcome(file, text, bag, timings);
    if (outcome.rawId !== undefined) unmodelledIds.add(outcome.rawId);
    if (outcome.src && outcome.flow) files.push({ flow: outcome.flow, src: outcome.src });
  }
  const flows = files.map((f) => f.flow);
  timed(timings, "check", () => {
    const analyze = (source: ActionsSource): ActionsModule => {
      const analysis = actionsAnalysis(source, cache?.actions);
      if (cache) cache.actions = analysis;
      return analysis.module;
    };
    const actions = loadActions(flows, options.actions, bag, analyze);
    const envTypes = new Map(Object.entries(options.envValues ?? {}).map(([name, value]) => [name, jsonType(value)]));
    const memo = cache ? checkMemo(cache, bag, [JSON.stringify(options.envValues ?? {}), actions]) : undefined;
    checkProject(files, { envVars, envTypes, unmodelledIds, ...(actions ? { actions } : {}) }, bag, memo);
  });
  return { project: { flows, envVars }, unmodelledIds };
}

/** Stages 1–3 of one file: parse, validate, model (only what parses and validates goes further). */
function fileOutcome(file: string, text: string, bag: DiagnosticBag, timings: StageTimings | undefined): FileOutcome {
  const before = bag.items.length;
  const src = timed(timings, "load", () => parseDefinition(file, text, bag));
  // Unparsable, it has no id to read; its file name stands in (ids match file names), so the
  // tests and calls that name it wait for it instead of saying there is no such flow.
  if (!src) return { diagnostics: bag.items.slice(before), rawId: basename(file).replace(/\.ya?ml$/, "") };
  const validation = timed(timings, "validate", () => validateFlow(src, bag));
  if (!validation.valid) {
    const rawId = rawFlowId(src);
    const raw = rawId !== undefined ? { rawId } : {};
    // The parts that validated are modelled and checked all the same (partial-flow.ts);
    // the flow stays unmodelled for the flows and tests that name it.
    const partial = validation.data ? partialSource(src, validation.data, validation.problems) : undefined;
    if (!partial) return { diagnostics: bag.items.slice(before), src, ...raw };
    const built = timed(timings, "model", () => buildFlow(partial.src, bag));
    const flow = { ...built, partial: { hiddenSteps: partial.hiddenSteps } };
    return { diagnostics: bag.items.slice(before), src: partial.src, flow, ...raw };
  }
  const flow = timed(timings, "model", () => buildFlow(src, bag));
  return { diagnostics: bag.items.slice(before), src, flow };
}

/** fileOutcome, or the cached outcome of the same text with its diagnostics reported again. */
function replayed(cache: GeneratorCache, file: string, text: string, bag: DiagnosticBag, timings: StageTimings | undefined): FileOutcome {
  let made = false;
  const outcome = cache.files.get(file, [text], () => {
    made = true;
    return fileOutcome(file, text, bag, timings);
  });
  if (!made) {
    bag.addFile(file, text);
    bag.replay(outcome.diagnostics);
  }
  return outcome;
}

/** The per-flow checks, cached by the Flow object (the same object exactly while its text is) and the project facts they read. */
function checkMemo(cache: GeneratorCache, bag: DiagnosticBag, facts: readonly unknown[]): CheckMemo {
  return {
    inputs(flow, compile) {
      let made = false;
      const result = cache.inputs.get(flow.file, [flow], () => {
        made = true;
        return captured(bag, () => compile(bag));
      });
      if (!made) bag.replay(result.diagnostics);
      return result.value;
    },
    rules(flow, run) {
      let made = false;
      const diagnostics = cache.rules.get(flow.file, [flow, ...facts], () => {
        made = true;
        return captured(bag, run).diagnostics;
      });
      if (!made) bag.replay(diagnostics);
    },
  };
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
