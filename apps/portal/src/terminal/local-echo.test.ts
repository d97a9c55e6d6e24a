// Local echo on a real terminal emulator (xterm's headless build): what is drawn before the shell's
// echo, that it is always taken back, and that the screen ends exactly as the shell wrote it. The
// last test types into a real bash behind the real gateway.
import { startTestGateway, testOrigin, type TestGateway } from '@istio-workshop/terminal-gateway/testing';
import { Terminal } from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { LocalEcho } from './local-echo';
import { TerminalConnection, type ConnectionState } from './terminal-connection';

const cols = 40;
const newTerm = (width = cols) => new Terminal({ cols: width, rows: 8, allowProposedApi: true });

/** Resolves once everything written so far is parsed. */
const parsed = (term: Terminal) => new Promise<void>((r) => term.write('', r));

const text = (term: Terminal) => {
  const b = term.buffer.active;
  return Array.from({ length: b.length }, (_, y) => b.getLine(y)?.translateToString(true) ?? '').join('\n');
};

/** The screen's text, each written cell's colours and boldness, the buffer in use and the cursor. */
function screen(term: Terminal): string {
  const b = term.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < b.length; y++) {
    const line = b.getLine(y);
    let attrs = '';
    for (let x = 0; x < term.cols; x++) {
      const cell = line?.getCell(x);
      if (cell?.getChars()) attrs += `${cell.getFgColor()}/${cell.getBgColor()}/${cell.isBold()} `;
    }
    rows.push(`${line?.translateToString(true) ?? ''}${attrs ? ` [${attrs.trimEnd()}]` : ''}`);
  }
  return `${b.type}\n${rows.join('\n').trimEnd()}\n@${b.cursorX},${b.cursorY + b.baseY}`;
}

const cursorLine = (term: Terminal) => {
  const b = term.buffer.active;
  return (b.getLine(b.baseY + b.cursorY)?.translateToString(true) ?? '').trimEnd();
};

const beforeCursor = (term: Terminal) => {
  const b = term.buffer.active;
  return b.getLine(b.baseY + b.cursorY)?.getCell(b.cursorX - 1)?.getChars();
};

/** A terminal with local echo, and a reference terminal that only ever gets the shell's output. */
function pair() {
  const term = newTerm();
  const reference = newTerm();
  const echo = new LocalEcho(term);
  const shell = async (data: string) => {
    const bytes = new TextEncoder().encode(data);
    await Promise.all([new Promise<void>((r) => echo.output(bytes, r)), new Promise<void>((r) => reference.write(bytes, r))]);
  };
  const type = async (key: string) => {
    echo.input(key);
    await parsed(term);
  };
  /** At a prompt, after the shell echoed `key` (so the next key is drawn here). */
  const trusted = async (key = 'a') => {
    await shell('$ ');
    await type(key);
    await shell(key);
  };
  return { term, reference, echo, shell, type, trusted };
}

