import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  closeCodes,
  closeMeaning,
  describeExit,
  parseClientFrameText,
  parseServerFrameText,
  type ClientFrame,
  type ServerFrame,
} from './terminal-protocol';

const clientFrames: Record<ClientFrame['t'], ClientFrame> = {
  input: { t: 'input', d: 'ls -l\r' },
  resize: { t: 'resize', cols: 120, rows: 40 },
  ack: { t: 'ack', bytes: 4096 },
  ping: { t: 'ping' },
};

const serverFrames: Record<ServerFrame['t'], ServerFrame> = {
  hello: { t: 'hello', session: 's-1', role: 'learner', reattached: true, cols: 80, rows: 24 },
  snapshot: { t: 'snapshot', d: '\x1b[1mprompt$ \x1b[0m' },
  exit: { t: 'exit', code: 3, signal: null, reason: 'exited' },
  error: { t: 'error', code: 'bad-size', message: 'terminal size 1x1 is out of bounds' },
  pong: { t: 'pong' },
  watchers: { t: 'watchers', count: 1 },
};

const sourceDir = path.dirname(new URL(import.meta.url).pathname);

describe('the terminal protocol', () => {
  it.each(Object.values(clientFrames))('round-trips the client frame %o', (frame) => {
    expect(parseClientFrameText(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it.each(Object.values(serverFrames))('round-trips the server frame %o', (frame) => {
    expect(parseServerFrameText(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it.each([
    ['an exit without its reason', '{"t":"exit","code":0,"signal":null}'],
    ['an unknown kind', '{"t":"banner","d":"hi"}'],
    ['a role nobody has', '{"t":"hello","session":"s","role":"admin","reattached":false,"cols":80,"rows":24}'],
    ['not JSON', 'hello'],
  ])('rejects %s from the gateway with a message, never a throw', (_name, text) => {
    const parsed = parseServerFrameText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/frame/);
  });

  it('gives every close code a meaning the browser acts on', () => {
    for (const [name, meaning] of Object.entries(closeCodes)) {
      expect(closeMeaning(meaning.code), name).toBe(meaning);
      expect(['reconnect', 'taken-over', 'ended']).toContain(meaning.action);
    }
    // "Try again later" says when, in its close reason.
    expect(closeMeaning(1013, 'the platform is full, try again in 30 s')).toMatchObject({ action: 'reconnect', message: 'the platform is full, try again in 30 s' });
    // Codes nobody declared (a dropped network is 1006) are worth another try.
    expect(closeMeaning(1006)).toMatchObject({ action: 'reconnect', message: expect.stringMatching(/lost/) });
  });

  it('closes sockets in the gateway only with codes from this module', () => {
    const offenders: string[] = [];
    // gateway-test-support.ts is the client side of tests, which may close as a browser does.
    const gatewayFiles = readdirSync(sourceDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'gateway-test-support.ts');
    for (const file of gatewayFiles) {
      const text = readFileSync(path.join(sourceDir, file), 'utf8');
      for (const match of text.matchAll(/\.close\(\s*(\d+)/g)) offenders.push(`${file}: close(${match[1]})`);
    }
    expect(offenders).toEqual([]);
  });

  it('leaves the browser client no close codes of its own', () => {
    const client = readFileSync(path.join(sourceDir, '../../portal/src/terminal/terminal-connection.ts'), 'utf8');
    // It reads the code of a close in one place only, through the shared meanings.
    expect([...client.matchAll(/event\.code/g)].length).toBe(1);
    expect(client).toMatch(/closeMeaning\(event\.code, event\.reason\)/);
  });

  it('tells a shell that exited from a gateway that went away', () => {
    expect(describeExit({ t: 'exit', code: 1, signal: null, reason: 'exited' })).toEqual({ action: 'ended', message: 'the shell exited (code 1)' });
    expect(describeExit({ t: 'exit', code: 0, signal: null, reason: 'gateway-shutdown' })).toMatchObject({ action: 'reconnect', message: expect.stringMatching(/gateway went away/) });
    expect(describeExit({ t: 'exit', code: 0, signal: null, reason: 'idle' }).action).toBe('ended');
  });
});
