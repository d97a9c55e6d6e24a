'use client';

import { useEffect, useState } from 'react';
import { readLastVisit } from './lesson-position';

interface Props {
  labs: { id: string; title: string; steps: { id: string; title: string }[] }[];
  /** The step the learner last checked (server side), used when this browser has no visit recorded. */
  lastChecked: { labId: string; stepId: string; at: string } | null;
}

/** "Continue where you left off": the lab and step last read in this browser, or last checked anywhere. */
export function ContinueLink({ labs, lastChecked }: Props) {
  const [visit, setVisit] = useState(lastChecked ?? undefined);
  useEffect(() => {
    const local = readLastVisit();
    if (local && (!lastChecked || local.at > lastChecked.at)) setVisit({ labId: local.labId, stepId: local.stepId ?? '', at: local.at });
  }, [lastChecked]);
  const lab = visit && labs.find((l) => l.id === visit.labId);
  if (!visit || !lab) return null;
  const step = lab.steps.find((s) => s.id === visit.stepId);
  return (
    <a className="continue-link" href={`/labs/${lab.id}`} data-test="continue" data-lab={lab.id}>
      <span className="continue-label">Continue where you left off</span>
      <span className="continue-target">
        {lab.title}
        {step ? ` · ${step.title}` : ''} →
      </span>
    </a>
  );
}
