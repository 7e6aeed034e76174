import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import type { ExprType } from "../expressions/types.ts";
import type { Flow, Step, Value } from "../model/types.ts";
import { allSteps } from "../model/walk.ts";
import { andList } from "../validate/problems.ts";
import { didYouMeanKey } from "../validate/suggest-key.ts";
import { ACTIONS_MODULE, type ActionExport, type ActionsModule, type ActionsSource, analyzeActions } from "./actions-module.ts";
import { checkArgument } from "./check-argument.ts";

/**
 * `run:` steps against the actions module: the function exists, is async,
 * and `with:` fits its first parameter. Every problem is reported at the
 * YAML key or value concerned; the module is only read when a step runs
 * an action.
 */

export type RunStep = Extract<Step, { kind: "run" }>;

/** Every run step of the flows, nested and on_error ones included. */
export function runSteps(flows: readonly Flow[]): RunStep[] {
  return flows.flatMap((f) => [...allSteps(f.steps), ...allSteps(f.onError)]).filter((s): s is RunStep => s.kind === "run");
}

/**
 * The action names the flows run, sorted and unique: what the emitted
 * workflows import from ACTIONS_MODULE.
 */
export function usedActions(flows: readonly Flow[]): string[] {
  return [...new Set(runSteps(flows).map((s) => s.action))].filter((n) => n !== "").sort();
}

/**
 * Reads the actions module when a step runs an action (a missing module is
 * reported at each such step). The steps themselves are checked with
 * checkRunStep during the scope walk, which knows each `with:` value's
 * expression types.
 */
export function loadActions(
  flows: readonly Flow[],
  source: ActionsSource | undefined,
  bag: DiagnosticBag,
  analyze: (source: ActionsSource) => ActionsModule = analyzeActions,
): ActionsModule | undefined {
  const steps = runSteps(flows);
  if (steps.length === 0) return undefined;
  if (!source) {
    for (const step of steps) {
      bag.error(step.actionSpan, `step '${step.id}' runs '${step.action}', but the project has no actions module ${ACTIONS_MODULE}`, `create ${ACTIONS_MODULE} with export async function ${step.action}(args, ctx) { … }`);
    }
    return undefined;
  }
  return analyze(source);
}

/** `typeOf` gives the static type of an expression value at the step. */
export function checkRunStep(step: RunStep, module: ActionsModule, typeOf: (value: Value) => ExprType, bag: DiagnosticBag): void {
  const action = module.exports.get(step.action);
  if (!action) {
    const names = [...module.exports.values()].filter((e) => e.kind === "action").map((e) => e.name);
    const hint = didYouMeanKey(step.action, names) ?? (names.length ? `the actions are ${names.join(", ")}` : `export async functions from ${module.file}`);
    bag.error(step.actionSpan, `unknown action '${step.action}': ${module.file} exports no function of that name`, hint);
    return;
  }
  if (action.kind === "value") {
    bag.error(step.actionSpan, `'${step.action}' in ${module.file} is not a function`, "run steps call exported async functions");
    return;
  }
  if (action.kind === "sync") {
    bag.error(step.actionSpan, `action '${step.action}' must be async: it returns ${action.returnText}, not a Promise`, `declare it as export async function ${step.action}(args, ctx)`);
  }
  checkWith(step, action, typeOf, bag);
}

function checkWith(step: RunStep, action: ActionExport, typeOf: (value: Value) => ExprType, bag: DiagnosticBag): void {
  const given = step.with;
  if (!action.argument) {
    if (given) bag.warning(given.span, `action '${action.name}' takes no arguments, so 'with' is ignored`, "remove 'with', or add a parameter to the function");
    return;
  }
  if (!given) {
    if (!action.argumentOptional) reportMissing(action, requiredKeys(action), step.actionSpan, bag);
    return;
  }
  checkArgument(given, action.argument, action.name, typeOf, bag);
}

function requiredKeys(action: ActionExport): string[] {
  const arg = action.argument;
  return arg?.kind === "object" ? arg.properties.filter((p) => !p.optional).map((p) => p.name) : [];
}

function reportMissing(action: ActionExport, keys: readonly string[], span: SourceSpan, bag: DiagnosticBag): void {
  if (keys.length === 0) return;
  const list = andList(keys.map((k) => `'${k}'`));
  bag.error(span, `action '${action.name}' needs ${list}, but the step has no 'with'`, `add with: with ${andList([...keys])}`);
}
