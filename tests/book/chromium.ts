import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/**
 * The system's Debian Chromium, driven by playwright-core: no browser
 * download, a fresh profile per run, and nothing that phones home.
 */

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Fails (never skips) without Chromium: a book nobody checked rendering is not a tested book. */
export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing, so the flow book cannot be checked in a real browser. ` +
        "Install Debian's Chromium with `apt-get update && apt-get install -y chromium` (.ci/run does this in CI).",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "flow-book-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Everything that went wrong while a page loaded: console errors, script errors, failed or refused requests. */
export function watchProblems(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  // The book must work offline: anything but our own server (a CDN, a font) is a problem.
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith("data:")) problems.push(`request off the local server: ${url}`);
  });
  return problems;
}

/**
 * Loads a page and waits until its script has tried every diagram; returns
 * the outcome it recorded. In-page code is passed as text: these tests are
 * type-checked for Node, where the DOM's types do not exist.
 */
export async function openBook(page: Page, url: string): Promise<string> {
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction("document.body.dataset.diagrams !== undefined", undefined, { timeout: 30_000 });
  return page.evaluate<string>("document.body.dataset.diagrams");
}
