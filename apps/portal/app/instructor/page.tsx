import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { startsInWords } from '../../src/cohorts/cohort-schedule';
import { listCohorts } from '../../src/cohorts/cohort-store';
import { NewCohortForm } from '../../src/components/instructor/new-cohort-form';
import { SignOutButton } from '../../src/components/instructor/sign-out-button';
import { currentInstructor } from '../../src/instructors/instructor-route';
import { labCatalog } from '../../src/labs/lab-catalog';
import { portal } from '../../src/portal-services';

export const metadata: Metadata = { title: 'Cohorts · Istio Workshop' };

export default async function InstructorHome() {
  const services = await portal();
  const instructor = await currentInstructor(services);
  if (!instructor) redirect('/instructor/sign-in');
  const cohorts = await listCohorts(services.db, instructor);
  const catalog = labCatalog();
  const now = new Date();
  return (
    <main className="instructor-page">
      <header className="instructor-bar">
        <h1>Cohorts</h1>
        <span className="muted">
          {instructor.displayName}
          {instructor.isAdmin ? ' (admin: sees every cohort)' : ''}
        </span>
        <SignOutButton />
      </header>
      {cohorts.length === 0 ? (
        <p className="muted">No cohorts yet. Create one below; learners join it with its code.</p>
      ) : (
        <ul className="cohort-list">
          {cohorts.map((c) => (
            <li key={c.id}>
              <a href={`/instructor/cohorts/${c.id}`}>{c.name}</a> <code>{c.joinCode}</code>{' '}
              <span className="muted">
                {c.memberCount}/{c.capacity} learners ·{' '}
                {c.status === 'ended'
                  ? 'ended'
                  : `${startsInWords(c, now)?.concat(', ') ?? ''}open until ${new Date(c.endsAt).toLocaleString()}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>New cohort</h2>
      <NewCohortForm
        labs={catalog.labs.map((l) => ({ id: l.id, title: l.title, module: l.module }))}
        prewarmLeadMinutes={services.config.PORTAL_PREWARM_LEAD_MINUTES}
      />
    </main>
  );
}
