import type { Node } from "yaml";
import { entriesOf, itemsOf } from "../load/yaml-nodes.ts";
import { field, has, type ModelContext, span, str, toDuration, toValue } from "./build-values.ts";
import type { Step, SwitchCase } from "./types.ts";

/**
 * Stage 3 for the block steps that hold step lists: switch, for_each,
 * parallel and repeat (the if-block stays with the simple kinds, it is one
 * line). `list` builds a nested step list; it is passed in rather than
 * imported so the two builder files do not import each other.
 */

type StepBase = Omit<Extract<Step, { kind: "http" }>, "kind" | "request">;
type BuildList = (ctx: ModelContext, list: Node | undefined) => Step[];

export const BLOCK_KEYS: readonly string[] = ["switch", "for_each", "parallel", "repeat"];

export function buildBlock(ctx: ModelContext, node: Node, kindKey: string, base: StepBase, list: BuildList): Step | undefined {
  const body = field(ctx, node, kindKey);
  switch (kindKey) {
    case "switch": {
      const casesNode = field(ctx, node, "cases");
      const cases = buildCases(ctx, casesNode, list);
      if (cases.length === 0) ctx.bag.error(span(ctx, casesNode), `switch step '${base.id}' has no cases`, "add at least one, e.g. cases: { express: [ ...steps ] }");
      return { kind: "switch", on: toValue(ctx, body), cases, default: list(ctx, field(ctx, node, "default")), ...base };
    }
    case "for_each": {
      const items = toValue(ctx, body);
      // A list is either written out or computed; plain text is neither.
      if (items.kind === "template" || (items.kind === "literal" && !Array.isArray(items.value))) {
        ctx.bag.error(items.span, "'for_each' must be a list or an expression giving one", "for example for_each: ${{ input.items }}");
      }
      return { kind: "for_each", items, steps: loopSteps(ctx, node, base.id, "for_each", list), ...base };
    }
    case "parallel": {
      const branches = itemsOf(ctx.src, body).map((branch, i) => {
        const steps = list(ctx, branch);
        if (steps.length === 0) ctx.bag.error(span(ctx, branch), `branch ${i + 1} of parallel step '${base.id}' has no steps`, "remove the empty branch");
        return steps;
      });
      if (branches.length === 0) ctx.bag.error(span(ctx, body), `parallel step '${base.id}' has no branches`, "write parallel: [ [ ...steps ], [ ...steps ] ]");
      return { kind: "parallel", branches, ...base };
    }
    case "repeat":
      return buildRepeat(ctx, node, body, base, list);
    default:
      return undefined;
  }
}

/**
 * Case keys are compared as text with the switch value, so `1:` and `"1":`
 * are the same case; YAML sees two keys, we report the second.
 */
function buildCases(ctx: ModelContext, node: Node | undefined, list: BuildList): SwitchCase[] {
  const out: SwitchCase[] = [];
  for (const entry of entriesOf(ctx.src, node)) {
    const where = span(ctx, entry.keyNode);
    if (entry.key.includes("${{")) {
      ctx.bag.error(where, "a case value cannot contain an expression: it must be known when the code is generated", "write the value the switch is compared with, e.g. express:");
    } else if (out.some((c) => c.value === entry.key)) {
      ctx.bag.error(where, `the case '${entry.key}' appears twice in this switch`, "case keys are compared as text, so 1 and \"1\" are the same case");
    }
    out.push({ value: entry.key, span: where, steps: list(ctx, entry.value) });
  }
  return out;
}

function buildRepeat(ctx: ModelContext, node: Node, body: Node | undefined, base: StepBase, list: BuildList): Step {
  const everyNode = field(ctx, body, "every");
  // A bad duration is reported; the placeholder keeps the inner steps checkable.
  const every = toDuration(ctx, everyNode, "repeat.every") ?? { text: "0 seconds", seconds: 0, span: span(ctx, everyNode) };
  const max = Number(str(field(ctx, body, "max")) ?? 1);
  const untilNode = field(ctx, body, "until");
  // Without `until:` every round runs: the same as an until that is never true.
  const until = has(ctx, body, "until") ? toValue(ctx, untilNode) : { kind: "literal" as const, value: false, span: span(ctx, body) };
  if (until.kind === "template" || (until.kind === "literal" && typeof until.value !== "boolean")) {
    ctx.bag.error(until.span, "'repeat.until' must be an expression (or true/false)", "for example until: ${{ steps.check.output.body.status == 'done' }}");
  }
  return { kind: "repeat", every, max, until, steps: loopSteps(ctx, node, base.id, "repeat", list), ...base };
}

/** A loop with nothing in it is a mistake, not a way to wait: sleep says that better. */
function loopSteps(ctx: ModelContext, node: Node, id: string, kind: string, list: BuildList): Step[] {
  const stepsNode = field(ctx, node, "steps");
  const steps = list(ctx, stepsNode);
  if (steps.length === 0 && itemsOf(ctx.src, stepsNode).length === 0) {
    ctx.bag.error(span(ctx, stepsNode), `${kind} step '${id}' has no steps`, `add the steps to run in each round under steps:`);
  }
  return steps;
}
