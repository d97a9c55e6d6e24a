// A new learner's first visit, end to end through the real platform (started as `npm start`
// starts it) and Debian's Chromium: catalog → lab → live terminal → Run block → reload keeps the
// same shell → Check shows assertions from the real checker against a stand-in Kubernetes API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { namespace, service, workload } from '@istio-workshop/checkers/testing';
import { startFakeCluster, type FakeCluster } from '../support/fake-cluster';
import { LabPage } from '../support/lab-page';
import { startJourney, type Journey } from '../support/journey';
import { startPlatform, type RunningPlatform } from '../support/platform';

let journey: Journey;
let platform: RunningPlatform;
let cluster: FakeCluster;
let context: BrowserContext;
let page: Page;
let lab: LabPage;

const labId = 'l01-sidecar-injection';

beforeAll(async () => {
  cluster = await startFakeCluster();
  journey = await startJourney({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: cluster.kubeconfigPath });
  ({ platform, context, page, lab } = journey);
});

afterAll(async () => {
  await journey?.close();
  await cluster?.close();
});

describe('a new learner', () => {
  it('sees the catalog grouped by module, with duration, level and progress', async () => {
    await lab.openCatalog();
    const modules = await page.locator('[data-test^="module-"] h2').allTextContents();
    expect(modules).toEqual(expect.arrayContaining(['Mesh basics', 'Traffic management']));
    const card = page.locator(`[data-test="lab-card-${labId}"]`);
    await expect(card.textContent()).resolves.toMatch(/\d+ min/);
    await expect(card.textContent()).resolves.toMatch(/beginner|intermediate|advanced/);
    await expect(card.locator('[data-test="lab-card-progress"]').textContent()).resolves.toMatch(/\d+ checked steps/);
    await page.screenshot({ path: `${platform.dataDir}/../workshop-catalog.png` }).catch(() => undefined);
  });

  it('opens a lab and gets a live shell beside the lesson', async () => {
    await page.locator(`[data-test="lab-card-${labId}"] [data-test="open-lab"]`).click();
    await page.waitForURL(`**/labs/${labId}`);
    await expect(page.locator('[data-test^="step-"]').count()).resolves.toBeGreaterThan(1);
    await lab.waitForPrompt();
  });

  it('clicks a Run block and sees its output in the terminal', async () => {
    const block = page.locator('[data-test="run-block"]').first();
    const command = (await block.locator('code').textContent()) ?? '';
    expect(command.length).toBeGreaterThan(0);
    await block.locator('[data-test="run"]').click();
    const firstLine = command.split('\n')[0]!.trim();
    await lab.waitForText(firstLine);
    // The command ran in the shell: its prompt came back after it.
    await lab.type('echo run-finished-$((6*7))\r');
    await lab.waitForText('run-finished-42');
  });

  it('reloads and finds the same shell (a variable set before is still set)', async () => {
    await lab.type('export WORKSHOP_MARK=kept-$((40+2)); echo set\r');
    await lab.waitForText('set');
    await page.reload();
    await lab.waitForPrompt();
    await lab.type('echo "mark=$WORKSHOP_MARK"\r');
    await lab.waitForText('mark=kept-42');
  });

  it('clicks a Check and sees its assertions, decided on the server', async () => {
    const check = page.locator('[data-test="check-deploy-workloads"]');
    await check.locator('[data-test="check-button"]').click();
    const result = check.locator('[data-test="check-result"]');
    await result.waitFor({ timeout: 60_000 });
    // On the lab's starting state the step is not done yet: the checker says why.
    await expect(result.getAttribute('data-outcome')).resolves.toBe('failed');
    await expect(check.locator('[data-test="assertion"][data-status="fail"]').count()).resolves.toBeGreaterThan(0);
    await expect(check.locator('.assertion-hint').first().textContent()).resolves.toMatch(/\w+/);
    await expect(page.locator('[data-test="step-deploy-workloads"]').getAttribute('data-done')).resolves.toBe('false');
  });

  it('marks the step done once the cluster really is in the expected state', async () => {
    // What the learner's `kubectl apply` would have created: httpbin and curl in ns intro, no sidecars yet.
    cluster.api.add(
      namespace('intro'),
      service('intro', 'httpbin', { app: 'httpbin' }, [{ name: 'http', port: 8000, targetPort: 8080 }]),
      ...workload({ ns: 'intro', name: 'httpbin', labels: { app: 'httpbin', version: 'v1' }, image: 'mccutchen/go-httpbin:v2.15.0', port: 8080 }),
      ...workload({ ns: 'intro', name: 'curl', labels: { app: 'curl' }, image: 'curlimages/curl:8.16.0' }),
    );
    const check = page.locator('[data-test="check-deploy-workloads"]');
    await check.locator('[data-test="check-button"]').click();
    await check.locator('[data-test="check-result"][data-outcome="passed"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-test="step-deploy-workloads"][data-done="true"]').waitFor();
    await expect(page.locator('[data-test="lab-progress"]').textContent()).resolves.toMatch(/^1\//);
  });

  it('keeps progress across a reload and a server restart', async () => {
    await platform.restart();
    await lab.open(labId);
    await page.locator('[data-test="step-deploy-workloads"][data-done="true"]').waitFor();
    await expect(
      page.locator('[data-test="check-deploy-workloads"] [data-test="check-result"]').getAttribute('data-outcome'),
    ).resolves.toBe('passed');
    await lab.openCatalog();
    await expect(
      page.locator(`[data-test="lab-card-${labId}"] [data-test="lab-card-progress"]`).textContent(),
    ).resolves.toMatch(/^1\/\d+ checks passed/);
  });

  it('resets to a fresh environment on request, keeping progress', async () => {
    await lab.open(labId);
    await lab.waitForPrompt();
    await lab.type('export RESET_MARK=before-reset; echo "mark=[$RESET_MARK]"\r');
    await lab.waitForText('mark=[before-reset]');
    const before = await page.locator('[data-test="terminal-pane"]').getAttribute('data-environment');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('[data-test="reset-environment"]').click();
    await page
      .locator(`[data-test="terminal-pane"]:not([data-environment="${before}"]) [data-test="terminal-state"]`, { hasText: 'Connected' })
      .waitFor({ timeout: 60_000 });
    await lab.waitForText(/\$ ?$/m);
    await lab.type('echo "after=[$RESET_MARK]"\r');
    await lab.waitForText('after=[]');
    await page.locator('[data-test="step-deploy-workloads"][data-done="true"]').waitFor();
  });

  it('says honestly when no cluster is attached', async () => {
    // A second platform whose local environments have no kubeconfig.
    const bare = await startPlatform({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '' });
    try {
      const other = await context.newPage();
      await other.goto(`${bare.portalUrl}/labs/${labId}`);
      await other.locator('[data-test="environment-chip"][data-has-cluster="false"]', { hasText: 'No cluster' }).waitFor();
      const check = other.locator('[data-test="check-deploy-workloads"]');
      await check.locator('[data-test="check-button"]').click();
      await check.locator('[data-test="check-result"][data-error-code="no-cluster"]').waitFor({ timeout: 30_000 });
      await other.close();
    } finally {
      await bare.stop();
    }
  });
});
