// The lab page's terminal against the plainest xterm.js + ws + node-pty page (started here in a
// process of its own, as the gateway is; same machine, same run, same terminal size), measured as a
// learner meets it in Debian's Chromium:
// - echo: a real keydown (Playwright's keyboard, not term.input) to the row with that character
//   drawn (xterm's onRender), 12 rounds × 100 keys per page, each after a 20–50 ms pause from the
//   page's last frame, pages interleaved by round and the order turned each round (a slow minute of
//   the machine, or going first or last, then falls on every page alike), with each key split into
//   keydown → input sent, sent → echo parsed (network and server) and parsed → drawn; beside it,
//   keydown → the end of the browser's work on that frame (style, layout, paint and commit after
//   xterm's render: what must still happen before the glyph reaches the screen);
// - throughput: ~27 MB of base64 output, from Enter to the end marker parsed by xterm;
// - Ctrl-C after 10 s of `yes`: from the keydown to the prompt back on screen.
// Our page runs twice, as two learners: with instant echo (the default: a typed key is drawn at once
// and taken back if the shell does not echo it) and with it turned off in the terminal bar, so the
// path through the gateway and the shell is measured as well (keydown → the shell's echo parsed).
// Prints each page's numbers and ours as a ratio of the plain page's.
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { LabPage } from '../support/lab-page';
import { startPlatform } from '../support/platform';
import { startPlainTerminalServerProcess } from './plain-terminal-server';

const keysPerPage = Number(process.env.BENCH_KEYS ?? 1200);
const rounds = 12;
const keysPerRound = Math.ceil(keysPerPage / rounds);
const throughputBytes = Number(process.env.BENCH_THROUGHPUT_BYTES ?? 20_000_000); // base64 makes ~27 MB of it
const yesSeconds = Number(process.env.BENCH_YES_SECONDS ?? 10);
const ctrlCGiveUpMs = 60_000;

type Contender = { name: string; page: Page };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs the in-page probes: keydown times, and waiting for a glyph drawn or text parsed. */
async function installProbes(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Line = { translateToString(trim?: boolean): string };
    type Term = {
      buffer: { active: { cursorX: number; cursorY: number; baseY: number; getLine(i: number): Line | undefined } };
      onRender(cb: (e: { start: number; end: number }) => void): { dispose(): void };
      onWriteParsed(cb: () => void): { dispose(): void };
    };
    const term = (window as unknown as { __workshopTerminal: Term }).__workshopTerminal;
    let lastKeydown = 0;
    let lastFrameDone = 0;
    let inputSent = 0;
    let echoParsed = 0;
    const splits: [number, number, number, number][] = [];
    const framed: number[] = [];
    /** keydown → the shell's echo parsed, every key (with instant echo, the glyph is drawn before). */
    const roundTrips: number[] = [];
    let drawnBeforeEcho = 0;
    // The page's own socket is already open: its sends are seen through the prototype.
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (!inputSent && typeof data === 'string' && data.includes('"input"')) inputSent = performance.now();
      return send.call(this, data);
    };
    // A message posted from a render callback runs once the task that renders the frame is over:
    // xterm's render, then the page's style, layout, paint and commit.
    const afterFrame = (then: (done: number) => void) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        then(performance.now());
      };
      channel.port2.postMessage(0);
    };
    // When the page last finished a frame xterm drew: pauses are timed from there (see echoRound).
    term.onRender(() => afterFrame((done) => (lastFrameDone = done)));
    // The lab page's instant echo writes the key before sending it, so only a write parsed after the
    // input went out is the shell's echo.
    term.onWriteParsed(() => {
      if (!inputSent || echoParsed) return;
      echoParsed = performance.now();
      roundTrips.push(echoParsed - lastKeydown);
    });
    document.addEventListener(
      'keydown',
      (e) => {
        lastKeydown = e.timeStamp;
        inputSent = 0;
        echoParsed = 0;
      },
      true,
    );
    const cursorLine = () => {
      const b = term.buffer.active;
      return b.getLine(b.baseY + b.cursorY)?.translateToString(true) ?? '';
    };
    const probes = {
      splits: () => splits,
      framed: () => framed,
      roundTrips: () => roundTrips,
      drawnBeforeEcho: () => drawnBeforeEcho,
      cursorX: () => term.buffer.active.cursorX,
      /** Resolves `ms` after the page's last frame (at once if that is past). */
      pauseAfterFrame: (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, lastFrameDone + ms - performance.now()))),
      /** Resolves with keydown → the cursor row drawn with `ch` at the cursor's column. */
      glyph(ch: string): Promise<number> {
        const b = term.buffer.active;
        const row = b.baseY + b.cursorY;
        const col = b.cursorX;
        return new Promise((resolve) => {
          const sub = term.onRender(() => {
            if (b.getLine(row)?.translateToString(false).charAt(col) !== ch) return;
            sub.dispose();
            const now = performance.now();
            const [keydown, sent, parsed] = [lastKeydown, inputSent, echoParsed];
            if (!parsed) drawnBeforeEcho += 1;
            afterFrame((done) => {
              framed.push(done - keydown);
              if (sent && parsed) splits.push([sent - keydown, parsed - sent, now - parsed, done - now]);
            });
            resolve(now - lastKeydown);
          });
        });
      },
      /** Resolves with keydown → a line matching `pattern` parsed (throughput, Ctrl-C). */
      parsed(pattern: string, where: 'screen' | 'cursor'): Promise<number> {
        const re = new RegExp(pattern);
        const matches = () => {
          if (where === 'cursor') return re.test(cursorLine());
          const b = term.buffer.active;
          for (let i = Math.max(0, b.baseY + b.cursorY - 3); i <= b.baseY + b.cursorY; i++)
            if (re.test(b.getLine(i)?.translateToString(true) ?? '')) return true;
          return false;
        };
        return new Promise((resolve) => {
          const sub = term.onWriteParsed(() => {
            if (!matches()) return;
            sub.dispose();
            resolve(performance.now() - lastKeydown);
          });
        });
      },
    };
    (window as unknown as { __bench: typeof probes }).__bench = probes;
  });
}

