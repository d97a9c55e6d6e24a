'use client';

import { useState, type FormEvent } from 'react';
import { ApiCallError, sendJson, useSubmit } from './instructor/send-json';

interface Joined {
  cohort: { id: string; name: string; labIds: string[]; endsAt: string };
  member: { displayName: string };
}

/** A learner joins their instructor's cohort with the code on the projector. */
export function JoinForm({ initialCode, labTitles }: { initialCode: string; labTitles: Record<string, string> }) {
  const [joined, setJoined] = useState<Joined | null>(null);
  const [opensAt, setOpensAt] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setOpensAt(null);
    void run(async () => {
      try {
        setJoined(await sendJson<Joined>('/api/cohorts/join', 'POST', { code: form.get('code'), displayName: form.get('displayName') }));
      } catch (e) {
        // The code is right but the class has not begun: say when, in the learner's own time zone.
        if (e instanceof ApiCallError && typeof e.body.opensAt === 'string') setOpensAt(e.body.opensAt);
        else throw e;
      }
    });
  }

  if (joined)
    return (
      <div className="joined" role="status">
        <h2>
          You joined {joined.cohort.name} as {joined.member.displayName}
        </h2>
        <p>Your instructor now sees your progress. Start with:</p>
        <ul>
          {joined.cohort.labIds.map((id) => (
            <li key={id}>
              <a href={`/labs/${id}`}>{labTitles[id] ?? id}</a>
            </li>
          ))}
        </ul>
      </div>
    );

  return (
    <form className="stacked-form" onSubmit={submit}>
      <label>
        Code
        <input name="code" defaultValue={initialCode} required maxLength={20} autoCapitalize="characters" placeholder="ABCD-EFGH" className="code-input" />
      </label>
      <label>
        Your name (as your instructor will see it)
        <input name="displayName" required maxLength={60} autoComplete="name" />
      </label>
      {opensAt && (
        <p className="notice" role="status" data-testid="opens-at">
          This class opens at {new Date(opensAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}; you can join from then.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Joining…' : 'Join'}
      </button>
    </form>
  );
}
