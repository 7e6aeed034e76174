import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { loadProject } from "../../generator/frontend.ts";
import type { Flow } from "../../generator/model/types.ts";
import { allSteps } from "../../generator/model/walk.ts";
import { launchChromium, openBook, watchProblems, type Browser } from "./chromium.ts";
import { serveDirectory, type StaticServer } from "./static-server.ts";

/**
 * The committed flow book, opened in real headless Chromium from a local
 * server rooted at the repository (as opening it from a checkout would):
 * Mermaid must load from node_modules, every flow must have its section
 * and every diagram must become an SVG, with nothing failing on the way.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const SCRATCH = join(ROOT, ".tmp");
const SCREENSHOT = join(SCRATCH, "flow-book.png");

let browser: Browser | undefined;
let server: StaticServer | undefined;

async function newPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.context.newPage();
  return { page, problems: watchProblems(page, server!.url) };
}

async function attributes(page: Page, selector: string, name: string): Promise<(string | null)[]> {
  return Promise.all((await page.locator(selector).all()).map((element) => element.getAttribute(name)));
}

/** The text of the flow's rendered diagram (labels included), after checking it is a Mermaid flowchart SVG. */
async function diagramText(page: Page, flowId: string): Promise<string> {
  const section = page.locator(`section#flow-${flowId}`);
  await expect.poll(() => section.count()).toBe(1);
  const svg = section.locator(".diagram pre.mermaid > svg");
  expect(await svg.count(), `${flowId}: one rendered diagram`).toBe(1);
  expect(await svg.getAttribute("aria-roledescription"), `${flowId}: a flowchart, not Mermaid's error picture`).toBe("flowchart-v2");
  return (await svg.textContent()) ?? "";
}

describe("without Chromium", () => {
  it("fails with what to install, rather than skipping", async () => {
    await expect(launchChromium("/nonexistent/chromium")).rejects.toThrow(
      "/nonexistent/chromium is missing, so the flow book cannot be checked in a real browser. Install Debian's Chromium with `apt-get update && apt-get install -y chromium`",
    );
  });
});

describe("the flow book in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    server = await serveDirectory(ROOT);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const { project } = loadProject(ROOT);
  const flows: readonly Flow[] = [...project.flows].sort((a, b) => a.id.localeCompare(b.id));

  it("shows every flow with its rendered diagram, offline, without errors", async () => {
    const { page, problems } = await newPage();
    expect(await openBook(page, `${server!.url}/generated/flow-book.html`), problems.join("\n")).toBe("rendered");

    expect(await page.locator("h1").textContent()).toBe("Flow book");
    expect(await attributes(page, "section.flow", "data-flow")).toEqual(flows.map((f) => f.id));
    expect(await attributes(page, "nav.toc a", "href")).toEqual(flows.map((f) => `#flow-${f.id}`));

    for (const flow of flows) {
      const text = await diagramText(page, flow.id);
      // Every step, nested and on_error ones included, is a labelled node of the picture.
      for (const step of allSteps([...flow.steps, ...flow.onError])) expect(text, `${flow.id}: step ${step.id}`).toContain(`${step.id} — `);
      expect(await page.locator(`#flow-${flow.id} h2`).textContent()).toBe(flow.id);
    }
    // Mermaid came from the project's own node_modules, through the local server.
    expect(server!.served).toContainEqual({ path: "/node_modules/mermaid/dist/mermaid.min.js", status: 200 });

    mkdirSync(SCRATCH, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("renders labels full of Mermaid and HTML syntax as plain text", async () => {
    const tricky = bookOf({
      "definitions/tricky.yaml": `flow: tricky
description: 'Odd "labels" <b>here</b> & there'
input:
  name: { type: string, description: "a <name> & more" }
triggers:
  - http: POST /tricky/{id}
    auth: none
    input: { name: "\${{ request.params.id }}" }
steps:
  - id: end
    set: { "say \\"hi\\" [x] {y}": 1, "a|b": 2 }
  - id: subgraph
    if: "\${{ input.name == 'a \\"b\\" <i>c</i> #d; |e| \`f\` %% g' }}"
    then:
      - id: graph
        fail: 'style:#35; No #1 for "\${{ input.name }}": <not> [allowed] |x| \`y\`'
`,
    });
    const file = join(SCRATCH, "flow-book-escapes.html");
    mkdirSync(SCRATCH, { recursive: true });
    writeFileSync(file, tricky);

    const { page, problems } = await newPage();
    expect(await openBook(page, `${server!.url}/.tmp/flow-book-escapes.html`), problems.join("\n")).toBe("rendered");
    const text = await diagramText(page, "tricky");
    expect(text).toContain(`end — set say "hi" [x] {y}, a|b`);
    expect(text).toContain(`subgraph — if input.name == 'a "b" <i>c</i> #d; |e| \`f\` %…?`);
    expect(text).toContain(`graph — fail: style:#35; No #1 for "{name}": <not> [allowed] |x|`);
    // Text that looks like markup stayed text: no element was made of it.
    expect(await page.locator("section#flow-tricky :is(b, i, not)").count()).toBe(0);
    expect(await page.locator("section#flow-tricky .description").textContent()).toBe(`Odd "labels" <b>here</b> & there`);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

const scratchDirs: string[] = [];
afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The flow book of a scratch project holding just these files. */
function bookOf(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flow-book-"));
  scratchDirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { project, bag } = loadProject(dir);
  expect(bag.items.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  return emitProject(project).files.get("flow-book.html") ?? "";
}
