import type { Node } from "yaml";
import { entriesOf, itemsOf } from "../load/yaml-nodes.ts";
import { toPollSchedule } from "./build-schedule.ts";
import { buildHttpRequest } from "./build-steps.ts";
import { field, fixedText, has, type ModelContext, span, toValue } from "./build-values.ts";
import type { AgentAction, Poll } from "./types.ts";

/** Stage 3 for `poll:`. */
export function buildPoll(ctx: ModelContext, node: Node): Poll {
  const every = toPollSchedule(ctx, field(ctx, node, "every")) ?? {
    // Reported already; a placeholder keeps the actions checkable in this run.
    kind: "cron",
    cron: "* * * * *",
    span: span(ctx, field(ctx, node, "every")),
  };
  return {
    every,
    onComplete: buildActions(ctx, field(ctx, node, "on_complete")),
    onError: buildActions(ctx, field(ctx, node, "on_error")),
    span: span(ctx, node),
  };
}

function buildActions(ctx: ModelContext, list: Node | undefined): AgentAction[] {
  const out: AgentAction[] = [];
  for (const node of itemsOf(ctx.src, list)) {
    const entry = entriesOf(ctx.src, node)[0];
    if (!entry) continue;
    const where = span(ctx, node);
    switch (entry.key) {
      case "set_state":
        out.push({ kind: "set_state", value: toValue(ctx, entry.value), span: where });
        break;
      case "broadcast":
        out.push({ kind: "broadcast", value: toValue(ctx, entry.value), span: where });
        break;
      case "http":
        out.push({ kind: "http", request: buildHttpRequest(ctx, entry.value), span: where });
        break;
      case "start": {
        const flow = field(ctx, entry.value, "flow");
        out.push({
          kind: "start",
          flow: fixedText(ctx, flow, "start.flow") ?? "",
          flowSpan: span(ctx, flow),
          ...(has(ctx, entry.value, "input") ? { input: toValue(ctx, field(ctx, entry.value, "input")) } : {}),
          span: where,
        });
        break;
      }
    }
  }
  return out;
}
