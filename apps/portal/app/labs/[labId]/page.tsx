import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { LabWorkspace } from '../../../src/components/lab-workspace';
import { labCatalog } from '../../../src/labs/lab-catalog';
import { compileLesson } from '../../../src/labs/compile-lesson';
import { currentLearnerId } from '../../../src/learner/current-learner';
import { progressForLab } from '../../../src/progress/progress-store';
import { portal } from '../../../src/portal-services';

export const dynamic = 'force-dynamic';

export default async function LabPage({ params }: { params: Promise<{ labId: string }> }) {
  const { labId } = await params;
  const lab = labCatalog().labs.find((l) => l.id === labId);
  if (!lab) notFound();
  const { code } = await compileLesson(lab);
  const learnerId = await currentLearnerId(await cookies());
  const { db } = await portal();
  const progress = learnerId ? await progressForLab(db, learnerId, lab.id) : [];
  return (
    <LabWorkspace
      lab={{
        id: lab.id,
        title: lab.title,
        module: lab.module,
        durationMinutes: lab.durationMinutes,
        steps: lab.steps.map((s) => ({ id: s.id, title: s.title, check: s.check })),
      }}
      code={code}
      initialProgress={Object.fromEntries(
        progress.map((p) => [p.stepId, { completedAt: p.completedAt, attempts: p.attempts, lastResult: p.lastResult }]),
      )}
    />
  );
}
