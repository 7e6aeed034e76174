import { routeAgentRequest } from "agents";
import { encodeGrants, GRANTS_HEADER, NONE_GRANT } from "./agent-connections.ts";
import { bearerToken, tokenMatches } from "./auth.ts";
import { describeError } from "./errors.ts";
import { errorResponse, internalError } from "./responses.ts";
import { readSecret } from "./secrets.ts";

/**
 * Who may reach an Agent: the Worker entry's gate in front of the Agents
 * SDK's `/agents/<agent>/<name>` route. Every request under `/agents/` goes
 * through serveAgentRequest; only an authenticated WebSocket upgrade reaches
 * (and wakes) an Agent. Everything else is answered here with a JSON
 * `{ error, reason }`:
 *
 * - 404: an agent this Worker does not have, or another path under it;
 * - 403: an agent none of whose flows has a websocket trigger or `watch`;
 * - 426: a plain HTTP request (only WebSocket upgrades are served);
 * - 400: a token in the URL, a malformed token subprotocol, or the SDK's
 *   Cap'n Web transport (it keeps the Agent in memory while connected);
 * - 401: no token, or one that matches none of the agent's auths.
 *
 * How a client presents its token: a browser's `WebSocket` cannot set an
 * `Authorization` header, and a URL (query string included) is written to
 * access logs, so the token rides in the `Sec-WebSocket-Protocol` header,
 * which the WebSocket API can set: the client offers the subprotocols
 * `cf-flows` and `bearer.<token as base64url>` (a subprotocol must be an
 * HTTP token; base64url keeps any token one). The Worker answers with
 * `cf-flows`, the one a browser needs echoed for the handshake to complete,
 * never with the token. Non-browser clients may send `Authorization: Bearer`
 * instead. A first-frame handshake was not chosen: the Agents SDK sends the
 * agent's state as soon as a connection opens, and refusing before the Agent
 * is woken is cheaper than refusing inside it.
 */

/** One websocket trigger's or watch's auth, as the generated Worker lists it. */
export type SocketAuth = { readonly kind: "none" } | { readonly kind: "bearer"; readonly secret: string };

/** Agent URL segment (`order-agent`) → the auths of its flows' websocket triggers and watches (empty: it accepts no connection). */
export type AgentAccess = Readonly<Record<string, readonly SocketAuth[]>>;

/** The subprotocol the server selects; a client offers it next to its token. */
export const SUBPROTOCOL = "cf-flows";
export const TOKEN_PROTOCOL_PREFIX = "bearer.";

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The query parameter that selects the Agents SDK's Cap'n Web transport (`?__agents_transport=capnweb`). */
const CAPNWEB_TRANSPORT = "__agents_transport";
/** Query parameter names that suggest a credential; useAgent's own `_pk` and the like pass. */
const CREDENTIAL_NAME = /token|auth|bearer|secret|passw|api[-_]?key|^key$|jwt|session/i;

export type Admission =
  | { readonly ok: true; readonly request: Request; readonly grants: readonly string[]; readonly protocol?: string }
  | { readonly ok: false; readonly response: Response };

/**
 * The Worker entry's handler for `/agents/…`: undefined for other paths;
 * otherwise the Agent's 101 answer for an admitted upgrade, or the refusal.
 */
export async function serveAgentRequest(request: Request, env: Cloudflare.Env, access: AgentAccess): Promise<Response | undefined> {
  const admission = await checkAgentRequest(request, env, access);
  if (admission === undefined) return undefined;
  if (!admission.ok) return admission.response;
  const response = await routeAgentRequest(admission.request, env);
  if (!response) return internalError();
  if (admission.protocol === undefined || !response.webSocket) return response;
  // The SDK's 101 names no subprotocol; a browser that offered some closes a handshake that selects none.
  return new Response(null, { status: 101, webSocket: response.webSocket, headers: { "sec-websocket-protocol": admission.protocol } });
}

/**
 * Decides about a request under `/agents/`: the request to forward (with the
 * grants, without the token) or the refusal. Undefined for other paths.
 */