/** A shell prompt at the cursor (xterm keeps the space the shell printed after `$`, or `#` for root:
 * the plain server's bash runs as whoever runs the bench). */
const promptPattern = '[$#]\\s*$';

/** In the page: resolves with keydown → a line matching the pattern parsed. */
function parsedProbe([pattern, where]: readonly [string, 'screen' | 'cursor']): Promise<number> {
  return (window as unknown as { __bench: { parsed(p: string, w: string): Promise<number> } }).__bench.parsed(pattern, where);
}

async function focusTerminal(page: Page): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
}

/** Waits until the shell is idle at its prompt (clears the line first). */
async function atPrompt(page: Page): Promise<void> {
  await focusTerminal(page);
  const waiting = page.evaluate(parsedProbe, [promptPattern, 'cursor'] as const);
  await page.keyboard.press('Control+U');
  await page.keyboard.press('Enter');
  await waiting;
  await sleep(300);
}

/** Think times for one round, the same for every page (a page's luck with the frame clock then
 * depends on the page, not on a different draw of pauses). */
function thinkTimes(keys: number): number[] {
  return Array.from({ length: keys }, () => 20 + Math.random() * 30);
}

async function echoRound(c: Contender, think: number[]): Promise<number[]> {
  await atPrompt(c.page);
  const promptX = await c.page.evaluate(() => (window as unknown as { __bench: { cursorX(): number } }).__bench.cursorX());
  const out: number[] = [];
  for (let i = 0; i < think.length; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    const drawn = c.page.evaluate((k) => (window as unknown as { __bench: { glyph(k: string): Promise<number> } }).__bench.glyph(k), ch);
    // The pause runs in the page, from its last frame, after the probe is listening. Timed here, it
    // would also hold this process's round trips to the page, which differ by page and decide whether
    // the echo meets the frame clock idle or mid-tick (see the share printed below).
    await c.page.evaluate((ms) => (window as unknown as { __bench: { pauseAfterFrame(ms: number): Promise<void> } }).__bench.pauseAfterFrame(ms), think[i]!);
    await c.page.keyboard.press(ch);
    out.push(await drawn);
    const x = await c.page.evaluate(() => (window as unknown as { __bench: { cursorX(): number } }).__bench.cursorX());
    if (x > promptX + 30) {
      // Erase the line (not timed) so every key lands on a short line.
      const erased = c.page.evaluate(parsedProbe, [promptPattern, 'cursor'] as const);
      await c.page.keyboard.press('Control+U');
      await erased;
      await sleep(30);
    }
  }
  return out;
}

