import { ThemeToggle } from '../src/components/theme-toggle';
import { labCatalog } from '../src/labs/lab-catalog';

/** Our 404: says what was not found and offers the way back (and the labs that do exist). */
export default function NotFound() {
  const labs = labCatalog().labs;
  return (
    <main className="not-found" data-test="not-found">
      <div className="catalog-title">
        <h1>There is no such page</h1>
        <ThemeToggle />
      </div>
      <p>The lab or page you asked for does not exist here. It may have been renamed, or the link has a typo.</p>
      <p>
        <a href="/" className="back-link" data-test="not-found-back">
          ← Back to all labs
        </a>
      </p>
      {labs.length ? (
        <>
          <h2>Labs you can open</h2>
          <ul className="not-found-labs">
            {labs.map((l) => (
              <li key={l.id}>
                <a href={`/labs/${l.id}`}>{l.title}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </main>
  );
}
