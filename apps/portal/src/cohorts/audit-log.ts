// Every learner and instructor event, one JSON object per line, appended to a file an operator can
// ship or grep (PORTAL_AUDIT_LOG, default <data dir>/audit.jsonl). Writes are queued in order and
// a failed write is logged, never thrown at the learner whose action it records.

import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { logger } from '../observability/logger';
import { portalConfig } from '../portal-config';

export interface AuditEvent {
  kind: string;
  /** Who acted: a learner id or an instructor id. */
  actor: string;
  cohortId?: string;
  learnerId?: string;
  labId?: string;
  stepId?: string;
  detail?: Record<string, unknown>;
}

export class AuditLog {
  private queue: Promise<void> = Promise.resolve();
  private madeDir = false;

  constructor(readonly file: string) {}

  write(event: AuditEvent): Promise<void> {
    const line = `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`;
    this.queue = this.queue.then(async () => {
      try {
        if (!this.madeDir) {
          await mkdir(path.dirname(this.file), { recursive: true });
          this.madeDir = true;
        }
        await appendFile(this.file, line, { mode: 0o600 });
      } catch (error) {
        logger().error({ err: error, file: this.file }, 'audit log write failed');
      }
    });
    return this.queue;
  }
}

const holder = globalThis as unknown as { __workshopAudit?: AuditLog };

export function auditLog(): AuditLog {
  const config = portalConfig();
  holder.__workshopAudit ??= new AuditLog(config.PORTAL_AUDIT_LOG ?? path.join(config.PORTAL_DATA_DIR, 'audit.jsonl'));
  return holder.__workshopAudit;
}
