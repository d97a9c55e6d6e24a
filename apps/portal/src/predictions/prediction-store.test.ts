import type { Prediction } from '@istio-workshop/labs';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { PortalDatabase } from '../db/database-schema';
import { openDatabase } from '../db/open-database';
import { touchLearner } from '../progress/progress-store';
import { portalTestDatabases } from '../testing/portal-test-databases';
import { normaliseGuess, PredictionError, predictionState, predictionsForLab, savePrediction } from './prediction-store';

const share: Prediction = { question: 'What share reaches v3?', answer: { kind: 'number', unit: '%', min: 0, max: 100, tolerance: { absolute: 10 } } };
const hop: Prediction = { question: 'Which hop holds the delay?', answer: { kind: 'choice', choices: [{ id: 'ratings', label: 'ratings' }, { id: 'reviews', label: 'reviews' }] } };

describe('prediction guesses', () => {
  it('accept numbers in range (comma decimals too) and known choices', () => {
    expect(normaliseGuess(share, ' 33,5 ')).toBe('33.5');
    expect(normaliseGuess(hop, 'ratings')).toBe('ratings');
  });
  it('refuse the rest, saying what is expected', () => {
    expect(() => normaliseGuess(share, 'a third')).toThrow(new PredictionError('type a number (%)'));
    expect(() => normaliseGuess(share, '140')).toThrow('at most 100 %');
    expect(() => normaliseGuess(hop, 'productpage')).toThrow('pick one of: ratings / reviews');
  });
  it('are judged once a check observed a value', () => {
    expect(predictionState(share, '30', null).verdict.status).toBe('unjudged');
    const result = { observed: { value: 34, display: '34% of requests', source: 'Prometheus' } } as never;
    expect(predictionState(share, '30', result).verdict).toMatchObject({ status: 'right', observed: '34% of requests' });
  });
});

describe.each(portalTestDatabases())('prediction store on $kind', (variant) => {
  const opened: Kysely<PortalDatabase>[] = [];
  afterAll(async () => Promise.all(opened.map((db) => db.destroy())));
  it('keeps one guess per learner and step; a new one replaces it', async () => {
    const db = await openDatabase(await variant.location());
    opened.push(db);
    await touchLearner(db, 'lrn-1');
    await savePrediction(db, { learnerId: 'lrn-1', labId: 'l16', stepId: 's', guess: '20' });
    await savePrediction(db, { learnerId: 'lrn-1', labId: 'l16', stepId: 's', guess: '33' });
    expect([...(await predictionsForLab(db, 'lrn-1', 'l16'))]).toEqual([['s', '33']]);
  });
});
