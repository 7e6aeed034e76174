import {
  ACTION_KINDS,
  actionDefinition,
  STEP_COMPANION_KEYS,
  STEP_KINDS,
  stepDefinition,
  TRIGGER_KINDS,
  triggerDefinition,
} from "../schema/kinds.ts";
import { andList, child, isObject, orList, type Json, type Problem } from "./problems.ts";
import { suggestKey } from "./suggest-key.ts";

/**
 * Steps, triggers, agent actions and auth are tagged unions. Validating them
 * through the schema's `oneOf` makes ajv report every branch's complaints;
 * instead we read the kind from the node's keys and validate the node
 * against that kind's definition alone. This walk finds those nodes, names
 * the places errors are reported in ("step 'lookup'"), and reports nodes
 * whose kind cannot be told.
 */

export interface UnionNode {
  readonly pointer: string;
  /** Schema definition to validate the node with. */
  readonly definition: string;
}

export interface Discrimination {
  readonly nodes: UnionNode[];
  /** Every union node, including those with no usable kind (their errors come from here). */
  readonly unionPointers: Set<string>;
  /** pointer → how messages name it ("step 'lookup'", "the http trigger"). */
  readonly owners: Map<string, string>;
  readonly problems: Problem[];
}

const COMMON_STEP_KEYS = ["id", "if", "retries", "timeout"];
const ALL_STEP_KEYS = Object.keys(STEP_KINDS);
const SUPPORTED_STEP_LIST = orList(ALL_STEP_KEYS.map((k) => (k === "then" ? "if + then" : k)));

export function discriminate(root: { [key: string]: Json }): Discrimination {
  const d: Discrimination = { nodes: [], unionPointers: new Set(), owners: new Map([["", "flow"]]), problems: [] };
  const input = root["input"];
  if (isObject(input)) for (const name of Object.keys(input)) d.owners.set(child("/input", name), `input field '${name}'`);
  const triggers = root["triggers"];
  if (Array.isArray(triggers)) triggers.forEach((t, i) => trigger(d, child("/triggers", i), t, i));
  stepList(d, "/steps", root["steps"], "steps");
  stepList(d, "/on_error", root["on_error"], "on_error");
  const poll = root["poll"];
  if (isObject(poll)) {
    d.owners.set("/poll", "poll");
    for (const list of ["on_complete", "on_error"]) {
      const actions = poll[list];
      if (Array.isArray(actions)) actions.forEach((a, i) => action(d, child(child("/poll", list), i), a, list));
    }
  }
  if (isObject(root["workflow"])) d.owners.set("/workflow", "workflow");
  const watch = root["watch"];
  if (isObject(watch)) {
    d.owners.set("/watch", "watch");
    if ("auth" in watch) socketAuth(d, "/watch/auth", watch["auth"], "watch");
  }
  return d;
}

/** Unknown keys of a node whose kind is unknown: most often a misspelt kind key; else the hint lists the kinds. */
function unknownKeys(d: Discrimination, pointer: string, keys: string[], known: readonly string[], owner: string, noKindHint: string): boolean {
  const unknown = keys.filter((k) => !known.includes(k));
  for (const key of unknown) {
    const suggested = suggestKey(key, known);
    const hint = suggested === undefined ? undefined : `did you mean '${suggested}'?`;
    d.problems.push({
      pointer: child(pointer, key),
      at: "key",
      message: `unknown key '${key}' in ${owner}${hint ? `; ${hint}` : ""}`,
      ...(suggested === undefined ? { hint: noKindHint } : { suggested }),
    });
  }
  return unknown.length > 0;
}

