// Instructor grid latency: how long after a learner's check is recorded the instructor's grid
// stream carries it, with 100 simulated learners checking steps at once. Runs on SQLite (one
// portal) and on PostgreSQL with two portal replicas (learners' checks land on both; the
// instructor's stream is on replica B, so half the events cross LISTEN/NOTIFY). The plain peer,
// started in the same run on the same database, is an instructor page that re-reads the grid
// every second, as a dashboard without a push channel would.
//
// What is timed is the server side of what the instructor sees: from the check's write to the
// SSE frame that shows it (the same stream the page's EventSource reads), not browser rendering.

import type { CheckResult } from '@istio-workshop/checkers/result';
import {
  startPostgresTestServer,
} from '@istio-workshop/clusters/testing/postgres-test-server';
import { createTestPostgresDatabase } from '@istio-workshop/clusters/testing/postgres-test-server';
import type { Kysely } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cohortGrid, type CohortGrid, type GridLab } from '../src/cohorts/cohort-grid';
import { createCohort, joinCohort, type Cohort } from '../src/cohorts/cohort-store';
import { cohortGridStream } from '../src/cohorts/grid-stream';
import { LocalProgressBus, PostgresProgressBus, type ProgressBus } from '../src/cohorts/progress-events';
import type { PortalDatabase } from '../src/db/database-schema';
import { openDatabase } from '../src/db/open-database';
import { createInstructor } from '../src/instructors/instructor-store';
import { recordCheck, touchLearner } from '../src/progress/progress-store';

const learnerCount = 100;
const checksPerLearner = 5;
const lab: GridLab = {
  id: 'l03-subsets',
  title: 'Subsets',
  steps: ['define-subsets', 'route-to-v1', 'route-by-header'].map((id) => ({ id, title: id })),
};
const gridOptions = { stuckAfterMinutes: 10, stuckAfterFailures: 3 };

interface Replica {
  db: Kysely<PortalDatabase>;
  bus: ProgressBus;
}

function result(stepId: string): CheckResult {
  return {
    labId: lab.id,
    stepId,
    kind: 'state',
    outcome: 'failed',
    summary: 'not yet',
    assertions: [{ code: 'L03.DR', title: 'subset v3 is defined', status: 'fail' }],
    startedAt: new Date().toISOString(),
    durationMs: 5,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Watches grids as they arrive and times each awaited (learner, attempts) pair. */
class LatencyMeter {
  readonly latencies: number[] = [];
  private readonly waiting = new Map<string, { attempts: number; at: number }[]>();

  expect(learnerId: string, attempts: number, at: number): void {
    const list = this.waiting.get(learnerId) ?? [];
    list.push({ attempts, at });
    this.waiting.set(learnerId, list);
  }

  seen(grid: CohortGrid): void {
    const now = performance.now();
    for (const learner of grid.learners) {
      const list = this.waiting.get(learner.learnerId);
      if (!list?.length) continue;
      const attempts = Object.values(learner.cells).reduce((n, c) => n + c.attempts, 0);
      while (list.length && list[0]!.attempts <= attempts) this.latencies.push(now - list.shift()!.at);
    }
  }

  get missing(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }
}

async function readStream(stream: ReadableStream<Uint8Array>, onGrid: (grid: CohortGrid) => void): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const frame = text.slice(0, end);
      text = text.slice(end + 2);
      if (frame.startsWith('event: grid\ndata: '))
        onGrid(JSON.parse(frame.slice('event: grid\ndata: '.length)) as CohortGrid);
    }
  }
}