describe('LocalEcho', () => {
  it('draws a key at once only after the shell has echoed one on this line, and ends as the shell wrote', async () => {
    const { term, reference, echo, shell, type } = pair();
    await shell('$ ');
    await type('l');
    expect(cursorLine(term)).toBe('$'); // the first key waits for the shell
    await shell('l');
    await type('s');
    expect(cursorLine(term)).toBe('$ ls'); // drawn before the shell said anything
    expect(echo.predictedKeys).toBe(1);
    await shell('s');
    expect(screen(term)).toBe(screen(reference));
  });

  it('never shows a key at a prompt that does not echo (a password)', async () => {
    const { term, type, shell } = pair();
    await shell('$ sudo true\r\n[sudo] password: ');
    for (const key of 'secret') {
      await type(key);
      expect(cursorLine(term)).toBe('[sudo] password:');
    }
  });

  it('stops drawing after Enter, Backspace, arrows or Ctrl keys until a key comes back as itself', async () => {
    const { term, type, reference, trusted } = pair();
    await trusted();
    for (const key of ['\r', '\x7f', '\x1b[D', '\x03']) {
      await type(key);
      await type('z');
      expect(term.buffer.active.cursorX).toBe(3); // z not drawn: trust ended with the key before it
    }
    expect(screen(term)).toBe(screen(reference));
  });

  it('does not start trusting when Enter went out while the echo was still being parsed', async () => {
    const { term, echo, type, shell } = pair();
    await shell('$ ');
    echo.input('l');
    const echoed = shell('l'); // parsed a little later, as in the browser
    echo.input('\r'); // typed before that parse
    await echoed;
    await type('s'); // nothing came back for Enter yet (a program reading raw, without echo)
    expect(cursorLine(term)).toBe('$ l');
  });

  it('draws nothing in vim or less (the alternate screen)', async () => {
    const { term, type, shell, trusted } = pair();
    await trusted('v');
    await shell('\x1b[?1049h\x1b[H');
    await type('j');
    expect(term.buffer.active.type).toBe('alternate');
    expect(cursorLine(term)).toBe('');
  });

  it('draws nothing with text to the right of the cursor, or at the last column', async () => {
    const { term, type, shell } = pair();
    await shell('$ abc\x1b[2D'); // the learner moved left: readline would insert, shifting "bc"
    await type('x');
    await shell('x'); // an echo of x alone would overwrite b here; trust must still not draw
    await type('y');
    expect(cursorLine(term)).toBe('$ axc');
    const edge = pair();
    await edge.shell(`$ ${'w'.repeat(cols - 4)}`);
    await edge.type('a');
    await edge.shell('a');
    expect(edge.term.buffer.active.cursorX).toBe(cols - 1);
    await edge.type('b');
    expect(cursorLine(edge.term)).toBe(`$ ${'w'.repeat(cols - 4)}a`);
  });

  it('keeps later keys drawn while the shell echoes the first ones', async () => {
    const { term, reference, type, shell, trusted } = pair();
    await trusted('k');
    for (const key of 'ube') await type(key);
    expect(cursorLine(term)).toBe('$ kube');
    await shell('u');
    expect(cursorLine(term)).toBe('$ kube');
    await shell('be');
    expect(screen(term)).toBe(screen(reference));
  });

  it('takes a key back when the shell writes something else, leaving only what the shell wrote', async () => {
    const { term, reference, type, shell, trusted } = pair();
    await trusted();
    await type('b');
    expect(cursorLine(term)).toBe('$ ab');
    await shell('\r\n[1]+  Done    sleep 1\r\n$ a'); // a job notice, then readline redraws the line
    expect(screen(term)).toBe(screen(reference));
    await type('c'); // trust ended with that output
    expect(cursorLine(term)).toBe('$ a');
  });

  it('takes a key back after a second without an echo', async () => {
    const { term, type, trusted } = pair();
    await trusted();
    await type('b');
    expect(cursorLine(term)).toBe('$ ab');
    await new Promise((r) => setTimeout(r, 1100));
    await parsed(term);
    expect(cursorLine(term)).toBe('$ a');
  });

  it('takes back what was drawn before a resize, and the resize waits for that', async () => {
    const { term, reference, echo, type, shell, trusted } = pair();
    await trusted();
    await type('b');
    await type('c');
    expect(cursorLine(term)).toBe('$ abc');
    const resized = new Promise<void>((r) =>
      echo.takeBack(() => {
        term.resize(4, 8); // "$ ab" and "c" would now sit on two rows
        reference.resize(4, 8);
        r();
      }),
    );
    expect(term.cols).toBe(cols); // not before the screen is the shell's again
    await resized;
    expect(screen(term)).toBe(screen(reference));
    await type('d'); // the trust ended with the take-back
    await shell('bcd');
    expect(screen(term)).toBe(screen(reference));
  });

  it('draws nothing when turned off, and takes back what was drawn', async () => {
    const { term, echo, type, trusted } = pair();
    await trusted();
    await type('b');
    echo.setEnabled(false);
    await parsed(term);
    expect(cursorLine(term)).toBe('$ a');
    await type('c');
    expect(cursorLine(term)).toBe('$ a');
  });

  it('leaves the screen exactly as the shell wrote it, over many random sessions', async () => {
    // Keys and output interleaved at random: echoes (whole, split, late), job notices, colours,
    // escape sequences split across chunks, cursor moves, the alternate screen. Whenever nothing
    // drawn here is waiting for its echo, the screen must be the shell's screen, to the cell.
    let seed = Number(process.env.LOCAL_ECHO_SEED ?? 7);
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    // Known gap: REP (CSI b, "repeat the character before") right after a key taken back repeats
    // nothing, as the sequence that takes it back ends the "character before"; shells do not send
    // REP, so the split sequence here ends in m or D, never in b.
    const noise = ['\x1b[31m', 'err\x1b[0m', '\x1b[', '2D', '\r\n$ ', '\x1b[?1049h', '\x1b[?1049l', '\x1b[K', 'out\r\n', '\x1b]0;title\x07', '\x1b[1;3', '1mX\x1b[0m'];
    let drawnHere = 0;
    for (let session = 0; session < 100; session++) {
      const { term, reference, echo, type, shell } = pair();
      await shell('$ ');
      const unechoed: string[] = [];
      const log: string[] = [];
      for (let step = 0; step < 80; step++) {
        const r = random();
        if (r < 0.5) {
          const key = random() < 0.85 ? pick(['a', 'm', 'D', ' ', '~']) : pick(['\r', '\x7f', '\x1b[C']);
          log.push(`type ${JSON.stringify(key)}`);
          await type(key);
          if (key.length === 1 && key >= ' ') unechoed.push(key);
        } else if (r < 0.92 && unechoed.length) {
          // The shell echoes what was typed, in order: mostly a key at a time, sometimes several.
          const out = unechoed.splice(0, random() < 0.6 ? 1 : 1 + Math.floor(random() * unechoed.length)).join('');
          log.push(`shell ${JSON.stringify(out)}`);
          await shell(out);
        } else {
          const out = pick(noise);
          log.push(`shell ${JSON.stringify(out)}`);
          await shell(out);
        }
        if ((echo as unknown as { predicted: string }).predicted === '') expect(screen(term), log.join('\n')).toBe(screen(reference));
      }
      drawnHere += echo.predictedKeys;
    }
    expect(drawnHere).toBeGreaterThan(150); // the sessions did exercise drawing and taking back
  });
});

