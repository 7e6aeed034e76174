import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { OutputChanges } from "./write-outputs.ts";

/**
 * Writes the generated files on a second thread while the main thread is
 * still emitting them. Creating thousands of files is a large part of a
 * big project's first run (more so on slow or scanned file systems); done
 * beside the emitting, it costs little more than the emitting itself.
 * Used for big `generate` runs only (pipeline.ts): starting the thread
 * costs more than it saves on a few dozen files.
 *
 * The same promise as writeOutputs: files that are already right are not
 * touched, each file is replaced in one step, generated files no longer
 * made are deleted, and nothing changes on disk unless `commit` is called
 * (`abort`, or a failure, leaves the disk as it was). Both calls block until
 * the thread is done, so the pipeline stays synchronous.
 */
export class BackgroundWriter {
  private readonly worker: Worker;
  private readonly done: MessagePort;
  /** [0]: 1 once the thread has answered; [1]: files handled so far (progress, for the stall check). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private finished = false;

  constructor(root: string, ownedDir: string) {
    const { port1, port2 } = new MessageChannel();
    this.done = port1;
    // Compiled (the package's dist/) the thread's module is .js; from source, .ts.
    const data: WriterData = { root, ownedDir, done: port2, signal: this.signal };
    this.worker = new Worker(new URL(`./write-worker.${import.meta.url.endsWith(".js") ? "js" : "ts"}`, import.meta.url), { workerData: data, transferList: [port2] });
    // The process may end without waiting for the thread once it has answered.
    this.worker.unref();
  }

  /** `path` is relative to the project root. */
  put(path: string, text: string): void {
    const message: WriterMessage = { kind: "file", path, text };
    this.worker.postMessage(message);
  }

  /** Moves every changed file into place, deletes stale ones, and says what changed. */
  commit(): OutputChanges {
    const result = this.finish({ kind: "commit" });
    if (!result.ok) throw new Error(`writing generated files failed: ${result.error}`);
    return { written: result.written, deleted: result.deleted };
  }

  /** Removes what was written so far; the disk is left as it was. */
  abort(): void {
    if (!this.finished) this.finish({ kind: "abort" });
  }

  private finish(message: WriterMessage): WriterResult {
    this.finished = true;
    this.worker.postMessage(message);
    let progress = Atomics.load(this.signal, 1);
    let quietSince = performance.now();
    // The thread's messages cannot be delivered to a blocked event loop, so it answers through shared memory.
    while (Atomics.wait(this.signal, 0, 0, 1000) === "timed-out") {
      const now = Atomics.load(this.signal, 1);
      if (now !== progress) [progress, quietSince] = [now, performance.now()];
      else if (performance.now() - quietSince > STALL_MS) throw new Error("internal: the generator's writer thread stopped answering");
    }
    const received = receiveMessageOnPort(this.done);
    if (!received) throw new Error("internal: the generator's writer thread answered nothing");
    return received.message as WriterResult;
  }
}

/** A writer thread that has handled no file for this long is taken for dead. */
const STALL_MS = 60_000;

export interface WriterData {
  readonly root: string;
  readonly ownedDir: string;
  readonly done: MessagePort;
  readonly signal: Int32Array;
}

export type WriterMessage = { readonly kind: "file"; readonly path: string; readonly text: string } | { readonly kind: "commit" } | { readonly kind: "abort" };

export type WriterResult = { readonly ok: true; readonly written: string[]; readonly deleted: string[] } | { readonly ok: false; readonly error: string };
