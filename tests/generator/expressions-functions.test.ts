import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { arityText, FUNCTIONS, functionSignature } from "../../generator/expressions/functions.ts";
import { parseTemplate } from "../../generator/expressions/parse.ts";
import { isVolatile, referencedSteps } from "../../generator/expressions/walk.ts";
import { functions } from "../../runtime/expr.ts";
import * as runtime from "../../runtime/expr.ts";

describe("the function list has one source of truth", () => {
  it("runtime implements exactly the functions the generator accepts", () => {
    expect(Object.keys(functions).sort()).toEqual([...FUNCTIONS.keys()].sort());
  });

  it("matches the functions of the language contract", () => {
    const contract =
      "length, contains, startsWith, endsWith, lower, upper, trim, split, join, toJSON, fromJSON, round, floor, ceil, min, max, keys, values, now, addDuration, uuid";
    expect([...FUNCTIONS.keys()].join(", ")).toBe(contract);
  });

  it.each([...FUNCTIONS.values()])("$name is exported by runtime/expr.ts and accepts its arity", (info) => {
    const implementation: unknown = (runtime as Record<string, unknown>)[info.name];
    expect(implementation).toBe(functions[info.name as keyof typeof functions]);
    // JavaScript's `length` counts parameters before the first optional one.
    expect((implementation as (...args: unknown[]) => unknown).length).toBe(info.maxArgs === Infinity ? 0 : info.minArgs);
    expect(info.description).toMatch(/\.$/);
  });

  it("describes arities and signatures for hints", () => {
    expect(functionSignature(FUNCTIONS.get("addDuration")!)).toBe("addDuration(timestamp, duration)");
    expect(arityText(FUNCTIONS.get("uuid")!)).toBe("0 arguments");
    expect(arityText(FUNCTIONS.get("length")!)).toBe("1 argument");
    expect(arityText(FUNCTIONS.get("join")!)).toBe("1 to 2 arguments");
    expect(arityText(FUNCTIONS.get("min")!)).toBe("at least 1 argument");
  });
});

describe("walk helpers", () => {
  const parse = (text: string) => parseTemplate(text, "t.yaml", 0, new DiagnosticBag());

  it("finds values that must be recorded in a durable step", () => {
    expect(isVolatile(parse("id-${{ uuid() }}"))).toBe(true);
    expect(isVolatile(parse("${{ addDuration(now(), '1 hour') }}"))).toBe(true);
    expect(isVolatile(parse("${{ lower(input.x) }}"))).toBe(false);
    expect(isVolatile(parse("now()"))).toBe(false);
  });

  it("lists the steps a value reads", () => {
    const value = parse("${{ steps.b.output.x + steps['a'].output + steps.b.output.y + input.steps }}");
    expect(referencedSteps(value)).toEqual(["b", "a"]);
  });
});
