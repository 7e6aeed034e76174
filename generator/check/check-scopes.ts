import type { ActionsModule } from "../actions/actions-module.ts";
import { checkRunStep } from "../actions/check-actions.ts";
import type { DiagnosticBag, SourceSpan } from "../diagnostics.ts";
import { flattenAccess } from "../expressions/access.ts";
import { checkValue } from "../expressions/check.ts";
import { inferValueType } from "../expressions/infer.ts";
import { type ContextRoot, createScope, type ExprScope, type InputFieldScope } from "../expressions/scope.ts";
import { arrayOf, type ExprType, memberOf, NULL, nullable, union, UNKNOWN } from "../expressions/types.ts";
import { forEachExpr, walkExpr } from "../expressions/walk.ts";
import type { Flow, Step, Trigger, Value } from "../model/types.ts";
import { checkGuard } from "./check-guards.ts";
import { simpleOutputType } from "./step-types.ts";
import { actionValues, allSteps, childLists, headValues, present, triggerValues } from "../model/walk.ts";

/**
 * Every expression of a flow, checked against what it may read at its place.
 * `flow`, `instance` and `env` are visible everywhere. Beyond that:
 *
 * - Triggers compute the input, so they do not see `input` (nor `steps`);
 *   they see their own data: `request` (http, with its path params),
 *   `schedule` (cron) or `message` (websocket). `instance.id` there is the
 *   id of the instance started or signalled (so `instance_id:` cannot use it).
 * - A step sees `input` and the outputs of the steps that have run before
 *   it. Inside a block (if/switch branch, for_each or repeat round, parallel
 *   branch): the steps before the block plus the earlier steps of its own
 *   list; a parallel branch never sees another branch's steps, which run at
 *   the same time. `item`/`index` exist inside for_each, `attempt` inside
 *   repeat; a repeat's `until` sees every step of its round.
 * - After a block, every step inside it counts as run. Its output may be
 *   null (a branch not taken, a skipped step, an empty list); after a
 *   for_each or repeat it is the last round's. Refusing them would make
 *   those outputs unreachable; the author handles null with `??`.
 * - `output:` sees every step of the main list (nested ones included).
 * - `on_error` steps run after a failure at any point, so they see every main
 *   step (outputs may be null) plus the on_error steps before them.
 * - Poll actions run in the Agent after the instance ended: they see `event`
 *   (status, output, error) and `input` (the agent keeps the input it started
 *   the instance with), but not `steps`.
 *
 * Along the way each step's output type is worked out (step-types.ts) so
 * the expression checker can type `steps.<id>.output`, and run steps are
 * checked against the actions module with those types.
 */
export interface ScopeFacts {
  readonly envVars: readonly string[];
  /** Types of `env.<VAR>` from the values in wrangler.jsonc; absent vars read as strings. */
  readonly envTypes?: ReadonlyMap<string, ExprType>;
  /** The analysed actions module; absent when no step runs an action, or it is missing (reported already). */
  readonly actions?: ActionsModule;
}

