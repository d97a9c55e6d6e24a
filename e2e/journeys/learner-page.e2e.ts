// The lab page as a new learner meets it without a cluster, on a desktop and on a phone, through the
// real platform (started as `npm start` starts it, local provider, no kubeconfig) and Debian's
// Chromium: the no-cluster banner and wording, what each check looks for, the phone layout, the step
// flow and "continue where you left off", our 404 page, the favicon and the dark theme.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { LabPage } from '../support/lab-page';
import { startPlatform, type RunningPlatform } from '../support/platform';

let platform: RunningPlatform;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const contexts: BrowserContext[] = [];

const desktop = { viewport: { width: 1400, height: 900 } };
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function newPage(options: BrowserContextOptions): Promise<{ page: Page; lab: LabPage; context: BrowserContext }> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  return { page, lab: new LabPage(page, platform.portalUrl), context };
}

/** The learner id behind the browser's signed cookie (`lrn-….signature`). */
async function learnerIdOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'iw_learner');
  expect(cookie, 'the portal gave this browser a learner cookie').toBeDefined();
  return cookie!.value.split('.')[0]!;
}

/**
 * Marks steps as passed in the portal's SQLite file, as a passing server-side check would (this
 * platform has no cluster, so no check can pass here; passing checks are the other journey's job).
 */
function markPassed(learnerId: string, labId: string, stepIds: string[]): void {
  const db = new Database(path.join(platform.dataDir, 'portal.sqlite'));
  try {
    const at = new Date().toISOString();
    // A learner who only saw the catalog has no row yet (the portal adds it on the first API call).
    db.prepare('INSERT OR IGNORE INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?)').run(learnerId, at, at);
    const insert = db.prepare(
      `INSERT INTO step_progress (learner_id, lab_id, step_id, attempts, last_outcome, last_checked_at, completed_at, content_version)
       VALUES (?, ?, ?, 1, 'passed', ?, ?, 'seeded')
       ON CONFLICT (learner_id, lab_id, step_id) DO UPDATE SET completed_at = excluded.completed_at, last_checked_at = excluded.last_checked_at`,
    );
    for (const stepId of stepIds) insert.run(learnerId, labId, stepId, at, at);
  } finally {
    db.close();
  }
}

/** The page does not scroll sideways: nothing is wider than the window. */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);
}

/** The element's box lies inside the window horizontally and vertically (reachable without scrolling the page). */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const size = page.viewportSize()!;
  return Boolean(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height);
}

beforeAll(async () => {
  platform = await startPlatform({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '' });
  ({ browser, close: closeBrowser } = await launchBrowser());
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await closeBrowser?.();
  await platform?.stop();
});

describe('without a cluster', () => {
  it('says so in a banner, with what works and the one command that gives a cluster', async () => {
    const { page, lab } = await newPage(desktop);
    await lab.open('l01-sidecar-injection');
    const banner = page.locator('[data-test="no-cluster-banner"]');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toMatch(/checks cannot pass/);
    await expect(banner.textContent()).resolves.toMatch(/read every lesson/);
    await expect(banner.locator('[data-test="no-cluster-command"]').textContent()).resolves.toBe('CLUSTERS_PROVIDER=kind npm start');
    await expect(banner.textContent()).resolves.toContain('CLUSTERS_LOCAL_KUBECONFIG=');
    const chip = page.locator('[data-test="environment-chip"]');
    await expect(chip.textContent()).resolves.toBe('No cluster (shell only)');
    // Our state-machine words stay out of the learner's sight.
    await expect(page.locator('[data-test="workspace-bar"]').textContent()).resolves.not.toMatch(/assigned/i);
  });

  it('words the lesson for what the environment has (L01 does not claim istioctl is ready)', async () => {
    const { page, lab } = await newPage(desktop);
    await lab.open('l01-sidecar-injection');
    await page.locator('[data-test="without-cluster"]').first().waitFor();
    await expect(page.locator('[data-test="lesson"]').textContent()).resolves.not.toContain('`istioctl` ready');
    await expect(page.locator('[data-test="lesson"]').textContent()).resolves.not.toMatch(/with kubectl and istioctl ready/);
    await lab.open('l06-fault-injection');
    await page.locator('[data-test="without-cluster"]').first().waitFor();
    await expect(page.locator('[data-test="lesson"]').textContent()).resolves.not.toContain('The setup of this lab restored');
  });

  it("shows what each check looks for, before and after a check that cannot run, and the real wait", async () => {
    const { page, lab } = await newPage(desktop);
    await lab.open('l01-sidecar-injection');
    const check = page.locator('[data-test="check-label-namespace"]');
    const outline = check.locator('[data-test="check-outline"]');
    await expect(outline.getAttribute('open')).resolves.not.toBeNull();
    await expect(outline.locator('[data-test="check-outline-item"]').allTextContents()).resolves.toContain(
      'namespace intro is labelled for sidecar injection',
    );
    await check.locator('[data-test="check-button"]').click();
    await check.locator('[data-test="check-result"][data-error-code="no-cluster"]').waitFor({ timeout: 30_000 });
    await expect(outline.isVisible()).resolves.toBe(true);
    await expect(check.locator('[data-test="check-meta"]').textContent()).resolves.toMatch(/took (\d+ ms|\d+(\.\d)? s)$/);
    await expect(check.locator('[data-test="check-meta"]').textContent()).resolves.not.toMatch(/took 0 ms/);
  });
});

