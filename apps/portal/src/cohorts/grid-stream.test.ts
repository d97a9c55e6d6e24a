import { describe, expect, it } from 'vitest';
import type { CohortGrid } from './cohort-grid';
import { cohortGridStream } from './grid-stream';
import { LocalProgressBus } from './progress-events';

function fakeGrid(n: number, learnerIds: string[]): CohortGrid {
  return {
    cohort: { id: 'coh-1' } as CohortGrid['cohort'],
    labs: [],
    learners: learnerIds.map((learnerId) => ({
      learnerId,
      displayName: learnerId,
      joinedAt: '',
      lastActivityAt: null,
      done: n,
      total: 9,
      cells: {},
      stuck: null,
      hand: null,
    })),
    failures: [],
    generatedAt: String(n),
  };
}

async function readFrames(stream: ReadableStream<Uint8Array>, count: number): Promise<string[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const frames: string[] = [];
  while (frames.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const parts = text.split('\n\n');
    text = parts.pop() ?? '';
    frames.push(...parts.filter((p) => p.startsWith('event: grid')));
  }
  reader.releaseLock();
  return frames;
}

describe('cohort grid stream', () => {
  it('sends the grid, then one coalesced update for a burst of member events, and ignores others', async () => {
    const bus = new LocalProgressBus();
    let loads = 0;
    const abort = new AbortController();
    const stream = cohortGridStream({
      cohortId: 'coh-1',
      bus,
      signal: abort.signal,
      coalesceMs: 50,
      load: async () => fakeGrid(++loads, ['lrn-a', 'lrn-b']),
    });
    const first = readFrames(stream, 1);
    expect((await first)[0]).toContain('"generatedAt":"1"');
    const at = new Date().toISOString();
    // Someone else's learner: no reload.
    await bus.publish({ kind: 'checked', learnerId: 'lrn-z', at });
    for (let i = 0; i < 30; i++) await bus.publish({ kind: 'checked', learnerId: i % 2 ? 'lrn-a' : 'lrn-b', at });
    const next = await readFrames(stream, 1);
    expect(next[0]).toContain('"generatedAt":"2"');
    await new Promise((r) => setTimeout(r, 120));
    expect(loads).toBe(2);
    // A join names the cohort, not a known member.
    await bus.publish({ kind: 'joined', learnerId: 'lrn-new', cohortId: 'coh-1', at });
    expect((await readFrames(stream, 1))[0]).toContain('"generatedAt":"3"');
    abort.abort();
  });

  it('stops listening when the instructor leaves', async () => {
    const bus = new LocalProgressBus();
    const abort = new AbortController();
    let loads = 0;
    const stream = cohortGridStream({
      cohortId: 'c',
      bus,
      signal: abort.signal,
      coalesceMs: 10,
      load: async () => fakeGrid(++loads, ['a']),
    });
    await readFrames(stream, 1);
    abort.abort();
    await bus.publish({ kind: 'checked', learnerId: 'a', at: '' });
    await new Promise((r) => setTimeout(r, 50));
    expect(loads).toBe(1);
  });
});