export function checkFlowScopes(flow: Flow, facts: ScopeFacts, bag: DiagnosticBag): void {
  const inputFields = new Map<string, InputFieldScope>(flow.input.map((f) => [f.name, { required: f.required, schema: f.schema }]));
  const main = allSteps(flow.steps);
  // Steps left out of a file that failed validation count as present and run everywhere: their own error says it all.
  const hidden = flow.partial?.hiddenSteps ?? [];
  const everyStep = new Set([...[...main, ...allSteps(flow.onError)].map((s) => s.id), ...hidden]);
  const base = { allSteps: everyStep, envVars: facts.envVars, ...(facts.envTypes ? { envTypes: facts.envTypes } : {}) };

  for (const trigger of flow.triggers) {
    const scope = createScope({ ...base, roots: new Set([TRIGGER_ROOTS[trigger.kind]]), ...requestParams(trigger) });
    for (const value of triggerValues(trigger)) checkValue(value, scope, bag);
    const ids = present(trigger.instanceId, trigger.kind === "http" ? trigger.sendEvent?.instanceId : undefined);
    for (const id of ids) forbidInstance(id, bag);
  }

  const steps: StepScope = { ...base, inputFields, roots: new Set(), foreign: new Map(), ...(facts.actions ? { actions: facts.actions } : {}) };
  const walk: Walk = { ran: new Set(hidden), types: new Map() };
  new StepWalker(bag).list(flow.steps, walk, steps);
  if (flow.output) checkValue(flow.output, exprScope(walk, steps), bag);
  // on_error may follow a failure anywhere, so every main step's output may be missing.
  const afterFailure: Walk = { ran: new Set(walk.ran), types: new Map([...walk.types].map(([id, t]) => [id, nullable(t)])) };
  new StepWalker(bag).list(flow.onError, afterFailure, steps);

  if (flow.poll) {
    const scope = createScope({ ...base, inputFields, roots: new Set<ContextRoot>(["event"]) });
    for (const action of [...flow.poll.onComplete, ...flow.poll.onError]) {
      for (const value of actionValues(action)) checkValue(value, scope, bag);
    }
  }
}

/**
 * `foreign` maps the step ids of other parallel branches to their parallel
 * step, so reading one gets its own message instead of "has not run yet".
 */
interface StepScope extends Omit<ExprScope, "stepsRun" | "stepTypes"> {
  readonly foreign: ReadonlyMap<string, string>;
  readonly actions?: ActionsModule;
}

/** What has run at a point of the flow, and the type of each output there. */
interface Walk {
  readonly ran: Set<string>;
  readonly types: Map<string, ExprType>;
}

const fork = (w: Walk): Walk => ({ ran: new Set(w.ran), types: new Map(w.types) });

/**
 * The expression scope at a point of the walk. It reads the walk's sets
 * as they are (no copy per step and per value: that was most of this
 * stage's time), so it is used before the walk moves on: checking a value,
 * or typing a step at its own place.
 */
function exprScope(walk: Walk, scope: StepScope): ExprScope {
  const { foreign: _foreign, actions: _actions, ...rest } = scope;
  return createScope({ ...rest, stepsRun: walk.ran, stepTypes: walk.types });
}

class StepWalker {
  private readonly bag: DiagnosticBag;

  constructor(bag: DiagnosticBag) {
    this.bag = bag;
  }

  /** Walks a step list in order; `walk` grows as steps complete (shared with the caller). */
  list(steps: readonly Step[], walk: Walk, scope: StepScope): void {
    for (const step of steps) {
      const here = exprScope(walk, scope);
      if (step.if) this.guard(step.if, "if", walk, scope);
      if (step.kind === "if") this.guard(step.condition, "if", walk, scope);
      for (const value of headValues(step)) if (step.kind !== "if" || value !== step.condition) this.value(value, walk, scope);
      if (step.kind === "run" && scope.actions) checkRunStep(step, scope.actions, (v) => inferValueType(v, here), this.bag);
      const { output, inner } = this.inside(step, walk, scope, here);
      // A guarded step (or block) that is skipped leaves null behind, inside and out.
      const maybe = (t: ExprType): ExprType => (step.if ? nullable(t) : t);
      for (const [id, type] of inner) {
        walk.ran.add(id);
        walk.types.set(id, maybe(type));
      }
      walk.ran.add(step.id);
      walk.types.set(step.id, maybe(output));
    }
  }

