import { describe, expect, it } from "vitest";
import * as $ from "../../runtime/expr.ts";

// The runtime library of compiled expressions, inside workerd.

describe("at: null-safe reads", () => {
  const data = { a: { b: [10, { c: "x" }] }, n: null, s: "héllo" };

  it("reads nested keys and indexes", () => {
    expect($.at(data, "a", "b", 1, "c")).toBe("x");
    expect($.at(data, "a", "b", "0")).toBe(10);
    expect($.at(data, "a", "b", "length")).toBe(2);
  });

  it("gives undefined instead of throwing on anything missing", () => {
    expect($.at(data, "a", "zz", "c")).toBeUndefined();
    expect($.at(data, "n", "x")).toBeUndefined();
    expect($.at(undefined, "x")).toBeUndefined();
    expect($.at(null, 0)).toBeUndefined();
    expect($.at(5, "toFixed")).toBeUndefined();
    expect($.at(data, "a", "b", 9)).toBeUndefined();
    expect($.at(data, true)).toBeUndefined();
    expect($.at(data, { key: "a" })).toBeUndefined();
  });

  it("never reaches the prototype", () => {
    expect($.at(data, "constructor")).toBeUndefined();
    expect($.at(data, "__proto__")).toBeUndefined();
    expect($.at(data, "a", "hasOwnProperty")).toBeUndefined();
    expect($.at([1], "map")).toBeUndefined();
  });

  it("reads string length and characters", () => {
    expect($.at(data, "s", "length")).toBe(5);
    expect($.at(data, "s", 1)).toBe("é");
    expect($.at(data, "s", "1")).toBe("é");
    expect($.at(data, "s", -1)).toBeUndefined();
    expect($.at(data, "s", "01")).toBeUndefined();
    expect($.at(data, "s", "toUpperCase")).toBeUndefined();
  });

  it("reads null-prototype records as parsed from requests", () => {
    const record = Object.assign(Object.create(null) as Record<string, unknown>, { k: 1 });
    expect($.at(record, "k")).toBe(1);
  });
});

describe("str and num", () => {
  it.each([
    [null, ""],
    [undefined, ""],
    ["s", "s"],
    [1.5, "1.5"],
    [false, "false"],
    [{ a: [1] }, '{"a":[1]}'],
    [[1, "2"], '[1,"2"]'],
  ])("str(%j) = %j", (value, expected) => {
    expect($.str(value)).toBe(expected);
  });

  it.each([
    [3, 3],
    ["4.5", 4.5],
    ["", 0],
    [true, 1],
    [null, 0],
    [undefined, Number.NaN],
    ["abc", Number.NaN],
    [[1], Number.NaN],
    [{}, Number.NaN],
  ])("num(%j) = %j", (value, expected) => {
    expect($.num(value)).toBe(expected);
  });
});

describe("operators", () => {
  it("adds numbers and concatenates when either side is a string", () => {
    expect($.add(1, 2)).toBe(3);
    expect($.add("a", 1)).toBe("a1");
    expect($.add(1, "a")).toBe("1a");
    expect($.add("n=", null)).toBe("n=");
    expect($.add("o=", { a: 1 })).toBe('o={"a":1}');
    expect($.add(null, 1)).toBe(1);
    expect($.add(undefined, 1)).toBeNaN();
  });

  it("does arithmetic like JavaScript", () => {
    expect($.sub("5", 2)).toBe(3);
    expect($.mul(2, true)).toBe(2);
    expect($.div(1, 0)).toBe(Infinity);
    expect($.mod(7, 3)).toBe(1);
    expect($.neg("2")).toBe(-2);
    expect($.neg(null)).toBe(-0);
  });

  it("compares strictly for equality", () => {
    expect($.eq(1, 1)).toBe(true);
    expect($.eq(1, "1")).toBe(false);
    expect($.eq(null, undefined)).toBe(true); // a missing value equals null
    expect($.ne(0, false)).toBe(true);
  });

  it("orders strings as text and everything else as numbers", () => {
    expect($.lt("2026-01-02T00:00:00Z", "2026-01-10T00:00:00Z")).toBe(true);
    expect($.lt("10", "9")).toBe(true);
    expect($.lt(9, "10")).toBe(true);
    expect($.le(2, 2)).toBe(true);
    expect($.gt(3, null)).toBe(true);
    expect($.ge(Infinity, Infinity)).toBe(true);
    for (const op of [$.lt, $.le, $.gt, $.ge]) expect(op(undefined, 1)).toBe(false);
    for (const op of [$.lt, $.le, $.gt, $.ge]) expect(op({}, 1)).toBe(false);
  });

  it("val is the identity", () => {
    const o = {};
    expect($.val(o)).toBe(o);
  });
});

