import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EnvironmentRecord } from '@istio-workshop/clusters';
import { environmentMigrations } from '@istio-workshop/clusters';
import { loadLabs } from '@istio-workshop/labs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database';
import { ensureLabSetup, failInterruptedSetups } from './lab-setup';

const lab = loadLabs().labs.find((l) => l.id === 'l01-sidecar-injection')!;
const log = pino({ level: 'silent' });
const originalPath = process.env.PATH;

function kubectlExiting(code: number) {
  const bin = mkdtempSync(path.join(tmpdir(), 'fake-kubectl-'));
  writeFileSync(path.join(bin, 'kubectl'), `#!/usr/bin/env bash\necho "kubectl says $*" >&2\nexit ${code}\n`);
  chmodSync(path.join(bin, 'kubectl'), 0o755);
  process.env.PATH = `${bin}:${originalPath}`;
}

function env(overrides: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  const at = new Date().toISOString();
  return {
    id: 'env-1', provider: 'kind', status: 'assigned', failureReason: null, learnerId: 'lrn-1', labId: lab.id,
    contentVersion: lab.contentVersion, clusterName: 'iw-1', kubeconfigPath: '/envs/env-1/kubeconfig', httpPort: 31000,
    step: null, stepStartedAt: null, attempts: 1, createdAt: at, updatedAt: at, statusChangedAt: at, assignedAt: at, expiresAt: null,
    ...overrides,
  };
}

async function settled(db: Awaited<ReturnType<typeof openDatabase>>, e: EnvironmentRecord) {
  for (let i = 0; i < 200; i++) {
    const view = await ensureLabSetup(db, e, lab, log);
    if (view.status !== 'running') return view;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('setup never finished');
}

afterEach(() => {
  process.env.PATH = originalPath;
});

describe('ensureLabSetup', () => {
  it('runs setup.sh once per environment and lab, in the background', async () => {
    kubectlExiting(0);
    const db = await openDatabase(':memory:', environmentMigrations);
    expect(await ensureLabSetup(db, env(), lab, log)).toEqual({ status: 'running' });
    expect(await settled(db, env())).toEqual({ status: 'done' });
    expect(await db.selectFrom('lab_setups').select(['status']).execute()).toEqual([{ status: 'done' }]);
    await db.destroy();
  });

  it('reports a failed setup with its output and re-runs it only on retry', async () => {
    kubectlExiting(1);
    const db = await openDatabase(':memory:', environmentMigrations);
    await ensureLabSetup(db, env(), lab, log);
    const failed = await settled(db, env());
    expect(failed.status).toBe('failed');
    expect(failed.message).toContain('kubectl says delete namespace intro manual');
    expect(await ensureLabSetup(db, env(), lab, log)).toMatchObject({ status: 'failed' });
    kubectlExiting(0);
    expect(await ensureLabSetup(db, env(), lab, log, { retry: true })).toEqual({ status: 'running' });
    expect(await settled(db, env())).toEqual({ status: 'done' });
    await db.destroy();
  });

  it('skips local environments, waits for assignment, and fails setups a restart interrupted', async () => {
    const db = await openDatabase(':memory:', environmentMigrations);
    expect(await ensureLabSetup(db, env({ provider: 'local' }), lab, log)).toEqual({ status: 'skipped' });
    expect(await ensureLabSetup(db, env({ status: 'provisioning' }), lab, log)).toEqual({ status: 'pending' });
    await db
      .insertInto('lab_setups')
      .values({ environment_id: 'env-9', lab_id: lab.id, status: 'running', output: null, started_at: new Date().toISOString(), finished_at: null })
      .execute();
    expect(await failInterruptedSetups(db)).toBe(1);
    expect(await ensureLabSetup(db, env({ id: 'env-9' }), lab, log)).toMatchObject({ status: 'failed', message: expect.stringContaining('interrupted') });
    await db.destroy();
  });
});