  /** The step's output type and, for a block, the types its inner steps have after it. */
  private inside(step: Step, walk: Walk, scope: StepScope, here: ExprScope): { output: ExprType; inner: Map<string, ExprType> } {
    const inner = new Map<string, ExprType>();
    /** Walks one inner list; returns its last output (null when empty). */
    const run = (list: readonly Step[], listScope: StepScope, optional: boolean, into = fork(walk)): ExprType => {
      this.list(list, into, listScope);
      for (const s of allSteps(list)) inner.set(s.id, optional ? nullable(into.types.get(s.id) ?? UNKNOWN) : (into.types.get(s.id) ?? UNKNOWN));
      const last = list[list.length - 1];
      return last ? (into.types.get(last.id) ?? UNKNOWN) : NULL;
    };
    switch (step.kind) {
      case "if":
      case "switch":
        return { output: union(...childLists(step).map((list) => run(list, scope, true))), inner };
      case "for_each": {
        const items = memberOf(inferValueType(step.items, here), "array")?.element ?? UNKNOWN;
        const round = { ...withRoots(scope, "item", "index"), itemType: items };
        return { output: arrayOf(run(step.steps, round, true)), inner };
      }
      case "repeat": {
        const round = withRoots(scope, "attempt");
        const after = fork(walk);
        const output = run(step.steps, round, false, after);
        this.guard(step.until, "repeat.until", after, round);
        return { output, inner };
      }
      case "parallel": {
        const outputs = step.branches.map((branch, i) => {
          const foreign = new Map(scope.foreign);
          step.branches.forEach((other, j) => {
            if (j !== i) for (const s of allSteps(other)) foreign.set(s.id, step.id);
          });
          return run(branch, { ...scope, foreign }, false);
        });
        return { output: arrayOf(union(...outputs)), inner };
      }
      default:
        return { output: simpleOutputType(step, here, scope.actions), inner };
    }
  }

  /** A guard is checked as a value, then as a boolean (check-guards.ts). */
  private guard(value: Value, key: "if" | "repeat.until", walk: Walk, scope: StepScope): void {
    const before = this.bag.items.length;
    this.value(value, walk, scope);
    // A guard with a wrong name or step in it has been reported; its type would only repeat that.
    if (this.bag.items.length === before) checkGuard(value, key, exprScope(walk, scope), this.bag);
  }

  private value(value: Value, walk: Walk, scope: StepScope): void {
    let seen = walk;
    forEachStepRef(value, (id, span) => {
      const parallel = scope.foreign.get(id);
      if (parallel === undefined) return;
      this.bag.error(span, `step '${id}' runs in another branch of parallel step '${parallel}', at the same time as this one`, `read its output after step '${parallel}'`);
      // Reported here; the expression checker would only add "has not run yet".
      if (seen === walk) seen = { ran: new Set(walk.ran), types: walk.types };
      seen.ran.add(id);
    });
    checkValue(value, exprScope(seen, scope), this.bag);
  }
}

const withRoots = (scope: StepScope, ...roots: ContextRoot[]): StepScope => ({ ...scope, roots: new Set([...scope.roots, ...roots]) });

/** Every literal `steps.<id>` a value reads, once each, with the span of the id. */
function forEachStepRef(value: Value, visit: (id: string, span: SourceSpan) => void): void {
  // walkExpr visits each link of `steps.a.output.b`; all of them start with the same id.
  const seen = new Set<number>();
  forEachExpr(value, (root) =>
    walkExpr(root, (node) => {
      if (node.kind !== "member" && node.kind !== "index") return;
      const { base, path } = flattenAccess(node);
      const first = path[0];
      if (base.kind !== "name" || base.name !== "steps" || first?.key === undefined || seen.has(first.keySpan.start)) return;
      seen.add(first.keySpan.start);
      visit(String(first.key), first.keySpan);
    }),
  );
}

/**
 * In a trigger, `instance.id` is the id of the instance it starts or
 * signals, so the expression that defines that id cannot read it.
 */
function forbidInstance(value: Value, bag: DiagnosticBag): void {
  forEachExpr(value, (root) =>
    walkExpr(root, (node) => {
      if (node.kind === "name" && node.name === "instance") {
        bag.error(node.span, "instance_id cannot read `instance.id`: it defines it", "build the id from the trigger's own data, e.g. request.body.id");
      }
    }),
  );
}

const TRIGGER_ROOTS: Readonly<Record<Trigger["kind"], ContextRoot>> = { http: "request", cron: "schedule", websocket: "message" };

const requestParams = (t: Trigger): Partial<ExprScope> => (t.kind === "http" ? { requestParams: t.params } : {});
