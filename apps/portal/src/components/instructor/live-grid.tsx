'use client';

import { useEffect, useState } from 'react';
import type { CellState, CohortGrid, GridLearner, StuckReason } from '../../cohorts/cohort-grid';
import { startsInWords } from '../../cohorts/cohort-schedule';
import { sendJson } from './send-json';

const cellMark: Record<CellState, { mark: string; words: string }> = {
  done: { mark: '✓', words: 'done' },
  failing: { mark: '✗', words: 'failing' },
  'could-not-run': { mark: '!', words: 'check could not run' },
  'not-started': { mark: '·', words: 'not started' },
};

function stuckWords(reason: StuckReason, grid: CohortGrid): string {
  if (reason.kind === 'idle') return `no progress for ${reason.minutes} min`;
  const lab = grid.labs.find((l) => l.id === reason.labId);
  const step = lab?.steps.find((s) => s.id === reason.stepId)?.title ?? reason.stepId;
  return `${reason.attempts} failed checks on “${step}”${reason.code ? ` (${reason.code})` : ''}`;
}

function time(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '—';
}

type Connection = 'connecting' | 'live' | 'reconnecting';

/** "starts in N min", kept current while the page is open; null once the cohort has started. */
function useStartsIn(startsAt: string | null): string | null {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!startsAt) return;
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, [startsAt]);
  return startsInWords({ startsAt }, now);
}

