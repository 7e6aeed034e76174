import { childLists } from "../model/walk.ts";
import type { Flow, Step } from "../model/types.ts";
import { suggestKey } from "../validate/suggest-key.ts";
import type { LoopLevel, StepPath } from "./types.ts";

/**
 * Where each step of a flow sits, for naming steps in a test: `mocks:`,
 * `failures:` and `expect.steps` keys are a step id (every iteration of the
 * loops around it) or one iteration's Workflows name, as the generated
 * workflow names it (runtime/step-names.ts): `legs[2].lookup` (0-based item
 * of for_each `legs`), `until_landed#3.check` (round 3 of repeat
 * `until_landed`), nested loops composed outermost first.
 */

/** How many iterations of a for_each a mock of "every iteration" covers (a repeat's own `max` bounds it). */
export const FOR_EACH_MOCK_ITERATIONS = 100;

export interface IndexedStep {
  readonly step: Step;
  /** The loops around the step, outermost first, with no iteration fixed. */
  readonly loops: readonly LoopLevel[];
}

export type Resolved = { readonly ok: true; readonly entry: IndexedStep; readonly path: StepPath } | { readonly ok: false; readonly message: string; readonly hint?: string };

export class StepIndex {
  readonly byId = new Map<string, IndexedStep>();

  constructor(flow: Flow) {
    this.add(flow.steps, []);
    this.add(flow.onError, []);
  }

  private add(steps: readonly Step[], loops: readonly LoopLevel[]): void {
    for (const step of steps) {
      this.byId.set(step.id, { step, loops });
      const inner = loopOf(step);
      for (const list of childLists(step)) this.add(list, inner ? [...loops, inner] : loops);
    }
  }

  /** A key of `mocks:`, `failures:` or `expect.steps` → the step and the iterations it names. */
  resolve(key: string, flowId: string): Resolved {
    const segments = key.split(".");
    const id = segments.pop()!;
    const entry = this.byId.get(id);
    if (!entry) {
      const close = suggestKey(id, this.byId.keys());
      const what = segments.length > 0 ? `'${key}' names step '${id}', but flow '${flowId}' has no such step` : `flow '${flowId}' has no step '${id}'`;
      return { ok: false, message: what, ...(close ? { hint: `did you mean '${[...segments, close].join(".")}'?` } : {}) };
    }
    if (segments.length === 0) return { ok: true, entry, path: { id, loops: entry.loops } };
    const loops: LoopLevel[] = [];
    const pattern = `name one iteration as ${iterationPattern(entry)}`;
    if (segments.length !== entry.loops.length) {
      const message = entry.loops.length === 0 ? `step '${id}' is not inside a for_each or repeat, so '${key}' names no iteration` : `'${key}' does not match the loops around step '${id}'`;
      return { ok: false, message, hint: entry.loops.length === 0 ? `write just '${id}'` : pattern };
    }
    for (const [i, segment] of segments.entries()) {
      const level = entry.loops[i]!;
      const match = /^([a-z][a-z0-9_]*)(?:\[(\d+)\]|#(\d+))$/.exec(segment);
      const index = match ? Number(match[2] ?? match[3]) : Number.NaN;
      const bracketOk = match !== null && (level.kind === "for_each" ? match[2] !== undefined : match[3] !== undefined);
      if (!match || match[1] !== level.id || !bracketOk) return { ok: false, message: `'${key}' does not match the loops around step '${id}'`, hint: pattern };
      if (level.kind === "repeat" && (index < 1 || index > level.count)) {
        return { ok: false, message: `repeat '${level.id}' runs rounds 1 to ${level.count}, so '${segment}' never runs`, hint: pattern };
      }
      loops.push({ ...level, only: index });
    }
    return { ok: true, entry, path: { id, loops } };
  }
}

function loopOf(step: Step): LoopLevel | undefined {
  if (step.kind === "for_each") return { kind: "for_each", id: step.id, count: FOR_EACH_MOCK_ITERATIONS };
  if (step.kind === "repeat") return { kind: "repeat", id: step.id, count: step.max };
  return undefined;
}

/** `legs[<item>].until#<round>.check`, for hints. */
function iterationPattern(entry: IndexedStep): string {
  const prefix = entry.loops.map((l) => (l.kind === "for_each" ? `${l.id}[<item>].` : `${l.id}#<round>.`)).join("");
  const notes = [...new Set(entry.loops.map((l) => (l.kind === "for_each" ? "items count from 0" : "rounds from 1")))];
  return `'${prefix}${entry.step.id}' (${notes.join(", ")})`;
}

/** Steps that run as one `step.do`, so Workflows can replace their result or make them fail. */
const DO_STEPS: ReadonlySet<Step["kind"]> = new Set(["http", "set", "fail", "call", "email", "report", "run"]);

export function runsAsOneStep(step: Step): boolean {
  return DO_STEPS.has(step.kind);
}

/**
 * Name patterns whose start means the step ran: its own Workflows name, or
 * for a block the names of every step inside it. A loop level whose
 * iteration is not fixed is written `[]` / `#` (the runner reads it as "any").
 */
export function ranPatterns(step: Step, path: StepPath): string[] {
  const prefix = path.loops.map((l) => (l.kind === "for_each" ? `${l.id}[${l.only ?? ""}].` : `${l.id}#${l.only ?? ""}.`)).join("");
  return namesOf(step, prefix);
}

function namesOf(step: Step, prefix: string): string[] {
  const lists = childLists(step);
  if (lists.length === 0 && !isBlock(step)) return [`${prefix}${step.id}`];
  const inner = step.kind === "for_each" ? `${prefix}${step.id}[].` : step.kind === "repeat" ? `${prefix}${step.id}#.` : prefix;
  return lists.flatMap((list) => list.flatMap((s) => namesOf(s, inner)));
}

export function isBlock(step: Step): boolean {
  return step.kind === "if" || step.kind === "switch" || step.kind === "for_each" || step.kind === "parallel" || step.kind === "repeat";
}
