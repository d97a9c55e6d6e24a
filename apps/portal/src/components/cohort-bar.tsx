'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { sendJson } from './instructor/send-json';

interface Props {
  cohortName: string;
  labId: string;
  /** The step the learner is on, sent with a raised hand. */
  stepId: string | undefined;
  /** The instructor gave this learner a fresh environment: start following the new one. */
  onReset(): void;
}

/**
 * For a learner in a cohort: the instructor's broadcasts, a way to ask for help on the current
 * step, and word when the instructor answered or reset the environment.
 */
export function CohortBar({ cohortName, labId, stepId, onReset }: Props) {
  const [broadcast, setBroadcast] = useState<{ message: string; sentAt: string } | null>(null);
  const [hand, setHand] = useState<'down' | 'asking' | 'up'>('down');
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    const source = new EventSource('/api/cohorts/events');
    source.addEventListener('broadcast', (e) => setBroadcast(JSON.parse((e as MessageEvent<string>).data) as { message: string; sentAt: string }));
    source.addEventListener('hand-lowered', () => {
      setHand('down');
      setNote('Your instructor marked your question as answered.');
    });
    source.addEventListener('reset', () => {
      setNote('Your instructor gave you a fresh environment; your progress is kept.');
      onReset();
    });
    return () => source.close();
  }, [onReset]);

  async function raise(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = String(new FormData(event.currentTarget).get('message') ?? '');
    try {
      await sendJson('/api/cohorts/hand', 'POST', { labId, stepId: stepId ?? null, message });
      setHand('up');
      setNote(null);
    } catch (e) {
      setNote(`Could not ask for help: ${(e as Error).message}`);
    }
  }

  return (
    <>
      {broadcast && (
        <div className="broadcast-banner" role="status" data-test="broadcast">
          <strong>From your instructor:</strong>
          <p>{broadcast.message}</p>
          <button type="button" className="secondary" onClick={() => setBroadcast(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="cohort-bar" data-test="cohort-bar">
        <span className="muted">Cohort: {cohortName}</span>
        {hand === 'down' && (
          <button type="button" className="secondary" data-test="raise-hand" onClick={() => setHand('asking')}>
            Ask for help
          </button>
        )}
        {hand === 'asking' && (
          <form className="hand-form" onSubmit={(e) => void raise(e)}>
            <label htmlFor="hand-message" className="visually-hidden">
              What are you stuck on?
            </label>
            <input id="hand-message" name="message" maxLength={500} placeholder="What are you stuck on? (optional)" autoFocus />
            <button type="submit" className="primary">
              Send
            </button>
            <button type="button" onClick={() => setHand('down')}>
              Cancel
            </button>
          </form>
        )}
        {hand === 'up' && (
          <>
            <span role="status" data-test="hand-up">
              Your instructor has been asked and sees your last check.
            </span>
            <button
              type="button"
              onClick={() =>
                void sendJson('/api/cohorts/hand', 'DELETE')
                  .then(() => setHand('down'))
                  .catch((e: unknown) => setNote((e as Error).message))
              }
            >
              I solved it
            </button>
          </>
        )}
        {note && (
          <span role="status" className="cohort-note">
            {note}
          </span>
        )}
      </div>
    </>
  );
}
