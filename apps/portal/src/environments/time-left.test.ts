import { describe, expect, it } from 'vitest';
import { timeLeft } from './time-left';

const at = (hhmm: string) => Date.parse(`2026-12-03T${hhmm}:00Z`);
const iso = (hhmm: string) => new Date(at(hhmm)).toISOString();

describe('environment timer', () => {
  it('counts down in minutes (hours past 60) and warns in the last five', () => {
    expect(timeLeft(iso('11:30'), iso('12:00'), at('10:00'))).toEqual({ minutes: 90, label: '1 h 30 min left', tone: 'ok', canExtend: true });
    expect(timeLeft(iso('11:30'), iso('12:00'), at('11:26'))).toMatchObject({ label: '4 min left', tone: 'warn', canExtend: true });
    expect(timeLeft(iso('11:30'), iso('12:00'), at('11:29:30'.slice(0, 5)) + 30_000)).toMatchObject({ label: '1 min left' });
  });

  it('offers more time only while the hard limit is further away', () => {
    expect(timeLeft(iso('12:00'), iso('12:00'), at('11:56')).canExtend).toBe(false);
    expect(timeLeft(iso('11:30'), null, at('11:00')).canExtend).toBe(true);
  });

  it('says the environment ended once the time is up', () => {
    expect(timeLeft(iso('11:30'), iso('12:00'), at('11:31'))).toEqual({ minutes: 0, label: 'Environment ended', tone: 'ended', canExtend: false });
  });
});
