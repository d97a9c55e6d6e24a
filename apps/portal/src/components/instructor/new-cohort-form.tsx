'use client';

import type { FormEvent } from 'react';
import { sendJson, useSubmit } from './send-json';

export interface LabChoice {
  id: string;
  title: string;
  module: string;
}

export function NewCohortForm({ labs, prewarmLeadMinutes }: { labs: LabChoice[]; prewarmLeadMinutes: number }) {
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // datetime-local has no zone: the browser reads it as local time, the API gets UTC.
    const start = String(form.get('startsAt') ?? '');
    void run(async () => {
      const { cohort } = await sendJson<{ cohort: { id: string } }>('/api/instructor/cohorts', 'POST', {
        name: form.get('name'),
        labIds: form.getAll('labIds'),
        capacity: Number(form.get('capacity')),
        durationMinutes: Math.round(Number(form.get('hours')) * 60),
        prewarm: Number(form.get('prewarm') || 0),
        startsAt: start ? new Date(start).toISOString() : null,
      });
      window.location.assign(`/instructor/cohorts/${cohort.id}`);
    }, true);
  }

  return (
    <form className="stacked-form new-cohort" onSubmit={submit}>
      <label>
        Name
        <input name="name" required maxLength={100} placeholder="e.g. Platform team, Tuesday" />
      </label>
      <div className="form-row">
        <label>
          Learners at most
          <input name="capacity" type="number" min={1} max={1000} defaultValue={30} required />
        </label>
        <label>
          Starts (empty: now)
          <input name="startsAt" type="datetime-local" aria-describedby="start-help" />
        </label>
        <label>
          Open for (hours)
          <input name="hours" type="number" min={0.25} max={168} step={0.25} defaultValue={4} required />
        </label>
        <label>
          Environments to pre-warm
          <input name="prewarm" type="number" min={0} max={200} defaultValue={0} aria-describedby="prewarm-help" />
        </label>
      </div>
      <p id="prewarm-help" className="muted form-help">
        Pre-warmed environments are provisioned from {prewarmLeadMinutes} minutes before the start (at once for a cohort that
        starts now), so each learner who joins gets one at once instead of waiting for a new cluster.
      </p>
      <p id="start-help" className="muted form-help">
        Learners can join from the start time (the join page tells an early learner when); the cohort stays open for the hours
        above from then.
      </p>
      <fieldset>
        <legend>Labs</legend>
        <div className="lab-picks">
          {labs.map((lab) => (
            <label key={lab.id} className="lab-pick">
              <input type="checkbox" name="labIds" value={lab.id} />
              {lab.title}
            </label>
          ))}
        </div>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create cohort'}
      </button>
    </form>
  );
}
