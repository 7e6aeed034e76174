import { describe, expect, it } from "vitest";
import { toJson } from "../../runtime/step-values.ts";

// Step outputs are plain JSON data; the conversion runs inside workerd.

describe("toJson", () => {
  it("keeps an own __proto__ key as data, not as the object's prototype", () => {
    const value = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}') as unknown;
    const out = toJson(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.keys(out)).toEqual(["__proto__", "name"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ admin: true });
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
    // And it survives the structured clone Workflows stores outputs with.
    const cloned = structuredClone(out) as Record<string, unknown>;
    expect(Object.getPrototypeOf(cloned)).toBe(Object.prototype);
    expect(Object.keys(cloned)).toEqual(["__proto__", "name"]);
  });

  it("turns values JSON cannot hold into what JSON.stringify would", () => {
    expect(toJson({ a: undefined, b: () => 1, n: Number.NaN, d: new Date(0), big: 10n, list: [undefined, 1] })).toEqual({
      n: null,
      d: "1970-01-01T00:00:00.000Z",
      big: "10",
      list: [null, 1],
    });
  });
});