function trigger(d: Discrimination, pointer: string, data: Json, index: number): void {
  d.unionPointers.add(pointer);
  if (!isObject(data)) {
    d.owners.set(pointer, `trigger ${index + 1}`);
    d.problems.push({ pointer, at: "value", message: "a trigger must be a mapping such as 'http: POST /orders' with its options", hint: `each trigger has one of ${orList(TRIGGER_KINDS)}` });
    return;
  }
  const keys = Object.keys(data);
  const kinds = keys.filter((k) => TRIGGER_KINDS.includes(k));
  const owner = kinds.length === 1 ? `the ${kinds[0]} trigger` : `trigger ${index + 1}`;
  d.owners.set(pointer, owner);
  if (kinds.length === 0) {
    const known = [...TRIGGER_KINDS, "auth", "send_event", "input", "delay", "at", "instance_id", "agent_name"];
    if (!unknownKeys(d, pointer, keys, known, owner, `each trigger has one of ${orList(TRIGGER_KINDS)}`)) {
      d.problems.push({ pointer, at: "value", message: `${owner} has no kind; give it one of ${orList(TRIGGER_KINDS)}` });
    }
    return;
  }
  if (kinds.length > 1) {
    d.problems.push({ pointer: child(pointer, kinds[1]!), at: "key", message: `a trigger has exactly one kind, but this one has ${andList(kinds.map((k) => `'${k}'`))}`, hint: "write each as its own trigger" });
    return;
  }
  d.nodes.push({ pointer, definition: triggerDefinition(kinds[0]!) });
  if (kinds[0] === "http" && "auth" in data) auth(d, child(pointer, "auth"), data["auth"]);
  if (kinds[0] === "websocket" && "auth" in data) socketAuth(d, child(pointer, "auth"), data["auth"], "a websocket trigger");
}

const AUTH_HINT = "write auth: { bearer: SECRET_NAME }, auth: { hmac: { secret: SECRET_NAME, header: x-signature } } or auth: none";

function auth(d: Discrimination, pointer: string, data: Json | undefined): void {
  d.unionPointers.add(pointer);
  if (data === "none") return;
  if (!isObject(data)) {
    const what = data === null ? "is empty" : `cannot be ${typeof data === "string" ? `'${data}'` : JSON.stringify(data)}`;
    // `auth: MY_TOKEN` is most likely a bearer secret written without its key.
    const hint = typeof data === "string" && /^[A-Z_][A-Z0-9_]*$/.test(data) ? `write auth: { bearer: ${data} }` : AUTH_HINT;
    d.problems.push({ pointer, at: "value", message: `auth ${what}; it is { bearer: … }, { hmac: … } or none`, hint });
    return;
  }
  const keys = Object.keys(data);
  const kinds = keys.filter((k) => k === "bearer" || k === "hmac");
  if (kinds.length === 1) {
    d.nodes.push({ pointer, definition: `auth_${kinds[0]}` });
    return;
  }
  if (kinds.length === 0 && unknownKeys(d, pointer, keys, ["bearer", "hmac"], "auth", AUTH_HINT)) return;
  const message = kinds.length === 0 ? "auth needs 'bearer' or 'hmac'" : "auth has both 'bearer' and 'hmac'; use one";
  d.problems.push({ pointer, at: "value", message, hint: AUTH_HINT });
}

const SOCKET_AUTH_HINT = "write auth: { bearer: SECRET_NAME } or auth: none";

/**
 * The auth of a WebSocket connection (a websocket trigger's or `watch`'s):
 * bearer or none. hmac is refused with its reason: it signs a request body,
 * and opening a connection sends none.
 */
function socketAuth(d: Discrimination, pointer: string, data: Json | undefined, owner: string): void {
  d.unionPointers.add(pointer);
  if (data === "none") return;
  if (!isObject(data)) {
    const what = data === null ? "is empty" : `cannot be ${typeof data === "string" ? `'${data}'` : JSON.stringify(data)}`;
    const hint = typeof data === "string" && /^[A-Z_][A-Z0-9_]*$/.test(data) ? `write auth: { bearer: ${data} }` : SOCKET_AUTH_HINT;
    d.problems.push({ pointer, at: "value", message: `auth ${what}; for ${owner} it is { bearer: … } or none`, hint });
    return;
  }
  const keys = Object.keys(data);
  if (keys.includes("hmac")) {
    d.problems.push({
      pointer: child(pointer, "hmac"),
      at: "key",
      message: `${owner} cannot use hmac: a WebSocket connection has no request body to sign`,
      hint: "use auth: { bearer: SECRET_NAME }; the client sends the token when it connects",
    });
    return;
  }
  if (keys.includes("bearer")) {
    d.nodes.push({ pointer, definition: "auth_bearer" });
    return;
  }
  if (unknownKeys(d, pointer, keys, ["bearer"], "auth", SOCKET_AUTH_HINT)) return;
  d.problems.push({ pointer, at: "value", message: "auth needs 'bearer'", hint: SOCKET_AUTH_HINT });
}

/** `list` names the list in messages about its id-less steps ("step 2 of on_error"). */
function stepList(d: Discrimination, pointer: string, data: Json | undefined, list: string): void {
  if (Array.isArray(data)) data.forEach((s, i) => step(d, child(pointer, i), s, i, list));
}

