import { statSync } from "node:fs";
import type { ValidateFunction } from "ajv/dist/2020.js";
import type { ActionsModule } from "./actions/actions-module.ts";
import type { Diagnostic, DiagnosticBag } from "./diagnostics.ts";
import type { AgentFlowPart } from "./emit/agent-class.ts";
import type { FlowOutput } from "./emit/project-files.ts";
import type { YamlSource } from "./load/yaml-nodes.ts";
import type { Flow } from "./model/types.ts";

/**
 * What watch mode keeps from one run to the next, so that after a save only
 * the work that depends on the changed file is done again. A run given a
 * GeneratorCache produces exactly what a run without one produces
 * (tests/generator/incremental.test.ts): every cached result is keyed by
 * everything it was computed from.
 *
 * - Stages 1–3 (load, validate, model), per definition file: keyed by its
 *   path and text. A file read with the same text gets back the same
 *   YamlSource and Flow objects, and its diagnostics are replayed.
 * - Stage 4 (check): the per-flow rules, keyed by the Flow object (the same
 *   object exactly when the text is the same) and the project facts they
 *   read (wrangler.jsonc vars, the actions module). The rules between flows
 *   (ids, names, routes, calls) run every time; they are cheap.
 * - The actions module's analysis (a TypeScript program): keyed by the text
 *   of every file it read (actions/actions-cache.ts, which also keeps it on disk).
 * - Stage 5 (emit): each flow's files, keyed by the Flow objects they read
 *   (the flow, the flows it calls) and the facts about it from other flows
 *   (whether a caller waits for it, who starts it); each flow's part of its
 *   agent class, and each agent class's file, by the flows they read. The
 *   worker entry, the book page and wrangler.jsonc are made every time from
 *   the cached parts.
 * - Stage 6 (write): what the last run wrote, and each file's size and
 *   modification time then, so unchanged files are not read back.
 */

/** One cached value per key, valid while its dependencies are the same (===) as when it was made. */
export class Memo<T> {
  private readonly entries = new Map<string, { deps: readonly unknown[]; value: T; used: boolean }>();
  /** Since the cache was made: values reused, values made (tests, bench). */
  hits = 0;
  misses = 0;

  get(key: string, deps: readonly unknown[], make: () => T): T {
    const entry = this.entries.get(key);
    if (entry && entry.deps.length === deps.length && entry.deps.every((d, i) => d === deps[i])) {
      entry.used = true;
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const value = make();
    this.entries.set(key, { deps, value, used: true });
    return value;
  }

  /** Forgets the entries no `get` asked for since the last sweep (deleted files, renamed flows). */
  sweep(): void {
    for (const [key, entry] of this.entries) {
      if (!entry.used) this.entries.delete(key);
      else entry.used = false;
    }
  }
}

/** A value and the diagnostics reported while computing it. */
export interface WithDiagnostics<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs `run` against `bag`, capturing what it reported so it can be replayed. */
export function captured<T>(bag: DiagnosticBag, run: () => T): WithDiagnostics<T> {
  const before = bag.items.length;
  const value = run();
  return { value, diagnostics: bag.items.slice(before) };
}

/** The analysis of the actions module and the text of each file it read (actions/actions-cache.ts). */
export interface ActionsAnalysis {
  readonly text: string;
  readonly files: ReadonlyMap<string, string>;
  readonly module: ActionsModule;
  /** Every import resolved; otherwise the analysis is not reused. */
  readonly complete: boolean;
}

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** What the last run wrote: each file's text and its stat just after. */
export interface WrittenState {
  readonly files: Map<string, string>;
  readonly stats: Map<string, FileStat>;
}

/** Stages 1–3 of one definition file. */
export interface FileOutcome {
  /** Everything the three stages reported about the file. */
  readonly diagnostics: readonly Diagnostic[];
  /** Parsed without YAML errors. */
  readonly src?: YamlSource;
  /** Valid against the schema, and modelled. */
  readonly flow?: Flow;
  /** The `flow:` of a file that did not validate. */
  readonly rawId?: string;
}

export class GeneratorCache {
  readonly files = new Memo<FileOutcome>();
  /** Per flow: its compiled input fields, and the diagnostics of its own rules. */
  readonly inputs = new Memo<WithDiagnostics<ReadonlyMap<string, ValidateFunction>>>();
  readonly rules = new Memo<readonly Diagnostic[]>();
  readonly flowOutputs = new Memo<FlowOutput>();
  readonly agentParts = new Memo<AgentFlowPart>();
  readonly agentFiles = new Memo<ReadonlyMap<string, string>>();
  actions: ActionsAnalysis | undefined;
  written: WrittenState | undefined;

  /** After stages 1–4, which run every time: forget what this run did not use. */
  sweepChecked(): void {
    for (const memo of [this.files, this.inputs, this.rules]) memo.sweep();
  }

  /** After stage 5, which a run with errors skips (its entries stay for the next good run). */
  sweepEmitted(): void {
    for (const memo of [this.flowOutputs, this.agentParts, this.agentFiles]) memo.sweep();
  }
}

export function statOf(path: string): FileStat | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

export function sameStat(a: FileStat | undefined, b: FileStat | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
