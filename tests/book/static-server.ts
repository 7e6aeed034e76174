import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

/**
 * The smallest static file server that can show the flow book: files under
 * `root`, GET only, on 127.0.0.1 and a port the OS picks. The book loads
 * Mermaid by a path relative to itself, so serving the repository root is
 * exactly what opening the file from a checkout does.
 */

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface StaticServer {
  readonly url: string;
  /** Every path requested, in order, with the status it got. */
  readonly served: readonly { readonly path: string; readonly status: number }[];
  close(): Promise<void>;
}

export async function serveDirectory(root: string): Promise<StaticServer> {
  const served: { path: string; status: number }[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(root, path));
    const answer = (status: number, body: Buffer | string, type = "text/plain; charset=utf-8"): void => {
      served.push({ path, status });
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    if (request.method !== "GET") return answer(405, "GET only");
    // normalize() resolves `..`; anything that lands outside the root is refused.
    if (file !== root && !file.startsWith(root + sep)) return answer(403, "outside the served folder");
    readFile(file).then(
      (body) => answer(200, body, TYPES[extname(file)] ?? "application/octet-stream"),
      () => answer(404, "not found"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
