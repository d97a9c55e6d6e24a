// The portal's pages run under a strict Content-Security-Policy (a nonce per response, see
// proxy.ts). This journey does what a learner does on the lab page (lesson, live terminal, a Run
// block, a Check) and opens the 404 page, and fails on any refusal the browser reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startFakeCluster, type FakeCluster } from '../support/fake-cluster';
import { LabPage } from '../support/lab-page';
import { startPlatform, type RunningPlatform } from '../support/platform';

let platform: RunningPlatform;
let cluster: FakeCluster;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const violations: string[] = [];

async function watchedPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|connect|apply|evaluate|frame)/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

beforeAll(async () => {
  cluster = await startFakeCluster();
  platform = await startPlatform({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: cluster.kubeconfigPath });
  ({ browser, close: closeBrowser } = await launchBrowser());
});

afterAll(async () => {
  await closeBrowser?.();
  await platform?.stop();
  await cluster?.close();
});

describe('the Content-Security-Policy', () => {
  it('lets the lab page do everything a learner does, with no violation', async () => {
    const page = await watchedPage();
    const lab = new LabPage(page, platform.portalUrl);
    await lab.open('l01-sidecar-injection');
    await lab.waitForPrompt();
    await page.locator('[data-test="run-block"]').first().locator('[data-test="run"]').click();
    await lab.type('echo csp-$((6*7))\r');
    await lab.waitForText('csp-42');
    const check = page.locator('[data-test="check-deploy-workloads"]');
    await check.locator('[data-test="check-button"]').click();
    await check.locator('[data-test="check-result"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.xterm').count()).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });

  it('lets the 404 page run too: no page is prerendered without the nonce', async () => {
    const page = await watchedPage();
    await page.goto(`${platform.portalUrl}/no-such-page`, { waitUntil: 'networkidle' });
    expect(violations).toEqual([]);
  });
});
