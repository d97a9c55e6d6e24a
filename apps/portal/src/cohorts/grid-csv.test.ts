import { describe, expect, it } from 'vitest';
import type { CohortGrid } from './cohort-grid';
import { csvCell, gridCsv } from './grid-csv';

describe('cohort CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(3)).toBe('3');
  });

  it('writes one row per learner with each step state', () => {
    const grid = {
      labs: [
        {
          id: 'l03',
          title: 'Subsets',
          steps: [
            { id: 'a', title: 'Define' },
            { id: 'b', title: 'Route' },
          ],
        },
      ],
      learners: [
        {
          displayName: 'Kim, the "great"',
          joinedAt: 'j',
          lastActivityAt: null,
          done: 1,
          total: 2,
          stuck: null,
          cells: {
            'l03/a': { state: 'done', attempts: 1, lastCheckedAt: null, failingCodes: [] },
            'l03/b': { state: 'failing', attempts: 3, lastCheckedAt: null, failingCodes: ['L03.VS'] },
          },
        },
      ],
    } as unknown as CohortGrid;
    expect(gridCsv(grid).split('\r\n')).toEqual([
      'learner,joined_at,last_activity_at,steps_done,steps_total,stuck,Subsets: Define,Subsets: Route',
      '"Kim, the ""great""",j,,1,2,,done,failing (3 checks: L03.VS)',
      '',
    ]);
  });
});
