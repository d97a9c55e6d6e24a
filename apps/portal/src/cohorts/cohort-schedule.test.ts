import { describe, expect, it } from 'vitest';
import { hasStarted, prewarmTarget, startsInWords, type PrewarmCohort } from './cohort-schedule';

// A fake clock: every function takes "now", so the test moves time by hand.
const t0 = new Date('2026-12-04T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

function cohort(over: Partial<PrewarmCohort>): PrewarmCohort {
  return { startsAt: null, endsAt: iso(240), status: 'open', prewarm: 5, memberCount: 0, ...over };
}

describe('the warm-pool target', () => {
  it('counts a cohort without a start time from creation, less learners who joined', () => {
    expect(prewarmTarget([cohort({ memberCount: 2 })], t0, 30)).toBe(3);
    expect(prewarmTarget([cohort({ memberCount: 7 })], t0, 30)).toBe(0);
  });

  it('counts a scheduled cohort only from the lead time before its start', () => {
    const later = cohort({ startsAt: iso(120), endsAt: iso(360) });
    expect(prewarmTarget([later], t0, 30)).toBe(0);
    expect(prewarmTarget([later], at(89), 30)).toBe(0);
    expect(prewarmTarget([later], at(90), 30)).toBe(5);
    expect(prewarmTarget([later], at(120), 30)).toBe(5);
    expect(prewarmTarget([later], at(90), 0)).toBe(0);
    expect(prewarmTarget([later], at(120), 0)).toBe(5);
  });

  it('drops ended cohorts and cohorts past their end time', () => {
    expect(prewarmTarget([cohort({ status: 'ended' })], t0, 30)).toBe(0);
    expect(prewarmTarget([cohort({ endsAt: iso(10) })], at(10), 30)).toBe(0);
  });

  it('adds up several cohorts', () => {
    const cohorts = [
      cohort({ prewarm: 3 }),
      cohort({ prewarm: 4, startsAt: iso(20) }),
      cohort({ prewarm: 6, startsAt: iso(60) }),
    ];
    expect(prewarmTarget(cohorts, t0, 30)).toBe(7);
    expect(prewarmTarget(cohorts, at(30), 30)).toBe(13);
  });
});

describe('start times', () => {
  it('say whether a cohort has started and how long until it does', () => {
    expect(hasStarted({ startsAt: null }, t0)).toBe(true);
    expect(hasStarted({ startsAt: iso(1) }, t0)).toBe(false);
    expect(hasStarted({ startsAt: iso(0) }, t0)).toBe(true);
    expect(startsInWords({ startsAt: iso(25) }, t0)).toBe('starts in 25 min');
    expect(startsInWords({ startsAt: iso(0.5) }, t0)).toBe('starts in 1 min');
    expect(startsInWords({ startsAt: iso(185) }, t0)).toBe('starts in 3 h 5 min');
    expect(startsInWords({ startsAt: iso(120) }, t0)).toBe('starts in 2 h');
    expect(startsInWords({ startsAt: iso(3 * 24 * 60) }, t0)).toBe('starts in 3 days');
    expect(startsInWords({ startsAt: iso(-1) }, t0)).toBeNull();
  });
});