async function throughput(c: Contender): Promise<number> {
  await atPrompt(c.page);
  await c.page.keyboard.type(`head -c ${throughputBytes} /dev/urandom | base64 -w 76; echo BENCH-END-$((6*7))`);
  const done = c.page.evaluate(parsedProbe, ['^BENCH-END-42', 'screen'] as const);
  await c.page.keyboard.press('Enter');
  const ms = await done;
  const outputBytes = Math.ceil(throughputBytes / 57) * 77; // 57 input bytes → 76 chars + newline
  return outputBytes / 1e6 / (ms / 1000);
}

async function interruptYes(c: Contender): Promise<number> {
  await atPrompt(c.page);
  await c.page.keyboard.type('yes');
  await c.page.keyboard.press('Enter');
  await sleep(yesSeconds * 1000);
  const back = c.page.evaluate(parsedProbe, [promptPattern, 'cursor'] as const);
  await c.page.keyboard.press('Control+C');
  // Without flow control xterm discards writes beyond its 50 MB buffer, and the prompt may be among
  // them: then it never comes back, and the page gets "never" (Infinity) instead of a hung run.
  return (await Promise.race([back, sleep(ctrlCGiveUpMs).then(() => Infinity)])) / 1000;
}

/**
 * The spread of ours/plain p50 that resampling each page's own keys gives (bootstrap, 2 000 draws):
 * says whether one run's ratio differs from 1.0 more than its own samples explain.
 */
