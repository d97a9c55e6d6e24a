'use client';

import { getMDXComponent } from 'mdx-bundler/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CheckResult } from '@istio-workshop/checkers/result';
import { lessonComponents } from './lesson-components';
import { LessonContext, type LessonActions, type LessonStep, type PredictionView, type StepState } from './lesson-context';
import { useLessonPosition } from './lesson-position';
import { CohortBar } from './cohort-bar';
import { DashboardTabs } from './dashboard-tabs';
import { EnvironmentTimer, EnvironmentTimerBanner } from './environment-timer';
import { NoClusterBanner } from './no-cluster-banner';
import { SplitPane, type PaneName } from './split-pane';
import { StepFlow, stepFlowState } from './step-flow';
import { TerminalPane, type TerminalHandle } from './terminal-pane';
import { ThemeToggle } from './theme-toggle';
import { environmentWords, provisioningStepWords } from '../environments/environment-words';
import type { TerminalTicket } from '../terminal/terminal-connection';
import { dashboardForLink, type DashboardTab } from '../dashboards/dashboard-words';

export interface EnvironmentView {
  id: string;
  status: string;
  provider: string;
  hasCluster: boolean;
  step: string | null;
  stepNumber: number | null;
  stepCount: number;
  stepStartedAt: string | null;
  failureReason: string | null;
  /** When the environment ends unless the learner asks for more time (assigned only). */
  expiresAt?: string | null;
  /** The latest it can be extended to. */
  endsAtLatest?: string | null;
  /** The lab's setup.sh against this environment (absent before assignment). */
  setup?: { status: 'none' | 'skipped' | 'pending' | 'running' | 'done' | 'failed'; message?: string };
}

interface Props {
  lab: { id: string; title: string; module: string; durationMinutes: number; steps: LessonStep[] };
  code: string;
  initialProgress: Record<string, StepState>;
  /** Whether this learner's environment has (or will have) a cluster, as the server knows before the page asks. */
  clusterExpected: boolean;
  /** The lab after this one in the catalog, offered when this one is complete. */
  nextLab: { id: string; title: string } | null;
  /** The open cohort this learner joined, if any: broadcasts and asking for help. */
  cohort?: { name: string } | null;
  /** The addon UIs offered beside the terminal (Kiali, Grafana…), proxied from the learner's cluster. */
  dashboards?: DashboardTab[];
}

async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `request failed (${res.status})`);
  return body;
}

function ProvisioningNotice({ env }: { env: EnvironmentView }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (env.status === 'failed')
    return (
      <div className="env-notice env-failed" data-test="environment-failed">
        Your environment could not be prepared: {env.failureReason ?? 'unknown reason'}. Reload to get a fresh one.
      </div>
    );
  const elapsed = env.stepStartedAt ? Math.round((now - Date.parse(env.stepStartedAt)) / 1000) : 0;
  return (
    <div className="env-notice" data-test="environment-provisioning">
      Preparing your cluster…{' '}
      {env.step
        ? `step ${env.stepNumber ?? '?'} of ${env.stepCount}: ${provisioningStepWords(env.step)} (${elapsed}s)`
        : environmentWords(env).detail}
    </div>
  );
}

