import { type FSWatcher, readdirSync, readFileSync, statSync, watch } from "node:fs";
import { join } from "node:path";
import { GeneratorCache } from "./incremental.ts";
import { runGenerator, type RunResult } from "./pipeline.ts";

/**
 * `generate --watch`: run the generator once, then again whenever an input
 * changes (definitions/, wrangler.jsonc, actions/). It relies on the
 * pipeline's rule that nothing is written while any error exists, so a
 * broken save leaves the last good output in place.
 *
 * Built on node:fs `watch` rather than a library: the events are only a
 * nudge. Every folder of the inputs gets its own non-recursive watcher, and
 * never a file: a save by rename (vim, `sed -i`, an editor's safe write,
 * `git checkout`) puts a new file (a new inode) in place, which a watcher on
 * the old file (as Node's recursive mode keeps on Linux) never hears of
 * again, while the folder's watcher sees every such rename. Which file an
 * event names is not trusted (a rename may be reported under one of its
 * names only, an editor's atomic save under a temporary one); each burst of events is
 * debounced, then the inputs are read and compared with those of the last
 * run. So our own write of wrangler.jsonc, or a save that changes nothing,
 * does not run again.
 *
 * Runs share a GeneratorCache (incremental.ts): after a save, only what
 * depends on the changed files is parsed, checked and emitted again, and
 * only changed outputs are written; the result is what a full run gives.
 */

export interface WatchRun {
  readonly result: RunResult;
  /** When the run started. */
  readonly at: Date;
  /** How long the run took (fractional milliseconds). */
  readonly durationMs: number;
  /** The inputs that changed since the last run (project-relative); all of them for the first run. */
  readonly changed: readonly string[];
  /** The run on start, before any change. */
  readonly first: boolean;
}

export interface WatchOptions {
  readonly onRun: (run: WatchRun) => void;
  /** A run that threw (a bug in the generator): reported, and the watcher keeps going. */
  readonly onError?: (error: unknown) => void;
  /** `generate` (default) writes the output; `check` only validates. */
  readonly mode?: "generate" | "check";
  /** Quiet time after the last event before a run; default 100 ms. */
  readonly debounceMs?: number;
}

export interface Watcher {
  /** Resolves once the first run is done. */
  readonly ready: Promise<void>;
  /** Stops watching; no run starts afterwards. */
  close(): void;
}

/** The folders watched (recursively) and the single files of the root. */
const DIRS = ["definitions", "actions"] as const;
const ROOT_FILES = ["wrangler.jsonc"];

type Snapshot = ReadonlyMap<string, string>;

export function startWatch(root: string, options: WatchOptions): Watcher {
  const mode = options.mode ?? "generate";
  const debounceMs = options.debounceMs ?? 100;
  const dirWatchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  let last: Snapshot | undefined;
  const cache = new GeneratorCache();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  const run = (): void => {
    timer = undefined;
    if (closed) return;
    // Cheap, and picks up folders made (or made again) since the last run.
    attachAll();
    const before = snapshot(root);
    const changed = last === undefined ? [...before.keys()] : diff(last, before);
    if (last !== undefined && changed.length === 0) return;
    const at = new Date();
    const started = performance.now();
    let result: RunResult;
    try {
      result = runGenerator(root, mode, { cache });
    } catch (error) {
      // A file deleted between listing and reading: its own event brings another run.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return schedule();
      options.onError?.(error);
      last = before;
      return markReady();
    }
    // What the run itself wrote (wrangler.jsonc) is no change of the inputs.
    const after = new Map(before);
    for (const file of result.changes.written) {
      const text = before.has(file) ? readText(join(root, file)) : undefined;
      if (text !== undefined) after.set(file, text);
    }
    const first = last === undefined;
    last = after;
    options.onRun({ result, at, durationMs: performance.now() - started, changed, first });
    markReady();
  };

  /** Watches every folder under DIRS now present, each once; a folder deleted and made again is a new inode, watched afresh. */
  const attachAll = (): void => {
    const present = new Map<string, number>();
    for (const dir of DIRS) folders(root, dir, present);
    for (const [dir, { watcher, ino }] of dirWatchers) {
      if (present.get(dir) === ino) continue;
      watcher.close();
      dirWatchers.delete(dir);
    }
    for (const [dir, ino] of present) if (!dirWatchers.has(dir)) attach(dir, ino);
  };

  const attach = (dir: string, ino: number): void => {
    if (closed) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(join(root, dir), schedule);
    } catch (error) {
      // Gone again already (its event follows), or out of inotify watches, which the user must hear about.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") options.onError?.(error);
      return;
    }
    // The folder went away under the watcher: its parent's (or the root's) watcher sees it come back.
    watcher.on("error", () => {
      watcher.close();
      if (dirWatchers.get(dir)?.watcher === watcher) dirWatchers.delete(dir);
      schedule();
    });
    dirWatchers.set(dir, { watcher, ino });
  };

  const rootWatcher = watch(root, (_event, name) => {
    if (name === null || (DIRS as readonly string[]).includes(name) || ROOT_FILES.includes(name)) schedule();
  });
  rootWatcher.on("error", (error) => options.onError?.(error));
  attachAll();
  // The first run goes through the same path as the others, without waiting.
  run();

  return {
    ready,
    close(): void {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      rootWatcher.close();
      for (const { watcher } of dirWatchers.values()) watcher.close();
      dirWatchers.clear();
      markReady();
    },
  };
}

/** `dir` and the folders under it (not node_modules), each with its inode, by project-relative path. */
function folders(root: string, dir: string, into: Map<string, number>): void {
  let entries;
  try {
    into.set(dir, statSync(join(root, dir)).ino);
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory() && entry.name !== "node_modules") folders(root, `${dir}/${entry.name}`, into);
}

/** Every input's text by project-relative path. */
function snapshot(root: string): Snapshot {
  const files = new Map<string, string>();
  for (const name of ROOT_FILES) {
    const text = readText(join(root, name));
    if (text !== undefined) files.set(name, text);
  }
  for (const dir of DIRS) collect(root, dir, files);
  return files;
}

function collect(root: string, dir: string, into: Map<string, string>): void {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== "node_modules") collect(root, rel, into);
    else if (entry.isFile()) {
      const text = readText(join(root, rel));
      if (text !== undefined) into.set(rel, text);
    }
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Paths added, removed or changed between two snapshots, sorted. */
function diff(a: Snapshot, b: Snapshot): string[] {
  const out = new Set<string>();
  for (const [path, text] of b) if (a.get(path) !== text) out.add(path);
  for (const path of a.keys()) if (!b.has(path)) out.add(path);
  return [...out].sort();
}
