// Checks are bounded per learner: 300 concurrent requests for one step start one check run and all
// get its result; a learner at their limit of running checks is told so with 429. The learner's
// "cluster" here is an API server that holds every request until the test lets go, so the checks
// are still running while the requests pile up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../support/platform';

let platform: RunningPlatform;
const held: ServerResponse[] = [];
let released = false;
let apiServer: Server;
let dir: string;

function answer(res: ServerResponse) {
  res.writeHead(503, { 'content-type': 'application/json' }).end('{"kind":"Status","code":503,"message":"held by the test"}');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'check-limits-'));
  apiServer = createServer((_req: IncomingMessage, res: ServerResponse) => (released ? answer(res) : held.push(res)));
  await new Promise<void>((r) => apiServer.listen(0, '127.0.0.1', r));
  const { port } = apiServer.address() as { port: number };
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: held, cluster: { server: "http://127.0.0.1:' + port + '", insecure-skip-tls-verify: true } }]',
      'users: [{ name: learner, user: { token: t } }]',
      'contexts: [{ name: held, context: { cluster: held, user: learner } }]',
      'current-context: held',
    ].join('\n'),
  );
  platform = await startPlatform({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: kubeconfig, PORTAL_CHECKS_PER_LEARNER: '2' });
});

afterAll(async () => {
  released = true;
  held.splice(0).forEach(answer);
  await platform?.stop();
  apiServer?.closeAllConnections();
  apiServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function checkRequests(): Promise<{ started: number; joined: number; refused: number }> {
  const text = await (await fetch(`${platform.portalUrl}/metrics`)).text();
  const count = (outcome: string) => Number(new RegExp(`^portal_check_requests_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { started: count('started'), joined: count('joined'), refused: count('refused') };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('check limits', () => {
  it('runs 300 concurrent checks of one step as one, and refuses a third step while two run', async () => {
    const first = await fetch(`${platform.portalUrl}/`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const post = (url: string) =>
      fetch(`${platform.portalUrl}${url}`, { method: 'POST', headers: { cookie, origin: platform.portalUrl, 'content-type': 'application/json' } });
    expect((await post('/api/labs/l01-sidecar-injection/environment')).status).toBe(200);
    const check = (step: string) => post(`/api/labs/l01-sidecar-injection/steps/${step}/check`);

    const answers = Array.from({ length: 300 }, () => check('deploy-workloads'));
    // Every request has reached the portal while the one check is held at the API server.
    const counts = await until('300 requests counted', checkRequests, (c) => c.started + c.joined + c.refused >= 300);
    expect(counts).toEqual({ started: 1, joined: 299, refused: 0 });

    const second = check('label-namespace');
    await until('the second step started', checkRequests, (c) => c.started === 2);
    const third = await check('restart-workloads');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(((await third.json()) as { error: { message: string } }).error.message).toBe(
      'you already have 2 checks running (at most 2 at once); wait for one to finish, then check again',
    );

    released = true;
    held.splice(0).forEach(answer);
    const results = await Promise.all(
      answers.map(async (a) => {
        const res = await a;
        expect(res.status).toBe(200);
        return ((await res.json()) as { result: { startedAt: string; outcome: string } }).result;
      }),
    );
    // One run: every caller got the same result (the same start time), an honest "could not check".
    expect(new Set(results.map((r) => r.startedAt)).size).toBe(1);
    expect(results[0]?.outcome).toBe('error');
    expect((await second).status).toBe(200);
    expect(await checkRequests()).toEqual({ started: 2, joined: 299, refused: 1 });
  });
});
