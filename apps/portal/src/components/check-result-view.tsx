'use client';

import type { CheckResult } from '@istio-workshop/checkers/result';

const outcomeText = { error: 'Could not check' } as const;

/** "0.4 s", "12 ms": how long the learner waited, in the unit a person reads. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** One check result: the verdict in words, then every assertion with expected vs actual and a hint. */
export function CheckResultView({ result, waitedMs }: { result: CheckResult; waitedMs?: number }) {
  return (
    <div className={`check-result check-${result.outcome}`} data-test="check-result" data-outcome={result.outcome} data-error-code={result.error?.code}>
      <p className="check-summary">
        {/* The checker's summary already opens with its verdict ("Not yet: …", "Step … is done"). */}
        {result.outcome === 'error' ? <strong>{outcomeText.error}: </strong> : null}
        <span className="check-summary-text">{result.summary}</span>
      </p>
      {/* The no-cluster result repeats its message as the summary; say it once. */}
      {result.error && result.error.message !== result.summary ? (
        <p className="check-error-message" data-test="check-error" data-code={result.error.code}>
          {result.error.message}
        </p>
      ) : null}
      {result.assertions.length ? (
        <ul className="assertions">
          {result.assertions.map((a, i) => (
            <li key={`${a.code}-${i}`} className={`assertion assertion-${a.status}`} data-test="assertion" data-status={a.status}>
              <span className="assertion-icon" aria-hidden>
                {a.status === 'pass' ? '✔' : a.status === 'warn' ? '!' : '✘'}
              </span>
              <div>
                <div className="assertion-title">{a.title}</div>
                {a.status !== 'pass' && (a.expected || a.actual) ? (
                  <dl className="assertion-diff">
                    {a.expected ? (
                      <>
                        <dt>expected</dt>
                        <dd>{a.expected}</dd>
                      </>
                    ) : null}
                    {a.actual ? (
                      <>
                        <dt>actual</dt>
                        <dd>{a.actual}</dd>
                      </>
                    ) : null}
                  </dl>
                ) : null}
                {a.status !== 'pass' && a.hint ? <p className="assertion-hint">{a.hint}</p> : null}
                {a.status !== 'pass' && a.next ? (
                  <p className="assertion-next">
                    Try: <code>{a.next}</code>
                  </p>
                ) : null}
                {a.path && a.status !== 'pass' ? <p className="assertion-path">{a.path}</p> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {/* The wait the learner saw (request included) when we measured it; after a reload, the checker's own time. */}
      <p className="check-meta" data-test="check-meta">
        checked {new Date(result.startedAt).toLocaleTimeString()} · took {formatWait(waitedMs ?? result.durationMs)}
      </p>
    </div>
  );
}
