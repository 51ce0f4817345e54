/**
 * Did-you-mean for unknown words: the nearest candidate by edit distance,
 * after forgiving the typos people actually make with keepalived keywords
 * (`-` for `_`, case, a missing or doubled underscore).
 */

function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_]/g, '');
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    let best = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word`, if close enough to be a plausible typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const norm = normalize(word);
  let best: string | undefined;
  let bestScore = Infinity;
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  for (const c of candidates) {
    if (c === word) continue;
    const score = normalize(c) === norm ? 0 : editDistance(word.toLowerCase(), c.toLowerCase(), limit);
    if (score <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
