import { describe, expect, it, vi } from "vitest";
import { GRANTS_HEADER, requestGrants } from "../../runtime/agent-connections.ts";
import { checkAgentRequest, presentedToken, type AgentAccess, type Admission } from "../../runtime/websocket-access.ts";

/**
 * The Worker's gate in front of `/agents/…`, against an access table of its
 * own (not the example flows'): who is admitted with which grants, and the
 * status and reason of every refusal.
 */

const env = { SHOP_TOKEN: "shop-secret", WATCH_TOKEN: "watch-secret" };
const access: AgentAccess = {
  "shop-agent": [
    { kind: "bearer", secret: "SHOP_TOKEN" },
    { kind: "bearer", secret: "WATCH_TOKEN" },
  ],
  "open-agent": [{ kind: "none" }],
  "quiet-agent": [],
};

const b64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function upgrade(path: string, headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request(`https://flows.test${path}`, { method, headers: { upgrade: "websocket", ...headers } });
}

async function check(request: Request): Promise<Admission> {
  const admission = await checkAgentRequest(request, env, access);
  if (!admission) throw new Error("not an agents path");
  return admission;
}

async function refusal(request: Request): Promise<{ status: number; body: unknown; headers: Headers }> {
  const admission = await check(request);
  if (admission.ok) throw new Error("admitted");
  return { status: admission.response.status, body: await admission.response.json(), headers: admission.response.headers };
}

describe("admitted connections", () => {
  it("admits a bearer subprotocol next to cf-flows, selects cf-flows and forwards grants, not the token", async () => {
    const admission = await check(upgrade("/agents/shop-agent/ada", { "sec-websocket-protocol": `cf-flows, bearer.${b64url("shop-secret")}` }));
    expect(admission).toMatchObject({ ok: true, grants: ["SHOP_TOKEN"], protocol: "cf-flows" });
    if (!admission.ok) return;
    expect(admission.request.headers.get(GRANTS_HEADER)).toBe("SHOP_TOKEN");
    expect(admission.request.headers.get("sec-websocket-protocol")).toBe("cf-flows");
    expect([...admission.request.headers].some(([, v]) => v.includes("shop-secret") || v.includes(b64url("shop-secret")))).toBe(false);
    expect(requestGrants(admission.request)).toEqual(["SHOP_TOKEN"]);
  });

  it("admits Authorization: Bearer and drops the header before the Agent", async () => {
    const admission = await check(upgrade("/agents/shop-agent/ada", { authorization: "Bearer watch-secret" }));
    expect(admission).toMatchObject({ ok: true, grants: ["WATCH_TOKEN"] });
    if (admission.ok) expect(admission.request.headers.get("authorization")).toBeNull();
  });

  it("admits anyone to an agent with auth none, replacing grants a client made up", async () => {
    const admission = await check(upgrade("/agents/open-agent/x?_pk=abc", { [GRANTS_HEADER]: "SHOP_TOKEN" }));
    expect(admission).toMatchObject({ ok: true, grants: ["none"] });
    if (admission.ok) expect(admission.request.headers.get(GRANTS_HEADER)).toBe("none");
  });

  it("decodes tokens that are not subprotocol tokens themselves", () => {
    const token = "a b/c=d,é";
    const request = upgrade("/agents/shop-agent/ada", { "sec-websocket-protocol": `cf-flows,bearer.${btoa(unescape(encodeURIComponent(token))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}` });
    expect(presentedToken(request)).toEqual({ ok: true, token, protocol: "cf-flows" });
  });
});

