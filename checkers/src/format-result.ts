import type { CheckResult } from './check-result';
import type { CheckList } from './list-checks';

const marks = { pass: '✔', fail: '✘', warn: '!' } as const;

/** The human form of a result: each assertion with ✔/✘, expected/actual, hint and next command. */
export function formatResult(result: CheckResult): string {
  const lines: string[] = [];
  const head = result.outcome === 'passed' ? 'PASSED' : result.outcome === 'failed' ? 'NOT YET' : `COULD NOT RUN (${result.error?.code ?? 'error'})`;
  lines.push(`${result.labId} / ${result.stepId} [${result.kind}]: ${head}`);
  lines.push(`  ${result.summary}`);
  for (const a of result.assertions) {
    lines.push(`  ${marks[a.status]} ${a.title}  (${a.code})`);
    if (a.status !== 'pass' || a.hint) {
      if (a.path) lines.push(`      where:    ${a.path}`);
      if (a.expected) lines.push(`      expected: ${a.expected}`);
      if (a.actual) lines.push(`      actual:   ${a.actual}`);
      if (a.hint) lines.push(`      hint:     ${a.hint}`);
      if (a.next) lines.push(`      next:     ${a.next}`);
    }
  }
  if (result.error && result.outcome === 'error') lines.push(`  error: ${result.error.message}`);
  lines.push(`  (${result.durationMs} ms)`);
  return lines.join('\n');
}

export function formatList(list: CheckList): string {
  const lines = list.steps.map((s) => `${s.labId.padEnd(28)} ${s.stepId.padEnd(24)} ${s.kind.padEnd(9)} ${s.kind === 'none' ? '' : s.registered ? 'registered' : 'MISSING'}${s.orphan ? ' (not in lab.yaml)' : ''}`);
  if (list.labsError) lines.push(`labs could not be read: ${list.labsError}`);
  return lines.join('\n');
}
