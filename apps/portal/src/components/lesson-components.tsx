'use client';

import { useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { CheckResultView } from './check-result-view';
import { StepContext, useLesson, type StepState } from './lesson-context';
import type { Prediction } from '@istio-workshop/labs';

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

/** True while the element's content is wider than its box (it scrolls sideways). */
function useOverflows<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, overflows };
}

export function CodeBlock({ code, lang, run }: { code: string; lang: string; run?: boolean }) {
  const lesson = useLesson();
  const { ref, overflows } = useOverflows<HTMLPreElement>();
  return (
    <div
      className={`code-block${run ? ' code-run' : ''}${overflows ? ' code-overflows' : ''}`}
      data-test={run ? 'run-block' : 'code-block'}
    >
      <div className="code-actions">
        <span className="code-lang">{lang}</span>
        {overflows ? (
          <span className="scroll-cue" data-test="scroll-cue" title="This block is wider than the pane">
            scroll sideways →
          </span>
        ) : null}
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
      {/* Focusable so keyboard users can scroll a wide block too. */}
      <pre ref={ref} tabIndex={overflows ? 0 : undefined}>
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
      <section
        className={`step${done ? ' step-done' : ''}`}
        id={`step-${id}`}
        data-test={`step-${id}`}
        data-done={done}
      >
        <h2 className="step-title" tabIndex={-1}>
          <span className="step-number">{done ? '✔' : index + 1}</span>
          {step?.title ?? id}
          {done ? <span className="step-badge">done</span> : null}
        </h2>
        {children}
      </section>
    </StepContext.Provider>
  );
}

