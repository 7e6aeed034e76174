import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { exprText } from "../../generator/expressions/print.ts";
import { isDataChosen, urlTemplate } from "../../generator/expressions/url-template.ts";
import { parseTemplate } from "../../generator/expressions/parse.ts";
import { compileValue } from "../../generator/expressions/compile.ts";
import { urlCode } from "../../generator/emit/url-code.ts";
import { ImportSet } from "../../generator/emit/import-set.ts";

/** Where each `${{ }}` of a url sits, decided from the template's literal text. */

function slots(url: string): (string | [string, string])[] | undefined {
  const value = parseTemplate(url, "definitions/x.yaml", 0, new DiagnosticBag());
  const template = urlTemplate(value);
  return template?.parts.map((p) => (typeof p === "string" ? p : [p.slot, exprText(p.expr)]));
}

describe("urlTemplate", () => {
  it("places values by the literal text before them", () => {
    expect(slots("${{ env.API_BASE }}/books/${{ input.id }}/status?branch=${{ input.b }}&x=1#${{ input.f }}")).toEqual([
      ["start", "env.API_BASE"],
      "/books/",
      ["segment", "input.id"],
      "/status?branch=",
      ["component", "input.b"],
      "&x=1#",
      ["component", "input.f"],
    ]);
    expect(slots("https://api.example.com/a/${{ input.id }}?q=${{ input.q }}")).toEqual([
      "https://api.example.com/a/",
      ["segment", "input.id"],
      "?q=",
      ["component", "input.q"],
    ]);
    expect(slots("${{ input.url }}")).toEqual([["start", "input.url"]]);
    expect(slots("https://api.example.com/x")).toBeUndefined();
  });

  it("marks values in the host, and values glued to the start", () => {
    expect(slots("https://${{ env.HOST }}/a")?.[1]).toEqual(["host", "env.HOST"]);
    expect(slots("HTTP://user:${{ input.p }}@api.example.com/")?.[1]).toEqual(["host", "input.p"]);
    expect(slots("${{ env.API_BASE }}${{ input.id }}")?.[1]).toEqual(["after-start", "input.id"]);
    expect(slots("${{ env.API_BASE }}.${{ input.id }}/a")?.[2]).toEqual(["after-start", "input.id"]);
    // A backslash ends the host, as URL parsers read http(s) URLs.
    expect(slots("${{ env.API_BASE }}\\${{ input.id }}")?.[2]).toEqual(["segment", "input.id"]);
  });

  it("flags a literal start that is not http(s)", () => {
    const of = (url: string) => urlTemplate(parseTemplate(url, "definitions/x.yaml", 0, new DiagnosticBag()))?.notAbsolute;
    expect(of("/books/${{ input.id }}")).toBe(true);
    expect(of("ftp://x/${{ input.id }}")).toBe(true);
    expect(of("https://x/${{ input.id }}")).toBe(false);
    expect(of("${{ env.API_BASE }}/${{ input.id }}")).toBe(false);
  });
});

describe("isDataChosen", () => {
  const chosen = (url: string): boolean => {
    const value = parseTemplate(url, "definitions/x.yaml", 0, new DiagnosticBag());
    if (value.kind !== "expr") throw new Error("expected one expression");
    return isDataChosen(value.expr);
  };

  it("trusts env and constants only", () => {
    expect(chosen("${{ env.API_BASE }}")).toBe(false);
    expect(chosen("${{ env.API_BASE ?? 'https://api.example.com' }}")).toBe(false);
    for (const root of ["input.url", "steps.a.output.body.next", "request.body.url", "message.url", "event.output.url", "item.url", "flow.name", "upper(env.A) + uuid()"]) {
      expect(chosen(`\${{ ${root} }}`), root).toBe(true);
    }
  });
});

describe("urlCode", () => {
  const code = (url: string): string => urlCode(parseTemplate(url, "definitions/x.yaml", 0, new DiagnosticBag()), compileValue, new ImportSet());

  it("wraps each value in the helper of its place, readable in the generated code", () => {
    expect(code("${{ env.API_BASE }}/books/${{ input.id }}?q=${{ input.q }}")).toBe(
      '`${urlStart(env.API_BASE, "env.API_BASE")}/books/${urlSegment(input.id, "input.id")}?q=${urlComponent(input.q, "input.q")}`',
    );
    expect(code("${{ input.url }}")).toBe('urlStart(input.url, "input.url")');
    expect(code("https://api.example.com/x")).toBe('"https://api.example.com/x"');
  });

  it("keeps literal text as written, escaped for a template literal", () => {
    expect(code("https://x.example/a`${b}\\c\u2028/${{ input.x }}")).toBe('`https://x.example/a\\`\\${b}\\\\c\\u2028/${urlSegment(input.x, "input.x")}`');
  });
});
