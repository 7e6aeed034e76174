/**
 * A cron in plain English for people who do not read cron: "every 5
 * minutes", "every day at 03:00 UTC". Only the common shapes are put into
 * words; anything else returns undefined and the reader sees the cron alone,
 * which is better than a confident wrong sentence.
 */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MONTH_KEYS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_KEYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const NUMBER = /^\d{1,2}$/;

const pad = (n: number): string => String(n).padStart(2, "0");

/** "every N minutes" style phrases for the minute and hour fields, or "at HH:MM" times. */
function timePhrase(minute: string, hour: string): { readonly every?: string; readonly at?: string } | undefined {
  const step = (field: string): number | undefined => (/^\*\/\d+$/.test(field) ? Number(field.slice(2)) : undefined);
  if (minute === "*" && hour === "*") return { every: "every minute" };
  const minuteStep = step(minute);
  if (minuteStep !== undefined && hour === "*") return { every: minuteStep === 1 ? "every minute" : `every ${minuteStep} minutes` };
  if (!NUMBER.test(minute)) return undefined;
  const m = Number(minute);
  if (hour === "*") return { every: m === 0 ? "every hour, on the hour" : `every hour at minute ${m}` };
  const hourStep = step(hour);
  if (hourStep !== undefined) return { every: `every ${hourStep === 1 ? "hour" : `${hourStep} hours`} at minute ${m}` };
  const hours = hour.split(",");
  if (!hours.every((h) => NUMBER.test(h))) return undefined;
  return { at: hours.map((h) => `${pad(Number(h))}:${pad(m)}`).join(" and ") };
}

/** A list of names or numbers (with ranges) from one of the day fields, in words. */
function listPhrase(field: string, keys: readonly string[], words: readonly string[], offset: number): string | undefined {
  const word = (text: string): string | undefined => {
    const byName = keys.indexOf(text.toUpperCase());
    if (byName >= 0) return words[byName];
    return NUMBER.test(text) ? words[Number(text) - offset] : undefined;
  };
  const items = field.split(",").map((item) => {
    const [from, to, extra] = item.split("-");
    if (extra !== undefined || from === undefined) return undefined;
    const a = word(from);
    const b = to === undefined ? undefined : word(to);
    return to === undefined ? a : a && b && `${a} to ${b}`;
  });
  return items.every((i) => i !== undefined) ? items.join(", ") : undefined;
}

function dayPhrase(dayOfMonth: string, month: string, dayOfWeek: string): string | undefined {
  const restricted = [dayOfMonth, month, dayOfWeek].filter((f) => f !== "*" && f !== "?");
  if (restricted.length === 0) return "every day";
  // Both day fields set means "either" in cron: too subtle for one sentence.
  if (dayOfMonth !== "*" && dayOfMonth !== "?" && dayOfWeek !== "*" && dayOfWeek !== "?") return undefined;
  const parts: string[] = [];
  if (dayOfWeek !== "*" && dayOfWeek !== "?") {
    // Cloudflare numbers the days of the week 1–7 from Sunday; 0 has no agreed meaning there.
    if (/(^|[,-])0($|[,-])/.test(dayOfWeek)) return undefined;
    const days = listPhrase(dayOfWeek, DAY_KEYS, DAYS, 1);
    if (days === undefined) return undefined;
    parts.push(`on ${days}`);
  }
  if (dayOfMonth !== "*" && dayOfMonth !== "?") {
    if (!dayOfMonth.split(",").every((d) => NUMBER.test(d))) return undefined;
    parts.push(`on day ${dayOfMonth.split(",").join(", ")} of the month`);
  }
  if (month !== "*") {
    const months = listPhrase(month, MONTH_KEYS, MONTHS, 1);
    if (months === undefined) return undefined;
    parts.push(`in ${months}`);
  }
  return parts.join(" ");
}

/** Plain English for a five-field cron (UTC), or undefined for shapes it does not put into words. */
export function cronInWords(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const time = timePhrase(minute, hour);
  const days = dayPhrase(dayOfMonth, month, dayOfWeek);
  if (time === undefined || days === undefined) return undefined;
  if (time.at !== undefined) return `${days} at ${time.at} UTC`;
  return days === "every day" ? time.every : `${time.every}, ${days}`;
}
