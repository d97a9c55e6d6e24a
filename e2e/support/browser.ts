import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.WORKSHOP_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Debian's Chromium driven by Playwright. The flags keep it off the network (this machine has none
 * beyond loopback). Playwright's launch() gives every run a fresh temporary profile (it refuses an
 * explicit --user-data-dir), which keeps journeys independent.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