function step(d: Discrimination, pointer: string, data: Json, index: number, list: string): void {
  d.unionPointers.add(pointer);
  const id = isObject(data) && typeof data["id"] === "string" ? data["id"] : undefined;
  const owner = id !== undefined ? `step '${id}'` : `step ${index + 1} of ${list}`;
  d.owners.set(pointer, owner);
  if (!isObject(data)) {
    d.problems.push({ pointer, at: "value", message: "a step must be a mapping with an 'id' and one kind", hint: "for example '- id: nap' with 'sleep: 1 hour' on the next line" });
    return;
  }
  const keys = Object.keys(data);
  const kinds = keys.filter((k) => ALL_STEP_KEYS.includes(k));
  if (kinds.length === 0) {
    const companion = keys.find((k) => k in STEP_COMPANION_KEYS);
    const known = [...COMMON_STEP_KEYS, ...ALL_STEP_KEYS, ...Object.keys(STEP_COMPANION_KEYS)];
    if (unknownKeys(d, pointer, keys, known, owner, `a step has an id and one kind: ${SUPPORTED_STEP_LIST}`)) return;
    if (companion !== undefined) {
      const { needs, hint } = STEP_COMPANION_KEYS[companion]!;
      d.problems.push({ pointer: child(pointer, companion), at: "key", message: `'${companion}' in ${owner} needs ${needs}; ${hint}` });
    } else {
      d.problems.push({ pointer, at: "value", message: `${owner} has no kind; give it one of ${SUPPORTED_STEP_LIST}` });
    }
    return;
  }
  if (kinds.length > 1) {
    const names = kinds.map((k) => `'${k}'`);
    d.problems.push({ pointer: child(pointer, kinds[1]!), at: "key", message: `a step has exactly one kind, but ${owner} has ${andList(names)}`, hint: "split it into one step per kind" });
    return;
  }
  const kind = kinds[0]!;
  d.nodes.push({ pointer, definition: stepDefinition(kind) });
  nestedLists(d, pointer, kind, data, owner);
}

/** The step lists inside a block, each walked as steps of its own (named for messages). */
function nestedLists(d: Discrimination, pointer: string, kind: string, data: { [key: string]: Json }, owner: string): void {
  const list = (key: string, label: string): void => stepList(d, child(pointer, key), data[key], label);
  switch (kind) {
    case "then":
      list("then", `'then' of ${owner}`);
      list("else", `'else' of ${owner}`);
      return;
    case "switch": {
      const cases = data["cases"];
      if (isObject(cases)) {
        for (const key of Object.keys(cases)) stepList(d, child(child(pointer, "cases"), key), cases[key], `case '${key}' of ${owner}`);
      }
      list("default", `'default' of ${owner}`);
      return;
    }
    case "for_each":
    case "repeat":
      list("steps", `'steps' of ${owner}`);
      return;
    case "parallel": {
      const branches = data["parallel"];
      if (Array.isArray(branches)) {
        branches.forEach((branch, i) => stepList(d, child(child(pointer, "parallel"), i), branch, `branch ${i + 1} of ${owner}`));
      }
      return;
    }
  }
}

function action(d: Discrimination, pointer: string, data: Json, list: string): void {
  d.unionPointers.add(pointer);
  const keys = isObject(data) ? Object.keys(data) : [];
  const kinds = keys.filter((k) => ACTION_KINDS.includes(k));
  const owner = kinds.length === 1 ? `the ${kinds[0]} action in poll.${list}` : `an action in poll.${list}`;
  d.owners.set(pointer, owner);
  if (!isObject(data) || (kinds.length === 0 && !unknownKeys(d, pointer, keys, ACTION_KINDS, owner, `a poll action is one of ${orList(ACTION_KINDS)}`))) {
    d.problems.push({ pointer, at: "value", message: `a poll action is one of ${orList(ACTION_KINDS)}`, hint: "for example: - set_state: { status: ${{ event.status }} }" });
    return;
  }
  if (kinds.length > 1) {
    d.problems.push({ pointer: child(pointer, kinds[1]!), at: "key", message: `an action has exactly one kind, but this one has ${andList(kinds.map((k) => `'${k}'`))}`, hint: "write each as its own list item" });
    return;
  }
  if (kinds.length === 1) d.nodes.push({ pointer, definition: actionDefinition(kinds[0]!) });
}
