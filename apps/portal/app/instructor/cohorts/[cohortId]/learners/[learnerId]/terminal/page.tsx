import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { learnerOfCohort, NotInCohortError } from '../../../../../../../src/cohorts/cohort-help';
import { cohortMembers, CohortNotFoundError } from '../../../../../../../src/cohorts/cohort-store';
import { ObserverTerminal } from '../../../../../../../src/components/instructor/observer-terminal';
import { currentInstructor } from '../../../../../../../src/instructors/instructor-route';
import { portal } from '../../../../../../../src/portal-services';

export const metadata: Metadata = { title: 'Watching a terminal · Istio Workshop' };

export default async function WatchTerminalPage({ params }: { params: Promise<{ cohortId: string; learnerId: string }> }) {
  const services = await portal();
  const instructor = await currentInstructor(services);
  if (!instructor) redirect('/instructor/sign-in');
  const { cohortId, learnerId } = await params;
  const cohort = await learnerOfCohort(services.db, instructor, cohortId, learnerId).catch((error: unknown) => {
    if (error instanceof CohortNotFoundError || error instanceof NotInCohortError) notFound();
    throw error;
  });
  const member = (await cohortMembers(services.db, cohortId)).find((m) => m.learnerId === learnerId);
  const environment = await services.environments.forLearner(learnerId);
  return (
    <main className="watch-page">
      <header className="workspace-bar">
        <a className="back" href={`/instructor/cohorts/${cohortId}`}>
          ← {cohort.name}
        </a>
        <h1>{member?.displayName ?? 'Learner'}&apos;s terminal</h1>
      </header>
      {environment && environment.status === 'assigned' ? (
        <ObserverTerminal cohortId={cohortId} learnerId={learnerId} environmentId={environment.id} />
      ) : (
        <p className="narrow-page">This learner has no running terminal yet: it starts when they open a lab.</p>
      )}
    </main>
  );
}
