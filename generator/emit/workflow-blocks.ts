import type { Step } from "../model/types.ts";
import { localName, q } from "./code-text.ts";
import { durableSteps } from "./step-count.ts";
import { nestedIds } from "../model/walk.ts";
import type { StepWriter } from "./workflow-steps.ts";

/**
 * The block steps: if, switch, for_each, parallel, repeat. A block's output
 * is its last step's output (per iteration or branch for loops and
 * parallel). Before a block runs, the outputs of the steps inside it are set
 * to null, so a branch not taken or a loop over nothing leaves them null.
 *
 * Loops and parallel branches run their steps in a scope of their own
 * (`const steps = childScope(…)`), which shadows the enclosing `steps`: the
 * compiled expressions inside read this iteration's outputs, and the
 * iteration's outputs are merged out when it ends (runtime/step-scope.ts).
 */

type Block<K extends Step["kind"]> = Extract<Step, { kind: K }>;

export function writeIf(sw: StepWriter, step: Block<"if">): void {
  clearInner(sw, step);
  sw.w.write(`if (${sw.condition(step.condition, sw.name(step.id, ":value"), sw.guardLabel(step.id, "if"))}) `).inlineBlock(() => branch(sw, step.id, step.then));
  sw.w.write(" else ").block(() => branch(sw, step.id, step.else));
}

/** `switch:` compares the value as text (`String(value)`) with the case keys; no match and no default gives null. */
export function writeSwitch(sw: StepWriter, step: Block<"switch">): void {
  clearInner(sw, step);
  sw.w.write(`switch (String(${sw.stable(step.on, sw.name(step.id, ":value"))})) `).block(() => {
    for (const c of step.cases) {
      sw.w.write(`case ${q(c.value)}: `).block(() => {
        branch(sw, step.id, c.steps);
        sw.w.writeLine("break;");
      });
    }
    sw.w.write("default: ").block(() => branch(sw, step.id, step.default));
  });
}

/**
 * `for_each:` the list is computed once (durably when it calls now()/uuid()),
 * checked to be an array, and checked against the step budget before the
 * first iteration. Iteration `index` names its steps `<id>[index].<step>`.
 */
export function writeForEach(sw: StepWriter, step: Block<"for_each">): void {
  const items = localName(step.id, "Items");
  const outputs = localName(step.id, "Outputs");
  const scope = localName(step.id, "Scope");
  const at = localName(step.id, "At");
  sw.imports
    .value("runtime/step-scope.ts", "forEachItems")
    .value("runtime/step-scope.ts", "childScope")
    .value("runtime/step-scope.ts", "mergeScope")
    .value("runtime/step-budget.ts", "checkStepBudget")
    .value("runtime/step-names.ts", "stepPrefix");
  sw.w.writeLine(`const ${items} = forEachItems(${q(step.id)}, ${sw.stable(step.items, sw.name(step.id, ":value"))});`);
  sw.w.writeLine(`checkStepBudget(${q(step.id)}, step, ${items}.length, ${Math.max(1, durableSteps(step.steps))}, ${sw.emit.flow.workflow.stepLimit});`);
  clearInner(sw, step);
  sw.w.writeLine(`const ${outputs}: unknown[] = [];`);
  sw.w.writeLine(`const ${scope} = steps;`);
  sw.w.write(`for (const [index, item] of ${items}.entries()) `).block(() => {
    sw.w.writeLine(`const steps = childScope(${scope});`);
    sw.w.writeLine(`const ${at} = stepPrefix(\`${sw.prefixText()}${step.id}[\${index}].\`);`);
    sw.withPrefix(at, () => sw.steps(step.steps));
    sw.w.writeLine(`mergeScope(${scope}, steps);`);
    sw.w.writeLine(`${outputs}.push(${lastOutput(step.steps)});`);
  });
  sw.w.writeLine(`steps[${q(step.id)}] = ${outputs};`);
}

/** `parallel:` each branch is an async closure with its own scope; all run at once (Promise.all). */
export function writeParallel(sw: StepWriter, step: Block<"parallel">): void {
  const scope = localName(step.id, "Scope");
  const branches = localName(step.id, "Branches");
  sw.imports.value("runtime/step-scope.ts", "childScope").value("runtime/step-scope.ts", "mergeScope");
  clearInner(sw, step);
  sw.w.writeLine(`const ${scope} = steps;`);
  sw.w.write(`const ${branches} = await Promise.all([`).indent(() => {
    for (const list of step.branches) {
      sw.w.write("(async () => ").inlineBlock(() => {
        sw.w.writeLine(`const steps = childScope(${scope});`);
        sw.steps(list);
        sw.w.writeLine("return steps;");
      });
      sw.w.write(")(),").newLine();
    }
  });
  sw.w.writeLine("]);");
  sw.w.writeLine(`mergeScope(steps, ...${branches});`);
  const outputs = step.branches.map((list, i) => (list.length > 0 ? `${branches}[${i}][${q(list.at(-1)!.id)}]` : "null"));
  sw.w.writeLine(`steps[${q(step.id)}] = [${outputs.join(", ")}];`);
}

/**
 * `repeat:` attempt 1..max runs the steps (named `<id>#attempt.<step>`), then
 * `until` (which sees that attempt's outputs); it stops when that is true or
 * at `max`, otherwise sleeps `every` (durably, `<id>#attempt:every`).
 */
export function writeRepeat(sw: StepWriter, step: Block<"repeat">): void {
  const scope = localName(step.id, "Scope");
  const at = localName(step.id, "At");
  const round = `${sw.prefixText()}${step.id}#\${attempt}`;
  sw.imports
    .value("runtime/step-scope.ts", "childScope")
    .value("runtime/step-scope.ts", "mergeScope")
    .value("runtime/step-names.ts", "stepPrefix");
  clearInner(sw, step);
  sw.w.writeLine(`const ${scope} = steps;`);
  sw.w.write("for (let attempt = 1; ; attempt++) ").block(() => {
    sw.w.writeLine(`const steps = childScope(${scope});`);
    sw.w.writeLine(`const ${at} = stepPrefix(\`${round}.\`);`);
    sw.withPrefix(at, () => sw.steps(step.steps));
    sw.w.writeLine(`mergeScope(${scope}, steps);`);
    sw.w.writeLine(`${scope}[${q(step.id)}] = ${lastOutput(step.steps)};`);
    // A volatile `until` is computed in a durable step of its own per attempt.
    const until = sw.condition(step.until, `\`${round}:until\``, sw.guardLabel(step.id, "repeat.until"));
    sw.w.writeLine(`if (attempt >= ${step.max} || ${until}) break;`);
    sw.w.writeLine(`await step.sleep(\`${round}:every\`, ${q(step.every.text)});`);
  });
}

/** A branch's output is its last step's output (null for an empty branch). */
function branch(sw: StepWriter, blockId: string, steps: readonly Step[]): void {
  sw.steps(steps);
  sw.w.writeLine(`steps[${q(blockId)}] = ${lastOutput(steps)};`);
}

function lastOutput(steps: readonly Step[]): string {
  const last = steps.at(-1);
  return last ? `steps[${q(last.id)}]` : "null";
}

function clearInner(sw: StepWriter, step: Step): void {
  const inner = nestedIds(step);
  if (inner.length === 0) return;
  sw.imports.value("runtime/step-scope.ts", "clearSteps");
  sw.w.writeLine(`clearSteps(steps, ${inner.map(q).join(", ")});`);
}
