import { describe, expect, it } from "vitest";
import { errorResponse, internalError, invalidInput, json, methodNotAllowed, notFound, unauthorized } from "../../runtime/responses.ts";

describe("responses", () => {
  it("json() sets status, content type and no caching", async () => {
    const response = json(202, { flow: "flight-status", instance_id: "abc" });
    expect(response.status).toBe(202);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ flow: "flight-status", instance_id: "abc" });
  });

  it.each([
    [unauthorized("missing bearer token"), 401, { error: "unauthorized", reason: "missing bearer token" }],
    [notFound(), 404, { error: "not_found", reason: "no trigger matches this path" }],
    [internalError(), 500, { error: "internal_error", reason: "the server could not handle this request" }],
    [errorResponse(413, { reason: "too big" }), 413, { error: "payload_too_large", reason: "too big" }],
    [errorResponse(418), 418, { error: "bad_request" }],
    [errorResponse(503), 503, { error: "internal_error" }],
    [errorResponse(400, { error: "invalid_instance_id", reason: "bad id" }), 400, { error: "invalid_instance_id", reason: "bad id" }],
  ])("error bodies share one shape (%#)", async (response, status, body) => {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual(body);
  });

  it("lists failing fields for invalid input", async () => {
    const response = invalidInput([{ field: "flight", message: "is required" }]);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_input",
      reason: "input does not match the flow's input schema",
      fields: [{ field: "flight", message: "is required" }],
    });
  });

  it("405 says which methods are allowed", async () => {
    const response = methodNotAllowed(["POST", "GET"]);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
  });
});