// Browsers always send Origin; the `ws` client needs to be told.
class BrowserLikeWebSocket extends WsWebSocket {
  constructor(url: string) {
    super(url, { origin: testOrigin });
  }
}

describe('LocalEcho with a real shell behind the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('draws typed keys before bash echoes them, never at a read -s prompt, and ends as bash wrote', async () => {
    const term = newTerm(120);
    const echo = new LocalEcho(term);
    const states: ConnectionState[] = [];
    const connection = new TerminalConnection({
      ticket: async () => ({ url: gw.url('env-local-echo'), token: gw.token({ env: 'env-local-echo' }) }),
      sink: { write: (data, done) => echo.output(data, done), reset: () => (echo.reset(), term.reset()), size: () => ({ cols: term.cols, rows: term.rows }) },
      onState: (s) => states.push(s),
      WebSocketImpl: BrowserLikeWebSocket as unknown as typeof WebSocket,
    });
    const until = async (ok: () => boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${screen(term)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const send = (data: string) => {
      echo.input(data);
      connection.sendInput(data);
    };
    connection.start();
    try {
      await until(() => states.at(-1) === 'open' && /[$#]$/.test(cursorLine(term)), 'the prompt');
      const prompt = cursorLine(term);
      for (const key of 'echo local-$((40+2))') {
        const before = echo.predictedKeys;
        send(key);
        await parsed(term);
        // Drawn here (before bash answered), or the shell's own echo already; never anything else.
        if (echo.predictedKeys > before) expect(beforeCursor(term)).toBe(key);
        await until(() => beforeCursor(term) === key, `the echo of ${key}`);
      }
      expect(echo.predictedKeys).toBeGreaterThan(10);
      send('\r');
      await until(() => /^local-42$/m.test(text(term)), 'the command ran');

      send('read -s -p "token: " T; echo; echo "got ${#T}"');
      send('\r');
      await until(() => cursorLine(term) === 'token:', 'the silent prompt');
      const predictedBefore = echo.predictedKeys;
      for (const key of 'hunter2') {
        send(key);
        await parsed(term);
        expect(cursorLine(term)).toBe('token:');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(echo.predictedKeys).toBe(predictedBefore);
      send('\r');
      await until(() => /^got 7$/m.test(text(term)), 'the secret read');
      expect(text(term)).not.toMatch(/hunter/);
      expect(prompt).toMatch(/[$#]$/);
    } finally {
      connection.stop();
    }
  });
});
