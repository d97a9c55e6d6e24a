import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastForward, FastForwardError, fastForwardPlan } from './fast-forward';

function labDir(failing?: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-lab-'));
  mkdirSync(path.join(dir, 'solutions'));
  const log = path.join(dir, 'ran.log');
  const script = (name: string) =>
    writeFileSync(path.join(dir, name), `echo "${name} KUBECONFIG=$KUBECONFIG" >> ${log}\n${name === failing ? 'exit 3\n' : ''}`);
  for (const name of ['setup.sh', 'cleanup.sh', 'solutions/a.sh', 'solutions/c.sh']) script(name);
  return { dir, log };
}

const steps = [
  { id: 'a', title: 'A', check: 'state' as const, solution: 'solutions/a.sh' },
  { id: 'b', title: 'B', check: 'none' as const },
  { id: 'c', title: 'C', check: 'state' as const, solution: 'solutions/c.sh' },
  { id: 'd', title: 'D', check: 'state' as const, solution: 'solutions/d.sh' },
];

describe('fast-forward', () => {
  it('plans cleanup, setup, then the earlier steps that have solutions', () => {
    const lab = { id: 'lx', setup: 'setup.sh', cleanup: 'cleanup.sh', steps };
    expect(fastForwardPlan(lab, 'a')).toEqual({ scripts: ['cleanup.sh', 'setup.sh'], replayed: [] });
    expect(fastForwardPlan(lab, 'd')).toEqual({ scripts: ['cleanup.sh', 'setup.sh', 'solutions/a.sh', 'solutions/c.sh'], replayed: ['a', 'c'] });
    expect(() => fastForwardPlan(lab, 'zz')).toThrow(FastForwardError);
  });

  it("runs the scripts with bash against the learner's kubeconfig, in order", async () => {
    const { dir, log } = labDir();
    const result = await fastForward({ lab: { id: 'lx', dir, setup: 'setup.sh', cleanup: 'cleanup.sh', steps }, stepId: 'd', kubeconfig: '/k/learner.yaml' });
    expect(result.ok).toBe(true);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'cleanup.sh KUBECONFIG=/k/learner.yaml',
      'setup.sh KUBECONFIG=/k/learner.yaml',
      'solutions/a.sh KUBECONFIG=/k/learner.yaml',
      'solutions/c.sh KUBECONFIG=/k/learner.yaml',
    ]);
  });

  it('stops at the first failing script and says which', async () => {
    const { dir, log } = labDir('solutions/a.sh');
    const result = await fastForward({ lab: { id: 'lx', dir, setup: 'setup.sh', cleanup: 'cleanup.sh', steps }, stepId: 'd', kubeconfig: '/k' });
    expect(result.ok).toBe(false);
    expect(result.ran.at(-1)).toMatchObject({ script: 'solutions/a.sh', ok: false, exitCode: 3 });
    expect(readFileSync(log, 'utf8')).not.toContain('solutions/c.sh');
  });
});
