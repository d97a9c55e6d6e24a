// An instructor runs a cohort with two learners, end to end through the real platform (started as
// `npm start` starts it), Debian's Chromium with one browser context per person, and a stand-in
// Kubernetes API: create a cohort, learners join by code, one completes a step and the grid shows it
// without a reload; a raised hand, a broadcast, a read-only look at a learner's terminal, a reset.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { namespace, service, workload } from '@istio-workshop/checkers/testing';
import { launchBrowser } from '../support/browser';
import { startFakeCluster, type FakeCluster } from '../support/fake-cluster';
import { LabPage } from '../support/lab-page';
import { startPlatform, type RunningPlatform } from '../support/platform';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const labId = 'l01-sidecar-injection';
const stepId = 'deploy-workloads';

let platform: RunningPlatform;
let cluster: FakeCluster;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let teacher: BrowserContext;
let teacherPage: Page;
let ann: { context: BrowserContext; page: Page; lab: LabPage };
let ben: { context: BrowserContext; page: Page; lab: LabPage };
let joinCode = '';
let cohortUrl = '';

async function createInstructor(email: string, name: string, password: string, admin = false): Promise<void> {
  const child = run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'apps/portal/src/admin/admin-cli.ts', 'create-instructor', '--email', email, '--name', name, ...(admin ? ['--admin'] : [])], {
    cwd: root,
    env: { ...process.env, PORTAL_DATA_DIR: platform.dataDir },
  });
  child.child.stdin?.end(password);
  const { stdout } = await child;
  expect(stdout).toContain(`created instructor ${email}`);
}

async function learner(): Promise<{ context: BrowserContext; page: Page; lab: LabPage }> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  const page = await context.newPage();
  return { context, page, lab: new LabPage(page, platform.portalUrl) };
}

function cell(name: string) {
  return teacherPage.locator(`tr[data-learner="${name}"] td[data-step="${labId}/${stepId}"]`);
}

beforeAll(async () => {
  cluster = await startFakeCluster();
  // Short environment lifetimes so that the self-paced learner's timer warns at once.
  platform = await startPlatform({
    CLUSTERS_PROVIDER: 'local',
    CLUSTERS_LOCAL_KUBECONFIG: cluster.kubeconfigPath,
    CLUSTERS_TTL_MINUTES: '5',
    CLUSTERS_MAX_LIFETIME_MINUTES: '8',
  });
  await createInstructor('ada@example.org', 'Ada', 'ada teaches istio');
  await createInstructor('bo@example.org', 'Bo', 'bo also teaches');
  ({ browser, close: closeBrowser } = await launchBrowser());
  teacher = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  teacherPage = await teacher.newPage();
  ann = await learner();
  ben = await learner();
});

afterAll(async () => {
  await closeBrowser?.();
  await platform?.stop();
  await cluster?.close();
});

