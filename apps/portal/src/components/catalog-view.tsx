import { ContinueLink } from './continue-link';
import { ThemeToggle } from './theme-toggle';

export interface CatalogLab {
  id: string;
  title: string;
  summary: string;
  durationMinutes: number;
  level: string;
  steps: number;
  done: number;
  /** Every step (reading ones too), for "continue where you left off". */
  stepTitles: { id: string; title: string }[];
}

export interface CatalogModule {
  id: string;
  title: string;
  summary: string;
  labs: CatalogLab[];
}

/** The catalog: modules in order, each with its labs, their length, level and the learner's progress. */
interface Props {
  modules: CatalogModule[];
  lastChecked: { labId: string; stepId: string; at: string } | null;
}

export function CatalogView({ modules, lastChecked }: Props) {
  const labs = modules.flatMap((m) => m.labs);
  const steps = labs.reduce((n, l) => n + l.steps, 0);
  const done = labs.reduce((n, l) => n + l.done, 0);
  const complete = labs.filter((l) => l.steps > 0 && l.done === l.steps).length;
  return (
    <main className="catalog">
      <header className="catalog-header">
        <div className="catalog-title">
          <h1>Istio Workshop</h1>
          <nav className="catalog-links" aria-label="Cohorts">
            <a href="/join" data-test="join-link">
              Join a cohort
            </a>
            <a href="/instructor">For instructors</a>
          </nav>
          <ThemeToggle />
        </div>
        <p>
          Learn the Istio service mesh by doing: each lab gives you a lesson beside a live terminal into your own
          cluster, and checks every step against what is really running.
        </p>
        <div className="overall" data-test="overall-progress" data-done={done} data-steps={steps}>
          <span>
            {done}/{steps} checks passed · {complete}/{labs.length} labs complete
          </span>
          <progress max={Math.max(steps, 1)} value={done} aria-label="Progress across all labs" />
        </div>
        <ContinueLink labs={labs.map((l) => ({ id: l.id, title: l.title, steps: l.stepTitles }))} lastChecked={lastChecked} />
      </header>
      {modules
        .filter((m) => m.labs.length > 0)
        .map((m) => (
          <section key={m.id} className="module" data-test={`module-${m.id}`}>
            <h2>{m.title}</h2>
            <p className="module-summary">{m.summary}</p>
            <ul className="lab-cards">
              {m.labs.map((lab) => (
                <li key={lab.id} className="lab-card" data-test={`lab-card-${lab.id}`}>
                  <a href={`/labs/${lab.id}`} data-test="open-lab">
                    <h3>{lab.title}</h3>
                    <p>{lab.summary}</p>
                    <div className="lab-meta">
                      <span>{lab.durationMinutes} min</span>
                      <span className={`level level-${lab.level}`}>{lab.level}</span>
                      <span className="lab-card-progress" data-test="lab-card-progress">
                        {lab.steps > 0 && lab.done === lab.steps
                          ? '✔ complete'
                          : lab.done > 0
                            ? `${lab.done}/${lab.steps} checks passed`
                            : `${lab.steps} checked steps`}
                      </span>
                    </div>
                    <progress max={lab.steps} value={lab.done} aria-label={`${lab.title} progress`} />
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </main>
  );
}
