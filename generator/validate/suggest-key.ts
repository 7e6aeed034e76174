import { suggest } from "../expressions/suggest.ts";

/**
 * "did you mean" for keys and names. Plain edit distance counts a swapped
 * pair of letters (`stpes`, `inptu`) as two edits, too many for a short word,
 * yet that is the commonest typo in keys; so a single adjacent swap also
 * counts as a match.
 */
export function suggestKey(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  return suggest(word, list) ?? list.find((c) => isOneSwap(word.toLowerCase(), c.toLowerCase()));
}

export function didYouMeanKey(word: string, candidates: Iterable<string>): string | undefined {
  const match = suggestKey(word, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}

function isOneSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  const [i, j] = diff;
  return diff.length === 2 && j === i! + 1 && a[i!] === b[j] && a[j] === b[i!];
}
