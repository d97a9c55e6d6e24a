'use client';

import { useContext, useState, type ReactNode } from 'react';
import { CheckResultView } from './check-result-view';
import { StepContext, useLesson } from './lesson-context';

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="code-button"
      data-test="copy"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export function CodeBlock({ code, lang, run }: { code: string; lang: string; run?: boolean }) {
  const lesson = useLesson();
  return (
    <div className={`code-block${run ? ' code-run' : ''}`} data-test={run ? 'run-block' : 'code-block'}>
      <div className="code-actions">
        <span className="code-lang">{lang}</span>
        <CopyButton text={code} />
        {run ? (
          <button
            type="button"
            className="code-button code-button-run"
            data-test="run"
            disabled={!lesson.canRun}
            title={lesson.canRun ? 'Type this into the terminal and run it' : 'The terminal is not connected yet'}
            onClick={() => lesson.run(code)}
          >
            ▶ Run
          </button>
        ) : null}
      </div>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  );
}

export function Step({ id, children }: { id: string; children?: ReactNode }) {
  const lesson = useLesson();
  const index = lesson.steps.findIndex((s) => s.id === id);
  const step = lesson.steps[index];
  const done = Boolean(lesson.progress[id]?.completedAt);
  return (
    <StepContext.Provider value={id}>
      <section className={`step${done ? ' step-done' : ''}`} id={`step-${id}`} data-test={`step-${id}`} data-done={done}>
        <h2 className="step-title">
          <span className="step-number">{done ? '✔' : index + 1}</span>
          {step?.title ?? id}
          {done ? <span className="step-badge">done</span> : null}
        </h2>
        {children}
      </section>
    </StepContext.Provider>
  );
}

export function Hint({ children }: { children?: ReactNode }) {
  const lesson = useLesson();
  const stepId = useContext(StepContext);
  return (
    <details
      className="hint"
      data-test="hint"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open && stepId) void lesson.reveal(stepId, 'hint');
      }}
    >
      <summary>Hint</summary>
      <div className="hint-body">{children}</div>
    </details>
  );
}

export function Solution() {
  const lesson = useLesson();
  const stepId = useContext(StepContext);
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  if (!stepId) return null;
  if (text !== undefined) return <CodeBlock code={text} lang="sh" run />;
  return (
    <div className="solution">
      <button
        type="button"
        className="secondary"
        data-test="reveal-solution"
        onClick={() =>
          void lesson.reveal(stepId, 'solution').then(
            (t) => (t === undefined ? setError('No solution is published for this step.') : setText(t)),
            (e: Error) => setError(e.message),
          )
        }
      >
        Show solution
      </button>
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}

export function Check() {
  const lesson = useLesson();
  const stepId = useContext(StepContext);
  if (!stepId) return null;
  const state = lesson.progress[stepId];
  const busy = lesson.checking === stepId;
  return (
    <div className="check" data-test={`check-${stepId}`}>
      <button
        type="button"
        className="primary"
        data-test="check-button"
        disabled={busy}
        onClick={() => void lesson.runCheck(stepId)}
      >
        {busy ? 'Checking…' : state?.completedAt ? 'Check again' : 'Check my work'}
      </button>
      {state?.lastResult ? <CheckResultView result={state.lastResult} /> : null}
    </div>
  );
}

export function Callout({ kind = 'info', children }: { kind?: 'info' | 'warning'; children?: ReactNode }) {
  return <aside className={`callout callout-${kind}`}>{children}</aside>;
}

export const lessonComponents = { CodeBlock, Step, Hint, Solution, Check, Callout };
