// Learner events that instructors watch live (a check ran, someone joined, a hand went up). With
// one portal process an in-memory emitter is enough; with several replicas on one PostgreSQL
// database, events travel through LISTEN/NOTIFY so an instructor connected to replica A sees a
// check that ran on replica B.

import { EventEmitter } from 'node:events';
import pg from 'pg';
import { z } from 'zod';

export const progressEventSchema = z.object({
  kind: z.enum(['checked', 'joined', 'hand-raised', 'hand-lowered', 'reset', 'broadcast', 'cohort-changed']),
  learnerId: z.string().optional(),
  cohortId: z.string().optional(),
  labId: z.string().optional(),
  stepId: z.string().optional(),
  /** A broadcast's text; NOTIFY payloads stay far under PostgreSQL's 8000-byte limit. */
  message: z.string().max(500).optional(),
  at: z.string(),
});
export type ProgressEvent = z.infer<typeof progressEventSchema>;

export interface ProgressBus {
  publish(event: ProgressEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ProgressEvent) => void): () => void;
  close(): Promise<void>;
}

export class LocalProgressBus implements ProgressBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    // One listener per open instructor page; the default limit of 10 is a leak warning, not a cap.
    this.emitter.setMaxListeners(0);
  }
  async publish(event: ProgressEvent): Promise<void> {
    this.emitter.emit('event', event);
  }
  subscribe(listener: (event: ProgressEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

const channel = 'workshop_progress';

/**
 * NOTIFY on publish; one dedicated LISTEN connection per process delivers every replica's events
 * (its own included, so local and remote subscribers see the same stream). A lost connection is
 * re-established with backoff; events during the gap are missed, and the SSE stream's periodic
 * full refresh covers them.
 */
export class PostgresProgressBus implements ProgressBus {
  private readonly local = new LocalProgressBus();
  private listener: pg.Client | undefined;
  private closed = false;
  private readonly pool: pg.Pool;

  private constructor(private readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', () => undefined);
  }

  static async connect(url: string): Promise<PostgresProgressBus> {
    const bus = new PostgresProgressBus(url);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      try {
        const event = progressEventSchema.parse(JSON.parse(message.payload));
        void this.local.publish(event);
      } catch {
        // A malformed payload (another writer on the channel) is dropped, never thrown into pg.
      }
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    this.listener = client;
  }

  private reconnect(client: pg.Client, delayMs = 500): void {
    if (this.closed || this.listener !== client) return;
    this.listener = undefined;
    const retry = (delay: number) =>
      setTimeout(() => {
        if (this.closed) return;
        this.listen().catch(() => retry(Math.min(delay * 2, 10_000)));
      }, delay).unref();
    retry(delayMs);
  }

  async publish(event: ProgressEvent): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(progressEventSchema.parse(event))]);
  }

  subscribe(listener: (event: ProgressEvent) => void): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    await this.local.close();
  }
}
