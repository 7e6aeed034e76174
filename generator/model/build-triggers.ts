import type { Node } from "yaml";
import type { SourceSpan } from "../diagnostics.ts";
import { contentOffset } from "../load/yaml-nodes.ts";
import { toCron } from "./build-schedule.ts";
import { field, fixedText, has, keySpan, type ModelContext, span, str, toDuration, toTimestamp, toValue } from "./build-values.ts";
import type { Auth, HttpTrigger, SendEvent, SocketAuth, Trigger } from "./types.ts";

/** Stage 3 for `triggers:`; the schema has already fixed each trigger's kind. */
export function buildTriggers(ctx: ModelContext, list: readonly Node[]): Trigger[] {
  return list.map((node, index) => buildTrigger(ctx, node, index));
}

function buildTrigger(ctx: ModelContext, node: Node, index: number): Trigger {
  const get = (key: string): Node | undefined => field(ctx, node, key);
  if (has(ctx, node, "delay") && has(ctx, node, "at")) {
    ctx.bag.error(keySpan(ctx, node, "at"), "a trigger can have 'delay' or 'at', not both", "'delay' waits a fixed time; 'at' starts at a computed time");
  }
  const delay = has(ctx, node, "delay") ? toDuration(ctx, get("delay"), "delay") : undefined;
  const base = {
    index,
    span: span(ctx, node),
    ...(has(ctx, node, "input") ? { input: toValue(ctx, get("input")) } : {}),
    ...(delay ? { delay } : {}),
    ...(has(ctx, node, "at") ? { at: toTimestamp(ctx, get("at"), "at") } : {}),
    ...(has(ctx, node, "instance_id") ? { instanceId: toValue(ctx, get("instance_id")) } : {}),
    ...(has(ctx, node, "agent_name") ? { agentName: toValue(ctx, get("agent_name")) } : {}),
  };
  // A bad cron or route is reported; the trigger is kept (as written) so its
  // expressions and input are still checked in this run.
  if (has(ctx, node, "cron")) {
    return { kind: "cron", cron: toCron(ctx, get("cron")) ?? str(get("cron")) ?? "", ...base };
  }
  if (has(ctx, node, "websocket")) {
    const messageType = fixedText(ctx, get("websocket"), "a websocket message type");
    if (messageType?.trim() === "") ctx.bag.error(span(ctx, get("websocket")), "the websocket message type is empty", "write e.g. websocket: book-flight");
    return { kind: "websocket", messageType: messageType ?? "", auth: buildSocketAuth(ctx, get("auth")), ...base };
  }
  const route = parseRoute(ctx, get("http"));
  const auth = buildAuth(ctx, get("auth"));
  const sendEvent = has(ctx, node, "send_event") ? buildSendEvent(ctx, get("send_event")) : undefined;
  return { kind: "http", ...route, auth, ...(sendEvent ? { sendEvent } : {}), ...base };
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = HttpTrigger["method"];
const isMethod = (m: string): m is Method => (METHODS as readonly string[]).includes(m);

/** `POST /flights/{id}` → method, path and params; each problem at its place in the text. */
function parseRoute(ctx: ModelContext, node: Node | undefined): { method: Method; path: string; params: string[] } {
  const text = fixedText(ctx, node, "an http route") ?? "";
  const base = node ? contentOffset(ctx.src, node) : 0;
  const at = (offset: number): SourceSpan => ({ file: ctx.src.file, start: base + offset, end: base + offset });
  const match = /^(\s*)(\S+)(\s+)(\S+)\s*$/.exec(text);
  if (!match && text === "") return { method: "POST", path: "", params: [] };
  if (!match) {
    ctx.bag.error(at(0), `an http trigger is 'METHOD /path', not '${text}'`, "for example http: POST /flights or http: POST /flights/{id}/cancel");
    return { method: "POST", path: text, params: [] };
  }
  const [, lead, method, gap, path] = match as unknown as [string, string, string, string, string];
  const pathAt = lead.length + method.length + gap.length;
  if (!isMethod(method)) {
    const upper = method.toUpperCase();
    ctx.bag.error(
      at(lead.length),
      isMethod(upper) ? `the method must be upper-case: '${upper}'` : `unknown HTTP method '${method}'`,
      isMethod(upper) ? `write ${upper} ${path}` : `use ${METHODS.join(", ")}`,
    );
  }
  if (!path.startsWith("/")) {
    ctx.bag.error(at(pathAt), `the path '${path}' must start with '/'`, `write ${method} /${path}`);
  }
  const query = path.search(/[?#]/);
  if (query >= 0) {
    ctx.bag.error(at(pathAt + query), "the path cannot have a query string", "read query parameters in expressions as request.query.<name>");
  }
  const params: string[] = [];
  const braces = /\{([^{}]*)\}|[{}]/g;
  for (const m of path.matchAll(braces)) {
    const name = m[1];
    if (name === undefined) {
      ctx.bag.error(at(pathAt + m.index), `unbalanced '${m[0]}' in the path`, "write path parameters as {name}");
      } else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      ctx.bag.error(at(pathAt + m.index), `'{${name}}' is not a valid path parameter`, "use a name of letters, digits and '_', e.g. {id}");
      } else if (params.includes(name)) {
      ctx.bag.error(at(pathAt + m.index), `the path parameter '{${name}}' appears twice`);
      } else {
      params.push(name);
    }
  }
  return { method: isMethod(method) ? method : "POST", path, params };
}

function buildAuth(ctx: ModelContext, node: Node | undefined): Auth {
  const where = span(ctx, node);
  const bearer = field(ctx, node, "bearer");
  if (bearer) return { kind: "bearer", secret: str(bearer) ?? "", span: where };
  const hmac = field(ctx, node, "hmac");
  if (!hmac) return { kind: "none", span: where };
  const algorithm = str(field(ctx, hmac, "algorithm")) ?? "sha256";
  return {
    kind: "hmac",
    secret: str(field(ctx, hmac, "secret")) ?? "",
    header: (str(field(ctx, hmac, "header")) ?? "").toLowerCase(),
    prefix: str(field(ctx, hmac, "prefix")) ?? "",
    algorithm: algorithm === "sha1" || algorithm === "sha512" ? algorithm : "sha256",
    span: where,
  };
}

/** A websocket trigger's or `watch`'s auth; the validator has refused anything but bearer and none. */
export function buildSocketAuth(ctx: ModelContext, node: Node | undefined): SocketAuth {
  const bearer = field(ctx, node, "bearer");
  return bearer ? { kind: "bearer", secret: str(bearer) ?? "", span: span(ctx, node) } : { kind: "none", span: span(ctx, node) };
}

function buildSendEvent(ctx: ModelContext, node: Node | undefined): SendEvent {
  return {
    type: fixedText(ctx, field(ctx, node, "type"), "send_event.type") ?? "",
    instanceId: toValue(ctx, field(ctx, node, "instance_id")),
    ...(has(ctx, node, "payload") ? { payload: toValue(ctx, field(ctx, node, "payload")) } : {}),
    span: span(ctx, node),
  };
}
