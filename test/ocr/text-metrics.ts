// How a read-back compares with the headline: normalised (NFKC, case-folded, only letters and
// digits) exact match, and character error rate by Levenshtein distance.

export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export function levenshtein(a: string, b: string): number {
  const A = [...a],
    B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (A[i - 1] === B[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[B.length];
}

/** Character error rate of `read` against `truth`, after normalisation (0 = perfect). */
export function cer(truth: string, read: string): number {
  const t = normalizeText(truth),
    r = normalizeText(read);
  return t.length ? levenshtein(t, r) / t.length : r.length ? 1 : 0;
}

export const readsBack = (truth: string, read: string) => normalizeText(truth) === normalizeText(read);
