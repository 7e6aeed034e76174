/**
 * Parsing untrusted request data into values the generated code can read
 * without surprises.
 *
 * Objects are built with a null prototype, so an expression such as
 * `request.body.toString` finds nothing instead of a function, and keys that
 * matter to prototype lookups are refused outright: generated code and user
 * actions may merge these objects into others.
 */

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export type SafeParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

class ForbiddenKey extends Error {
  readonly key: string;

  constructor(key: string) {
    super(`forbidden key ${key}`);
    this.key = key;
  }
}

/** A fresh object with no prototype, for untrusted keys. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Parses JSON, refusing {@link FORBIDDEN_KEYS} at any depth; objects get a null prototype. */
export function parseUntrustedJson(text: string, what: string): SafeParse {
  try {
    const value: unknown = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key);
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      // The reviver runs bottom-up, so children are already copied.
      const copy = emptyRecord<unknown>();
      for (const [k, v] of Object.entries(value)) copy[k] = v;
      return copy;
    });
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ForbiddenKey) return { ok: false, reason: `forbidden key ${error.key} in ${what}` };
    return { ok: false, reason: `${what} is not valid JSON` };
  }
}

/** Form fields as a null-prototype record; a repeated name keeps its last value. */
export function parseUntrustedForm(text: string, what: string): SafeParse {
  const record = emptyRecord<string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (FORBIDDEN_KEYS.has(name)) return { ok: false, reason: `forbidden key ${name} in ${what}` };
    record[name] = value;
  }
  return { ok: true, value: record };
}
