import type { EnvironmentRecord } from '@istio-workshop/clusters';
import type { Lab } from '@istio-workshop/labs';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { PortalDatabase } from '../db/database-schema';
import { runLabScript } from './run-lab-script';

export type LabSetupStatus = 'none' | 'skipped' | 'pending' | 'running' | 'done' | 'failed';

export interface LabSetupView {
  status: LabSetupStatus;
  /** Why it failed (the tail of the script's output). */
  message?: string;
}

const now = () => new Date().toISOString();

/**
 * Makes sure the lab's setup.sh has run against the learner's own cluster before they start:
 * at most once per (environment, lab), in the background, recorded in `lab_setups`. A failed
 * setup is re-run only when the learner asks (retry). Local environments have no cluster of their
 * own (any kubeconfig there is shared), so setup is skipped for them.
 */
export async function ensureLabSetup(
  db: Kysely<PortalDatabase>,
  env: EnvironmentRecord,
  lab: Lab,
  log: Logger,
  options: { retry?: boolean } = {},
): Promise<LabSetupView> {
  if (!lab.setup) return { status: 'none' };
  if (env.provider === 'local' || !env.kubeconfigPath) return { status: 'skipped' };
  if (env.status !== 'assigned') return { status: 'pending' };
  const existing = await db
    .selectFrom('lab_setups')
    .selectAll()
    .where('environment_id', '=', env.id)
    .where('lab_id', '=', lab.id)
    .executeTakeFirst();
  if (existing && !(options.retry && existing.status === 'failed')) return viewOf(existing);
  if (existing) await db.deleteFrom('lab_setups').where('environment_id', '=', env.id).where('lab_id', '=', lab.id).execute();
  const claimed = await db
    .insertInto('lab_setups')
    .values({ environment_id: env.id, lab_id: lab.id, status: 'running', output: null, started_at: now(), finished_at: null })
    .onConflict((oc) => oc.columns(['environment_id', 'lab_id']).doNothing())
    .executeTakeFirst();
  // Another request claimed it first: report what it recorded.
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return ensureLabSetup(db, env, lab, log);
  const kubeconfig = env.kubeconfigPath;
  void runLabScript({ labDir: lab.dir, script: lab.setup, kubeconfig }).then(async (result) => {
    log.info({ environmentId: env.id, labId: lab.id, ok: result.ok, exitCode: result.exitCode, timedOut: result.timedOut }, 'lab setup finished');
    await db
      .updateTable('lab_setups')
      .set({ status: result.ok ? 'done' : 'failed', output: result.output.slice(-4000), finished_at: now() })
      .where('environment_id', '=', env.id)
      .where('lab_id', '=', lab.id)
      .execute();
  });
  return { status: 'running' };
}

/** A portal that stopped mid-setup left rows "running" that nothing will finish; let learners retry them. */
export async function failInterruptedSetups(db: Kysely<PortalDatabase>): Promise<number> {
  const result = await db
    .updateTable('lab_setups')
    .set({ status: 'failed', output: 'interrupted: the portal restarted while the lab was being set up', finished_at: now() })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function viewOf(row: PortalDatabase['lab_setups']): LabSetupView {
  const status = row.status as LabSetupStatus;
  if (status !== 'failed') return { status };
  const lines = (row.output ?? '').trim().split('\n');
  return { status, message: lines.slice(-3).join(' ').slice(-500) || 'setup.sh failed' };
}
