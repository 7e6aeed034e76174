import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isMap, isSeq, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { discriminate } from "../../generator/validate/discriminate.ts";
import { compileAll, type FlowValidator, flowValidator, loadCached } from "../../generator/validate/flow-validators.ts";
import { pointerSegments } from "../../generator/load/yaml-nodes.ts";

/**
 * generator/validate/flow-validators.ts keeps the compiled flow-schema
 * validators on disk (ajv's standalone code). Loaded from there they must
 * judge every document exactly as freshly compiled ones: the same verdict,
 * the same error objects (which the messages are made from).
 */

const ROOT = resolve(import.meta.dirname, "../..");

type Json = { [key: string]: unknown };

/** The example flows, and variants of each with one entry removed, retyped or misspelt: plenty of errors. */
function corpus(): Json[] {
  const docs: Json[] = [];
  for (const name of readdirSync(join(ROOT, "definitions")).filter((f) => /^[^.]+\.yaml$/.test(f))) {
    const doc = parseDocument(readFileSync(join(ROOT, "definitions", name), "utf8"));
    docs.push(doc.toJS() as Json);
    const paths: (string | number)[][] = [];
    const walk = (node: unknown, path: (string | number)[]): void => {
      if (isMap(node)) for (const pair of node.items) walk(pair.value, [...path, String((pair.key as { value: unknown }).value)]);
      else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
      if (path.length > 0) paths.push(path);
    };
    walk(doc.contents, []);
    for (const path of paths) {
      for (const change of ["delete", "retype", "rename"] as const) {
        const copy = doc.clone();
        if (change === "delete") copy.deleteIn(path);
        else if (change === "retype") copy.setIn(path, 42);
        else if (typeof path[path.length - 1] === "string") {
          copy.deleteIn(path);
          copy.setIn([...path.slice(0, -1), `${String(path[path.length - 1])}x`], doc.getIn(path));
        }
        docs.push(copy.toJS() as Json);
      }
    }
  }
  return docs;
}

function verdict(validate: FlowValidator, data: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(data);
  return { valid, errors: structuredClone(validate.errors ?? null) };
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointerSegments(pointer)) value = (value as Json | undefined)?.[segment];
  return value;
}

describe("flow-schema validators from the disk cache", () => {
  it("judge every document as freshly compiled ones do", () => {
    flowValidator(); // makes sure the cache exists
    const cached = loadCached();
    expect(cached).toBeDefined();
    const fresh = compileAll(false);
    expect([...cached!.keys()]).toEqual([...fresh.keys()]);
    const docs = corpus();
    expect(docs.length).toBeGreaterThan(300);
    let invalid = 0;
    for (const data of docs) {
      const root = verdict(fresh.get("")!, data);
      expect(verdict(cached!.get("")!, data)).toEqual(root);
      if (!root.valid) invalid++;
      if (typeof data !== "object" || data === null || Array.isArray(data)) continue;
      for (const node of discriminate(data as never).nodes) {
        const value = valueAt(data, node.pointer);
        const nodeVerdict = verdict(fresh.get(node.definition)!, value);
        expect(verdict(cached!.get(node.definition)!, value), node.definition).toEqual(nodeVerdict);
        // validate-flow.ts skips the nodes of a document the root accepts.
        if (root.valid) expect(nodeVerdict.valid, `${node.definition} at ${node.pointer}`).toBe(true);
      }
    }
    expect(invalid).toBeGreaterThan(100);
  });
});
