// Instant echo as a learner meets it, through the real platform and Debian's Chromium. The shell's
// output frames pass through Playwright's WebSocket route, which can hold them: a key drawn while its
// echo is held was drawn by the page, not by the shell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startJourney, type Journey } from '../support/journey';
import { LabPage } from '../support/lab-page';

let journey: Journey;
let page: Page;
let lab: LabPage;
let holding = false;
const held: Array<() => void> = [];

/** The text of the cursor's row, up to the cursor. */
function beforeCursor(p: Page): Promise<string> {
  return p.evaluate(() => {
    type Term = { buffer: { active: { cursorX: number; cursorY: number; baseY: number; getLine(i: number): { translateToString(trim: boolean, start: number, end: number): string } | undefined } } };
    const b = (window as unknown as { __workshopTerminal: Term }).__workshopTerminal.buffer.active;
    return b.getLine(b.baseY + b.cursorY)?.translateToString(false, 0, b.cursorX) ?? '';
  });
}

function release() {
  holding = false;
  for (const send of held.splice(0)) send();
}

beforeAll(async () => {
  journey = await startJourney({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '' });
  page = await journey.context.newPage();
  lab = new LabPage(page, journey.platform.portalUrl);
  await journey.page.close();
  // Output (binary frames) can be held back; everything else passes at once.
  await page.routeWebSocket(/\/terminals\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (holding && typeof message !== 'string') held.push(() => ws.send(message));
      else ws.send(message);
    });
  });
});

afterAll(async () => {
  await journey?.close();
});

describe('instant echo', () => {
  it('draws a typed key before the shell echoes it, once the shell has echoed one on the line', async () => {
    await lab.open('l01-sidecar-injection');
    await lab.waitForPrompt();
    const toggle = page.locator('[data-test="terminal-instant-echo"]');
    await expect(toggle.textContent()).resolves.toBe('instant echo: on');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');

    await lab.type('e'); // the first key on a line waits for the shell
    await expect.poll(() => beforeCursor(page)).toMatch(/\$ e$/);
    holding = true;
    await lab.type('c');
    await expect.poll(() => held.length).toBeGreaterThan(0); // the shell's echo of c, held here
    expect(await beforeCursor(page)).toMatch(/\$ ec$/);
    release();
    await lab.type('ho "done-$((6*7))"\r');
    await lab.waitForText(/^done-42$/m);
  });

  it('never shows a key at a prompt that does not echo', async () => {
    await lab.type('read -s -p "secret: " S; echo; echo "read ${#S}"\r');
    await expect.poll(() => beforeCursor(page)).toMatch(/secret: $/);
    await lab.type('hunter2');
    await page.waitForTimeout(300);
    expect(await beforeCursor(page)).toMatch(/secret: $/);
    await lab.type('\r');
    const screen = await lab.waitForText(/^read 7$/m);
    expect(screen).not.toMatch(/hunter/);
  });

  it('is turned off in the terminal bar, and stays off after a reload', async () => {
    const toggle = page.locator('[data-test="terminal-instant-echo"]');
    await toggle.click();
    await expect(toggle.textContent()).resolves.toBe('instant echo: off');
    await lab.type('e');
    await expect.poll(() => beforeCursor(page)).toMatch(/\$ e$/);
    holding = true;
    await lab.type('x');
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await page.waitForTimeout(100);
    expect(await beforeCursor(page)).toMatch(/\$ e$/); // only the shell draws it now
    release();
    await expect.poll(() => beforeCursor(page)).toMatch(/\$ ex$/);
    await page.keyboard.press('Control+U');

    await page.reload();
    await lab.waitForPrompt();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
  });
});