describe('an instructor with a cohort of two learners', () => {
  it('refuses instructor routes to no session and to a learner session', async () => {
    const anonymous = await fetch(`${platform.portalUrl}/api/instructor/cohorts`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).not.toContain('coh-');
    await ann.page.goto(`${platform.portalUrl}/`);
    const asLearner = await ann.context.request.get(`${platform.portalUrl}/api/instructor/cohorts`);
    expect(asLearner.status()).toBe(403);
    const guessed = await ann.context.request.get(`${platform.portalUrl}/instructor/cohorts/coh-guessed`);
    expect(guessed.status()).toBe(403);
    expect(await guessed.text()).toBe('Instructors only: sign in at /instructor/sign-in\n');
    await ann.page.goto(`${platform.portalUrl}/instructor`);
    await ann.page.waitForURL('**/instructor/sign-in');
  });

  it('signs in (a wrong password is refused without saying which part was wrong)', async () => {
    await teacherPage.goto(`${platform.portalUrl}/instructor/sign-in`);
    await teacherPage.fill('input[name="email"]', 'ada@example.org');
    await teacherPage.fill('input[name="password"]', 'not the password');
    await teacherPage.click('button[type="submit"]');
    await teacherPage.locator('[role="alert"]', { hasText: 'wrong email or password' }).waitFor();
    await teacherPage.fill('input[name="password"]', 'ada teaches istio');
    await teacherPage.click('button[type="submit"]');
    await teacherPage.waitForURL(/\/instructor$/);
    await teacherPage.locator('h1', { hasText: 'Cohorts' }).waitFor();
  });

  it('creates a cohort and shows its join code', async () => {
    await teacherPage.fill('input[name="name"]', 'Mesh Tuesday');
    await teacherPage.check(`input[name="labIds"][value="${labId}"]`);
    await teacherPage.fill('input[name="prewarm"]', '2');
    await teacherPage.click('form.new-cohort button[type="submit"]');
    await teacherPage.waitForURL(/\/instructor\/cohorts\/coh-/);
    cohortUrl = teacherPage.url();
    joinCode = (await teacherPage.locator('[data-testid="join-code"]').textContent()) ?? '';
    expect(joinCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await teacherPage.locator('.live-dot', { hasText: 'live' }).waitFor();
    // Two environments were pre-warmed for the cohort (the local provider makes them at once).
    await teacherPage.locator('[data-testid="warm-pool"]', { hasText: '2 ready' }).waitFor({ timeout: 15_000 });
  });

  it('sees both learners join, without reloading', async () => {
    for (const [who, name] of [
      [ann, 'Ann'],
      [ben, 'Ben'],
    ] as const) {
      await who.page.goto(`${platform.portalUrl}/join?code=${joinCode.toLowerCase()}`);
      await who.page.fill('input[name="displayName"]', name);
      await who.page.click('button[type="submit"]');
      await who.page.locator('.joined', { hasText: `You joined Mesh Tuesday as ${name}` }).waitFor();
    }
    await teacherPage.locator('tr[data-learner="Ann"]').waitFor({ timeout: 10_000 });
    await teacherPage.locator('tr[data-learner="Ben"]').waitFor({ timeout: 10_000 });
    await expect(cell('Ann').getAttribute('data-state')).resolves.toBe('not-started');
  });

  it("shows a learner's completed step on the grid without a reload", async () => {
    await ann.lab.open(labId);
    await ann.lab.waitForPrompt();
    cluster.api.add(
      namespace('intro'),
      service('intro', 'httpbin', { app: 'httpbin' }, [{ name: 'http', port: 8000, targetPort: 8080 }]),
      ...workload({ ns: 'intro', name: 'httpbin', labels: { app: 'httpbin', version: 'v1' }, image: 'mccutchen/go-httpbin:v2.15.0', port: 8080 }),
      ...workload({ ns: 'intro', name: 'curl', labels: { app: 'curl' }, image: 'curlimages/curl:8.16.0' }),
    );
    const check = ann.page.locator(`[data-test="check-${stepId}"]`);
    const started = Date.now();
    await check.locator('[data-test="check-button"]').click();
    await check.locator('[data-test="check-result"][data-outcome="passed"]').waitFor({ timeout: 60_000 });
    await teacherPage.locator(`tr[data-learner="Ann"] td[data-step="${labId}/${stepId}"][data-state="done"]`).waitFor({ timeout: 10_000 });
    console.log(`grid showed Ann's passed check ${Date.now() - started} ms after her click`);
    await expect(cell('Ben').getAttribute('data-state')).resolves.toBe('not-started');
  });

  it("puts a learner's raised hand on the instructor's page", async () => {
    await ben.lab.open(labId);
    await ben.page.locator('[data-test="raise-hand"]').click();
    await ben.page.fill('#hand-message', 'my curl pod never starts');
    await ben.page.locator('.hand-form button[type="submit"]').click();
    await ben.page.locator('[data-test="hand-up"]').waitFor();
    await teacherPage.locator('[data-testid="hand"]', { hasText: 'Ben' }).waitFor({ timeout: 10_000 });
    await expect(teacherPage.locator('[data-testid="hand"]').textContent()).resolves.toContain('my curl pod never starts');
    await teacherPage.locator('[data-testid="hand"] button', { hasText: 'Done helping' }).click();
    await ben.page.locator('[data-test="raise-hand"]').waitFor({ timeout: 10_000 });
  });

  it("broadcasts a message to every learner's page", async () => {
    await teacherPage.fill('#broadcast', 'Break until 11:15');
    await teacherPage.locator('.broadcast-form button[type="submit"]').click();
    await ann.page.locator('[data-test="broadcast"]', { hasText: 'Break until 11:15' }).waitFor({ timeout: 10_000 });
    await ben.page.locator('[data-test="broadcast"]', { hasText: 'Break until 11:15' }).waitFor({ timeout: 10_000 });
  });

  it("shows a learner's typing read-only, refuses the instructor's keystrokes, and tells the learner", async () => {
    const watch = await teacher.newPage();
    const watcher = new LabPage(watch, platform.portalUrl);
    const learnerId = await teacherPage.locator('tr[data-learner="Ann"] .row-actions a').getAttribute('href');
    await watch.goto(`${platform.portalUrl}${learnerId}`);
    await watch.locator('[data-test="terminal-read-only"]').waitFor();
    await watch.locator('[data-test="terminal-state"]', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await ann.page.locator('[data-test="terminal-watched"]').waitFor({ timeout: 10_000 });
    await ann.lab.type('echo "ANN_TYPED_$((20+22))"\r');
    await watcher.waitForText('ANN_TYPED_42');
    await watch.locator('[data-test="terminal"]').click();
    await watch.keyboard.type('echo TEACHER_WROTE\r');
    await ann.lab.type('echo "AFTER_$((1+1))"\r');
    await ann.lab.waitForText('AFTER_2');
    expect(await ann.lab.screenText()).not.toContain('TEACHER_WROTE');
    await watch.close();
    await ann.page.locator('[data-test="terminal-watched"]').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it("resets a learner's environment; the learner's page follows the new one", async () => {
    const before = await ann.page.locator('[data-test="terminal-pane"]').getAttribute('data-environment');
    teacherPage.once('dialog', (dialog) => void dialog.accept());
    await teacherPage.locator('tr[data-learner="Ann"] .row-actions button', { hasText: 'Reset' }).click();
    await ann.page
      .locator(`[data-test="terminal-pane"]:not([data-environment="${before}"]) [data-test="terminal-state"]`, { hasText: 'Connected' })
      .waitFor({ timeout: 60_000 });
    // Progress is kept.
    await teacherPage.locator(`tr[data-learner="Ann"] td[data-step="${labId}/${stepId}"][data-state="done"]`).waitFor();
  });

  it("exports the cohort's results as CSV, and hides the cohort from another instructor", async () => {
    const csv = await teacher.request.get(`${cohortUrl.replace('/instructor/', '/api/instructor/')}/export`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toContain('learner,joined_at');
    expect(text).toMatch(/Ann,.*,1,\d+,/);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${platform.portalUrl}/instructor/sign-in`);
    await otherPage.fill('input[name="email"]', 'bo@example.org');
    await otherPage.fill('input[name="password"]', 'bo also teaches');
    await otherPage.click('button[type="submit"]');
    await otherPage.waitForURL(/\/instructor$/);
    const grid = await other.request.get(cohortUrl.replace('/instructor/', '/api/instructor/'));
    expect(grid.status()).toBe(404);
    const events = await other.request.get(`${cohortUrl.replace('/instructor/', '/api/instructor/')}/events`);
    expect(events.status()).toBe(404);
    await other.close();
    await teacherPage.screenshot({ path: path.join(root, '.data', 'instructor-grid.png'), fullPage: true }).catch(() => undefined);
  });

  it('schedules a cohort for later: the instructor sees when it starts, an early learner is told when to come back', async () => {
    await teacherPage.goto(`${platform.portalUrl}/instructor`);
    await teacherPage.fill('input[name="name"]', 'Mesh Thursday');
    await teacherPage.check(`input[name="labIds"][value="${labId}"]`);
    // The field takes the browser's local time; two hours from now, as the browser counts it.
    const local = await teacherPage.evaluate(() => {
      const d = new Date(Date.now() + 2 * 3600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await teacherPage.fill('input[name="startsAt"]', local);
    await teacherPage.click('form.new-cohort button[type="submit"]');
    await teacherPage.waitForURL(/\/instructor\/cohorts\/coh-/);
    await teacherPage.locator('.cohort-meta', { hasText: /starts in (1 h 5\d min|2 h)/ }).waitFor();
    const code = (await teacherPage.locator('[data-testid="join-code"]').textContent()) ?? '';
    await teacherPage.goto(`${platform.portalUrl}/instructor`);
    await teacherPage.locator('.cohort-list li', { hasText: 'Mesh Thursday' }).locator('text=/starts in/').waitFor();

    const early = await learner();
    await early.page.goto(`${platform.portalUrl}/join?code=${code}`);
    await early.page.fill('input[name="displayName"]', 'Cy');
    await early.page.click('button[type="submit"]');
    const notice = early.page.locator('[data-testid="opens-at"]');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/^This class opens at .+; you can join from then\.$/);
    await expect(early.page.locator('.joined').count()).resolves.toBe(0);
    await early.context.close();
  });
});

describe('a self-paced learner (no cohort)', () => {
  it('sees how long the environment lasts, is warned near the end, and gets more time up to the limit', async () => {
    const cy = await learner();
    await cy.lab.open(labId);
    const timer = cy.page.locator('[data-test="environment-timer"]');
    await timer.waitFor({ timeout: 30_000 });
    await expect(timer.textContent()).resolves.toMatch(/[45] min left/);
    await cy.page.locator('[data-test="timer-banner"]', { hasText: 'Your environment ends in' }).waitFor();
    await cy.page.locator('[data-test="extend-environment"]').click();
    await cy.page.locator('[data-test="environment-timer"]', { hasText: /[78] min left/ }).waitFor({ timeout: 10_000 });
    await cy.page.locator('[data-test="timer-banner"]').waitFor({ state: 'detached' });
    // No cohort: no help button.
    await expect(cy.page.locator('[data-test="cohort-bar"]').count()).resolves.toBe(0);
    await cy.context.close();
  });
});