/** The lab page: lesson on the left, the learner's terminal on the right. */
export function LabWorkspace({ lab, code, initialProgress, clusterExpected, nextLab, cohort, dashboards = [] }: Props) {
  const Lesson = useMemo(() => getMDXComponent(code), [code]);
  const lessonPane = useRef<HTMLElement>(null);
  const stepIds = useMemo(() => lab.steps.map((s) => s.id), [lab.steps]);
  const { current, go } = useLessonPosition(lab.id, lessonPane, stepIds);
  const [activePane, setActivePane] = useState<PaneName>('lesson');
  const [activeTab, setActiveTab] = useState('terminal');
  const [dashboardViews, setDashboardViews] = useState<Record<string, { path: string; n: number }>>({});
  const [progress, setProgress] = useState(initialProgress);
  const [env, setEnv] = useState<EnvironmentView | undefined>();
  const [envError, setEnvError] = useState<string | undefined>();
  const [checking, setChecking] = useState<string | undefined>();
  const [terminal, setTerminal] = useState<TerminalHandle | undefined>();
  const [generation, setGeneration] = useState(0);
  const setupRetry = useRef(false);
  const envRef = useRef<EnvironmentView | undefined>(undefined);
  envRef.current = env;

  const resetEnvironment = async () => {
    if (!env || !window.confirm('Throw this environment away and start a fresh one? Your progress is kept.')) return;
    try {
      await api(`/api/environments/${env.id}/reset`, { method: 'POST' });
    } catch (error) {
      setEnvError((error as Error).message);
    }
    setEnv(undefined);
    setTerminal(undefined);
    setGeneration((g) => g + 1);
  };

  // The instructor reset this learner's environment: drop the old one and follow the new one.
  const followNewEnvironment = useCallback(() => {
    setEnv(undefined);
    setTerminal(undefined);
    setGeneration((g) => g + 1);
  }, []);

  // Start (or rejoin) the learner's environment for this lab, and follow it until it is usable.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (retrySetup = false) => {
      try {
        const { environment } = await api<{ environment: EnvironmentView }>(`/api/labs/${lab.id}/environment`, {
          method: 'POST',
          body: JSON.stringify(retrySetup ? { retrySetup } : {}),
        });
        if (stopped) return;
        setEnv(environment);
        setEnvError(undefined);
        const settling =
          (environment.status !== 'assigned' && environment.status !== 'failed') ||
          environment.setup?.status === 'running' ||
          environment.setup?.status === 'pending';
        if (settling) timer = setTimeout(() => void poll(), 2000);
      } catch (error) {
        if (stopped) return;
        setEnvError((error as Error).message);
        timer = setTimeout(() => void poll(), 5000);
      }
    };
    void poll(generation > 0 && setupRetry.current);
    setupRetry.current = false;
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [lab.id, generation]);

  const ticket = useCallback(async (): Promise<TerminalTicket> => {
    const current = envRef.current;
    if (!current) throw new Error('no environment yet');
    return api<TerminalTicket>(`/api/environments/${current.id}/terminal-ticket`, { method: 'POST' });
  }, []);

  const actions: LessonActions = {
    steps: lab.steps,
    progress,
    canRun: Boolean(terminal),
    checking,
    hasCluster: env ? env.hasCluster : clusterExpected,
    run: (command) => {
      // On a phone only one pane shows: follow the command to the terminal.
      setActivePane('terminal');
      setActiveTab('terminal');
      terminal?.run(command);
    },
    openDashboard(href) {
      const tab = dashboardForLink(dashboards, href);
      if (!tab) return false;
      setActivePane('terminal');
      setActiveTab(tab.id);
      setDashboardViews((v) => ({ ...v, [tab.id]: { path: href, n: (v[tab.id]?.n ?? 0) + 1 } }));
      return true;
    },
    async runCheck(stepId) {
      setChecking(stepId);
      const started = performance.now();
      try {
        const { result, progress: step, prediction } = await api<{ result: CheckResult; progress: StepState; prediction?: PredictionView }>(
          `/api/labs/${lab.id}/steps/${stepId}/check`,
          { method: 'POST' },
        );
        const waitedMs = performance.now() - started;
        setProgress((p) => ({ ...p, [stepId]: { ...step, lastResult: result, waitedMs, prediction: prediction ?? p[stepId]?.prediction } }));
      } catch (error) {
        const now = new Date().toISOString();
        setProgress((p) => ({
          ...p,
          [stepId]: {
            completedAt: p[stepId]?.completedAt ?? null,
            attempts: p[stepId]?.attempts ?? 0,
            lastResult: {
              labId: lab.id,
              stepId,
              kind: 'none',
              outcome: 'error',
              summary: 'The portal could not run this check.',
              assertions: [],
              error: { code: 'internal', message: (error as Error).message },
              startedAt: now,
              durationMs: 0,
            },
            waitedMs: performance.now() - started,
          },
        }));
      } finally {
        setChecking(undefined);
      }
    },
    async predict(stepId, guess) {
      try {
        const { prediction } = await api<{ prediction: PredictionView }>(`/api/labs/${lab.id}/steps/${stepId}/prediction`, {
          method: 'POST',
          body: JSON.stringify({ guess }),
        });
        setProgress((p) => ({ ...p, [stepId]: { completedAt: null, attempts: 0, lastResult: null, ...p[stepId], prediction } }));
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
    async reveal(stepId, what) {
      const { solution } = await api<{ solution?: string }>(`/api/labs/${lab.id}/steps/${stepId}/reveal`, {
        method: 'POST',
        body: JSON.stringify({ what }),
      });
      return solution;
    },
  };

  const { checkable, done } = stepFlowState(lab.steps, progress);
  const usable = env?.status === 'assigned';
  const words = env ? environmentWords(env) : undefined;

  return (
    <LessonContext.Provider value={actions}>
      <div className="workspace">
        {/* On a phone the panes are tabs: a skip link also shows the pane it jumps to. */}
        <nav className="skip-links" aria-label="Skip links">
          <a className="skip-link" href="#lesson" data-test="skip-to-lesson" onClick={() => setActivePane('lesson')}>
            Skip to the lesson
          </a>
          <a
            className="skip-link"
            href="#terminal"
            data-test="skip-to-terminal"
            onClick={() => setActivePane('terminal')}
          >
            Skip to the terminal
          </a>
        </nav>
        <header className="workspace-bar" data-test="workspace-bar">
          <a href="/" className="back" data-test="back-to-catalog">
            ← Labs
          </a>
          <h1 data-test="lab-title">{lab.title}</h1>
          <span className="workspace-progress" data-test="lab-progress">
            {done}/{checkable} checks passed
          </span>
          <progress max={Math.max(checkable, 1)} value={Math.min(done, checkable)} aria-label="Lab progress" />
          {env && words ? (
            <span
              className={`env-chip env-chip-${words.tone}`}
              data-test="environment-chip"
              data-status={env.status}
              data-has-cluster={env.hasCluster}
              title={words.detail}
            >
              {words.chip}
            </span>
          ) : null}
          {env?.expiresAt ? <EnvironmentTimer expiresAt={env.expiresAt} endsAtLatest={env.endsAtLatest} /> : null}
          {env ? (
            <button
              type="button"
              className="secondary"
              data-test="reset-environment"
              onClick={() => void resetEnvironment()}
            >
              Reset
            </button>
          ) : null}
          <ThemeToggle />
        </header>
        {env?.expiresAt ? (
          <EnvironmentTimerBanner
            expiresAt={env.expiresAt}
            endsAtLatest={env.endsAtLatest}
            extend={async () => {
              try {
                const { environment } = await api<{ environment: EnvironmentView }>(
                  `/api/environments/${env.id}/extend`,
                  { method: 'POST' },
                );
                setEnv((current) =>
                  current && current.id === environment.id ? { ...current, ...environment } : current,
                );
                return undefined;
              } catch (error) {
                return (error as Error).message;
              }
            }}
            restart={followNewEnvironment}
          />
        ) : null}
        {cohort ? (
          <CohortBar cohortName={cohort.name} labId={lab.id} stepId={current} onReset={followNewEnvironment} />
        ) : null}
        {/* Before the environment answers, the server's expectation decides, so the banner does not pop in late. */}
        {(env ? env.status === 'assigned' && !env.hasCluster : !clusterExpected) ? <NoClusterBanner /> : null}
        {env?.setup?.status === 'running' || env?.setup?.status === 'pending' ? (
          <div className="setup-banner" data-test="lab-setup" data-status={env.setup.status}>
            Preparing your cluster for this lab (running its setup script)… you can read on meanwhile.
          </div>
        ) : null}
        {env?.setup?.status === 'failed' ? (
          <div className="setup-banner setup-failed" data-test="lab-setup" data-status="failed">
            This lab&apos;s setup did not finish: {env.setup.message}{' '}
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setupRetry.current = true;
                setGeneration((g) => g + 1);
              }}
            >
              Try again
            </button>
          </div>
        ) : null}
        <SplitPane
          storageKey="workshop.split"
          active={activePane}
          onActivate={setActivePane}
          left={
            <article className="lesson" id="lesson" tabIndex={-1} data-test="lesson" ref={lessonPane}>
              <StepFlow steps={lab.steps} progress={progress} current={current} nextLab={nextLab} onGo={go} />
              <Lesson components={lessonComponents} />
            </article>
          }
          right={
            <DashboardTabs
              dashboards={dashboards}
              views={dashboardViews}
              active={activeTab}
              onActivate={setActiveTab}
              hasCluster={usable && env.hasCluster}
              pending={env ? !usable && env.status !== 'failed' : clusterExpected}
              terminal={
                usable ? (
                  <TerminalPane key={env.id} environmentId={env.id} ticket={ticket} onReady={setTerminal} />
                ) : (
                  <div className="terminal terminal-waiting">
                    {envError ? (
                      <div className="env-notice env-failed">Could not start your environment: {envError}</div>
                    ) : env ? (
                      <ProvisioningNotice env={env} />
                    ) : (
                      <div className="env-notice">Starting your environment…</div>
                    )}
                  </div>
                )
              }
            />
          }
        />
      </div>
    </LessonContext.Provider>
  );
}
