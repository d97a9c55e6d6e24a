/** What the environment timer says, from the environment's expiry and hard limit. */
export interface TimeLeft {
  minutes: number;
  label: string;
  tone: 'ok' | 'warn' | 'ended';
  /** More time can still be asked for (the limit is further than the current expiry). */
  canExtend: boolean;
}

/** Warn this long before the end: enough to finish a step or ask for more time. */
export const warnMinutes = 5;

export function timeLeft(expiresAt: string, endsAtLatest: string | null | undefined, now: number): TimeLeft {
  const ms = Date.parse(expiresAt) - now;
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const canExtend = ms > 0 && (!endsAtLatest || Date.parse(endsAtLatest) - Date.parse(expiresAt) >= 60_000);
  if (ms <= 0) return { minutes: 0, label: 'Environment ended', tone: 'ended', canExtend: false };
  const hours = Math.floor(minutes / 60);
  const label = hours > 0 ? `${hours} h ${minutes % 60} min left` : `${minutes} min left`;
  return { minutes, label, tone: minutes <= warnMinutes ? 'warn' : 'ok', canExtend };
}
