// `npm start` supervises the portal and the gateway: a crashed portal comes back by itself while
// the gateway keeps serving, so a learner's shell (held by the gateway) lives through it. The
// portal's own server knows each client's real address, whatever X-Forwarded-For claims.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { LabPage } from '../support/lab-page';
import { startPlatform, type RunningPlatform } from '../support/platform';

let platform: RunningPlatform;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  platform = await startPlatform({ CLUSTERS_PROVIDER: 'local', PORTAL_NEW_LEARNERS_PER_MINUTE: '3' });
  ({ browser, close: closeBrowser } = await launchBrowser());
});

afterAll(async () => {
  await closeBrowser?.();
  await platform?.stop();
});

const pidOf = (service: string) => Number(readFileSync(path.join(platform.dataDir, 'logs', `${service}.pid`), 'utf8'));

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('prints one readable line per service once it answers, and the provider with its reason', () => {
    const out = platform.output();
    expect(out).toMatch(/^terminal gateway ready on ws:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/^portal ready on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/^environments: local provider \(set by CLUSTERS_PROVIDER\)$/m);
    expect(out).not.toContain('"level":');
    expect(out).not.toContain('telemetry');
  });

  it('restarts a killed portal while the learner\'s shell lives on in the gateway', async () => {
    const page = await (await browser.newContext()).newPage();
    const lab = new LabPage(page, platform.portalUrl);
    await lab.open('l01-sidecar-injection');
    await lab.waitForPrompt();
    await lab.type('export SURVIVOR=$((40+2)); echo marked\r');
    await lab.waitForText('marked');

    const portalPid = pidOf('portal');
    const gatewayPid = pidOf('gateway');
    process.kill(portalPid, 'SIGKILL');
    // While the portal is down or starting, the gateway answers.
    expect(await healthy(`http://127.0.0.1:${platform.gatewayPort}/healthz`)).toBe(true);
    for (let i = 0; i < 240 && !/portal ready on .*\(restarted/.test(platform.output()); i++) await new Promise((r) => setTimeout(r, 250));
    expect(platform.output()).toContain('portal was killed by SIGKILL; restarting in');
    expect(platform.output()).toMatch(/portal ready on .*\(restarted, pid \d+\)/);
    expect(await healthy(`${platform.portalUrl}/healthz`)).toBe(true);
    expect(pidOf('portal')).not.toBe(portalPid);
    expect(pidOf('gateway')).toBe(gatewayPid);

    // The same shell, without a reload: the variable set before the crash is still there.
    await lab.type('echo survived-$SURVIVOR\r');
    await lab.waitForText('survived-42');
  });

  // Last: it uses up this address's new learners (3 a minute on this platform; the restart above emptied the buckets).
  it('limits new learners per client address, whatever X-Forwarded-For the client claims', async () => {
    const visit = (i: number) => fetch(`${platform.portalUrl}/`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
    for (let i = 1; i <= 3; i++) expect((await visit(i)).status).toBe(200);
    const refused = await visit(4);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/^Too many new learners from your address; try again in \d+ s\.\n$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
