import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseJsonc } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The editor experience, tested with the real yaml-language-server (what the
 * Red Hat YAML extension runs) over LSP on stdio, configured exactly as
 * .vscode/settings.json configures VS Code. No network: the schema store is
 * off and our schemas are local files.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const SERVER = join(createRequire(import.meta.url).resolve("yaml-language-server/package.json"), "../bin/yaml-language-server");
const TIMEOUT = 20_000;

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}

/** A minimal LSP client: Content-Length framing, requests by id, and the server's own requests answered. */
class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: Message) => void)[] = [];
  private readonly settings: Readonly<Record<string, unknown>>;
  readonly stderr: string[] = [];

  constructor(settings: Readonly<Record<string, unknown>>) {
    this.settings = settings;
    this.child = spawn(process.execPath, [SERVER, "--stdio"], { cwd: ROOT, stdio: "pipe" });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within ${TIMEOUT} ms`)), TIMEOUT);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** The first notification of `method` whose params satisfy `accept`. */
  waitFor<T>(method: string, accept: (params: T) => boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${TIMEOUT} ms`)), TIMEOUT);
      const listener = (m: Message): void => {
        if (m.method !== method || !accept(m.params as T)) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(m.params as T);
      };
      this.listeners.push(listener);
    });
  }

  async stop(): Promise<void> {
    await this.request("shutdown", null).catch(() => undefined);
    this.notify("exit", null);
    this.child.kill();
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
      return;
    }
    if (message.id !== undefined && message.method !== undefined) {
      // The server asks us: its settings (as VS Code would answer from settings.json), or registrations.
      const result =
        message.method === "workspace/configuration"
          ? (message.params as { items: { section?: string }[] }).items.map((item) => (item.section === "yaml" ? this.settings : {}))
          : null;
      this.send({ jsonrpc: "2.0", id: message.id, result });
      return;
    }
    for (const listener of [...this.listeners]) listener(message);
  }
}

/** The `yaml.*` settings of .vscode/settings.json as the `yaml` section, plus no schema store (no network in tests). */
function yamlSettings(): Record<string, unknown> {
  const settings = parseJsonc(readFileSync(join(ROOT, ".vscode/settings.json"), "utf8")) as Record<string, unknown>;
  const yaml: Record<string, unknown> = { schemaStore: { enable: false } };
  for (const [key, value] of Object.entries(settings)) if (key.startsWith("yaml.")) yaml[key.slice(5)] = value;
  return yaml;
}

interface Range {
  readonly start: { line: number; character: number };
  readonly end: { line: number; character: number };
}
interface PublishedDiagnostics {
  readonly uri: string;
  readonly diagnostics: readonly { range: Range; message: string; severity?: number }[];
}
interface CompletionItem {
  readonly label: string;
}

const uriOf = (path: string): string => pathToFileURL(join(ROOT, path)).href;
let version = 0;

describe("editor support (yaml-language-server with .vscode/settings.json)", () => {
  let client: LspClient;

  /** Opens a document (no `$schema` modeline: the settings must pick the schema) and waits for its diagnostics. */
  async function open(path: string, text: string): Promise<PublishedDiagnostics> {
    const uri = uriOf(path);
    const published = client.waitFor<PublishedDiagnostics>("textDocument/publishDiagnostics", (p) => p.uri === uri);
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: ++version, text } });
    return published;
  }

  beforeAll(async () => {
    client = new LspClient(yamlSettings());
    await client.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).href,
      workspaceFolders: [{ uri: pathToFileURL(ROOT).href, name: "cf-flows" }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
          hover: { contentFormat: ["markdown", "plaintext"] },
          publishDiagnostics: {},
        },
      },
    });
    client.notify("initialized", {});
    // VS Code announces settings this way; the server then pulls them with workspace/configuration.
    client.notify("workspace/didChangeConfiguration", { settings: null });
  }, TIMEOUT);

  afterAll(async () => {
    await client?.stop();
  });

  it("flags a misspelt key in a definition at the key's range", async () => {
    const text = "flow: editor-typo\nstpes:\n  - id: nap\n    sleep: 1 hour\n";
    const { diagnostics } = await open("definitions/editor-typo.yaml", text);
    const typo = diagnostics.find((d) => d.message.includes("stpes"));
    expect(typo, JSON.stringify(diagnostics)).toBeDefined();
    expect(typo!.range).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    expect(typo!.severity).toBe(1);
  }, TIMEOUT);

  it("offers the step kinds inside a step", async () => {
    const text = "flow: editor-steps\nsteps:\n  - id: nap\n    \n";
    await open("definitions/editor-steps.yaml", text);
    const completion = await client.request<{ items: CompletionItem[] } | CompletionItem[]>("textDocument/completion", {
      textDocument: { uri: uriOf("definitions/editor-steps.yaml") },
      position: { line: 3, character: 4 },
    });
    const labels = (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
    const kinds = ["http", "sleep", "sleep_until", "wait_for_event", "set", "switch", "for_each", "parallel", "repeat", "call", "email", "report", "run", "fail", "then"];
    expect(labels).toEqual(expect.arrayContaining(kinds));
    expect(labels).toEqual(expect.arrayContaining(["if", "retries", "timeout"]));
  }, TIMEOUT);

  it("explains a key on hover with its schema description", async () => {
    const text = "flow: editor-hover\nsteps:\n  - id: nap\n    sleep: 1 hour\n    retries: { limit: 3 }\n";
    await open("definitions/editor-hover.yaml", text);
    const hover = await client.request<{ contents: { kind: string; value: string } | string } | null>("textDocument/hover", {
      textDocument: { uri: uriOf("definitions/editor-hover.yaml") },
      position: { line: 0, character: 1 },
    });
    const shown = typeof hover?.contents === "string" ? hover.contents : (hover?.contents.value ?? "");
    const schema = JSON.parse(readFileSync(join(ROOT, "generator/schema/flow.schema.json"), "utf8")) as { properties: { flow: { description: string } } };
    expect(shown).toContain(schema.properties.flow.description);
  }, TIMEOUT);

  it("gives flow tests (*.test.yaml) their own schema, not the flow schema", async () => {
    const text = "flow: flight-status\ncases:\n  - name: a case\n    input: {}\nsteps: []\n";
    const { diagnostics } = await open("definitions/editor-case.test.yaml", text);
    // `steps` is a flow's key, not a flow test's: only the flow-test schema flags it, and nothing flags `cases`.
    expect(diagnostics.map((d) => [d.range.start.line, d.message])).toEqual([[4, "Property steps is not allowed."]]);
  }, TIMEOUT);
});
