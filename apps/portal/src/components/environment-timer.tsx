'use client';

import { useEffect, useState } from 'react';
import { timeLeft } from '../environments/time-left';

interface Props {
  expiresAt: string;
  endsAtLatest: string | null | undefined;
  /** Asks for more time; resolves with an error message or nothing. */
  extend(): Promise<string | undefined>;
  /** Starts a new environment after this one ended (progress is kept). */
  restart(): void;
}

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The self-paced learner's clock in the workspace bar. */
export function EnvironmentTimer({ expiresAt, endsAtLatest }: Pick<Props, 'expiresAt' | 'endsAtLatest'>) {
  const left = timeLeft(expiresAt, endsAtLatest, useNow());
  return (
    <span
      className={`env-timer env-timer-${left.tone}`}
      data-test="environment-timer"
      data-minutes={left.minutes}
      title={`Ends at ${new Date(expiresAt).toLocaleTimeString()}`}
    >
      {left.label}
    </span>
  );
}

/** Below the bar in the last minutes and after the end: a warning, "More time", and what happens next. */
export function EnvironmentTimerBanner({ expiresAt, endsAtLatest, extend, restart }: Props) {
  const [problem, setProblem] = useState<string | undefined>();
  const left = timeLeft(expiresAt, endsAtLatest, useNow());
  const moreTime = async () => setProblem(await extend());

  return (
    <>
      {left.tone !== 'ok' ? (
        <div className={`timer-banner timer-banner-${left.tone}`} role="alert" data-test="timer-banner">
          {left.tone === 'warn' ? (
            <p>
              Your environment ends in {left.minutes} min. Your progress is saved either way
              {left.canExtend
                ? '; ask for more time to keep this cluster and shell.'
                : ', and this is the longest one environment can run.'}
            </p>
          ) : (
            <p>Your environment has ended. Your progress is saved; a new environment starts from a fresh cluster.</p>
          )}
          {left.canExtend ? (
            <button type="button" className="primary" data-test="extend-environment" onClick={() => void moreTime()}>
              More time
            </button>
          ) : null}
          {left.tone === 'ended' ? (
            <button type="button" className="primary" data-test="restart-environment" onClick={restart}>
              Start a new environment
            </button>
          ) : null}
          {problem ? <p className="error">{problem}</p> : null}
        </div>
      ) : null}
    </>
  );
}
