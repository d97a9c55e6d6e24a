import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { CohortNotFoundError } from '../../../../src/cohorts/cohort-store';
import { loadCohortGrid } from '../../../../src/cohorts/load-grid';
import { LiveGrid } from '../../../../src/components/instructor/live-grid';
import { currentInstructor } from '../../../../src/instructors/instructor-route';
import { portal } from '../../../../src/portal-services';

export const metadata: Metadata = { title: 'Cohort · Istio Workshop' };

export default async function CohortPage({ params }: { params: Promise<{ cohortId: string }> }) {
  const services = await portal();
  const instructor = await currentInstructor(services);
  if (!instructor) redirect('/instructor/sign-in');
  const { cohortId } = await params;
  const grid = await loadCohortGrid(services, instructor, cohortId).catch((error: unknown) => {
    if (error instanceof CohortNotFoundError) notFound();
    throw error;
  });
  return (
    <main className="instructor-page wide">
      <p>
        <a className="back-link" href="/instructor">
          ← Cohorts
        </a>
      </p>
      <LiveGrid initial={grid} />
    </main>
  );
}