function p50RatioInterval(ours: number[], plain: number[]): [number, number] {
  const draw = (xs: number[]) => percentile(Array.from({ length: xs.length }, () => xs[Math.floor(Math.random() * xs.length)]!).sort((a, b) => a - b), 50);
  const ratios = Array.from({ length: 2000 }, () => draw(ours) / draw(plain)).sort((a, b) => a - b);
  return [percentile(ratios, 5), percentile(ratios, 95)];
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** One page's row of a p50 / p95 / p99 table. */
function percentileRow(name: string, samples: number[], extra = ''): string {
  const s = stats(samples);
  return `${name.padEnd(36)} ${s.p50.toFixed(1).padStart(6)}  ${s.p95.toFixed(1).padStart(6)}  ${s.p99.toFixed(1).padStart(6)}${extra}`;
}

const plain = await startPlainTerminalServerProcess();
const platform = await startPlatform({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '' });
const { browser, close } = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // tsx compiles with keepNames, which wraps functions passed to evaluate() in a `__name` helper.
  await context.addInitScript('window.__name = (fn) => fn');
  const oursPage = await context.newPage();
  const lab = new LabPage(oursPage, platform.portalUrl);
  await lab.open('l01-sidecar-injection');
  await lab.waitForPrompt();
  // A second learner (own browser context, own shell) with instant echo turned off in the page.
  const offContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await offContext.addInitScript('window.__name = (fn) => fn');
  const oursOff = new LabPage(await offContext.newPage(), platform.portalUrl);
  await oursOff.open('l01-sidecar-injection');
  await oursOff.waitForPrompt();
  const toggle = oursOff.page.locator('[data-test="terminal-instant-echo"]');
  await toggle.click();
  if ((await toggle.getAttribute('aria-pressed')) !== 'false') throw new Error('instant echo did not turn off');
  const box = await oursPage.locator('[data-test="terminal"]').boundingBox();
  const size = `w=${Math.round(box?.width ?? 700)}&h=${Math.round(box?.height ?? 800)}`;
  const contenders: Contender[] = [
    { name: 'plain xterm.js + ws + node-pty', page: await context.newPage() },
    { name: 'plain, with flow control', page: await context.newPage() },
    { name: 'our lab page', page: oursPage },
    { name: 'our lab page, instant echo off', page: oursOff.page },
  ];
  await contenders[0]!.page.goto(`${plain.url}?${size}`);
  await contenders[1]!.page.goto(`${plain.url}?fc=1&${size}`);
  for (const c of contenders) {
    c.page.on('crash', () => console.error(`${c.name}: the page crashed`));
    c.page.on('pageerror', (e) => console.error(`${c.name}: ${e.message}`));
    await c.page.locator('.xterm-rows').waitFor();
    await installProbes(c.page);
  }
  const dims = await oursPage.evaluate(() => {
    const t = (window as unknown as { __workshopTerminal: { cols: number; rows: number } }).__workshopTerminal;
    return `${t.cols}x${t.rows}`;
  });
  console.log(`terminal size ${dims} cells on every page; ${rounds} rounds × ${keysPerRound} keys, 20–50 ms pauses from each page's last frame, the same on every page`);
  // Other work on the machine moves every number; the ratios (same run, same machine) move least.
  console.log(`load average at start ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);

  const echo = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    const think = thinkTimes(keysPerRound);
    for (const c of [...contenders.slice(r % contenders.length), ...contenders.slice(0, r % contenders.length)]) {
      // Only the page being measured is in front (background pages are throttled by Chromium).
      await c.page.bringToFront();
      echo.get(c.name)!.push(...(await echoRound(c, think)));
    }
  }
  const tput = new Map<string, number>();
  const ctrlC = new Map<string, number>();
  for (const c of contenders) {
    await c.page.bringToFront();
    tput.set(c.name, await throughput(c));
    ctrlC.set(c.name, await interruptYes(c));
  }

  const [base, baseFc, ours, oursNoEcho] = contenders.map((c) => c.name) as [string, string, string, string];
  console.log('\nkeydown → glyph drawn (ms)            p50     p95     p99');
  for (const c of contenders) console.log(percentileRow(c.name, echo.get(c.name)!));
  const framed = new Map<string, number[]>();
  console.log('\nkeydown → frame done (ms)            p50     p95     p99');
  for (const c of contenders) {
    framed.set(c.name, (await c.page.evaluate('window.__bench.framed()')) as number[]);
    console.log(percentileRow(c.name, framed.get(c.name)!));
  }
  // What is left when the glyph does not wait for the shell: the shell's own round trip, every key.
  const roundTrips = new Map<string, number[]>();
  console.log('\nkeydown → shell\'s echo parsed (ms)   p50     p95     p99   drawn before the echo');
  for (const c of contenders) {
    roundTrips.set(c.name, (await c.page.evaluate('window.__bench.roundTrips()')) as number[]);
    const early = (await c.page.evaluate('window.__bench.drawnBeforeEcho()')) as number;
    console.log(percentileRow(c.name, roundTrips.get(c.name)!, `   ${((100 * early) / echo.get(c.name)!.length).toFixed(0).padStart(4)}%`));
  }
  const waits = new Map<string, [number, number, number, number][]>();
  console.log('\nmedian split, keys drawn after their echo (ms)  keydown→sent  sent→parsed  parsed→drawn  drawn→frame done');
  for (const c of contenders) {
    const splits = (await c.page.evaluate('window.__bench.splits()')) as [number, number, number, number][];
    const median = (i: number) => stats(splits.map((s) => s[i]!)).p50.toFixed(1);
    console.log(`${c.name.padEnd(46)} ${median(0).padStart(12)}  ${median(1).padStart(11)}  ${median(2).padStart(12)}  ${median(3).padStart(16)}`);
    waits.set(c.name, splits);
  }
  // Chromium draws on a 60 Hz clock. A page that drew in the tick under way when its echo arrives
  // waits for the next tick (5–17 ms); one idle for a whole tick draws at once. Whether a key lands
  // there depends on the pause since the page's last frame (the same on every page here), and this
  // share moves a run's p50 the most. Keys that did not wait show the page's work itself.
  console.log('\nwaited for the next frame tick (parsed → drawn ≥ 5 ms; keys drawn after their echo)   share   p50 of the keys that did not');
  for (const c of contenders) {
    const splits = waits.get(c.name)!;
    const quick = splits.filter((s) => s[2]! < 5).map((s) => s[0]! + s[1]! + s[2]!);
    console.log(`${c.name.padEnd(86)} ${(100 - (100 * quick.length) / splits.length).toFixed(0).padStart(4)}%   ${stats(quick).p50.toFixed(1).padStart(6)} ms`);
  }
  const so = stats(echo.get(ours)!);
  const sb = stats(echo.get(base)!);
  console.log('\nthroughput (MB/s)   Ctrl-C after yes (s)');
  for (const c of contenders) console.log(`${c.name.padEnd(36)} ${tput.get(c.name)!.toFixed(1).padStart(6)}  ${ctrlC.get(c.name)!.toFixed(2).padStart(6)}`);
  console.log(`\nload average at end ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  console.log(`terminal.echo_p50_ms: ${so.p50.toFixed(1)} (plain ${sb.p50.toFixed(1)})`);
  console.log(`terminal.echo_p99_ms: ${so.p99.toFixed(1)} (plain ${sb.p99.toFixed(1)})`);
  const [low, high] = p50RatioInterval(echo.get(ours)!, echo.get(base)!);
  console.log(`terminal.echo_p50_ratio_vs_plain: ${(so.p50 / sb.p50).toFixed(2)} (goal ≤ 1.0; 90% of resamples ${low.toFixed(2)}–${high.toFixed(2)})`);
  console.log(`terminal.echo_p99_ratio_vs_plain: ${(so.p99 / sb.p99).toFixed(2)} (goal ≤ 1.0)`);
  const sn = stats(echo.get(oursNoEcho)!);
  const [nLow, nHigh] = p50RatioInterval(echo.get(oursNoEcho)!, echo.get(base)!);
  console.log(`terminal.echo_p50_ms_instant_echo_off: ${sn.p50.toFixed(1)} (ratio ${(sn.p50 / sb.p50).toFixed(2)}; 90% of resamples ${nLow.toFixed(2)}–${nHigh.toFixed(2)}; p99 ratio ${(sn.p99 / sb.p99).toFixed(2)})`);
  const rn = stats(roundTrips.get(oursNoEcho)!);
  const rb = stats(roundTrips.get(base)!);
  console.log(`terminal.shell_echo_parsed_p50_ms: ${rn.p50.toFixed(1)} (instant echo off; plain ${rb.p50.toFixed(1)}, ratio ${(rn.p50 / rb.p50).toFixed(2)})`);
  const fo = stats(framed.get(ours)!);
  const fb = stats(framed.get(base)!);
  const [fLow, fHigh] = p50RatioInterval(framed.get(ours)!, framed.get(base)!);
  console.log(`terminal.echo_frame_done_p50_ms: ${fo.p50.toFixed(1)} (plain ${fb.p50.toFixed(1)}, ratio ${(fo.p50 / fb.p50).toFixed(2)}; 90% of resamples ${fLow.toFixed(2)}–${fHigh.toFixed(2)})`);
  console.log(`terminal.throughput_mb_s: ${tput.get(ours)!.toFixed(1)}`);
  console.log(`terminal.throughput_ratio_vs_plain_flow_control: ${(tput.get(ours)! / tput.get(baseFc)!).toFixed(2)} (goal ≥ 0.9)`);
  console.log(`terminal.throughput_ratio_vs_plain: ${(tput.get(ours)! / tput.get(base)!).toFixed(2)}`);
  console.log(`terminal.ctrl_c_after_yes_s: ${ctrlC.get(ours)!.toFixed(2)} (goal ≤ 0.5; plain ${ctrlC.get(base)!.toFixed(2)}, plain with flow control ${ctrlC.get(baseFc)!.toFixed(2)})`);
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  // Probes still waiting reject once the browser closes; they no longer matter.
  process.on('unhandledRejection', () => undefined);
  await close();
  await platform.stop();
  await plain.close();
}
