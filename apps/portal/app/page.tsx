import { cookies } from 'next/headers';
import { CatalogView } from '../src/components/catalog-view';
import { labCatalog } from '../src/labs/lab-catalog';
import { currentLearnerId } from '../src/learner/current-learner';
import { completedStepsByLab, lastCheckedStep } from '../src/progress/progress-store';
import { portal } from '../src/portal-services';

export const dynamic = 'force-dynamic';

export default async function CatalogPage() {
  const catalog = labCatalog();
  const learnerId = await currentLearnerId(await cookies());
  const { db } = await portal();
  const done = learnerId ? await completedStepsByLab(db, learnerId) : new Map<string, Set<string>>();
  const lastChecked = learnerId ? await lastCheckedStep(db, learnerId) : undefined;
  return (
    <CatalogView
      lastChecked={lastChecked ?? null}
      modules={catalog.modules.map((m) => ({
        id: m.id,
        title: m.title,
        summary: m.summary,
        labs: catalog.labs
          .filter((l) => l.module === m.id)
          .map((l) => ({
            id: l.id,
            title: l.title,
            summary: l.summary,
            durationMinutes: l.durationMinutes,
            level: l.level,
            // Exploration steps have no check, so progress counts the checked ones.
            steps: l.steps.filter((s) => s.check !== 'none').length,
            done: l.steps.filter((s) => s.check !== 'none' && done.get(l.id)?.has(s.id)).length,
            stepTitles: l.steps.map((s) => ({ id: s.id, title: s.title })),
          })),
      }))}
    />
  );
}
