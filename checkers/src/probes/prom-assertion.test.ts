import { finding } from '../catalogue/findings';
import { describe, expect, it } from 'vitest';
import { poll, type CheckContext, type PollOptions } from '../check-api';
import { describeNoRise, promAboveAssertion, promBaseline, promRoseAssertion } from './prom-assertion';

const query = 'sum(istio_requests_total{reporter="source",response_flags="DI"})';

/**
 * A Prometheus whose answers the test scripts, one per query (undefined = no series, as for a
 * series nobody has reported yet); after the script the last answer repeats. Polls run in a few ms.
 */
function fakeCtx(answers: Array<number | undefined>) {
  const seen: string[] = [];
  let i = 0;
  const ctx = {
    probes: {
      prom: (q: string) => {
        seen.push(q);
        const v = answers[Math.min(i++, answers.length - 1)];
        return Promise.resolve(v === undefined ? [] : [{ metric: {}, value: v }]);
      },
    },
    poll: <T>(sample: () => Promise<T>, o: Omit<PollOptions<T>, 'signal' | 'deadline'>) =>
      poll(sample, { ...o, timeoutMs: 60, intervalMs: 5 }),
  } as unknown as Pick<CheckContext, 'probes' | 'poll'>;
  return { ctx, seen, queries: () => i };
}

// Title and hint come from the catalogue entry of the code.
const o = finding('L06.PROM_DELAY_INJECTED');

describe('promBaseline + promRoseAssertion', () => {
  it('passes when a series that did not exist before the requests appears (where increase() would say 0)', async () => {
    const { ctx } = fakeCtx([undefined, undefined, 2]);
    const base = await promBaseline(ctx, query);
    expect(base).toEqual({ query, before: 0 });
    const a = await promRoseAssertion(ctx, base, o);
    expect(a.status).toBe('pass');
    expect(a.actual).toBe("0 before this check's requests, 2 after");
  });

  it('fails on a large count left by an earlier attempt that the requests did not raise', async () => {
    const { ctx, queries } = fakeCtx([412]);
    const a = await promRoseAssertion(ctx, await promBaseline(ctx, query), o);
    expect(a.status).toBe('fail');
    expect(a.actual).toMatch(/^412 before this check's requests, still 412 after \d+ s$/);
    expect(a.expected).toBe(`${query} above 412 (its value before this check's requests)`);
    expect(a.hint).toMatch(/^This check's page loads as jason added no delayed call: .*wait a minute/);
    expect(a.next).toContain(query);
    // It kept polling for the scrape lag instead of judging the first sample.
    expect(queries()).toBeGreaterThan(2);
  });

  it('waits out the scrape lag: the count rises a few samples later', async () => {
    const { ctx } = fakeCtx([412, 412, 412, 415]);
    const a = await promRoseAssertion(ctx, await promBaseline(ctx, query), o);
    expect(a.status).toBe('pass');
    expect(a.actual).toBe("412 before this check's requests, 415 after");
  });

  it('reads the baseline with the same query the assertion polls', async () => {
    const { ctx, seen } = fakeCtx([1, 2]);
    await promRoseAssertion(ctx, await promBaseline(ctx, query), o);
    expect(new Set(seen)).toEqual(new Set([query]));
  });

  it('says when the count fell (a restarted proxy starts again at 0) and keeps the given next command', async () => {
    const { ctx } = fakeCtx([40, 3]);
    const a = await promRoseAssertion(ctx, await promBaseline(ctx, query), o, { next: 'kubectl get pods' });
    expect(a.status).toBe('fail');
    expect(a.actual).toMatch(/^40 before this check's requests, 3 after \d+ s \(lower: a pod restarted/);
    expect(a.next).toBe('kubectl get pods');
  });
});

describe('describeNoRise', () => {
  it('reads as the learner needs it', () => {
    expect(describeNoRise(12, 12, 60_000)).toBe("12 before this check's requests, still 12 after 60 s");
  });
});

describe("promAboveAssertion (checks that rely on the learner's own traffic)", () => {
  it('passes on any count and fails on none', async () => {
    const hit = await promAboveAssertion(fakeCtx([3]).ctx, o, { query });
    expect(hit.status).toBe('pass');
    const miss = await promAboveAssertion(fakeCtx([undefined]).ctx, o, { query });
    expect(miss.status).toBe('fail');
    expect(miss.hint).toMatch(/if you just sent the traffic, wait a minute/);
  });
});
