import { NonRetryableError } from "cloudflare:workflows";

/**
 * The few helpers a hand-written Workers app with two endpoints would keep
 * in one small module: bearer auth, JSON answers, and a JSON GET for
 * workflow steps that tells Workflows which failures are worth a retry.
 */

const encoder = new TextEncoder();

/** `Authorization: Bearer <secret>`, compared in constant time (the pattern from the Workers docs). */
export function hasBearer(request: Request, secret: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const given = encoder.encode(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = encoder.encode(secret);
  if (secret === "" || given.byteLength !== expected.byteLength) return false;
  return crypto.subtle.timingSafeEqual(given, expected);
}

export function reply(status: number, body: unknown): Response {
  return Response.json(body, { status });
}

/** The request's JSON body, or undefined when it is not JSON. */
export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return (await request.json()) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** GETs JSON. 408, 429, 5xx and network errors throw (Workflows retries them); other failures end the instance. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: "application/json", ...headers } });
  if (!response.ok) {
    await response.body?.cancel();
    const message = `GET ${new URL(url).pathname} answered ${response.status}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) throw new Error(message);
    throw new NonRetryableError(message);
  }
  return (await response.json()) as unknown;
}
