import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GeneratorCache } from "../../generator/incremental.ts";
import { runGenerator } from "../../generator/pipeline.ts";
import { STAGES, type Stage, StageTimings } from "../../generator/timings.ts";
import { startWatch, type WatchRun } from "../../generator/watch.ts";
import { median } from "./measure.ts";
import { flowId, syntheticFlow } from "./synthetic-flows.ts";

/**
 * Watch mode after one changed flow: through the real watcher (fs events,
 * debounce, the run), and the same incremental runs called directly with
 * stage timings, to show where the time of such a run goes.
 */

/** The flow edited by edit number `e` (spread over the project) and its new text. */
function editOf(e: number, n: number): { index: number; text: string } {
  const index = (e * 37) % n;
  return { index, text: syntheticFlow(index, n, e + 1) };
}

export interface WatchMeasurement {
  /** The regeneration itself (WatchRun.durationMs), one per edit. */
  readonly runMs: readonly number[];
  /** From the save to the end of the run: fs event, debounce and regeneration. */
  readonly saveToDoneMs: readonly number[];
  readonly debounceMs: number;
}

/**
 * `generate --watch` on the project: after the first run, `edits` saves,
 * each changing ONE flow (a step URL and an e-mail subject), each awaited.
 */
export async function measureWatch(dir: string, n: number, edits: number): Promise<WatchMeasurement> {
  const debounceMs = 20;
  const pending: ((run: WatchRun) => void)[] = [];
  let failure: unknown;
  const watcher = startWatch(dir, {
    debounceMs,
    onRun: (run) => pending.shift()?.(run),
    onError: (error) => (failure = error),
  });
  await watcher.ready;
  const runMs: number[] = [];
  const saveToDoneMs: number[] = [];
  try {
    for (let e = 0; e < edits; e++) {
      const { index: i, text } = editOf(e, n);
      const file = join(dir, "definitions", `${flowId(i)}.yaml`);
      const next = new Promise<WatchRun>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no watch run within 30 s after editing ${file}`)), 30_000);
        pending.push((run) => {
          clearTimeout(timer);
          done(run);
        });
      });
      const saved = performance.now();
      writeFileSync(file, text);
      const run = await next;
      if (failure) throw failure;
      const errors = run.result.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0 || !run.changed.includes(`definitions/${flowId(i)}.yaml`)) {
        throw new Error(`unexpected watch run after editing ${flowId(i)}: ${JSON.stringify(run.changed)} ${errors.length} error(s)`);
      }
      saveToDoneMs.push(performance.now() - saved);
      runMs.push(run.durationMs);
    }
  } finally {
    watcher.close();
  }
  return { runMs, saveToDoneMs, debounceMs };
}

/** Incremental runs as the watcher makes them (a GeneratorCache across runs), each after one edit: median ms per stage. */
export function incrementalStages(dir: string, n: number, edits: number): { totalMs: number; stages: Record<Stage, number> } {
  const cache = new GeneratorCache();
  runGenerator(dir, "generate", { cache });
  const totals: number[] = [];
  const perStage = new Map<Stage, number[]>(STAGES.map((s) => [s, []]));
  for (let e = 0; e < edits; e++) {
    const { index, text } = editOf(e + 1000, n);
    writeFileSync(join(dir, "definitions", `${flowId(index)}.yaml`), text);
    const timings = new StageTimings();
    const started = performance.now();
    const result = runGenerator(dir, "generate", { cache, timings });
    totals.push(performance.now() - started);
    if (!result.ok) throw new Error(`incremental run after editing ${flowId(index)} failed`);
    for (const stage of STAGES) perStage.get(stage)!.push(timings.ms[stage]);
  }
  return { totalMs: median(totals), stages: Object.fromEntries(STAGES.map((s) => [s, median(perStage.get(s)!)])) as Record<Stage, number> };
}

/** A copy of the project's definitions as they are now, to put back after the watch edits. */
export function snapshotDefinitions(dir: string, tmp: string): () => void {
  rmSync(tmp, { recursive: true, force: true });
  cpSync(join(dir, "definitions"), tmp, { recursive: true });
  return () => {
    rmSync(join(dir, "definitions"), { recursive: true, force: true });
    cpSync(tmp, join(dir, "definitions"), { recursive: true });
    rmSync(tmp, { recursive: true, force: true });
  };
}