describe("functions", () => {
  it("length of strings, arrays, objects and null", () => {
    expect($.length("abc")).toBe(3);
    expect($.length([1, 2])).toBe(2);
    expect($.length({ a: 1, b: 2 })).toBe(2);
    expect($.length(null)).toBe(0);
    expect($.length(undefined)).toBe(0);
    expect(() => $.length(5)).toThrow("length(): expected a string, array or object, got number");
  });

  it("contains on strings, arrays and objects", () => {
    expect($.contains("delayed flight", "flight")).toBe(true);
    expect($.contains("abc", "x")).toBe(false);
    expect($.contains("a1", 1)).toBe(true);
    expect($.contains(["a", 1, null], 1)).toBe(true);
    expect($.contains(["a", 1], "1")).toBe(false);
    expect($.contains([null], null)).toBe(true);
    expect($.contains([{ a: 1 }], { a: 1 })).toBe(false);
    expect($.contains({ a: 1 }, "a")).toBe(true);
    expect($.contains({ a: 1 }, "toString")).toBe(false);
    expect($.contains(null, "a")).toBe(false);
    expect(() => $.contains(true, "a")).toThrow($.ExpressionError);
  });

  it("string functions treat null as empty text", () => {
    expect($.startsWith("DL264", "DL")).toBe(true);
    expect($.endsWith("DL264", "64")).toBe(true);
    expect($.startsWith(null, "x")).toBe(false);
    expect($.lower("ÀB")).toBe("àb");
    expect($.upper("ab")).toBe("AB");
    expect($.trim("  a b \n")).toBe("a b");
    expect($.lower(null)).toBe("");
    expect($.split("a,b,,c", ",")).toEqual(["a", "b", "", "c"]);
    expect($.split("abc", "")).toEqual(["a", "b", "c"]);
  });

  it("join", () => {
    expect($.join(["a", 1, null, { b: 2 }], "|")).toBe('a|1||{"b":2}');
    expect($.join(["a", "b"])).toBe("a,b");
    expect($.join(null, "-")).toBe("");
    expect(() => $.join("abc", "-")).toThrow("join(): expected an array, got string");
  });

  it("toJSON and fromJSON", () => {
    expect($.toJSON({ a: [1, "x", null] })).toBe('{"a":[1,"x",null]}');
    expect($.toJSON(undefined)).toBe("null");
    expect($.toJSON("s")).toBe('"s"');
    expect($.fromJSON('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect($.fromJSON("3")).toBe(3);
    expect(() => $.fromJSON("{not json")).toThrow('fromJSON(): the text is not valid JSON: "{not json"');
    expect(() => $.fromJSON("x".repeat(50))).toThrow(`fromJSON(): the text is not valid JSON: "${"x".repeat(40)}…"`);
    expect(() => $.fromJSON({ a: 1 })).toThrow("fromJSON(): expected JSON text, got object");
    expect(() => $.fromJSON("{")).toThrow($.ExpressionError);
  });

  it("round, floor, ceil", () => {
    expect($.round(2.5)).toBe(3);
    expect($.round(-2.5)).toBe(-3);
    expect($.round(-0.2)).toBe(0);
    expect($.round(1.005, 2)).toBe(1.01);
    expect($.round(1234.5, -2)).toBe(1200);
    expect($.round("2.44", 1)).toBe(2.4);
    expect($.round(1e-7, 2)).toBe(0);
    expect($.round(1e21)).toBe(1e21);
    expect($.floor(-1.5)).toBe(-2);
    expect($.ceil("1.2")).toBe(2);
  });

  it("min and max over arguments or one array", () => {
    expect($.min(3, 1, 2)).toBe(1);
    expect($.max([3, 1, 2])).toBe(3);
    expect($.max([])).toBeNull();
    expect($.min(null, 4, undefined)).toBe(4);
    expect($.min("2026-03-01", "2026-01-01")).toBe("2026-01-01");
    expect($.max("1", 2)).toBe(2);
    expect(() => $.max("a", 1)).toThrow("max(): expected numbers, or strings only");
  });

  it("keys and values", () => {
    expect($.keys({ a: 1, b: 2 })).toEqual(["a", "b"]);
    expect($.values({ a: 1, b: [2] })).toEqual([1, [2]]);
    expect($.keys(null)).toEqual([]);
    expect($.values(undefined)).toEqual([]);
    expect(() => $.keys("abc")).toThrow("keys(): expected an object, got string");
  });

  it("now and uuid", () => {
    const before = Date.now();
    const now = $.now();
    expect(now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before - 1000);
    const id = $.uuid();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect($.uuid()).not.toBe(id);
  });
});

describe("addDuration", () => {
  it.each([
    ["2026-02-23T10:00:00Z", "1 hour", "2026-02-23T11:00:00.000Z"],
    ["2026-02-23T10:00:00.000Z", "90 minutes", "2026-02-23T11:30:00.000Z"],
    ["2026-02-23", "-2 hours", "2026-02-22T22:00:00.000Z"],
    ["2026-02-23T10:00:00Z", "-2 days", "2026-02-21T10:00:00.000Z"],
    ["2026-02-23T10:00:00Z", "30 seconds", "2026-02-23T10:00:30.000Z"],
    ["2026-02-23T10:00:00Z", "1 second", "2026-02-23T10:00:01.000Z"],
    ["2026-02-23T10:00:00Z", "2 weeks", "2026-03-09T10:00:00.000Z"],
    ["2026-02-23T10:00:00+02:00", "1 day", "2026-02-24T08:00:00.000Z"],
    // A month is 30 days and a year 365 days, as everywhere else a duration is used.
    ["2026-01-31T12:00:00Z", "1 month", "2026-03-02T12:00:00.000Z"],
    ["2026-03-31T00:00:00Z", "-1 month", "2026-03-01T00:00:00.000Z"],
    ["2026-05-15T00:00:00Z", "-5 months", "2025-12-16T00:00:00.000Z"],
    ["2028-02-29T00:00:00Z", "1 year", "2029-02-28T00:00:00.000Z"],
    ["2026-06-01T00:00:00Z", "-2 years", "2024-06-01T00:00:00.000Z"],
    ["2026-02-23T10:00:00Z", "0 days", "2026-02-23T10:00:00.000Z"],
  ])("addDuration(%s, %s)", (timestamp, duration, expected) => {
    expect($.addDuration(timestamp, duration)).toBe(expected);
  });

  it("accepts epoch milliseconds", () => {
    expect($.addDuration(Date.UTC(2026, 0, 1), "1 day")).toBe("2026-01-02T00:00:00.000Z");
  });

  it("rejects what is not a timestamp or a duration", () => {
    expect(() => $.addDuration("not a date", "1 hour")).toThrow(
      'addDuration(): expected an ISO timestamp, got "not a date"',
    );
    expect(() => $.addDuration(undefined, "1 hour")).toThrow("addDuration(): expected an ISO timestamp, got nothing");
    expect(() => $.addDuration("2026-01-01", "1 fortnight")).toThrow(
      "addDuration(): expected a duration such as '1 hour' or '-2 days', got \"1 fortnight\"",
    );
    expect(() => $.addDuration("2026-01-01", 5)).toThrow($.ExpressionError);
  });
});