export function LiveGrid({ initial }: { initial: CohortGrid }) {
  const [grid, setGrid] = useState(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [notice, setNotice] = useState<string | null>(null);
  const cohortId = initial.cohort.id;

  useEffect(() => {
    // EventSource reconnects by itself; we only show whether it is connected.
    const source = new EventSource(`/api/instructor/cohorts/${cohortId}/events`);
    source.addEventListener('open', () => setConnection('live'));
    source.addEventListener('error', () => setConnection('reconnecting'));
    source.addEventListener('grid', (event) => {
      setConnection('live');
      setGrid(JSON.parse((event as MessageEvent<string>).data) as CohortGrid);
    });
    return () => source.close();
  }, [cohortId]);

  async function act(label: string, url: string, body?: unknown) {
    setNotice(null);
    try {
      await sendJson(url, 'POST', body);
      setNotice(`${label}: done`);
    } catch (e) {
      setNotice(`${label}: ${(e as Error).message}`);
    }
  }

  const { cohort } = grid;
  const startsIn = useStartsIn(cohort.startsAt);
  const steps = grid.labs.flatMap((lab) => lab.steps.map((step) => ({ lab, step, key: `${lab.id}/${step.id}` })));
  const stuck = grid.learners.filter((l) => l.stuck);
  const hands = grid.learners.filter((l) => l.hand);
  const stepTitle = (labId: string, stepId: string | null) =>
    grid.labs.find((l) => l.id === labId)?.steps.find((s) => s.id === stepId)?.title ?? stepId ?? 'the lab';

  return (
    <div className="cohort-live">
      <section className="cohort-head" aria-label="Cohort">
        <div>
          <h1>{cohort.name}</h1>
          {/* The times are in the viewer's zone and "starts in" moves: the server's render may differ. */}
          <p className="cohort-meta" suppressHydrationWarning>
            {cohort.status === 'open' ? `${startsIn ? `${startsIn} (${time(cohort.startsAt)}), ` : ''}open until ${time(cohort.endsAt)}` : 'ended'} ·{' '}
            {grid.learners.length} of{' '}
            {cohort.capacity} learners ·{' '}
            <span className={`live-dot live-${connection}`} role="status">
              {connection === 'live' ? 'live' : connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
            </span>
          </p>
        </div>
        <div className="join-code" aria-label="Join code">
          <span>Join at /join with</span>
          <strong data-testid="join-code">{cohort.joinCode}</strong>
        </div>
        <div className="cohort-actions">
          <button
            type="button"
            onClick={() => void act('Extend', `/api/instructor/cohorts/${cohort.id}/extend`, { minutes: 30 })}
          >
            Extend 30 min
          </button>
          {cohort.status === 'open' && (
            <button type="button" onClick={() => void act('End', `/api/instructor/cohorts/${cohort.id}/end`)}>
              End cohort
            </button>
          )}
          <a className="button-link" href={`/api/instructor/cohorts/${cohort.id}/export`} download>
            Export CSV
          </a>
        </div>
      </section>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}

      <BroadcastForm cohortId={cohort.id} onDone={setNotice} />

      {grid.warm ? <WarmPool warm={grid.warm} /> : null}

      <div className="cohort-panels">
        <section aria-labelledby="hands-title" className="panel">
          <h2 id="hands-title">Raised hands ({hands.length})</h2>
          {hands.length === 0 ? (
            <p className="muted">Nobody has asked for help.</p>
          ) : (
            <ul className="hand-list">
              {hands.map((l) => (
                <li key={l.learnerId} data-testid="hand">
                  <strong>{l.displayName}</strong> on “{stepTitle(l.hand!.labId, l.hand!.stepId)}” at{' '}
                  {time(l.hand!.raisedAt)}
                  {l.hand!.message && <q>{l.hand!.message}</q>}
                  <HandContext context={l.hand!.context} />
                  <button
                    type="button"
                    onClick={() =>
                      void act('Lower hand', `/api/instructor/cohorts/${cohort.id}/hands/${l.hand!.id}/lower`)
                    }
                  >
                    Done helping
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="stuck-title" className="panel">
          <h2 id="stuck-title">Might be stuck ({stuck.length})</h2>
          {stuck.length === 0 ? (
            <p className="muted">Everyone is moving.</p>
          ) : (
            <ul>
              {stuck.map((l) => (
                <li key={l.learnerId}>
                  <strong>{l.displayName}</strong>: {stuckWords(l.stuck!, grid)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="failures-title" className="panel">
          <h2 id="failures-title">Common failures</h2>
          {grid.failures.length === 0 ? (
            <p className="muted">No failing checks right now.</p>
          ) : (
            <ul>
              {grid.failures.slice(0, 8).map((f) => (
                <li key={`${f.labId}/${f.stepId}/${f.code}`}>
                  {f.learners} on “{stepTitle(f.labId, f.stepId)}”: {f.title} <code>{f.code}</code>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="grid-title" className="grid-wrap">
        <h2 id="grid-title">Progress</h2>
        {grid.learners.length === 0 ? (
          <p className="muted">No learners yet. They open /join and type the code above.</p>
        ) : (
          <table className="cohort-grid">
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Done</th>
                {steps.map(({ lab, step, key }) => (
                  <th scope="col" key={key} title={`${lab.title}: ${step.title}`}>
                    <span className="step-head">{step.title}</span>
                  </th>
                ))}
                <th scope="col">Help</th>
              </tr>
            </thead>
            <tbody>
              {grid.learners.map((learner) => (
                <LearnerRow
                  key={learner.learnerId}
                  learner={learner}
                  steps={steps}
                  labs={grid.labs}
                  cohortId={cohort.id}
                  act={act}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function LearnerRow({
  learner,
  steps,
  labs,
  cohortId,
  act,
}: {
  learner: GridLearner;
  steps: { key: string; step: { title: string } }[];
  labs: CohortGrid['labs'];
  cohortId: string;
  act: (label: string, url: string, body?: unknown) => Promise<void>;
}) {
  return (
    <tr data-learner={learner.displayName} className={learner.stuck ? 'row-stuck' : undefined}>
      <th scope="row">
        {learner.displayName}
        {learner.hand && <span className="hand-badge"> · asks for help</span>}
      </th>
      <td>
        {learner.done}/{learner.total}
      </td>
      {steps.map(({ key, step }) => {
        const cell = learner.cells[key];
        const state = cell?.state ?? 'not-started';
        const words = `${step.title}: ${cellMark[state].words}${cell && cell.attempts ? `, ${cell.attempts} checks` : ''}${cell?.failingCodes.length ? ` (${cell.failingCodes.join(', ')})` : ''}${cell?.summary ? `. Last check: ${cell.summary}` : ''}`;
        return (
          <td key={key} className={`cell cell-${state}`} data-step={key} data-state={state} title={words}>
            <span aria-hidden="true">{cellMark[state].mark}</span>
            <span className="visually-hidden">{words}</span>
          </td>
        );
      })}
      <td>
        <div className="row-actions">
          <a
            href={`/instructor/cohorts/${cohortId}/learners/${learner.learnerId}/terminal`}
            target="_blank"
            rel="noreferrer"
          >
            Watch terminal
          </a>
          <button
            type="button"
            onClick={() => {
              if (
                window.confirm(
                  `Give ${learner.displayName} a fresh environment? Their shell and cluster changes are lost; progress is kept.`,
                )
              )
                void act(
                  `Reset ${learner.displayName}`,
                  `/api/instructor/cohorts/${cohortId}/learners/${learner.learnerId}/reset`,
                );
            }}
          >
            Reset
          </button>
          <FastForward learner={learner} labs={labs} cohortId={cohortId} act={act} />
        </div>
      </td>
    </tr>
  );
}

function HandContext({ context }: { context: unknown }) {
  const c = context as { lastResult?: { summary?: string } | null; recentCommands?: string[] } | null;
  if (!c) return null;
  return (
    <details>
      <summary>What they tried</summary>
      {c.lastResult?.summary && <p>Last check: {c.lastResult.summary}</p>}
      {c.recentCommands && c.recentCommands.length > 0 && <pre>{c.recentCommands.join('\n')}</pre>}
    </details>
  );
}

function BroadcastForm({ cohortId, onDone }: { cohortId: string; onDone: (message: string) => void }) {
  const [text, setText] = useState('');
  return (
    <form
      className="broadcast-form"
      onSubmit={(event) => {
        event.preventDefault();
        sendJson(`/api/instructor/cohorts/${cohortId}/broadcast`, 'POST', { message: text })
          .then(() => {
            onDone('Message sent to every learner in the cohort');
            setText('');
          })
          .catch((e: unknown) => onDone(`Message not sent: ${(e as Error).message}`));
      }}
    >
      <label htmlFor="broadcast">Message to everyone</label>
      <input
        id="broadcast"
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={500}
        placeholder="e.g. 10 minute break, back at 11:15"
      />
      <button type="submit" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}

function WarmPool({ warm }: { warm: NonNullable<CohortGrid['warm']> }) {
  const ready = warm.spares.filter((s) => s.status === 'ready').length;
  return (
    <section className="panel warm-pool" aria-labelledby="warm-title" data-testid="warm-pool">
      <h2 id="warm-title">
        Pre-warmed environments: {ready} ready, {warm.spares.length - ready} starting ({warm.wanted} still wanted for
        this cohort)
      </h2>
      {warm.spares.length > 0 && (
        <ul className="warm-list">
          {warm.spares.map((s) => (
            <li key={s.id} data-status={s.status}>
              <code>{s.id}</code> {s.status}
              {s.step ? ` · ${s.step}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Put cluster at step…": the lab's setup and the earlier steps' solutions, replayed on the learner's cluster. */
function FastForward({
  learner,
  labs,
  cohortId,
  act,
}: {
  learner: GridLearner;
  labs: CohortGrid['labs'];
  cohortId: string;
  act: (label: string, url: string, body?: unknown) => Promise<void>;
}) {
  const [target, setTarget] = useState('');
  return (
    <details className="fast-forward">
      <summary>Step…</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const [labId, stepId] = target.split('/');
          if (labId && stepId)
            void act(
              `Put ${learner.displayName} at the start of that step`,
              `/api/instructor/cohorts/${cohortId}/learners/${learner.learnerId}/fast-forward`,
              {
                labId,
                stepId,
              },
            );
        }}
      >
        <label>
          Put the cluster at the start of
          <select value={target} onChange={(e) => setTarget(e.target.value)} required>
            <option value="">choose a step</option>
            {labs.map((lab) => (
              <optgroup key={lab.id} label={lab.title}>
                {lab.steps.map((step) => (
                  <option key={step.id} value={`${lab.id}/${step.id}`}>
                    {step.title}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button type="submit">Replay</button>
      </form>
    </details>
  );
}
