import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HttpStepFatalError } from "../../runtime/errors.ts";
import { urlComponent, urlSegment, urlStart } from "../../runtime/url-template.ts";

/**
 * Property tests of the URL helpers: whatever text lands in a path segment
 * or a query component, the URL keeps the template's origin, its number of
 * path segments and its query keys, and the server decodes the value back.
 */

// Whole Unicode, lone surrogates included, and the URL delimiters often.
const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: fc.constantFrom("/", "\\", "?", "#", "&", "=", "+", "%", ".", "@", ":", " ", "\r", "\n", "\t", "é", "😀", "a", "2", "F") }),
);
const wellFormed = (s: string): string => s.toWellFormed();

describe("URL helpers keep values in their place", () => {
  it("the template's origin, path segments and query keys survive any values", () => {
    fc.assert(
      fc.property(text, text, text, (id, branch, tag) => {
        fc.pre(id !== "." && id !== "..");
        const href = `https://api.example.com/books/${urlSegment(id, "input.id")}/status?branch=${urlComponent(branch, "input.branch")}&tag=${urlComponent(tag, "input.tag")}`;
        const url = new URL(href);
        expect(url.origin).toBe("https://api.example.com");
        expect(url.username + url.password).toBe("");
        const segments = url.pathname.split("/");
        expect(segments).toHaveLength(4);
        expect([segments[1], segments[3]]).toEqual(["books", "status"]);
        expect(decodeURIComponent(segments[2]!)).toBe(wellFormed(id));
        expect([...url.searchParams.keys()]).toEqual(["branch", "tag"]);
        expect(url.searchParams.get("branch")).toBe(wellFormed(branch));
        expect(url.searchParams.get("tag")).toBe(wellFormed(tag));
        expect(url.hash).toBe("");
      }),
      { numRuns: 500 },
    );
  });

  it("a start value is an absolute http(s) URL used as it is, or the step fails without retry", () => {
    const starts = fc.oneof(text, fc.webUrl(), fc.constantFrom("javascript:alert(1)", "//evil.example/x", "ftp://x", "/x", "HTTP://A.example"));
    fc.assert(
      fc.property(starts, (value) => {
        let result: string;
        try {
          result = urlStart(value, "input.url");
        } catch (error) {
          expect(error).toBeInstanceOf(HttpStepFatalError);
          return;
        }
        expect(result).toBe(value);
        expect(["http:", "https:"]).toContain(new URL(result).protocol);
      }),
      { numRuns: 500 },
    );
  });
});
