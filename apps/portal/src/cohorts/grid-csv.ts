import type { CohortGrid } from './cohort-grid';

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per learner: name, joined, last activity, steps done, then each checked step's state. */
export function gridCsv(grid: CohortGrid): string {
  const steps = grid.labs.flatMap((lab) =>
    lab.steps.map((step) => ({ key: `${lab.id}/${step.id}`, title: `${lab.title}: ${step.title}` })),
  );
  const header = [
    'learner',
    'joined_at',
    'last_activity_at',
    'steps_done',
    'steps_total',
    'stuck',
    ...steps.map((s) => s.title),
  ];
  const rows = grid.learners.map((l) => [
    l.displayName,
    l.joinedAt,
    l.lastActivityAt ?? '',
    l.done,
    l.total,
    l.stuck?.kind ?? '',
    ...steps.map((s) => {
      const cell = l.cells[s.key];
      if (!cell) return 'not-started';
      return cell.state === 'failing'
        ? `failing (${cell.attempts} checks${cell.failingCodes.length ? `: ${cell.failingCodes.join(' ')}` : ''})`
        : cell.state;
    }),
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
