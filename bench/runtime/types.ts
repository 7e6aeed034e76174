/**
 * What the run-time benchmark's workerd test (measure.workerd.ts) is asked to
 * do and what it hands back (as test metadata, which the reporter in
 * vitest.bench.config.ts writes to a JSON file).
 */

export const BENCH_FLOWS = ["flight-status", "steps-50"] as const;
export type BenchFlow = (typeof BENCH_FLOWS)[number];
export const BENCH_SIDES = ["generated", "hand"] as const;
export type BenchSide = (typeof BENCH_SIDES)[number];

export interface BenchPlan {
  /** Measured rounds; each runs one batch per flow and side, alternating which side goes first. */
  readonly rounds: number;
  /** Instances per batch (all started at once). */
  readonly batch: number;
  /** Instances per side in the unmeasured warm-up round (which also checks both sides give the same outputs). */
  readonly warmup: number;
  /** Agent instances (users / customers) a batch spreads its instances over. */
  readonly agentsPerBatch: number;
  /** Repetitions of each in-isolate part (MICRO_PARTS), alternating sides. */
  readonly microReps: number;
  /**
   * Calibration (an A/A run): the "hand" side runs the generated code too, so
   * every ratio should be 1 and its spread is the method's noise here.
   */
  readonly calibrate?: boolean;
}

/**
 * The in-isolate parts timed without the Workflows engine: the flight-status
 * HTTP trigger (it only schedules the start in the user's agent), and each
 * workflow's run() with a step object that just calls the callback.
 */
export const MICRO_PARTS = ["trigger:flight-status", "run:flight-status", "run:steps-50"] as const;
export type MicroPart = (typeof MICRO_PARTS)[number];
/** Operations per timed block. */
export const MICRO_OPS: Readonly<Record<MicroPart, number>> = { "trigger:flight-status": 20, "run:flight-status": 400, "run:steps-50": 40 };

export interface MicroTiming {
  readonly rep: number;
  readonly part: MicroPart;
  readonly side: BenchSide;
  readonly ops: number;
  readonly ms: number;
  readonly cpuMs: number | null;
}

export interface BatchTiming {
  readonly round: number;
  readonly flow: BenchFlow;
  readonly side: BenchSide;
  /** Position within its round's pair for this flow (0 = ran first). */
  readonly order: number;
  readonly instances: number;
  /** Wall time of the batch, as workerd's clock tells it. */
  readonly ms: number;
  /** CPU time workerd spent meanwhile (from cpu-probe.ts), or null without a probe. */
  readonly cpuMs: number | null;
}

export interface BenchRuntimeMeta {
  readonly plan: BenchPlan;
  readonly batches: readonly BatchTiming[];
  readonly micro: readonly MicroTiming[];
}

declare module "@vitest/runner" {
  interface TaskMeta {
    benchRuntime?: BenchRuntimeMeta;
  }
}