describe('on a phone (390 × 844)', () => {
  it('stacks the lesson and the terminal as tabs; nothing scrolls sideways; title, Reset and Check are reachable', async () => {
    const { page, lab } = await newPage(phone);
    await lab.openCatalog();
    expect(await scrollsSideways(page)).toBe(false);
    await lab.open('l02-ingress-gateway');
    await page.locator('[data-test="reset-environment"]').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    expect(await onScreen(page, '[data-test="lab-title"]')).toBe(true);
    expect(await onScreen(page, '[data-test="reset-environment"]')).toBe(true);
    await expect(page.locator('[data-test="pane-tab-lesson"]').getAttribute('aria-selected')).resolves.toBe('true');
    // The lesson has the whole width, not a sliver beside the terminal.
    const lesson = await page.locator('[data-test="lesson"]').boundingBox();
    expect(lesson!.width).toBeGreaterThan(370);
    const checkButton = page.locator('[data-test="check-create-gateway"] [data-test="check-button"]');
    await checkButton.scrollIntoViewIfNeeded();
    expect(await onScreen(page, '[data-test="check-create-gateway"] [data-test="check-button"]')).toBe(true);
    await checkButton.click();
    await page.locator('[data-test="check-create-gateway"] [data-test="check-result"]').waitFor({ timeout: 30_000 });
    expect(await scrollsSideways(page)).toBe(false);
    // A code block wider than the phone scrolls inside itself and says so.
    await page.locator('[data-test="scroll-cue"]').first().waitFor();
    await page.locator('[data-test="pane-tab-terminal"]').click();
    await lab.waitForPrompt();
    const terminal = await page.locator('[data-test="terminal-pane"]').boundingBox();
    expect(terminal!.width).toBeGreaterThan(370);
    expect(await scrollsSideways(page)).toBe(false);
    // The terminal bar wraps rather than hide its end: the instant echo switch is on screen.
    expect(await page.locator('.terminal-bar').evaluate((bar) => bar.scrollWidth - bar.clientWidth)).toBe(0);
    expect(await onScreen(page, '[data-test="terminal-instant-echo"]')).toBe(true);
  });
});

