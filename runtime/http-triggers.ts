import type { RouteAuth } from "./auth.ts";
import { describeError } from "./errors.ts";
import { readBodyLimited } from "./read-body.ts";
import { bodyRefusal, MAX_REQUEST_BODY_BYTES, readRequest, type RequestContext } from "./request-context.ts";
import { errorResponse, internalError, json, methodNotAllowed, unauthorized } from "./responses.ts";
import { compileRoute, type CompiledRoute } from "./route.ts";

/**
 * The Worker side of http triggers: find the trigger for a request, check
 * its auth, parse it, and hand it to the flow's generated handler. Nothing
 * reaches an Agent or a Workflow before auth and parsing have passed.
 */

/** What a generated trigger handler answers: a status and a JSON body. */
export interface TriggerReply {
  readonly status: number;
  readonly body: unknown;
}

export interface HttpRoute {
  readonly flow: string;
  readonly method: string;
  /** As written in the definition, e.g. `/flights/{id}/approve`. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly handle: (request: RequestContext, env: Cloudflare.Env) => Promise<TriggerReply>;
}

/** The response for a request that matches a trigger's path, or undefined when none does. */
export async function dispatchHttp(routes: readonly HttpRoute[], request: Request, env: Cloudflare.Env): Promise<Response | undefined> {
  const url = new URL(request.url);
  const allowed: string[] = [];
  for (const route of routes) {
    const params = compiled(route).match(url.pathname);
    if (!params) continue;
    if (route.method !== request.method) {
      allowed.push(route.method);
      continue;
    }
    try {
      return await handleRoute(route, request, url, params, env);
    } catch (error) {
      // The cause goes to the log only: it may name internal URLs.
      console.error(`flow ${route.flow}: trigger ${route.method} ${route.path} failed: ${describeError(error)}`);
      return internalError();
    }
  }
  return allowed.length > 0 ? methodNotAllowed(allowed) : undefined;
}

/** Each route's path, compiled once per isolate. */
const compiledRoutes = new WeakMap<HttpRoute, CompiledRoute>();

function compiled(route: HttpRoute): CompiledRoute {
  let known = compiledRoutes.get(route);
  if (!known) compiledRoutes.set(route, (known = compileRoute(route.path)));
  return known;
}

async function handleRoute(route: HttpRoute, request: Request, url: URL, params: Record<string, string>, env: Cloudflare.Env): Promise<Response> {
  // Auth comes first, so an unauthenticated caller learns nothing about what a valid body looks like.
  const raw = route.auth.kind === "hmac" ? await readBodyLimited(request.clone().body, MAX_REQUEST_BODY_BYTES) : { ok: true as const, bytes: new ArrayBuffer(0) };
  if (!raw.ok) {
    const refusal = bodyRefusal(raw.problem);
    return errorResponse(refusal.status, { reason: refusal.reason });
  }
  const auth = await route.auth.check(request, raw.bytes, env);
  if (!auth.ok) return unauthorized(auth.reason);
  const read = await readRequest(request, params, MAX_REQUEST_BODY_BYTES, url);
  if (!read.ok) return errorResponse(read.status, { reason: read.reason });
  const reply = await route.handle(read.ctx, env);
  return json(reply.status, reply.body);
}

/** A cron trigger of a flow; `fire` starts it (or throws why it could not). */
export interface CronRoute {
  readonly flow: string;
  readonly cron: string;
  readonly fire: (time: string, env: Cloudflare.Env) => Promise<void>;
}

/**
 * Runs every cron trigger whose expression fired. One failing trigger does
 * not stop the others; each failure is logged with its flow, then rethrown
 * together so the invocation is marked failed in the dashboard.
 */
export async function dispatchCron(routes: readonly CronRoute[], controller: ScheduledController, env: Cloudflare.Env): Promise<void> {
  const time = new Date(controller.scheduledTime).toISOString();
  const due = routes.filter((r) => r.cron === controller.cron);
  const results = await Promise.allSettled(due.map((r) => r.fire(time, env)));
  const failures = results.flatMap((result, i) => (result.status === "rejected" ? [`flow ${due[i]!.flow}: ${describeError(result.reason)}`] : []));
  for (const failure of failures) console.error(`cron ${controller.cron}: ${failure}`);
  if (failures.length > 0) throw new Error(`${failures.length} cron trigger(s) failed: ${failures.join("; ")}`);
}
