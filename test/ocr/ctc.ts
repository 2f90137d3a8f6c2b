// Greedy CTC decoding of the PaddleOCR recogniser's per-timestep class probabilities: best class
// per step, repeats collapsed, blanks dropped. Class 0 is the blank, 1..N the dictionary lines,
// N+1 the space (PaddleOCR's use_space_char).

export interface Decoded {
  text: string;
  /** Mean probability of the emitted characters (1 for an empty string). */
  confidence: number;
}

export function ctcGreedy(probs: Float32Array, steps: number, classes: number, charset: string[]): Decoded {
  let text = '',
    prev = -1,
    conf = 0,
    n = 0;
  for (let t = 0; t < steps; t++) {
    let best = 0,
      bestP = -1;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      const p = probs[row + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== prev) {
      text += best <= charset.length ? charset[best - 1] : ' ';
      conf += bestP;
      n++;
    }
    prev = best;
  }
  return { text, confidence: n ? conf / n : 1 };
}
