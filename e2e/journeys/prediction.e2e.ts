// A learner predicts before looking: in L16 they lock in a guess for the share of reviews requests
// v3 serves, run the step's check (the real checker, against a stand-in cluster whose ingress,
// pods and Prometheus answer from the mesh model), and see their guess beside the measured value,
// also after a reload.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, SolutionRunner, simulateMesh, startCheckHarness, type CheckHarness } from '@istio-workshop/checkers/testing';
import { startJourney, type Journey } from '../support/journey';

const labId = 'l16-metrics-prometheus';
const labDir = fileURLToPath(new URL('../../labs/l16-metrics-prometheus/', import.meta.url));

let harness: CheckHarness;
let journey: Journey;

beforeAll(async () => {
  const runner = new SolutionRunner(baselineCluster());
  runner.runScript(path.join(labDir, 'setup.sh'));
  const state = runner.state();
  harness = await startCheckHarness({ objects: state });
  simulateMesh(harness, state);
  journey = await startJourney({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: harness.api.kubeconfigPath });
});

afterAll(async () => {
  await journey?.close();
  await harness?.close();
});

describe('a prediction step', () => {
  it('stores the guess first, then shows it judged against what the check measured', async () => {
    const { page, lab } = journey;
    await lab.open(labId);
    const step = page.locator('[data-test="check-reviews-share"]');
    await step.locator('[data-test="prediction-form"]').waitFor();
    await expect(step.locator('.prediction-question').textContent()).resolves.toMatch(/what share of reviews requests will version v3 serve/);
    await step.locator('input[name="guess"]').fill('33');
    await step.locator('[data-test="prediction-save"]').click();
    await step.locator('[data-test="prediction-made"]', { hasText: 'Your prediction: 33 %' }).waitFor();

    await step.locator('[data-test="check-button"]').click();
    await step.locator('[data-test="check-result"][data-outcome="passed"]').waitFor({ timeout: 90_000 });
    const verdict = step.locator('[data-test="prediction-verdict"]');
    await verdict.waitFor();
    const text = (await verdict.textContent()) ?? '';
    expect(text).toMatch(/You predicted 33 %; the cluster shows \d+% \(v3 served \d+ of this check's \d+ reviews requests/);
    expect(['right', 'wrong']).toContain(await verdict.getAttribute('data-status'));
    await page.screenshot({ path: path.join(journey.platform.dataDir, '..', 'workshop-prediction.png') }).catch(() => undefined);

    // The guess and the verdict survive a reload; the step is done, so the guess can no longer change.
    await page.reload();
    await page.locator('[data-test="check-reviews-share"] [data-test="prediction-verdict"]').waitFor();
    const late = await page.request.post(`${journey.platform.portalUrl}/api/labs/${labId}/steps/reviews-share/prediction`, {
      headers: { origin: journey.platform.portalUrl, 'content-type': 'application/json' },
      data: { guess: '10' },
    });
    expect(late.status()).toBe(409);
  });

  it('refuses a guess that does not fit the question, saying what fits', async () => {
    const response = await journey.page.request.post(`${journey.platform.portalUrl}/api/labs/${labId}/steps/generate-traffic/prediction`, {
      headers: { origin: journey.platform.portalUrl, 'content-type': 'application/json' },
      data: { guess: '10' },
    });
    expect(response.status()).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/asks for no prediction/);
  });
});
