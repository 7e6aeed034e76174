/**
 * Where a generator run spends its time (bench/generator): an optional
 * collector passed down the pipeline. Without one, `timed` just calls the
 * function, so normal runs pay nothing but a closure.
 *
 * Each stage gets its own (self) time: a stage timed inside another (print
 * inside emit) is subtracted from the outer one, so the stages add up to
 * the run.
 */

export const STAGES = ["load", "validate", "model", "check", "emit", "print", "write"] as const;
export type Stage = (typeof STAGES)[number];

export class StageTimings {
  /** Milliseconds per stage, summed over every call. */
  readonly ms: Record<Stage, number> = { load: 0, validate: 0, model: 0, check: 0, emit: 0, print: 0, write: 0 };
  /** Time spent in nested stages, per open stage. */
  private readonly nested: number[] = [];

  /** `now` is the clock (milliseconds); tests pass one they advance themselves, so no assertion depends on the machine's speed. */
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  time<T>(stage: Stage, run: () => T): T {
    const start = this.now();
    this.nested.push(0);
    try {
      return run();
    } finally {
      const elapsed = this.now() - start;
      const inner = this.nested.pop() ?? 0;
      this.ms[stage] += elapsed - inner;
      const outer = this.nested.length - 1;
      if (outer >= 0) this.nested[outer]! += elapsed;
    }
  }
}

/** Runs `run`, counting its time under `stage` when a collector is given. */
export function timed<T>(timings: StageTimings | undefined, stage: Stage, run: () => T): T {
  return timings ? timings.time(stage, run) : run();
}
