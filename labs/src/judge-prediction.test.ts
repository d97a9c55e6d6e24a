import { describe, expect, it } from 'vitest';
import { judgePrediction } from './judge-prediction';
import { predictionSchema, stepSchema } from './lab-schema';

const share = predictionSchema.parse({
  question: 'What share of requests will reach reviews v3?',
  answer: { kind: 'number', unit: '%', min: 0, max: 100, tolerance: { absolute: 5 } },
});
const hop = predictionSchema.parse({
  question: 'Which hop holds the 7 s?',
  answer: { kind: 'choice', choices: [{ id: 'ratings', label: 'reviews → ratings' }, { id: 'reviews', label: 'productpage → reviews' }] },
});

describe('judgePrediction', () => {
  it('counts a number within the tolerance as right and names the gap otherwise', () => {
    expect(judgePrediction(share, '30', { value: 33.5, display: '33.5 %' }).status).toBe('right');
    const wrong = judgePrediction(share, '10', { value: 33.5, display: '33.5 %' });
    expect(wrong).toMatchObject({ status: 'wrong', guess: '10 %', observed: '33.5 %' });
    expect(wrong.detail).toContain('Off by 23.5 %');
  });
  it('uses the larger of absolute and relative tolerance', () => {
    const p = predictionSchema.parse({ question: 'q', answer: { kind: 'number', unit: 'ms', tolerance: { absolute: 1, relative: 0.2 } } });
    expect(judgePrediction(p, '110', { value: 100, display: '100 ms' }).status).toBe('right');
    expect(judgePrediction(p, '125', { value: 100, display: '100 ms' }).status).toBe('wrong');
  });
  it('leaves a guess unjudged, not thrown, when it or the observation does not fit', () => {
    expect(judgePrediction(share, 'a third', { value: 33, display: '33 %' }).status).toBe('unjudged');
    expect(judgePrediction(share, '30', undefined).status).toBe('unjudged');
    expect(judgePrediction(hop, 'details', { value: 'ratings', display: 'reviews → ratings' }).status).toBe('unjudged');
  });
  it('judges a choice by id and shows its label', () => {
    expect(judgePrediction(hop, 'ratings', { value: 'ratings', display: 'reviews → ratings' })).toMatchObject({ status: 'right', guess: 'reviews → ratings' });
    expect(judgePrediction(hop, 'reviews', { value: 'ratings', display: 'reviews → ratings' }).status).toBe('wrong');
  });
  it('refuses a prediction without a tolerance or with one choice, naming the field', () => {
    const noTol = stepSchema.safeParse({ id: 's', title: 't', check: 'telemetry', prediction: { question: 'q', answer: { kind: 'number', unit: '%', tolerance: {} } } });
    expect(noTol.success).toBe(false);
    expect(JSON.stringify(noTol.error?.issues)).toContain('give absolute or relative');
    const oneChoice = stepSchema.safeParse({ id: 's', title: 't', check: 'telemetry', prediction: { question: 'q', answer: { kind: 'choice', choices: [{ id: 'a', label: 'A' }] } } });
    expect(oneChoice.success).toBe(false);
  });
});
