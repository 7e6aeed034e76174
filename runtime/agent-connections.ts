import type { Connection } from "agents";

/**
 * The Agent's side of WebSocket authentication. The Worker entry checks the
 * client's token before the Agent is woken (websocket-access.ts) and hands
 * the Agent what the connection was granted, in {@link GRANTS_HEADER}: one
 * grant per auth it satisfied, `none` or a secret's name (never a token).
 * The Worker always sets that header itself, replacing any the client sent,
 * and an Agent is only reachable through the Worker's code, so the header is
 * trusted here; a request without grants is refused all the same.
 *
 * A connection keeps its grants in its state (which survives hibernation):
 * websocket-triggers.ts lets it send only the message types whose auth it
 * satisfied.
 */

export const GRANTS_HEADER = "x-cf-flows-grants";

/** The grant of `auth: none`; every other grant is a secret name (upper-case, so never "none"). */
export const NONE_GRANT = "none";

const GRANT = /^(none|[A-Z_][A-Z0-9_]*)$/;

export function encodeGrants(grants: readonly string[]): string {
  return [...new Set(grants)].sort().join(",");
}

/** The grants the Worker attached to an upgrade request; none when it attached nothing usable. */
export function requestGrants(request: Request): readonly string[] {
  const header = request.headers.get(GRANTS_HEADER);
  if (header === null) return [];
  const grants = header.split(",").map((g) => g.trim());
  return grants.every((g) => GRANT.test(g)) ? grants : [];
}

/** What a connection's state holds. */
interface GrantedState {
  readonly grants: readonly string[];
}

/**
 * Called from the Agent's onConnect: keeps the grants of an authenticated
 * connection, and closes one that has none (1008, policy violation). Such a
 * connection never got the Agent's state: shouldSendProtocolMessages was
 * false for it.
 */
export function admitConnection(connection: Connection, request: Request): boolean {
  const grants = requestGrants(request);
  if (grants.length === 0) {
    connection.close(1008, "unauthorized");
    return false;
  }
  const state: GrantedState = { grants };
  connection.setState(state);
  return true;
}

/** The grants of an open connection (empty if it has none). */
export function connectionGrants(connection: Connection): readonly string[] {
  const state: unknown = connection.state;
  if (state === null || typeof state !== "object") return [];
  const grants = (state as Partial<GrantedState>).grants;
  return Array.isArray(grants) ? grants.filter((g): g is string => typeof g === "string") : [];
}
