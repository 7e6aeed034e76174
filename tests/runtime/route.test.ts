import { describe, expect, it } from "vitest";
import { compileRoute, matchPath } from "../../runtime/route.ts";

describe("matchPath", () => {
  it.each([
    ["/flights", "/flights", {}],
    ["/flights", "/flights/", {}],
    ["/flights/", "/flights", {}],
    ["/", "/", {}],
    ["/flights/{id}/approve", "/flights/DL264/approve", { id: "DL264" }],
    ["/flights/{id}/approve", "/flights/DL264/approve/", { id: "DL264" }],
    ["/users/{user}/flights/{id}", "/users/u%201/flights/a%40b", { user: "u 1", id: "a@b" }],
    ["/flights/{id}", "/flights/caf%C3%A9", { id: "café" }],
    ["/flights/{id}", "/flights/a.b", { id: "a.b" }],
  ])("%s matches %s", (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });

  it.each([
    ["/flights", "/flight"],
    ["/flights", "/flights/x"],
    ["/flights/{id}", "/flights"],
    ["/flights/{id}", "/flights/"],
    ["/flights/{id}", "/flights//"],
    ["/flights/{id}/approve", "/flights/DL1/reject"],
    ["/flights", "/FLIGHTS"],
    ["/", "/x"],
  ])("%s does not match %s", (pattern, path) => {
    expect(matchPath(pattern, path)).toBeUndefined();
  });

  it.each([
    ["encoded slash", "/flights/a%2Fb"],
    ["encoded traversal", "/flights/%2e%2e"],
    ["dots inside", "/flights/a..b"],
    ["traversal with slash", "/flights/..%2Fadmin"],
    ["backslash", "/flights/a%5Cb"],
    ["NUL", "/flights/a%00"],
    ["newline", "/flights/a%0Ab"],
    ["DEL", "/flights/a%7F"],
    ["a lone dot", "/flights/."],
    ["bad percent-encoding", "/flights/%E0%A4%A"],
  ])("refuses a parameter with %s", (_, path) => {
    expect(matchPath("/flights/{id}", path)).toBeUndefined();
  });

  it("gives params without a prototype", () => {
    const params = matchPath("/a/{id}", "/a/toString")!;
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(params["id"]).toBe("toString");
  });
});

describe("compileRoute", () => {
  it("lists the params and matches repeatedly", () => {
    const route = compileRoute("/flights/{id}/legs/{leg}");
    expect(route.params).toEqual(["id", "leg"]);
    expect(route.match("/flights/1/legs/2")).toEqual({ id: "1", leg: "2" });
    expect(route.match("/flights/3/legs/4")).toEqual({ id: "3", leg: "4" });
  });

  it.each(["flights", "/flights/x{id}", "/flights/{id}/{id}", "/flights/{}"])("refuses the malformed pattern %s", (pattern) => {
    expect(() => compileRoute(pattern)).toThrow();
  });

  it("works on real request URLs", () => {
    const url = new URL("https://worker.test/flights/%2e%2e/approve");
    // The URL parser already resolves dot segments; whatever remains must not match.
    expect(compileRoute("/flights/{id}/approve").match(url.pathname)).toBeUndefined();
  });
});
