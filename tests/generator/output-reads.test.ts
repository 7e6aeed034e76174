import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { emitProject } from "../../generator/emit/project-files.ts";
import { outputReads, type ReadTree } from "../../generator/expressions/output-reads.ts";
import { loadProject } from "../../generator/frontend.ts";
import type { Flow } from "../../generator/model/types.ts";
import { keepRead } from "../../runtime/step-values.ts";
import { at } from "../../runtime/expr-values.ts";

/**
 * What the generator knows of each step output's reads (output-reads.ts), and
 * the `http` step that persists only those parts (`httpCall`'s `read`, `keepRead`).
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function load(yaml: string): { flow: Flow; workflow: string } {
  const dir = mkdtempSync(join(tmpdir(), "flows-reads-"));
  dirs.push(dir);
  mkdirSync(join(dir, "definitions"));
  writeFileSync(join(dir, "definitions", "reads.yaml"), yaml);
  const { project, bag } = loadProject(dir);
  expect(bag.items.map(formatDiagnostic)).toEqual([]);
  const workflow = emitProject(project).files.get("flows/reads/workflow.ts") ?? "";
  return { flow: project.flows[0]!, workflow };
}

const FLOW = `flow: reads
input:
  key: { type: string }
steps:
  - { id: plain, http: { url: "https://api.example.com/plain" } }
  - { id: whole, http: { url: "https://api.example.com/whole" } }
  - { id: dynamic, http: { url: "https://api.example.com/dynamic" } }
  - { id: index_source, http: { url: "https://api.example.com/index_source" } }
  - { id: unread, http: { url: "https://api.example.com/unread" } }
  - { id: in_guard, http: { url: "https://api.example.com/in_guard" } }
  - id: use
    if: \${{ steps.in_guard.output.status == 200 }}
    set:
      a: \${{ steps.plain.output.body.user.name }}
      b: \${{ steps.plain.output.headers['content-type'] }}
      c: \${{ steps.plain.output.body.user.id + 1 }}
      d: \${{ length(steps.plain.output.body.items) }}
      e: "text \${{ steps.dynamic.output.body[steps.index_source.output.body.key] }}"
      f: \${{ steps.plain.output.body.items[0] }}
  - id: choose
    if: \${{ input.key == 'x' }}
    then:
      - { id: then_last, http: { url: "https://api.example.com/then_last" } }
    else:
      - { id: else_first, http: { url: "https://api.example.com/else_first" } }
      - { id: else_last, set: { v: 1 } }
  - id: each
    for_each: \${{ [1, 2] }}
    steps:
      - { id: each_last, http: { url: "https://api.example.com/each_last" } }
  - id: both
    parallel:
      - - { id: left, http: { url: "https://api.example.com/left" } }
      - - { id: right, http: { url: "https://api.example.com/right" } }
  - id: again
    repeat: { every: 1 minute, max: 2, until: "\${{ steps.again_last.output.body.done }}" }
    steps:
      - { id: again_last, http: { url: "https://api.example.com/again_last" } }
output:
  whole: \${{ steps.whole.output }}
  chosen: \${{ steps.choose.output.body.v }}
  first: \${{ steps.each.output[0].body.v }}
  right: \${{ steps.both.output[1].body.w }}
  sides: \${{ steps.both.output[input.key] }}
`;

describe("outputReads", () => {
  const { flow, workflow } = load(FLOW);
  const reads = outputReads(flow);
  const of = (id: string): ReadTree | undefined => reads.get(id);

  it("follows literal keys and keeps the rest of a chain whole", () => {
    expect(of("plain")).toEqual({ body: { items: true, user: { id: true, name: true } }, headers: { "content-type": true } });
    expect(of("whole")).toBe(true);
    expect(of("index_source")).toEqual({ body: { key: true } });
    // A computed key reads all of what it indexes.
    expect(of("dynamic")).toEqual({ body: true });
    expect(of("in_guard")).toEqual({ status: true });
    expect(of("unread")).toBeUndefined();
  });

  it("reads through blocks to the steps whose output is theirs", () => {
    expect(of("then_last")).toEqual({ body: { v: true } });
    expect(of("else_first")).toBeUndefined();
    expect(of("each_last")).toEqual({ body: { v: true } });
    expect(of("again_last")).toEqual({ body: { done: true } });
    // `both.output[1]` is the right branch; `both.output[input.key]` may be either, whole.
    expect(of("left")).toBe(true);
    expect(of("right")).toBe(true);
  });

  it("passes httpCall what is read, and nothing when the whole output is read", () => {
    expect(workflow).toContain(`toJson(await httpCall({ method: "GET", url: "https://api.example.com/plain" }, env, { body: { items: true, user: { id: true, name: true } }, headers: { "content-type": true } })),`);
    expect(workflow).toContain(`toJson(await httpCall({ method: "GET", url: "https://api.example.com/whole" }, env)),`);
    expect(workflow).toContain(`toJson(await httpCall({ method: "GET", url: "https://api.example.com/unread" }, env, {})),`);
  });

  it("a parallel branch read by a literal index is the only one read", () => {
    const { flow: narrow } = load(FLOW.replace("  sides: ${{ steps.both.output[input.key] }}\n", ""));
    expect(outputReads(narrow).get("left")).toBeUndefined();
    expect(outputReads(narrow).get("right")).toEqual({ body: { w: true } });
  });
});

describe("keepRead", () => {
  const response = {
    status: 200,
    headers: { "content-type": "application/json", "content-length": "99" },
    body: { user: { id: 7, name: "Ada", email: "ada@example.com" }, items: [{ a: 1 }, { b: 2 }], note: "x", __proto__: null },
  };
  const tree: ReadTree = { body: { items: true, user: { name: true, missing: true }, note: { length: true } }, headers: { "content-type": true } };

  it("keeps exactly the keys read, whole below a `true`", () => {
    expect(keepRead(response, tree)).toEqual({
      headers: { "content-type": "application/json" },
      body: { items: [{ a: 1 }, { b: 2 }], user: { name: "Ada" }, note: "x" },
    });
    expect(keepRead(response, true)).toBe(response);
    expect(keepRead(response, {})).toEqual({});
  });

  it("gives every read path the value it has on the whole output", () => {
    const kept = keepRead(response, tree);
    const paths: unknown[][] = [["body", "items"], ["body", "items", 1, "b"], ["body", "user", "name"], ["body", "user", "missing"], ["body", "note", "length"], ["headers", "content-type"]];
    for (const path of paths) expect(at(kept, ...path)).toEqual(at(response, ...path));
  });

  it("keeps anything but a plain object whole: arrays, text, numbers, null", () => {
    expect(keepRead({ body: "plain text" }, { body: { length: true } })).toEqual({ body: "plain text" });
    expect(keepRead({ body: [1, 2] }, { body: { 0: true } })).toEqual({ body: [1, 2] });
    expect(keepRead({ body: null }, { body: { x: true } })).toEqual({ body: null });
    expect(keepRead(5, { x: true })).toBe(5);
  });

  it("keeps a `__proto__` key as a key", () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "other": 1}') as unknown;
    const kept = keepRead({ body }, JSON.parse('{"body": {"__proto__": true}}') as ReadTree) as { body: object };
    expect(Object.getPrototypeOf(kept.body)).toBe(Object.prototype);
    expect(Object.hasOwn(kept.body, "__proto__")).toBe(true);
    expect(at(kept, "body", "__proto__", "polluted")).toBe(true);
  });
});
