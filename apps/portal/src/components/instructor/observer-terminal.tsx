'use client';

import { useCallback } from 'react';
import type { TerminalTicket } from '../../terminal/terminal-connection';
import { TerminalPane } from '../terminal-pane';
import { sendJson } from './send-json';

/** An instructor's read-only view of one learner's terminal. */
export function ObserverTerminal({ cohortId, learnerId, environmentId }: { cohortId: string; learnerId: string; environmentId: string }) {
  const ticket = useCallback(
    () => sendJson<TerminalTicket>(`/api/instructor/cohorts/${cohortId}/learners/${learnerId}/terminal-ticket`, 'POST'),
    [cohortId, learnerId],
  );
  return <TerminalPane environmentId={environmentId} ticket={ticket} onReady={() => undefined} readOnly />;
}
