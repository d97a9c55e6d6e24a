'use client';

import { useCallback, useEffect, useState, type RefObject } from 'react';
import { z } from 'zod';

/** Where the learner was in a lab: kept per browser so a reload (or "continue") returns there. */
export const lastVisitKey = 'workshop.lastVisit';
const positionKey = (labId: string) => `workshop.position.${labId}`;

export const lastVisitSchema = z.object({ labId: z.string(), stepId: z.string().optional(), at: z.string() });
export type LastVisit = z.infer<typeof lastVisitSchema>;
const positionSchema = z.object({ top: z.number().nonnegative(), stepId: z.string().optional() });

function readJson<T>(key: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(window.localStorage.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function readLastVisit(): LastVisit | undefined {
  return readJson(lastVisitKey, lastVisitSchema);
}

/** The step being read: the last one whose section starts in the upper third of the pane (or above it). */
function stepAtTop(pane: HTMLElement, stepIds: readonly string[]): string | undefined {
  const top = pane.getBoundingClientRect().top + Math.min(240, pane.clientHeight / 3);
  let current: string | undefined;
  for (const id of stepIds) {
    const section = pane.querySelector(`#step-${CSS.escape(id)}`);
    if (section && section.getBoundingClientRect().top <= top) current = id;
  }
  return current;
}

/**
 * Follows the lesson pane's scroll: remembers the position and the step being read, restores the
 * position after a reload (unless the URL names a step), and scrolls to a step on request.
 */
export function useLessonPosition(labId: string, pane: RefObject<HTMLElement | null>, stepIds: readonly string[]) {
  const [current, setCurrent] = useState<string | undefined>();

  useEffect(() => {
    const el = pane.current;
    if (!el) return;
    const hash = window.location.hash.replace(/^#/, '');
    const target = hash ? el.querySelector(`#${CSS.escape(hash)}`) : null;
    if (target) target.scrollIntoView({ block: 'start' });
    else {
      const saved = readJson(positionKey(labId), positionSchema);
      if (saved) el.scrollTop = saved.top;
    }
    let frame = 0;
    const save = () => {
      frame = 0;
      const stepId = stepAtTop(el, stepIds);
      setCurrent(stepId);
      window.localStorage.setItem(positionKey(labId), JSON.stringify({ top: Math.round(el.scrollTop), stepId }));
      window.localStorage.setItem(lastVisitKey, JSON.stringify({ labId, stepId, at: new Date().toISOString() }));
    };
    save();
    const onScroll = () => {
      if (!frame) frame = window.requestAnimationFrame(save);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      el.removeEventListener('scroll', onScroll);
      if (frame) window.cancelAnimationFrame(frame);
    };
  }, [labId, pane, stepIds]);

  const go = useCallback(
    (stepId: string) => {
      const section = pane.current?.querySelector<HTMLElement>(`#step-${CSS.escape(stepId)}`);
      if (!section) return;
      section.scrollIntoView({ block: 'start', behavior: 'smooth' });
      // Move focus too, so keyboard and screen-reader users land where the eye does.
      section.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
    },
    [pane],
  );

  return { current, go };
}
