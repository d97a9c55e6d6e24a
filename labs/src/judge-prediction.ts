import type { Prediction } from './lab-schema';

export type PredictionVerdict =
  | { status: 'right' | 'wrong'; guess: string; observed: string; detail: string }
  | { status: 'unjudged'; guess: string; detail: string };

export interface ObservedValue {
  value: number | string;
  display: string;
}

/**
 * Judges a learner's stored guess against what the check observed. A guess that does not fit the
 * prediction (a word for a number, an unknown choice) is reported, not thrown: it was stored already.
 */
export function judgePrediction(prediction: Prediction, guess: string, observed: ObservedValue | undefined): PredictionVerdict {
  const answer = prediction.answer;
  const shownGuess = answer.kind === 'number' ? `${guess.trim()} ${answer.unit}` : (answer.choices.find((c) => c.id === guess)?.label ?? guess);
  if (!observed) return { status: 'unjudged', guess: shownGuess, detail: 'The check has not observed a value yet.' };
  if (answer.kind === 'number') {
    const g = Number(guess.trim());
    if (guess.trim() === '' || !Number.isFinite(g)) return { status: 'unjudged', guess: shownGuess, detail: `"${guess}" is not a number.` };
    if (typeof observed.value !== 'number') return { status: 'unjudged', guess: shownGuess, detail: 'The check observed no number.' };
    const diff = Math.abs(g - observed.value);
    const { absolute, relative } = answer.tolerance;
    const allowed = Math.max(absolute ?? 0, (relative ?? 0) * Math.abs(observed.value));
    const right = diff <= allowed;
    return {
      status: right ? 'right' : 'wrong',
      guess: shownGuess,
      observed: observed.display,
      detail: right ? `Within ${fmt(allowed)} ${answer.unit} of what the cluster shows.` : `Off by ${fmt(diff)} ${answer.unit} (within ${fmt(allowed)} counts).`,
    };
  }
  const choice = answer.choices.find((c) => c.id === guess);
  if (!choice) return { status: 'unjudged', guess: shownGuess, detail: `"${guess}" is not one of the choices.` };
  const right = observed.value === choice.id;
  return { status: right ? 'right' : 'wrong', guess: shownGuess, observed: observed.display, detail: right ? 'Your prediction matches the cluster.' : 'The cluster shows something else.' };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}
