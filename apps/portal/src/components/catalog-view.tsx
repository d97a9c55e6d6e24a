export interface CatalogLab {
  id: string;
  title: string;
  summary: string;
  durationMinutes: number;
  level: string;
  steps: number;
  done: number;
}

export interface CatalogModule {
  id: string;
  title: string;
  summary: string;
  labs: CatalogLab[];
}

/** The catalog: modules in order, each with its labs, their length, level and the learner's progress. */
export function CatalogView({ modules }: { modules: CatalogModule[] }) {
  return (
    <main className="catalog">
      <header className="catalog-header">
        <h1>Istio Workshop</h1>
        <p>
          Learn the Istio service mesh by doing: each lab gives you a lesson beside a live terminal into your own
          cluster, and checks every step against what is really running.
        </p>
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
                      <span data-test="lab-card-progress">
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
