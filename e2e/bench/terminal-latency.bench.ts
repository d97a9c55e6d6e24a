// Keystroke-to-echo latency in the real browser: a key goes into xterm.js (as a keystroke would),
// through the WebSocket, the gateway and the pty to bash's readline, and the echo comes back and is
// parsed by xterm. Timed in the page with performance.now().
import { launchBrowser } from '../support/browser';
import { LabPage } from '../support/lab-page';
import { startPlatform } from '../support/platform';

const samples = Number(process.env.BENCH_SAMPLES ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const platform = await startPlatform();
const { browser, close } = await launchBrowser();
try {
  const page = await browser.newPage();
  // tsx compiles with keepNames, which wraps functions passed to evaluate() in a `__name` helper.
  await page.addInitScript('window.__name = (fn) => fn');
  const lab = new LabPage(page, platform.portalUrl);
  await lab.open(await lab.firstLabId());
  await lab.waitForPrompt();
  const times = await page.evaluate(async (n) => {
    type Term = {
      input(data: string, wasUserInput?: boolean): void;
      onWriteParsed(cb: () => void): { dispose(): void };
      buffer: { active: { cursorX: number } };
    };
    const term = (window as unknown as { __workshopTerminal: Term }).__workshopTerminal;
    const out: number[] = [];
    const promptX = term.buffer.active.cursorX;
    const until = (cond: () => boolean) =>
      new Promise<void>((resolve) => {
        if (cond()) return resolve();
        const sub = term.onWriteParsed(() => {
          if (cond()) {
            sub.dispose();
            resolve();
          }
        });
      });
    for (let i = 0; i < n; i++) {
      const before = term.buffer.active.cursorX;
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        const sub = term.onWriteParsed(() => {
          if (term.buffer.active.cursorX !== before) {
            sub.dispose();
            resolve();
          }
        });
        term.input(String.fromCharCode(97 + (i % 26)), true);
      });
      out.push(performance.now() - t0);
      // Keep the line short: erase what was typed (not timed) and wait until the erase is drawn.
      if (term.buffer.active.cursorX > promptX + 30) {
        term.input('\u0015', true);
        await until(() => term.buffer.active.cursorX === promptX);
      }
    }
    return out;
  }, samples);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`terminal.keystroke_echo_samples: ${sorted.length}`);
  console.log(`terminal.keystroke_echo_p50: ${percentile(sorted, 50).toFixed(2)} ms`);
  console.log(`terminal.keystroke_echo_p95: ${percentile(sorted, 95).toFixed(2)} ms`);
  console.log(`terminal.keystroke_echo_p99: ${percentile(sorted, 99).toFixed(2)} ms`);
} finally {
  await close();
  await platform.stop();
}
