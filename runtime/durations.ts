/**
 * Durations as the flow language writes them: `"<n> <unit>"`.
 *
 * Imported by the generator (Node, to validate and normalise at build time)
 * and by the Worker (for `addDuration` at run time), so it must stay free of
 * imports and platform APIs.
 */

export type DurationUnit = "second" | "minute" | "hour" | "day" | "week" | "month" | "year";

/**
 * Seconds per unit. A month is always 30 days and a year 365 days, in every
 * place a duration is used (sleep, delay, timeout, every, addDuration): one
 * meaning, which the normalised text hands to Workflows as days (the engine
 * alone would count a year as 365.25 days).
 */
export const DURATION_UNIT_SECONDS: Readonly<Record<DurationUnit, number>> = {
  second: 1,
  minute: 60,
  hour: 3_600,
  day: 86_400,
  week: 604_800,
  month: 2_592_000,
  year: 31_536_000,
};

/** Shown in hints when a duration does not parse. */
export const DURATION_EXAMPLE = '"30 seconds", "5 minutes", "1 hour", "2 days"';

export interface ParsedDuration {
  /** Length in seconds (month = 30 days, year = 365 days). */
  readonly seconds: number;
  /** Normalised text Workflows accepts, e.g. `"5 minutes"`, `"1 hour"`. */
  readonly text: string;
}

export interface SignedDuration extends ParsedDuration {
  /** -1 when the text had a leading `-` (subtract), else 1. */
  readonly sign: 1 | -1;
  /** The unsigned number and the unit, as written. */
  readonly count: number;
  readonly unit: DurationUnit;
}

// Case and inner spacing are forgiven; the normalised text is always lower case
// with one space. At most 15 digits keeps every product a safe integer.
const PATTERN = /^(-?)\s*(\d{1,15})\s*(second|minute|hour|day|week|month|year)(s?)$/i;

function isUnit(word: string): word is DurationUnit {
  return Object.hasOwn(DURATION_UNIT_SECONDS, word);
}

function parse(text: string): SignedDuration | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, minus, digits, word] = match;
  const unit = word?.toLowerCase() ?? "";
  if (digits === undefined || !isUnit(unit)) return undefined;
  const n = Number(digits);
  const seconds = n * DURATION_UNIT_SECONDS[unit];
  if (!Number.isSafeInteger(seconds)) return undefined;
  // Months and years go to Workflows as days, so the engine counts them as we do.
  const [count, shown] = unit === "month" || unit === "year" ? [seconds / DURATION_UNIT_SECONDS.day, "day"] : [n, unit];
  return { seconds, text: `${count} ${shown}${count === 1 ? "" : "s"}`, sign: minus === "-" ? -1 : 1, count: n, unit };
}

/** Parses `"<n> <unit>"` (n ≥ 0, unit singular or plural); undefined when it is not one. */
export function parseDuration(text: string): ParsedDuration | undefined {
  const parsed = parse(text);
  if (!parsed || parsed.sign === -1) return undefined;
  return { seconds: parsed.seconds, text: parsed.text };
}

/**
 * Like {@link parseDuration}, but also accepts a leading `-` (as in
 * `addDuration(ts, '-2 days')`). `text` stays unsigned; `sign` carries the direction.
 */
export function parseSignedDuration(text: string): SignedDuration | undefined {
  return parse(text);
}
