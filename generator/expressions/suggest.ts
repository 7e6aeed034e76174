/**
 * "Did you mean" suggestions for misspelt names. Shared by every stage that
 * reports an unknown name (expressions, YAML keys, step ids), so hints read
 * the same everywhere.
 */

/**
 * Edit distance where inserting, deleting or replacing a character, or
 * swapping two adjacent ones, costs 1 (optimal string alignment): `inptu` is
 * one typo away from `input`, as a reader would count it.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const same = a[i - 1] === b[j - 1];
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (same ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, or undefined when none is close enough to
 * be a plausible typo. Case differences cost nothing extra beyond one edit so
 * `UserId` still finds `userId`. Ties go to the earlier candidate, which keeps
 * hints deterministic for a given candidate order.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance =
      candidate.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean 'x'?` for the closest candidate, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = suggest(word, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
