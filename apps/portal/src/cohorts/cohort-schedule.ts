// When a cohort runs: pure functions of the cohort's times and a clock, shared by the store, the
// pre-warm loop and the instructor pages (so this module imports nothing server-only).

export interface ScheduledCohort {
  /** null: the cohort opened when it was made. */
  startsAt: string | null;
  endsAt: string;
  status: 'open' | 'ended';
}

/** Whether learners may join yet: a cohort without a start time is open from creation. */
export function hasStarted(cohort: Pick<ScheduledCohort, 'startsAt'>, now: Date): boolean {
  return cohort.startsAt === null || Date.parse(cohort.startsAt) <= now.getTime();
}

export interface PrewarmCohort extends ScheduledCohort {
  prewarm: number;
  memberCount: number;
}

/**
 * How many environments the warm pool should hold for cohorts: each open cohort's pre-warm count
 * less the learners who already joined (they have theirs), counting only cohorts that have started
 * or start within `leadMinutes` — a class next week must not hold clusters all week.
 */
export function prewarmTarget(cohorts: PrewarmCohort[], now: Date, leadMinutes: number): number {
  const horizon = now.getTime() + leadMinutes * 60_000;
  return cohorts
    .filter((c) => c.status === 'open' && Date.parse(c.endsAt) > now.getTime())
    .filter((c) => c.startsAt === null || Date.parse(c.startsAt) <= horizon)
    .reduce((n, c) => n + Math.max(0, c.prewarm - c.memberCount), 0);
}

/** "starts in 25 min", "starts in 3 h 5 min", "starts in 2 days"; null once started. */
export function startsInWords(cohort: Pick<ScheduledCohort, 'startsAt'>, now: Date): string | null {
  if (hasStarted(cohort, now)) return null;
  const minutes = Math.ceil((Date.parse(cohort.startsAt!) - now.getTime()) / 60_000);
  if (minutes < 90) return `starts in ${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `starts in ${h} h${m ? ` ${m} min` : ''}`;
  }
  return `starts in ${Math.round(minutes / (24 * 60))} days`;
}
