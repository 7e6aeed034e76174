import { NonRetryableError } from "cloudflare:workflows";
import { describe, expect, it } from "vitest";
import { HttpStepFatalError } from "../../runtime/errors.ts";
import { encodeStrictly, urlComponent, urlSegment, urlStart } from "../../runtime/url-template.ts";

/** The helpers generated `url:` code wraps each `${{ }}` in (runtime/url-template.ts). */

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

const HOSTILE: readonly (readonly [string, string])[] = [
  ["../", "..%2F"],
  ["?", "%3F"],
  ["#", "%23"],
  ["%2F", "%252F"],
  ["@", "%40"],
  ["//evil.example", "%2F%2Fevil.example"],
  ["a\r\nb", "a%0D%0Ab"],
  ["é", "%C3%A9"],
  ["📚", "%F0%9F%93%9A"],
  ["&x=1", "%26x%3D1"],
  ["a+b c", "a%2Bb%20c"],
  ["\\", "%5C"],
  ["~-._", "~-._"],
];

describe("urlSegment", () => {
  it.each(HOSTILE)("encodes %j as one segment", (value, encoded) => {
    expect(urlSegment(value, "input.id")).toBe(encoded);
    const url = new URL(`https://api.example.com/books/${urlSegment(value, "input.id")}/status`);
    expect(url.origin).toBe("https://api.example.com");
    expect(url.pathname.split("/")).toHaveLength(4);
    expect(url.search).toBe("");
  });

  it("stringifies numbers and booleans", () => {
    expect(urlSegment(42, "input.n")).toBe("42");
    expect(urlSegment(-1.5, "input.n")).toBe("-1.5");
    expect(urlSegment(true, "input.b")).toBe("true");
  });

  it.each([".", ".."])("refuses %j, which URL parsers treat as a dot-segment however it is encoded", (value) => {
    const error = failure(() => urlSegment(value, "input.id"));
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toBe(`the URL's path \${{ input.id }} is '${value}', which would move up or stay in the path instead of naming one segment.`);
    // Why not encode: %2E%2E is still a dot-segment to the WHATWG parser.
    expect(new URL("https://a.example/b/%2E%2E/c").pathname).toBe("/c");
  });

  it.each([
    [null, "is missing (null)"],
    [undefined, "is missing (null)"],
    [{ a: 1 }, "is an object"],
    [["a"], "is a list"],
  ])("fails without retry for %j", (value, what) => {
    const error = failure(() => urlSegment(value, "input.id"));
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error.message).toBe(`the URL's path \${{ input.id }} ${what}; a value placed in a URL must be text, a number or a boolean.`);
  });
});

describe("urlComponent", () => {
  it.each(HOSTILE)("encodes %j as one query component", (value, encoded) => {
    expect(urlComponent(value, "input.q")).toBe(encoded);
    const url = new URL(`https://api.example.com/search?q=${urlComponent(value, "input.q")}&page=1`);
    expect([...url.searchParams.keys()]).toEqual(["q", "page"]);
    expect(url.searchParams.get("q")).toBe(value);
    expect(url.hash).toBe("");
  });

  it("keeps dots, which mean nothing in a query", () => {
    expect(urlComponent("..", "input.q")).toBe("..");
  });

  it("names the query position of a missing value", () => {
    expect(failure(() => urlComponent(null, "input.q")).message).toMatch(/^the URL's query \$\{\{ input\.q \}\} is missing \(null\)/);
  });
});

describe("urlStart", () => {
  it("returns an absolute http(s) URL exactly as given", () => {
    expect(urlStart("https://api.example.com", "env.API_BASE")).toBe("https://api.example.com");
    expect(urlStart("http://localhost:8787/v1/", "env.API_BASE")).toBe("http://localhost:8787/v1/");
    expect(urlStart("HTTPS://Api.Example.com/x?y=1#z", "input.url")).toBe("HTTPS://Api.Example.com/x?y=1#z");
  });

  it.each([
    ["javascript:alert(1)", "a javascript: URL"],
    ["//evil.example/x", "a URL without a scheme"],
    ["ftp://x", "a ftp: URL"],
    ["data:text/plain,hi", "a data: URL"],
    ["/books/1", "a relative or malformed URL"],
    ["books/1", "a relative or malformed URL"],
    ["https://", "a relative or malformed URL"],
    ["", "empty text"],
  ])("refuses %j without showing it", (value, what) => {
    const error = failure(() => urlStart(value, "input.callback"));
    expect(error).toBeInstanceOf(HttpStepFatalError);
    expect(error.message).toBe(`the URL's start \${{ input.callback }} must give an absolute http:// or https:// URL; it gave ${what}.`);
  });

  it("refuses values that are not text", () => {
    expect(failure(() => urlStart(undefined, "env.API_BASE")).message).toMatch(/^the URL's start \$\{\{ env\.API_BASE \}\} is missing \(null\)/);
    expect(failure(() => urlStart(7, "input.n")).message).toMatch(/it gave a relative or malformed URL/);
  });
});

describe("encodeStrictly", () => {
  it("keeps only RFC 3986's unreserved characters", () => {
    expect(encodeStrictly("AZaz09-._~!*'()$,;:/?#[]@&=+% ")).toBe("AZaz09-._~%21%2A%27%28%29%24%2C%3B%3A%2F%3F%23%5B%5D%40%26%3D%2B%25%20");
  });

  it("encodes a lone surrogate as U+FFFD instead of throwing", () => {
    expect(encodeStrictly("\ud800")).toBe("%EF%BF%BD");
  });
});
