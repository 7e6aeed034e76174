import { isSeq, type Node } from "yaml";
import { entriesOf, itemsOf } from "../load/yaml-nodes.ts";
import { STEP_KINDS } from "../schema/kinds.ts";
import { BLOCK_KEYS, buildBlock } from "./build-blocks.ts";
import { allowedStepOptions } from "./step-options.ts";
import { field, fixedText, has, keySpan, type ModelContext, span, str, toDuration, toEntries, toTimestamp, toValue } from "./build-values.ts";
import type { Backoff, EmailSpec, HttpRequestSpec, Retries, Step } from "./types.ts";

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
  const isIfBlock = kindKey === "then";
  const options = allowedStepOptions(ctx, node, isIfBlock ? "if" : kindKey);
  const retries = options.has("retries") ? buildRetries(ctx, field(ctx, node, "retries")) : undefined;
  const timeout = options.has("timeout") ? toDuration(ctx, field(ctx, node, "timeout"), "timeout") : undefined;
  const base = {
    id: str(idNode) ?? "",
    idSpan: span(ctx, idNode),
    span: span(ctx, node),
    // On an if-block `if:` is the condition, not a guard.
    ...(!isIfBlock && has(ctx, node, "if") ? { if: toValue(ctx, field(ctx, node, "if")) } : {}),
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
    case "call": {
      const flow = field(ctx, body, "flow");
      const wait = field(ctx, body, "wait");
      return {
        kind: "call",
        flow: fixedText(ctx, flow, "call.flow") ?? "",
        flowSpan: span(ctx, flow),
        ...(has(ctx, body, "input") ? { input: toValue(ctx, field(ctx, body, "input")) } : {}),
        // dsl.md §5: a call waits for the child unless told otherwise.
        wait: wait === undefined ? true : str(wait) !== "false",
        ...base,
      };
    }
    case "email":
      return { kind: "email", email: buildEmail(ctx, body, base.id), ...base };
    case "report":
      return { kind: "report", progress: toValue(ctx, field(ctx, body, "progress")), ...base };
    case "run":
      return {
        kind: "run",
        action: str(body) ?? "",
        actionSpan: span(ctx, body),
        ...(has(ctx, node, "with") ? { with: toValue(ctx, field(ctx, node, "with")) } : {}),
        ...base,
      };
    default:
      return buildBlock(ctx, node, kindKey, base, buildSteps);
  }
}

/**
 * A block is not one durable call, so there is nothing for `retries` or
 * `timeout` to apply to; saying so beats silently ignoring them.
 */
const EMAIL_OPTIONAL = [
  ["text", "text"],
  ["html", "html"],
  ["cc", "cc"],
  ["bcc", "bcc"],
  ["reply_to", "replyTo"],
] as const;

function buildEmail(ctx: ModelContext, node: Node | undefined, id: string): EmailSpec {
  const optional: { -readonly [K in keyof EmailSpec]?: EmailSpec[K] } = {};
  for (const [key, name] of EMAIL_OPTIONAL) if (has(ctx, node, key)) optional[name] = toValue(ctx, field(ctx, node, key));
  if (!optional.text && !optional.html) {
    ctx.bag.error(span(ctx, node), `the email of step '${id}' has no body; give it 'text', 'html' or both`, "for example text: Your order has shipped.");
  }
  return {
    to: toValue(ctx, field(ctx, node, "to")),
    from: toValue(ctx, field(ctx, node, "from")),
    subject: toValue(ctx, field(ctx, node, "subject")),
    ...optional,
  };
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
    ...(str(field(ctx, node, "secrets_to_any_host")) === "true" ? { secretsToAnyHost: keySpan(ctx, node, "secrets_to_any_host") } : {}),
  };
}
