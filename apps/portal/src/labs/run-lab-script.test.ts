import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLabs } from '@istio-workshop/labs';
import { describe, expect, it } from 'vitest';
import { runLabScript } from './run-lab-script';

/** A kubectl stand-in first on PATH that records each invocation's argv and environment. */
function fakeKubectl(exitCode = 0) {
  const bin = mkdtempSync(path.join(tmpdir(), 'fake-kubectl-'));
  const log = path.join(bin, 'calls.log');
  writeFileSync(
    path.join(bin, 'kubectl'),
    `#!/usr/bin/env bash\necho "$* | KUBECONFIG=$KUBECONFIG | SECRET=\${WORKSHOP_TOKEN_SECRET:-unset}" >> ${log}\nexit ${exitCode}\n`,
  );
  chmodSync(path.join(bin, 'kubectl'), 0o755);
  return { bin, log };
}

describe('runLabScript', () => {
  it("runs a real lab's setup against the environment's kubeconfig, without the portal's secrets", async () => {
    const lab = loadLabs().labs.find((l) => l.id === 'l01-sidecar-injection')!;
    const { bin, log } = fakeKubectl();
    process.env.WORKSHOP_TOKEN_SECRET = 'must-not-leak-into-lab-scripts-0123456789';
    const result = await runLabScript({
      labDir: lab.dir,
      script: lab.setup!,
      kubeconfig: '/envs/env-1/kubeconfig',
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(log, 'utf8')).toBe(
      'delete namespace intro manual --ignore-not-found --wait=true | KUBECONFIG=/envs/env-1/kubeconfig | SECRET=unset\n',
    );
  });

  it('reports a failing script with its output', async () => {
    const lab = loadLabs().labs.find((l) => l.id === 'l01-sidecar-injection')!;
    const { bin } = fakeKubectl(1);
    const result = await runLabScript({ labDir: lab.dir, script: lab.setup!, kubeconfig: '/k', env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result).toMatchObject({ ok: false, exitCode: 1, timedOut: false });
  });

  it('stops a script that hangs, and refuses a path outside the lab', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-'));
    writeFileSync(path.join(dir, 'setup.sh'), 'echo started; sleep 30\n');
    const hung = await runLabScript({ labDir: dir, script: 'setup.sh', kubeconfig: '/k', timeoutMs: 300 });
    expect(hung).toMatchObject({ ok: false, timedOut: true, output: 'started' });
    const outside = await runLabScript({ labDir: dir, script: '../../etc/passwd', kubeconfig: '/k' });
    expect(outside.ok).toBe(false);
    expect(outside.output).toContain('outside the lab folder');
  });
});