async function scenario(label: string, replicas: Replica[]): Promise<void> {
  const [first] = replicas;
  const instructorSide = replicas.at(-1)!;
  const ada = await createInstructor(first!.db, {
    email: `ada-${Date.now()}@example.org`,
    displayName: 'Ada',
    password: 'bench password 123',
  });
  const cohort: Cohort = await createCohort(first!.db, ada, {
    name: 'Bench',
    labIds: [lab.id],
    capacity: learnerCount,
    durationMinutes: 120,
  });
  const learners = Array.from({ length: learnerCount }, (_, i) => `lrn-bench-${String(i).padStart(3, '0')}`);
  for (const id of learners) {
    await touchLearner(first!.db, id);
    await joinCohort(first!.db, { code: cohort.joinCode, learnerId: id, displayName: id });
  }

  const pushed = new LatencyMeter();
  const polled = new LatencyMeter();
  const abort = new AbortController();
  const load = () => cohortGrid(instructorSide.db, cohort, [lab], gridOptions);
  let loads = 0;
  const stream = cohortGridStream({
    cohortId: cohort.id,
    bus: instructorSide.bus,
    signal: abort.signal,
    load: () => {
      loads++;
      return load();
    },
  });
  const streaming = readStream(stream, (g) => pushed.seen(g));
  // The plain peer: re-read the grid every second.
  let polling = true;
  const poller = (async () => {
    while (polling) {
      polled.seen(await load());
      await sleep(1000);
    }
  })();
  await sleep(500);

  const started = performance.now();
  await Promise.all(
    learners.map(async (learnerId, i) => {
      const replica = replicas[i % replicas.length]!;
      for (let n = 1; n <= checksPerLearner; n++) {
        await sleep(300 + Math.random() * 1200);
        const step = lab.steps[n % lab.steps.length]!.id;
        const at = performance.now();
        pushed.expect(learnerId, n, at);
        polled.expect(learnerId, n, at);
        await recordCheck(replica.db, {
          learnerId,
          environmentId: null,
          contentVersion: 'bench',
          result: result(step),
        });
        await replica.bus.publish({
          kind: 'checked',
          learnerId,
          labId: lab.id,
          stepId: step,
          at: new Date().toISOString(),
        });
      }
    }),
  );
  const elapsed = performance.now() - started;
  await sleep(1500);
  polling = false;
  abort.abort();
  await Promise.all([streaming, poller]);

  const fmt = (n: number) => `${n.toFixed(0)} ms`;
  const p50 = percentile(pushed.latencies, 50);
  const p95 = percentile(pushed.latencies, 95);
  const peer50 = percentile(polled.latencies, 50);
  const peer95 = percentile(polled.latencies, 95);
  console.log(
    `\n${label}: ${learnerCount} learners × ${checksPerLearner} checks in ${(elapsed / 1000).toFixed(1)} s (${((learnerCount * checksPerLearner) / (elapsed / 1000)).toFixed(0)} checks/s)`,
  );
  console.log(
    `  grid update, ours (SSE, coalesced):   p50 ${fmt(p50)}  p95 ${fmt(p95)}  (${pushed.latencies.length} seen, ${pushed.missing} missed, ${loads} grid reads)`,
  );
  console.log(
    `  grid update, plain peer (poll 1 s):  p50 ${fmt(peer50)}  p95 ${fmt(peer95)}  (${polled.latencies.length} seen, ${polled.missing} missed)`,
  );
  console.log(`  ratio ours/peer: p50 ${(p50 / peer50).toFixed(2)}  p95 ${(p95 / peer95).toFixed(2)}`);
}

async function main(): Promise<void> {
  const sqliteFile = path.join(mkdtempSync(path.join(tmpdir(), 'grid-bench-')), 'portal.sqlite');
  const sqlite = await openDatabase(sqliteFile);
  const localBus = new LocalProgressBus();
  await scenario('SQLite, one portal', [{ db: sqlite, bus: localBus }]);
  await sqlite.destroy();

  let server;
  try {
    server = await startPostgresTestServer();
  } catch (error) {
    console.log(`\nPostgreSQL: skipped (${(error as Error).message})`);
    return;
  }
  try {
    const url = await createTestPostgresDatabase(server.url);
    const replicas: Replica[] = [];
    for (let i = 0; i < 2; i++)
      replicas.push({ db: await openDatabase({ kind: 'postgres', url }), bus: await PostgresProgressBus.connect(url) });
    await scenario('PostgreSQL, two portal replicas (instructor on B)', replicas);
    for (const r of replicas) {
      await r.bus.close();
      await r.db.destroy();
    }
  } finally {
    await server.stop();
  }
}

await main();
