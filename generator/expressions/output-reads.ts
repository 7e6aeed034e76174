import type { Flow, Step } from "../model/types.ts";
import { childLists, flowSteps, forEachValue } from "../model/walk.ts";
import { flattenAccess, type AccessStep } from "./access.ts";
import type { ExprNode } from "./ast.ts";
import { forEachExpr, walkChildren } from "./walk.ts";

/**
 * Which parts of each step's output the flow reads. Every read of a step
 * output is written `steps.<id>.output…` (the checker insists on a literal
 * id), so the generator knows statically, for each step, the paths later
 * expressions follow into its output. The `http` step uses this to persist
 * only those parts of a response instead of the whole `{ status, headers,
 * body }` (the `read` argument of runtime/http-step.ts `httpCall`).
 *
 * A path is followed while its keys are literal: `steps.x.output.body.items`
 * reads `body.items`, all of it; `steps.x.output.body[input.key]` reads all
 * of `body`; `steps.x.output` alone, or as an argument, reads everything.
 * A block's output is its last step's (per iteration or branch), so a read
 * of a block reads its last steps' outputs (workflow-blocks.ts).
 */

/** What is read of a value: `true` for all of it, else the keys read and what is read of each. */
export type ReadTree = true | { readonly [key: string]: ReadTree };

class Reads {
  all = false;
  readonly keys = new Map<string, Reads>();

  add(path: readonly AccessStep[]): void {
    let node: Reads = this;
    for (const step of path) {
      if (node.all) return;
      if (step.key === undefined) break;
      const key = String(step.key);
      let next = node.keys.get(key);
      if (!next) node.keys.set(key, (next = new Reads()));
      node = next;
    }
    node.all = true;
  }

  tree(): ReadTree {
    if (this.all) return true;
    const out: Record<string, ReadTree> = Object.create(null) as Record<string, ReadTree>;
    for (const key of [...this.keys.keys()].sort()) out[key] = this.keys.get(key)!.tree();
    return out;
  }
}

const cache = new WeakMap<Flow, ReadonlyMap<string, ReadTree>>();

/**
 * What the flow reads of each step's output, by step id. A step that
 * nothing reads is absent (its output is never looked at).
 */
export function outputReads(flow: Flow): ReadonlyMap<string, ReadTree> {
  let known = cache.get(flow);
  if (known) return known;
  const byId = new Map<string, Step>();
  for (const step of flowSteps(flow)) if (!byId.has(step.id)) byId.set(step.id, step);
  const reads = new Map<string, Reads>();
  const read = (id: string, path: readonly AccessStep[]): void => {
    const step = byId.get(id);
    if (!step) return;
    for (const [last, rest] of lastSteps(step, path)) read(last, rest);
    let node = reads.get(id);
    if (!node) reads.set(id, (node = new Reads()));
    node.add(path);
  };
  const visit = (node: ExprNode): void => {
    if (node.kind !== "member" && node.kind !== "index") return walkChildren(node, visit);
    // A chain (`steps.a.output.b[x]`) at once: its base, then any computed keys.
    const { base, path } = flattenAccess(node);
    const id = path[0]?.key;
    if (base.kind === "name" && base.name === "steps" && id !== undefined && path[1]?.key === "output") read(String(id), path.slice(2));
    else visit(base);
    for (const step of path) if (step.index) visit(step.index);
  };
  forEachValue(flow, (value) => forEachExpr(value, visit));
  known = new Map([...reads].map(([id, node]) => [id, node.tree()]));
  cache.set(flow, known);
  return known;
}

/**
 * For a block, the steps whose outputs make up its output and the path read
 * in each; none for a simple step. if / switch / repeat: the last step of
 * each branch, same path. for_each: the last step, the path after the
 * iteration's index. parallel: the last step of the branch a literal index
 * picks, or of every branch.
 */
function lastSteps(step: Step, path: readonly AccessStep[]): [string, readonly AccessStep[]][] {
  const lasts = childLists(step).flatMap((list) => (list.length > 0 ? [list.at(-1)!.id] : []));
  switch (step.kind) {
    case "if":
    case "switch":
    case "repeat":
      return lasts.map((id) => [id, path]);
    case "for_each":
      return lasts.map((id) => [id, path.slice(1)]);
    case "parallel": {
      const first = path[0]?.key;
      const branch = typeof first === "number" || (typeof first === "string" && /^(0|[1-9]\d*)$/.test(first)) ? Number(first) : undefined;
      if (branch === undefined) return lasts.map((id) => [id, path.slice(1)]);
      const list = step.branches[branch];
      return list && list.length > 0 ? [[list.at(-1)!.id, path.slice(1)]] : [];
    }
    default:
      return [];
  }
}