describe('the step flow', () => {
  it('lists the steps with their state, points at the next unfinished one, and says when the lab is complete', async () => {
    const { page, lab, context } = await newPage(desktop);
    await lab.open('l02-ingress-gateway');
    const learnerId = await learnerIdOf(context);
    await expect(page.locator('[data-test="next-step"]').getAttribute('data-step')).resolves.toBe('create-gateway');

    markPassed(learnerId, 'l02-ingress-gateway', ['create-gateway', 'bind-virtualservice']);
    await page.reload();
    await page.locator('[data-test="step-list-toggle"]').click();
    const states = await page
      .locator('[data-test="step-item"]')
      .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-step')}:${i.getAttribute('data-state')}`));
    expect(states).toEqual(['create-gateway:done', 'bind-virtualservice:done', 'call-through-gateway:open']);
    const next = page.locator('[data-test="next-step"]');
    await expect(next.getAttribute('data-step')).resolves.toBe('call-through-gateway');
    await next.click();
    await expect
      .poll(() => page.locator('[data-test="step-call-through-gateway"]').evaluate((el) => Math.abs(el.getBoundingClientRect().top - el.closest('[data-test="lesson"]')!.getBoundingClientRect().top) < 120))
      .toBe(true);
    await expect(page.locator('[data-test="lab-complete"]').count()).resolves.toBe(0);

    markPassed(learnerId, 'l02-ingress-gateway', ['call-through-gateway']);
    await page.reload();
    const complete = page.locator('[data-test="lab-complete"]');
    await complete.waitFor();
    await expect(complete.locator('[data-test="next-lab"]').getAttribute('href')).resolves.toBe('/labs/l03-subsets');
    await expect(page.locator('[data-test="next-step"]').count()).resolves.toBe(0);
  });

  it('returns to where the learner was after a reload, and the catalog offers to continue there', async () => {
    const { page, lab } = await newPage(desktop);
    await lab.open('l01-sidecar-injection');
    const pane = page.locator('[data-test="lesson"]');
    await page.locator('[data-test="step-restart-workloads"]').scrollIntoViewIfNeeded();
    await page.locator('[data-test="step-restart-workloads"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const before = await pane.evaluate((el) => el.scrollTop);
    expect(before).toBeGreaterThan(500);
    await page.waitForTimeout(300); // the position is saved on the next animation frame
    await page.reload();
    await pane.waitFor();
    await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(before - 50);
    expect(await pane.evaluate((el) => el.scrollTop)).toBeLessThan(before + 50);

    await lab.openCatalog();
    const cont = page.locator('[data-test="continue"]');
    await cont.waitFor();
    await expect(cont.getAttribute('data-lab')).resolves.toBe('l01-sidecar-injection');
    await expect(cont.textContent()).resolves.toContain('Restart the workloads');
  });

  it('shows overall progress across labs on the catalog', async () => {
    const { page, lab, context } = await newPage(desktop);
    await lab.openCatalog();
    const overall = page.locator('[data-test="overall-progress"]');
    await expect(overall.getAttribute('data-done')).resolves.toBe('0');
    markPassed(await learnerIdOf(context), 'l02-ingress-gateway', ['create-gateway', 'bind-virtualservice', 'call-through-gateway']);
    await page.reload();
    await expect(overall.getAttribute('data-done')).resolves.toBe('3');
    await expect(overall.textContent()).resolves.toMatch(/1\/\d+ labs complete/);
    await expect(page.locator('[data-test="lab-card-l02-ingress-gateway"] [data-test="lab-card-progress"]').textContent()).resolves.toContain('complete');
  });
});

describe('small things', () => {
  it('answers an unknown lab with our 404 page and a way back', async () => {
    const { page } = await newPage(desktop);
    const response = await page.goto(`${platform.portalUrl}/labs/l99-no-such-lab`);
    expect(response?.status()).toBe(404);
    await page.locator('[data-test="not-found"]').waitFor();
    await page.locator('[data-test="not-found-back"]').click();
    await page.locator('[data-test^="module-"]').first().waitFor();
  });

  it('serves a favicon', async () => {
    const res = await fetch(`${platform.portalUrl}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/image\//);
  });

  it('follows a dark system theme, and a chosen theme is remembered', async () => {
    const { page, lab } = await newPage({ ...desktop, colorScheme: 'dark' });
    const background = () =>
      page.evaluate(() => {
        const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g)!.map(Number);
        return (r! + g! + b!) / 3;
      });
    await lab.open('l02-ingress-gateway');
    expect(await background()).toBeLessThan(60);
    await page.locator('[data-test="theme-toggle"]').click();
    expect(await background()).toBeGreaterThan(200);
    await page.reload();
    await page.locator('[data-test="lesson"]').waitFor();
    expect(await background()).toBeGreaterThan(200);
    await page.locator('[data-test="theme-toggle"]').click();
    expect(await background()).toBeLessThan(60);
  });

  it('numbers the hints of a step so two never look the same', async () => {
    const { page, lab } = await newPage(desktop);
    await lab.open('l02-ingress-gateway');
    const titles = await page.locator('[data-test="step-create-gateway"] [data-test="hint"] summary').allTextContents();
    expect(titles.map((t) => t.trim())).toEqual(['Hint 1 of 2', 'Hint 2 of 2']);
  });
});