export async function checkAgentRequest(request: Request, env: unknown, access: AgentAccess): Promise<Admission | undefined> {
  const url = new URL(request.url);
  const parts = url.pathname.split("/").filter(Boolean);
  if (parts[0] !== "agents") return undefined;
  const agent = parts[1];
  const auths = agent !== undefined && Object.hasOwn(access, agent) ? access[agent] : undefined;
  if (parts.length !== 3 || auths === undefined) {
    return refuse(404, "not_found", "no agent here: agents are reached at /agents/<agent>/<name>");
  }
  if (auths.length === 0) {
    return refuse(403, "forbidden", `agent ${agent} accepts no connections: none of its flows has a websocket trigger or watch`);
  }
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || request.method !== "GET") {
    return refuse(426, "upgrade_required", "an agent serves only WebSocket connections (GET with Upgrade: websocket)", { upgrade: "websocket" });
  }
  const inUrl = [...url.searchParams.keys()].find((name) => CREDENTIAL_NAME.test(name));
  if (inUrl !== undefined) {
    return refuse(400, "token_in_url", `do not put a token in the URL ('${inUrl}'): URLs are logged. Offer the subprotocols "cf-flows" and "bearer.<token as base64url>", or send Authorization: Bearer <token>`);
  }
  if (url.searchParams.has(CAPNWEB_TRANSPORT)) {
    // The SDK's Cap'n Web transport keeps the Agent in memory for as long as the connection lasts: not offered.
    return refuse(400, "bad_request", `the ${CAPNWEB_TRANSPORT} transport is not served; connect with a plain WebSocket`);
  }
  const presented = presentedToken(request);
  if (!presented.ok) return refuse(400, "bad_request", presented.reason);
  let grants: string[];
  try {
    grants = await grantsFor(auths, presented.token, env);
  } catch (error) {
    // A missing secret is the server's misconfiguration: its name goes to the log, not to the client.
    console.error(`agent ${agent}: cannot check a connection: ${describeError(error)}`);
    return { ok: false, response: internalError() };
  }
  if (presented.token !== undefined && !grants.some((g) => g !== NONE_GRANT)) return refuse(401, "unauthorized", "invalid bearer token");
  if (grants.length === 0) {
    return refuse(401, "unauthorized", 'missing bearer token: offer the subprotocols "cf-flows" and "bearer.<token as base64url>", or send Authorization: Bearer <token>');
  }
  const headers = new Headers(request.headers);
  // The Agent needs the grants, not the token: nothing downstream can log it.
  headers.delete("authorization");
  headers.set(GRANTS_HEADER, encodeGrants(grants));
  if (presented.protocol !== undefined) headers.set("sec-websocket-protocol", presented.protocol);
  else headers.delete("sec-websocket-protocol");
  return {
    ok: true,
    request: new Request(request.url, { method: "GET", headers }),
    grants,
    ...(presented.protocol !== undefined ? { protocol: presented.protocol } : {}),
  };
}

type Presented = { readonly ok: true; readonly token?: string; readonly protocol?: string } | { readonly ok: false; readonly reason: string };

/** The token from `Authorization: Bearer` or the `bearer.<base64url>` subprotocol (one of them at most). */
export function presentedToken(request: Request): Presented {
  const header = bearerToken(request);
  const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  if (offered.length === 0) return header === undefined ? { ok: true } : { ok: true, token: header };
  if (!offered.includes(SUBPROTOCOL)) {
    return { ok: false, reason: `offer the subprotocol "${SUBPROTOCOL}" (the one the server selects) next to "bearer.<token as base64url>"` };
  }
  const carried = offered.filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  if (carried.length > 1 || (carried.length === 1 && header !== undefined)) return { ok: false, reason: "send one token, not several" };
  if (carried.length === 0) return header === undefined ? { ok: true, protocol: SUBPROTOCOL } : { ok: true, token: header, protocol: SUBPROTOCOL };
  const token = decodeBase64Url(carried[0]!.slice(TOKEN_PROTOCOL_PREFIX.length));
  if (token === undefined) return { ok: false, reason: 'the "bearer.<token>" subprotocol must carry the token as base64url (A-Z a-z 0-9 - _, no padding)' };
  return { ok: true, token, protocol: SUBPROTOCOL };
}

/** The grants a token (or no token) earns: `none` for each `auth: none`, the secret's name for each bearer secret it equals. */
async function grantsFor(auths: readonly SocketAuth[], token: string | undefined, env: unknown): Promise<string[]> {
  const grants: string[] = [];
  for (const auth of auths) {
    if (auth.kind === "none") grants.push(NONE_GRANT);
    // Compared with every secret, matched or not, so the time taken says nothing about which matched.
    else if (token !== undefined && (await tokenMatches(token, readSecret(env, auth.secret)))) grants.push(auth.secret);
  }
  return grants;
}

function decodeBase64Url(text: string): string | undefined {
  if (!BASE64URL.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const token = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return token === "" ? undefined : token;
  } catch {
    return undefined;
  }
}

function refuse(status: number, error: string, reason: string, headers?: HeadersInit): Admission {
  return { ok: false, response: errorResponse(status, { error, reason }, headers) };
}