/** A hint the learner opens on demand; `n`/`of` are set by the lesson compiler when a step has several. */
export function Hint({ children, title, n, of }: { children?: ReactNode; title?: string; n?: number; of?: number }) {
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
      <summary>{title ?? (n && of && of > 1 ? `Hint ${n} of ${of}` : 'Hint')}</summary>
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

/** What a step's check will look at, readable before it can run (no cluster yet, or never checked). */
function CheckOutline({ items, open }: { items: readonly string[]; open: boolean }) {
  if (items.length === 0) return null;
  return (
    <details className="check-outline" data-test="check-outline" open={open}>
      <summary>What this check looks for</summary>
      <ul>
        {items.map((item) => (
          <li key={item} data-test="check-outline-item">
            {item}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function Check() {
  const lesson = useLesson();
  const stepId = useContext(StepContext);
  if (!stepId) return null;
  const state = lesson.progress[stepId];
  const busy = lesson.checking === stepId;
  const step = lesson.steps.find((s) => s.id === stepId);
  const looksFor = step?.looksFor ?? [];
  const couldNotRun = state?.lastResult?.outcome === 'error';
  return (
    <div className="check" data-test={`check-${stepId}`}>
      {step?.prediction ? <PredictionPrompt stepId={stepId} prediction={step.prediction} state={state} /> : null}
      <button
        type="button"
        className="primary"
        data-test="check-button"
        disabled={busy}
        onClick={() => void lesson.runCheck(stepId)}
      >
        {busy ? 'Checking…' : state?.completedAt ? 'Check again' : 'Check my work'}
      </button>
      {state?.lastResult ? <CheckResultView result={state.lastResult} waitedMs={state.waitedMs} /> : null}
      {!state?.completedAt ? <CheckOutline items={looksFor} open={lesson.hasCluster === false || couldNotRun} /> : null}
    </div>
  );
}

/**
 * Asks before the learner looks: their answer is stored first, then judged against the value the
 * step's check reads from the live cluster, and both are shown side by side.
 */
function PredictionPrompt({
  stepId,
  prediction,
  state,
}: {
  stepId: string;
  prediction: Prediction;
  state: StepState | undefined;
}) {
  const lesson = useLesson();
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const made = state?.prediction;
  const answer = prediction.answer;
  const verdict = made?.verdict;

  if (made && !editing) {
    if (verdict && verdict.status !== 'unjudged')
      return (
        <div
          className={`prediction prediction-${verdict.status}`}
          data-test="prediction-verdict"
          data-status={verdict.status}
          role="status"
        >
          <p className="prediction-question">{prediction.question}</p>
          <p>
            You predicted <strong>{verdict.guess}</strong>; the cluster shows <strong>{verdict.observed}</strong>.{' '}
            {verdict.status === 'right' ? 'Well predicted.' : 'Not quite.'} {verdict.detail}
          </p>
        </div>
      );
    return (
      <div className="prediction" data-test="prediction-made">
        <p className="prediction-question">{prediction.question}</p>
        <p>
          Your prediction: <strong>{verdict?.guess ?? made.guess}</strong>. Run the check to compare it with the
          cluster.{' '}
          {!state?.completedAt ? (
            <button type="button" className="link-button" onClick={() => setEditing(true)}>
              Change it
            </button>
          ) : null}
        </p>
      </div>
    );
  }

  return (
    <form
      className="prediction"
      data-test="prediction-form"
      onSubmit={(event) => {
        event.preventDefault();
        const guess = String(new FormData(event.currentTarget).get('guess') ?? '');
        void lesson.predict(stepId, guess).then((error) => {
          setProblem(error);
          if (!error) setEditing(false);
        });
      }}
    >
      <p className="prediction-question" id={`prediction-${stepId}`}>
        <strong>Predict first:</strong> {prediction.question}
      </p>
      {answer.kind === 'number' ? (
        <label className="prediction-number">
          <input
            name="guess"
            type="number"
            step="any"
            required
            min={answer.min}
            max={answer.max}
            aria-labelledby={`prediction-${stepId}`}
            defaultValue={made?.guess}
          />
          <span>{answer.unit}</span>
        </label>
      ) : (
        <div className="prediction-choices" role="radiogroup" aria-labelledby={`prediction-${stepId}`}>
          {answer.choices.map((c) => (
            <label key={c.id}>
              <input type="radio" name="guess" value={c.id} required defaultChecked={made?.guess === c.id} /> {c.label}
            </label>
          ))}
        </div>
      )}
      <button type="submit" className="secondary" data-test="prediction-save">
        Lock in my prediction
      </button>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}

/** Lesson text for learners whose environment has a cluster (hidden in shell-only mode). */
export function WithCluster({ children }: { children?: ReactNode }) {
  const lesson = useLesson();
  return lesson.hasCluster === false ? null : <>{children}</>;
}

/** Lesson text for learners without a cluster: what they can still do here. */
export function WithoutCluster({ children }: { children?: ReactNode }) {
  const lesson = useLesson();
  return lesson.hasCluster === false ? (
    <div className="without-cluster" data-test="without-cluster">
      {children}
    </div>
  ) : null;
}

export function Callout({ kind = 'info', children }: { kind?: 'info' | 'warning'; children?: ReactNode }) {
  return <aside className={`callout callout-${kind}`}>{children}</aside>;
}

/**
 * A lesson's Markdown link. One into a dashboard (`[the graph](/kiali/console/graph/namespaces/?namespaces=default)`)
 * opens that dashboard's tab beside the terminal at that view instead of leaving the lab page; a
 * modified click (new tab or window) still follows the link. Other links open in a new tab, so the
 * lesson and the terminal stay where they are.
 */
export function LessonLink({ href = '', children }: { href?: string; children?: ReactNode }) {
  const lesson = useLesson();
  if (href.startsWith('#')) return <a href={href}>{children}</a>;
  return (
    <a
      href={href}
      data-test="lesson-link"
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        if (lesson.openDashboard(href)) event.preventDefault();
      }}
      {...(href.startsWith('/') ? {} : { target: '_blank', rel: 'noreferrer' })}
    >
      {children}
    </a>
  );
}

export const lessonComponents = { CodeBlock, Step, Hint, Solution, Check, Callout, WithCluster, WithoutCluster, a: LessonLink };