describe("refused requests", () => {
  it("no token, a wrong token, a token in the query string", async () => {
    expect(await refusal(upgrade("/agents/shop-agent/ada"))).toMatchObject({ status: 401, body: { error: "unauthorized", reason: expect.stringMatching(/^missing bearer token/) } });
    expect(await refusal(upgrade("/agents/shop-agent/ada", { authorization: "Bearer nope" }))).toMatchObject({ status: 401, body: { reason: "invalid bearer token" } });
    expect(await refusal(upgrade("/agents/shop-agent/ada", { "sec-websocket-protocol": `cf-flows, bearer.${b64url("nope")}` }))).toMatchObject({ status: 401 });
    // A wrong token is refused even where no token is needed: the client meant to authenticate.
    expect(await refusal(upgrade("/agents/open-agent/x", { authorization: "Bearer nope" }))).toMatchObject({ status: 401 });
    for (const query of ["?token=shop-secret", "?access_token=x", "?Authorization=x", "?api_key=x", "?_pk=1&auth=x"]) {
      expect(await refusal(upgrade(`/agents/shop-agent/ada${query}`))).toMatchObject({ status: 400, body: { error: "token_in_url", reason: expect.stringContaining("URLs are logged") } });
    }
  });

  it("the Agents SDK's Cap'n Web transport, which would keep the Agent in memory", async () => {
    const request = upgrade("/agents/shop-agent/ada?__agents_transport=capnweb", { authorization: "Bearer shop-secret" });
    expect(await refusal(request)).toMatchObject({ status: 400, body: { reason: "the __agents_transport transport is not served; connect with a plain WebSocket" } });
  });

  it("malformed token subprotocols", async () => {
    const bad = async (protocols: string) => refusal(upgrade("/agents/shop-agent/ada", { "sec-websocket-protocol": protocols }));
    expect(await bad(`bearer.${b64url("shop-secret")}`)).toMatchObject({ status: 400, body: { reason: expect.stringContaining('offer the subprotocol "cf-flows"') } });
    expect(await bad("cf-flows, bearer.not*base64")).toMatchObject({ status: 400, body: { reason: expect.stringContaining("base64url") } });
    expect(await bad(`cf-flows, bearer.${b64url("a")}, bearer.${b64url("b")}`)).toMatchObject({ status: 400, body: { reason: "send one token, not several" } });
  });

  it("an agent that hosts no websocket trigger or watch, plain HTTP, other paths and unknown agents", async () => {
    expect(await refusal(upgrade("/agents/quiet-agent/x", { authorization: "Bearer shop-secret" }))).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect(await refusal(new Request("https://flows.test/agents/quiet-agent/x"))).toMatchObject({ status: 403 });
    const plain = await refusal(new Request("https://flows.test/agents/shop-agent/ada", { headers: { authorization: "Bearer shop-secret" } }));
    expect(plain).toMatchObject({ status: 426, body: { error: "upgrade_required" } });
    expect(plain.headers.get("upgrade")).toBe("websocket");
    expect(await refusal(upgrade("/agents/shop-agent/ada", { authorization: "Bearer shop-secret" }, "POST"))).toMatchObject({ status: 426 });
    expect(await refusal(upgrade("/agents/shop-agent/ada/sub/child-agent/x", { authorization: "Bearer shop-secret" }))).toMatchObject({ status: 404 });
    expect(await refusal(upgrade("/agents/shop-agent", { authorization: "Bearer shop-secret" }))).toMatchObject({ status: 404 });
    expect(await refusal(upgrade("/agents/toString/x"))).toMatchObject({ status: 404 });
    expect(await checkAgentRequest(upgrade("/orders"), env, access)).toBeUndefined();
  });

  it("a missing secret is the server's fault: 500, its name only in the log", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const admission = await checkAgentRequest(upgrade("/agents/shop-agent/ada", { authorization: "Bearer x" }), {}, access);
    expect(admission).toMatchObject({ ok: false });
    if (admission && !admission.ok) {
      expect(admission.response.status).toBe(500);
      expect(await admission.response.text()).not.toContain("SHOP_TOKEN");
    }
    expect(String(log.mock.calls[0]?.[0])).toContain("SHOP_TOKEN");
    log.mockRestore();
  });
});

describe("grants the Agent reads", () => {
  it("ignores a header that is not a list of grants", () => {
    const withGrants = (value: string) => new Request("https://x", { headers: { [GRANTS_HEADER]: value } });
    expect(requestGrants(withGrants("none,SHOP_TOKEN"))).toEqual(["none", "SHOP_TOKEN"]);
    expect(requestGrants(withGrants("SHOP_TOKEN,<script>"))).toEqual([]);
    expect(requestGrants(new Request("https://x"))).toEqual([]);
  });
});
