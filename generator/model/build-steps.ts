import { isSeq, type Node } from "yaml";
import { entriesOf, itemsOf } from "../load/yaml-nodes.ts";
import { STEP_KINDS } from "../schema/kinds.ts";
import { field, fixedText, has, type ModelContext, span, str, toDuration, toEntries, toTimestamp, toValue } from "./build-values.ts";
import type { Backoff, HttpRequestSpec, Retries, Step } from "./types.ts";

/**
 * Stage 3 for `steps:` and `on_error:`. Validation has already made sure each
 * step has exactly one supported kind, so the kind is read from its keys.
 */
export function buildSteps(ctx: ModelContext, list: Node | undefined): Step[] {
  const out: Step[] = [];
  for (const node of itemsOf(ctx.src, list)) {
    const step = buildStep(ctx, node);
    if (step) out.push(step);
  }
  return out;
}

/** Workflows' own defaults, made explicit so emitters need no knowledge of them. */
const DEFAULT_RETRIES = { limit: 5, delay: { text: "10 seconds", seconds: 10 }, backoff: "exponential" as Backoff };

function buildStep(ctx: ModelContext, node: Node): Step | undefined {
  const kindKey = entriesOf(ctx.src, node).find((e) => e.key in STEP_KINDS)?.key;
  const idNode = field(ctx, node, "id");
  if (!kindKey) return undefined;
  const isBlock = kindKey === "then";
  const retries = has(ctx, node, "retries") ? buildRetries(ctx, field(ctx, node, "retries")) : undefined;
  const timeout = has(ctx, node, "timeout") ? toDuration(ctx, field(ctx, node, "timeout"), "timeout") : undefined;
  const base = {
    id: str(idNode) ?? "",
    idSpan: span(ctx, idNode),
    span: span(ctx, node),
    // On an if-block `if:` is the condition, not a guard.
    ...(!isBlock && has(ctx, node, "if") ? { if: toValue(ctx, field(ctx, node, "if")) } : {}),
    ...(retries ? { retries } : {}),
    ...(timeout ? { timeout } : {}),
  };
  const body = field(ctx, node, kindKey);
  switch (kindKey) {
    case "http":
      return { kind: "http", request: buildHttpRequest(ctx, body), ...base };
    case "sleep": {
      // A bad duration is reported; the step stays so later references to it still resolve.
      const duration = toDuration(ctx, body, "sleep") ?? { text: "0 seconds", seconds: 0, span: span(ctx, body) };
      return { kind: "sleep", duration, ...base };
    }
    case "sleep_until":
      return { kind: "sleep_until", until: toTimestamp(ctx, body, "sleep_until"), ...base };
    case "wait_for_event": {
      const timeout = has(ctx, body, "timeout") ? toDuration(ctx, field(ctx, body, "timeout"), "wait_for_event.timeout") : undefined;
      const eventType = fixedText(ctx, field(ctx, body, "type"), "wait_for_event.type") ?? "";
      return { kind: "wait_for_event", eventType, ...(timeout ? { timeout } : {}), ...base };
    }
    case "set":
      return { kind: "set", values: toEntries(ctx, body), ...base };
    case "fail":
      return { kind: "fail", message: toValue(ctx, body), ...base };
    case "then":
      return {
        kind: "if",
        condition: toValue(ctx, field(ctx, node, "if")),
        then: buildSteps(ctx, body),
        else: isSeq(field(ctx, node, "else")) ? buildSteps(ctx, field(ctx, node, "else")) : [],
        ...base,
      };
    default:
      return undefined;
  }
}

function buildRetries(ctx: ModelContext, node: Node | undefined): Retries {
  const limit = Number(str(field(ctx, node, "limit")) ?? DEFAULT_RETRIES.limit);
  const delay = has(ctx, node, "delay") ? toDuration(ctx, field(ctx, node, "delay"), "retries.delay") : undefined;
  const backoff = (str(field(ctx, node, "backoff")) ?? DEFAULT_RETRIES.backoff) as Backoff;
  return { limit, delay: delay ?? { ...DEFAULT_RETRIES.delay, span: span(ctx, node) }, backoff, span: span(ctx, node) };
}

type Method = HttpRequestSpec["method"];

/** An `http:` request, shared by the http step and the agent's http action. */
export function buildHttpRequest(ctx: ModelContext, node: Node | undefined): HttpRequestSpec {
  const expectNode = field(ctx, node, "expect");
  const expect = isSeq(expectNode)
    ? itemsOf(ctx.src, expectNode).map((n) => Number(str(n)))
    : expectNode
      ? [Number(str(expectNode))]
      : undefined;
  return {
    method: (str(field(ctx, node, "method")) ?? "GET") as Method,
    url: toValue(ctx, field(ctx, node, "url")),
    headers: toEntries(ctx, field(ctx, node, "headers")),
    secretHeaders: entriesOf(ctx.src, field(ctx, node, "secret_headers")).map((e) => ({
      header: e.key.toLowerCase(),
      secret: str(e.value) ?? "",
      span: span(ctx, e.value),
    })),
    ...(has(ctx, node, "body") ? { body: toValue(ctx, field(ctx, node, "body")) } : {}),
    ...(expect ? { expect } : {}),
  };
}
