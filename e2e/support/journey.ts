import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { LabPage } from './lab-page';
import { startPlatform, type RunningPlatform } from './platform';

export interface Journey {
  platform: RunningPlatform;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  lab: LabPage;
  /** Closes the browser, then stops the platform. */
  close(): Promise<void>;
}

/** The platform started as `npm start` starts it, and one desktop-sized browser page on it. */
export async function startJourney(platformEnv: Record<string, string>): Promise<Journey> {
  const platform = await startPlatform(platformEnv);
  const { browser, close } = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return {
    platform,
    browser,
    context,
    page,
    lab: new LabPage(page, platform.portalUrl),
    async close() {
      await close();
      await platform.stop();
    },
  };
}
