import type { Node } from "yaml";
import { has, keySpan, type ModelContext } from "./build-values.ts";

/**
 * dsl.md §5 lets every step carry `retries` and `timeout`, but both bound one
 * durable `step.do`. Where a step kind has no such call to bound, silently
 * dropping the option would let a flow promise something it never does, so
 * each such pair is refused here with the reason and what to write instead.
 * Kinds not listed (http, set, call, email, report, run) honour both.
 */

type Option = "retries" | "timeout";

interface Refusal {
  readonly why: string;
  readonly hint: string;
}

const BLOCK: Readonly<Record<Option, Refusal>> = {
  retries: { why: "each step inside it is a durable step with retries of its own", hint: "set retries on the steps inside the block" },
  timeout: { why: "a timeout bounds one durable step, and a block runs many", hint: "set timeout on the steps inside the block" },
};

const NO_RETRY: Refusal = { why: "it cannot fail, so there is nothing to retry", hint: "remove 'retries'" };

const REFUSED: Readonly<Record<string, Partial<Record<Option, Refusal>>>> = {
  sleep: { retries: NO_RETRY, timeout: { why: "it always lasts exactly its duration", hint: "shorten the sleep instead" } },
  sleep_until: { retries: NO_RETRY, timeout: { why: "it always waits until its time", hint: "compute an earlier time, e.g. with addDuration" } },
  wait_for_event: {
    retries: { why: "a wait is not repeated; it ends when the event arrives or its timeout passes", hint: "set the wait's own timeout: wait_for_event: { type: …, timeout: 1 day }" },
    timeout: { why: "the wait has its own timeout, inside wait_for_event", hint: "write wait_for_event: { type: …, timeout: 1 day }" },
  },
  fail: {
    retries: { why: "it fails on purpose and is never retried", hint: "remove 'retries'" },
    timeout: { why: "it ends at once", hint: "remove 'timeout'" },
  },
  if: BLOCK,
  switch: BLOCK,
  for_each: BLOCK,
  parallel: BLOCK,
  repeat: { retries: BLOCK.retries, timeout: { why: BLOCK.timeout.why, hint: "set timeout on the steps inside it, and bound the rounds with repeat.max" } },
};

/** Reports `retries`/`timeout` where the step kind cannot honour them; returns the options the step keeps. */
export function allowedStepOptions(ctx: ModelContext, node: Node, kind: string): ReadonlySet<Option> {
  const allowed = new Set<Option>();
  for (const option of ["retries", "timeout"] as const) {
    if (!has(ctx, node, option)) continue;
    const refusal = REFUSED[kind]?.[option];
    if (!refusal) {
      allowed.add(option);
      continue;
    }
    const what = kind === "if" ? "an if block" : BLOCK_KINDS.has(kind) ? `a ${kind} block` : `a ${kind} step`;
    ctx.bag.error(keySpan(ctx, node, option), `'${option}' cannot be used on ${what}: ${refusal.why}`, refusal.hint);
  }
  return allowed;
}

const BLOCK_KINDS: ReadonlySet<string> = new Set(["if", "switch", "for_each", "parallel", "repeat"]);
