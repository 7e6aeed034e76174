import { parseDuration } from "./durations.ts";

/**
 * Shorter sleeps and delays while trying a flow with `npm run dev`:
 * `FLOWS_TIME_SCALE=60` in .dev.vars makes a `sleep: 1 hour` last a minute,
 * and scales retry delays, step timeouts, wait_for_event timeouts and
 * sleep_until waits the same way.
 *
 * Never in a deployed Worker: the var alone does nothing. The scale applies
 * only to a bundle built by `npm run dev`, which passes
 * `wrangler dev --define FLOWS_LOCAL_DEV:true`; esbuild replaces the name at
 * build time, and `wrangler deploy` (no --define) leaves it undeclared, so
 * a var or secret of that name in production changes nothing.
 */

declare const FLOWS_LOCAL_DEV: boolean | undefined;

/** True only in a bundle built with `--define FLOWS_LOCAL_DEV:true` (npm run dev). */
export function isLocalDevBuild(): boolean {
  return typeof FLOWS_LOCAL_DEV !== "undefined" && FLOWS_LOCAL_DEV === true;
}

/** The factor in force: FLOWS_TIME_SCALE (a number ≥ 1) in a local dev build; 1 otherwise. */
export function timeScaleOf(env: object, localDev: boolean = isLocalDevBuild()): number {
  if (!localDev) return 1;
  const raw: unknown = (env as Record<string, unknown>)["FLOWS_TIME_SCALE"];
  const scale = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  return Number.isFinite(scale) && scale >= 1 ? scale : 1;
}

/** A duration (Workflows text such as "5 minutes", or milliseconds) divided by `scale`, in milliseconds; others untouched. */
export function scaledDuration(duration: unknown, scale: number): unknown {
  const ms = typeof duration === "number" ? duration : typeof duration === "string" ? (parseDuration(duration)?.seconds ?? Number.NaN) * 1000 : Number.NaN;
  if (!Number.isFinite(ms)) return duration;
  // Workflows refuses a zero timeout; a millisecond is the shortest wait.
  return Math.max(1, Math.round(ms / scale));
}

type Options = Record<string, unknown> & { retries?: Record<string, unknown> };

function scaledOptions(options: unknown, scale: number): unknown {
  if (typeof options !== "object" || options === null) return options;
  const out: Options = { ...(options as Options) };
  if ("timeout" in out) out["timeout"] = scaledDuration(out["timeout"], scale);
  if (out.retries && "delay" in out.retries) out.retries = { ...out.retries, delay: scaledDuration(out.retries["delay"], scale) };
  return out;
}

/**
 * Wraps a workflow's `step` so that its waits are `scale` times shorter; with
 * scale 1 (always, outside `npm run dev`), returns `step` itself.
 */
export function localTime<T extends object>(step: T, env: object, scale: number = timeScaleOf(env)): T {
  if (scale === 1) return step;
  const rewrite: Record<string, (args: unknown[]) => unknown[]> = {
    sleep: ([name, duration, ...rest]) => [name, scaledDuration(duration, scale), ...rest],
    // The time left until the target, from when the step is reached, shrinks by the scale.
    sleepUntil: ([name, when, ...rest]) => {
      const target = when instanceof Date ? when.getTime() : typeof when === "number" ? when : Number.NaN;
      const now = Date.now();
      return [name, Number.isFinite(target) && target > now ? new Date(now + (target - now) / scale) : when, ...rest];
    },
    do: (args) => (args.length >= 3 ? [args[0], scaledOptions(args[1], scale), ...args.slice(2)] : args),
    waitForEvent: ([name, options, ...rest]) => [name, scaledOptions(options, scale), ...rest],
  };
  return new Proxy(step, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      const change = typeof key === "string" ? rewrite[key] : undefined;
      if (!change || typeof value !== "function") return value;
      return (...args: unknown[]): unknown => Reflect.apply(value, target, change(args));
    },
  });
}
