/**
 * Durable step names and derived instance ids. Workflows identifies a step by
 * its name, so a replay must produce the same names in the same order: names
 * here depend only on the step id and the loop position, never on time or
 * randomness.
 *
 * - top level: the step id, `reserve`;
 * - inside `for_each`: `each_leg[0].reserve` (0-based item index);
 * - inside `repeat`: `until_landed#3.check` (1-based attempt);
 * - nested loops compose: `legs[1].until_ok#2.check`;
 * - internal steps add a `:` suffix (`x:value`, `x:result`), which step ids
 *   (`[a-z][a-z0-9_]*`) can never contain.
 */

/** Workflows' limit on step names. */
export const MAX_STEP_NAME = 256;
/** Prefixes stay below this so that prefix + id + suffix fits in MAX_STEP_NAME. */
const MAX_PREFIX = 190;

/**
 * The name prefix of one loop iteration, e.g. `` stepPrefix(`${outer}each_leg[${index}].`) ``.
 * Deeply nested loops would outgrow Workflows' limit, so an over-long prefix
 * keeps its start and ends with a hash of the whole (still deterministic and
 * unique).
 */
export function stepPrefix(prefix: string): string {
  if (prefix.length <= MAX_PREFIX) return prefix;
  return `${prefix.slice(0, MAX_PREFIX - 18)}~${shortHash(prefix)}.`;
}

/**
 * 16 hex digits of FNV-1a (64 bit). Not cryptographic: it only keeps
 * shortened names and ids distinct; it is synchronous so names can be
 * computed outside steps.
 */
export function shortHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

const INSTANCE_ID = /^[a-zA-Z0-9_][a-zA-Z0-9-_]*$/;
const MAX_INSTANCE_ID = 100;

/**
 * The instance id of a child flow started by step `stepName` of instance
 * `parentId`: `<parent>-<step>` when that is a valid Workflows id
 * (`^[a-zA-Z0-9_][a-zA-Z0-9-_]*$`, at most 100 characters); otherwise the
 * invalid characters become `_` and a hash of the exact pair is appended, so
 * two different steps never share a child.
 */
export function childInstanceId(parentId: string, stepName: string): string {
  const plain = `${parentId}-${stepName}`;
  if (plain.length <= MAX_INSTANCE_ID && INSTANCE_ID.test(plain)) return plain;
  const cleaned = plain.replace(/[^a-zA-Z0-9_-]/g, "_").replace(/^-/, "_");
  return `${cleaned.slice(0, MAX_INSTANCE_ID - 17)}-${shortHash(`${parentId}\n${stepName}`)}`;
}
