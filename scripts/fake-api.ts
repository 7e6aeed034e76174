import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The demo's stand-in for the outside services the example flows call
 * (nothing here reaches the internet). It answers like a flight-status API
 * and records every request so the demo can show what the flows sent.
 */

export interface FakeApi {
  readonly url: string;
  readonly requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
  const requests: FakeApi["requests"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({ method: req.method ?? "GET", path, body });
      const flight = /^\/flights\/([A-Z0-9]+)/.exec(path)?.[1];
      const answer = flight
        ? { flight, status: flight.endsWith("0") ? "on_time" : "delayed", delay_minutes: 45, gate: "B12" }
        : { ok: true };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
