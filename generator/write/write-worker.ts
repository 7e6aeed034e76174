import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type { WriterData, WriterMessage, WriterResult } from "./background-writer.ts";
import { readTextOrUndefined } from "../disk-cache.ts";
import { deleteStale, filesBelow, isInside, writeBeside } from "./disk.ts";

/**
 * The thread behind BackgroundWriter (background-writer.ts). Files arrive
 * while the main thread is still emitting; each one that differs from the
 * disk is written beside its target at once (creating files is the costly
 * part), and all of them are renamed into place only at `commit`, so a run
 * that fails half-way leaves generated/ as it was. `abort` removes what was
 * written. The result goes back on the `done` port, then `signal` wakes the
 * main thread, which waits for it with Atomics.wait.
 */

const { root, ownedDir, done, signal } = workerData as WriterData;
const tag = `${process.pid}-w`;
const madeDirs = new Set<string>();
/** path → temporary file, for the files that differ from the disk. */
const staged = new Map<string, string>();
const seen = new Set<string>();
let present: Set<string> | undefined;
let failure: string | undefined;

function put(path: string, text: string): void {
  seen.add(path);
  present ??= new Set(filesBelow(root, ownedDir));
  // A file of the owned folder that is not there is new: nothing to read back.
  const isNew = !present.has(path) && isInside(path, ownedDir);
  if (isNew || readTextOrUndefined(join(root, path)) !== text) staged.set(path, writeBeside(join(root, path), text, madeDirs, tag));
  Atomics.add(signal, 1, 1);
}

function commit(): WriterResult {
  for (const [path, temp] of staged) renameSync(temp, join(root, path));
  present ??= new Set(filesBelow(root, ownedDir));
  const deleted = [...present].filter((path) => !seen.has(path)).sort();
  deleteStale(root, deleted);
  return { ok: true, written: [...staged.keys()].sort(), deleted };
}

function discard(): void {
  for (const temp of staged.values()) rmSync(temp, { force: true });
  staged.clear();
}

function answer(result: WriterResult): void {
  done.postMessage(result);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  parentPort?.close();
}

parentPort?.on("message", (message: WriterMessage) => {
  try {
    if (message.kind === "file") {
      if (failure === undefined) put(message.path, message.text);
    } else if (message.kind === "abort" || failure !== undefined) {
      discard();
      answer(failure === undefined ? { ok: false, error: "aborted" } : { ok: false, error: failure });
    } else {
      answer(commit());
    }
  } catch (error) {
    // Remember the first failure; the rest of the files are ignored and nothing is committed.
    failure ??= error instanceof Error ? error.message : String(error);
    if (message.kind !== "file") {
      discard();
      answer({ ok: false, error: failure });
    }
  }
});
