'use client';

import { useEffect, useState, type ReactNode } from 'react';
import './dashboard-tabs.css';
import { noClusterMessage, type DashboardTab } from '../dashboards/dashboard-words';

type Summary = { state: 'loading' } | { state: 'ok'; line: string; embedPath: string } | { state: 'error'; line: string };

interface Props {
  terminal: ReactNode;
  dashboards: DashboardTab[];
  /** Views a lesson link asked for, per dashboard (`n` counts the requests, so the same link re-opens its view). */
  views?: Record<string, { path: string; n: number }>;
  /** `terminal` or a dashboard id. */
  active: string;
  onActivate: (tab: string) => void;
  hasCluster: boolean;
  /** The environment is still being made (or its state unknown yet): say so instead of "no cluster". */
  pending?: boolean;
}

async function fetchSummary(id: string): Promise<Summary> {
  try {
    const res = await fetch(`/api/dashboards/${id}/summary`);
    const body = (await res.json().catch(() => ({}))) as { summary?: { line: string; embedPath: string }; error?: { message: string } };
    if (!res.ok || !body.summary) return { state: 'error', line: body.error?.message ?? `the summary failed (HTTP ${res.status})` };
    return { state: 'ok', line: body.summary.line, embedPath: body.summary.embedPath };
  } catch (error) {
    return { state: 'error', line: (error as Error).message };
  }
}

/**
 * Terminal | Kiali | Grafana | Jaeger | Prometheus | Bookinfo above the right pane. The terminal
 * stays mounted (only hidden) so its shell and screen survive; a dashboard's iframe is created the
 * first time its tab opens and kept, so coming back does not reload it. Each dashboard shows a
 * one-line summary its version-pinned adapter read from the addon's API.
 */
export function DashboardTabs({ terminal, dashboards, views = {}, active, onActivate, hasCluster, pending = false }: Props) {
  const [opened, setOpened] = useState<string[]>([]);
  const [summaries, setSummaries] = useState<Record<string, Summary>>({});

  useEffect(() => {
    if (active === 'terminal' || opened.includes(active)) return;
    setOpened((o) => [...o, active]);
    if (!hasCluster) return;
    setSummaries((s) => ({ ...s, [active]: { state: 'loading' } }));
    void fetchSummary(active).then((summary) => setSummaries((s) => ({ ...s, [active]: summary })));
  }, [active, opened, hasCluster]);

  // A cluster that became usable after a tab was opened: read the summaries now.
  useEffect(() => {
    if (!hasCluster) return;
    for (const id of opened) {
      if (summaries[id]) continue;
      setSummaries((s) => ({ ...s, [id]: { state: 'loading' } }));
      void fetchSummary(id).then((summary) => setSummaries((s) => ({ ...s, [id]: summary })));
    }
  }, [hasCluster, opened, summaries]);

  const tabs = [{ id: 'terminal', label: 'Terminal', landing: '', mount: '' }, ...dashboards];
  return (
    <div className="dash" data-test="dashboard-tabs">
      <div className="dash-tabs" role="tablist" aria-label="Terminal and dashboards">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`dash-tab-${t.id}`}
            className="dash-tab"
            aria-selected={active === t.id}
            aria-controls={`dash-panel-${t.id}`}
            data-test={`dash-tab-${t.id}`}
            onClick={() => onActivate(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="dash-panels">
        <div className="dash-panel" id="dash-panel-terminal" role="tabpanel" aria-labelledby="dash-tab-terminal" data-active={active === 'terminal'} inert={active !== 'terminal'}>
          {terminal}
        </div>
        {dashboards
          .filter((d) => opened.includes(d.id))
          .map((d) => {
            const summary = summaries[d.id];
            // Grafana opens the Istio dashboard its adapter found by UID; the others their landing page.
            // A view a lesson link asked for wins over both.
            const view = views[d.id];
            const src = view ? view.path : summary?.state === 'ok' ? summary.embedPath : summary?.state === 'error' || d.id !== 'grafana' ? d.landing : undefined;
            return (
              <div
                key={d.id}
                className="dash-panel"
                id={`dash-panel-${d.id}`}
                role="tabpanel"
                aria-labelledby={`dash-tab-${d.id}`}
                data-test={`dash-panel-${d.id}`}
                data-active={active === d.id}
                inert={active !== d.id}
              >
                {hasCluster ? (
                  <>
                    <p className="dash-summary" data-test="dash-summary" data-state={summary?.state ?? 'loading'} role="status">
                      {summary && summary.state !== 'loading' ? summary.line : `Reading ${d.label}…`}
                    </p>
                    {src ? <iframe key={view?.n ?? 0} className="dash-frame" src={src} title={`${d.label} in your cluster`} data-test={`dash-frame-${d.id}`} /> : null}
                  </>
                ) : (
                  <p className="dash-empty" data-test="dash-no-cluster" data-pending={pending}>
                    {pending ? 'Your environment is being prepared: the dashboards appear when it is ready.' : noClusterMessage}
                  </p>
                )}
              </div>
            );
          })}
      </div>
    </div>
  );
}
