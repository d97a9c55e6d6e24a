// The terminal as a learner lives with it, through the real platform (started as `npm start` starts
// it, with no cluster) and Debian's Chromium: leaving it by keyboard, running a solution that fails,
// a shell that ended, a second tab, and the platform restarting under an open page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startJourney, type Journey } from '../support/journey';
import { LabPage } from '../support/lab-page';
import type { RunningPlatform } from '../support/platform';

let journey: Journey;
let platform: RunningPlatform;
let context: BrowserContext;
let page: Page;
let lab: LabPage;

const labId = 'l01-sidecar-injection';

/** What has keyboard focus: the xterm textarea, or an element's data-test / tag. */
function focusedElement(p: Page): Promise<string> {
  return p.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    if (el.classList.contains('xterm-helper-textarea')) return 'terminal';
    return el.getAttribute('data-test') ?? el.tagName.toLowerCase();
  });
}

beforeAll(async () => {
  journey = await startJourney({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '' });
  ({ platform, context, page, lab } = journey);
});

afterAll(async () => {
  await journey?.close();
});

describe('the terminal', () => {
  it('is reached by a skip link and left by the documented key, Esc then Tab', async () => {
    await lab.open(labId);
    await lab.waitForPrompt();
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('skip-to-lesson');
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('skip-to-terminal');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toBe('terminal');
    // Screen readers hear how to leave, and the textarea is described by the same words.
    await expect.poll(() => page.locator('[data-test="terminal-announcement"]').textContent()).toMatch(/Escape then Tab/);
    const described = await page.locator('.xterm-helper-textarea').getAttribute('aria-describedby');
    await expect(page.locator(`#${described}`).textContent()).resolves.toMatch(/Escape then Tab/);
    // Tab alone belongs to the shell (completion): focus stays.
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('terminal');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    const before = await focusedElement(page);
    expect(before).not.toBe('terminal');
    expect(before).not.toBe('body');
    await lab.type('');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).not.toBe('terminal');
  });

  it('runs a failing solution without changing the shell or ending it', async () => {
    await lab.open(labId);
    await lab.waitForPrompt();
    const step = page.locator('[data-test="step-deploy-workloads"]');
    await step.locator('[data-test="reveal-solution"]').click();
    await step.locator('[data-test="run-block"]', { hasText: 'set -euo pipefail' }).locator('[data-test="run"]').click();
    // No cluster here, so the solution's first kubectl fails and `set -e` stops the script, not the shell.
    await lab.type('echo "after-solution opts=$- status-$((6*7))"\r');
    // Read the flags from the command's output line: the echoed command line above it can have the
    // solution's own output (kubectl's "error: …") written into it while the learner types.
    const output = /after-solution opts=(\w+) status-42/;
    const screen = await lab.waitForText(output);
    expect(output.exec(screen)?.[1]).not.toMatch(/[eu]/);
    await expect(page.locator('[data-test="terminal-state"]').textContent()).resolves.toBe('Connected');
  });

  it('offers a new shell in place when the shell ended, and Run starts one first', async () => {
    await lab.type('exit 7\r');
    const overlay = page.locator('[data-test="terminal-overlay"]');
    await overlay.waitFor();
    await expect(overlay.textContent()).resolves.toMatch(/exited \(code 7\)/);
    await expect(page.locator('[data-test="terminal-new-shell"]').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${platform.dataDir}/../workshop-terminal-ended.png` }).catch(() => undefined);
    // A Run on the ended shell starts a new one and runs there.
    const block = page.locator('[data-test="run-block"]').first();
    const command = ((await block.locator('code').textContent()) ?? '').split('\n')[0]!.trim();
    await block.locator('[data-test="run"]').click();
    await page.locator('[data-test="terminal-state"]', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await lab.waitForText(command);
    await overlay.waitFor({ state: 'detached' });
    await lab.type('exit\r');
    await page.locator('[data-test="terminal-new-shell"]').click();
    await lab.waitForPrompt();
  });

  it('tells the first tab that a second took the terminal, and takes it back with "Use here"', async () => {
    const second = await context.newPage();
    const secondLab = new LabPage(second, platform.portalUrl);
    await secondLab.open(labId);
    await secondLab.waitForPrompt();
    await page.locator('[data-test="terminal-use-here"]').waitFor();
    await expect(page.locator('[data-test="terminal-overlay"]').textContent()).resolves.toMatch(/another tab/);
    await page.screenshot({ path: `${platform.dataDir}/../workshop-terminal-taken-over.png` }).catch(() => undefined);
    await page.locator('[data-test="terminal-use-here"]').click();
    await lab.waitForPrompt();
    await second.locator('[data-test="terminal-use-here"]').waitFor();
    await lab.type('echo "back-here-$((40+2))"\r');
    await lab.waitForText('back-here-42');
    await second.close();
  });

  it('comes back by itself after the platform restarts under the open page, saying what happened', async () => {
    await lab.waitForPrompt();
    // Record every state detail the page shows while the platform is away.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __terminalDetails: string[] }).__terminalDetails = seen;
      const pane = document.querySelector('[data-test="terminal-pane"]')!;
      new MutationObserver(() => {
        const text = pane.querySelector('[data-test="terminal-detail"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(pane, { subtree: true, childList: true, characterData: true });
    });
    await platform.restart();
    await page.locator('[data-test="terminal-state"]', { hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    await lab.waitForText(/\$ ?$/m);
    await lab.type('echo "restarted-$((40+2))"\r');
    await lab.waitForText('restarted-42');
    const details = await page.evaluate(() => (window as unknown as { __terminalDetails: string[] }).__terminalDetails);
    // The first thing said is about the gateway (a clean shutdown says "went away", a killed one "was lost").
    expect(details.find((d) => /trying again/.test(d)), details.join('\n')).toMatch(/terminal gateway (went away|was lost)/);
    expect(details.some((d) => /exited/.test(d)), details.join('\n')).toBe(false);
    await expect(page.locator('[data-test="terminal-detail"]').textContent()).resolves.toMatch(/new shell: the last one was lost \(the .*terminal gateway/);
  });
});
