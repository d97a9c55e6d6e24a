import { stepOutline } from '@istio-workshop/checkers';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { LabWorkspace } from '../../../src/components/lab-workspace';
import { clusterExpected } from '../../../src/environments/cluster-expected';
import { labCatalog } from '../../../src/labs/lab-catalog';
import { cohortsOfLearner } from '../../../src/cohorts/cohort-store';
import { compileLesson } from '../../../src/labs/compile-lesson';
import { dashboardAddonIds, dashboardAddons } from '../../../src/dashboards/dashboard-addons';
import { currentLearnerId } from '../../../src/learner/current-learner';
import { predictionState, predictionsForLab } from '../../../src/predictions/prediction-store';
import { progressForLab } from '../../../src/progress/progress-store';
import { portal } from '../../../src/portal-services';

export const dynamic = 'force-dynamic';

export default async function LabPage({ params }: { params: Promise<{ labId: string }> }) {
  const { labId } = await params;
  const catalog = labCatalog();
  const lab = catalog.labs.find((l) => l.id === labId);
  if (!lab) notFound();
  const { code } = await compileLesson(lab);
  const learnerId = await currentLearnerId(await cookies());
  const { db, environments } = await portal();
  const progress = learnerId ? await progressForLab(db, learnerId, lab.id) : [];
  const guesses = learnerId ? await predictionsForLab(db, learnerId, lab.id) : new Map<string, string>();
  const environment = learnerId ? await environments.forLearner(learnerId) : null;
  const [cohort] = learnerId ? await cohortsOfLearner(db, learnerId) : [];
  const next = catalog.labs[catalog.labs.indexOf(lab) + 1];
  return (
    <LabWorkspace
      lab={{
        id: lab.id,
        title: lab.title,
        module: lab.module,
        durationMinutes: lab.durationMinutes,
        steps: lab.steps.map((s) => ({
          id: s.id,
          title: s.title,
          check: s.check,
          looksFor: stepOutline(lab.id, s.id),
          ...(s.prediction ? { prediction: s.prediction } : {}),
        })),
      }}
      code={code}
      initialProgress={Object.fromEntries(
        lab.steps.flatMap((s) => {
          const p = progress.find((x) => x.stepId === s.id);
          const guess = guesses.get(s.id);
          const prediction =
            s.prediction && guess !== undefined ? predictionState(s.prediction, guess, p?.lastResult) : undefined;
          if (!p && !prediction) return [];
          return [
            [
              s.id,
              {
                completedAt: p?.completedAt ?? null,
                attempts: p?.attempts ?? 0,
                lastResult: p?.lastResult ?? null,
                ...(prediction ? { prediction } : {}),
              },
            ],
          ];
        }),
      )}
      clusterExpected={environment ? Boolean(environment.kubeconfigPath) : clusterExpected()}
      nextLab={next ? { id: next.id, title: next.title } : null}
      cohort={cohort ? { name: cohort.name } : null}
      dashboards={dashboardAddonIds.map((id) => ({ id, label: dashboardAddons[id].label, landing: dashboardAddons[id].landing, mount: dashboardAddons[id].mount }))}
    />
  );
}
