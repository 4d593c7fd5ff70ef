// `sweep lr [..] select METRIC on SPLIT`: train one model per candidate value, keep the best-scoring one.
import type { ShiftlabModel } from '../models/model.ts';
import { TrainingError } from './train.ts';

export interface SweepResult {
  /** The winning candidate (the first one on a tie). */
  best: number;
  /** Score of each candidate, in the candidates' order. */
  scores: number[];
  /** The winner's model; the others are disposed. */
  model: ShiftlabModel;
}

/**
 * Trains with each candidate (in order, one model alive besides the best so far) and scores it; higher
 * is better. A candidate whose training diverges (TrainingError) scores -Infinity; if all diverge, the
 * last error is thrown. Any other error is a real fault and propagates at once.
 */
export async function sweep(
  candidates: number[],
  run: (value: number) => Promise<ShiftlabModel>,
  score: (model: ShiftlabModel) => number,
): Promise<SweepResult> {
  if (candidates.length === 0) throw new Error('sweep needs at least one candidate');
  const scores: number[] = [];
  let best: { index: number; model: ShiftlabModel } | undefined;
  let lastError: unknown;
  for (const [index, value] of candidates.entries()) {
    let model: ShiftlabModel;
    try {
      model = await run(value);
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      lastError = error;
      scores.push(-Infinity);
      continue;
    }
    const candidateScore = score(model);
    scores.push(candidateScore);
    if (!best || candidateScore > scores[best.index]) {
      best?.model.dispose();
      best = { index, model };
    } else {
      model.dispose();
    }
  }
  if (!best) throw lastError;
  return { best: candidates[best.index], scores, model: best.model };
}
