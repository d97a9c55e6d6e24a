import { describe, expect, it } from 'vitest';
import { checkTerminalSize, parseClientFrame } from './terminal-frames';

describe('client frames', () => {
  it('accepts the four frame kinds', () => {
    expect(parseClientFrame('{"t":"input","d":"ls\\r"}', false)).toEqual({ ok: true, frame: { t: 'input', d: 'ls\r' } });
    expect(parseClientFrame(Buffer.from('{"t":"resize","cols":120,"rows":40}'), false)).toEqual({ ok: true, frame: { t: 'resize', cols: 120, rows: 40 } });
    expect(parseClientFrame('{"t":"ack","bytes":4096}', false)).toEqual({ ok: true, frame: { t: 'ack', bytes: 4096 } });
    expect(parseClientFrame('{"t":"ping"}', false)).toEqual({ ok: true, frame: { t: 'ping' } });
  });

  it.each([
    ['invalid JSON', '{"t":', false],
    ['unknown type', '{"t":"exec","cmd":"rm"}', false],
    ['missing field', '{"t":"input"}', false],
    ['negative ack', '{"t":"ack","bytes":-1}', false],
    ['fractional size', '{"t":"resize","cols":80.5,"rows":24}', false],
    ['a JSON array', '[1,2]', false],
    ['a binary frame', '{"t":"ping"}', true],
  ])('turns %s into an error, never a throw', (_name, data, binary) => {
    const result = parseClientFrame(data as string, binary as boolean);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('bad-frame');
  });

  it('bounds terminal sizes', () => {
    expect(checkTerminalSize(2, 1)).toBeUndefined();
    expect(checkTerminalSize(500, 200)).toBeUndefined();
    expect(checkTerminalSize(1, 24)).toMatch(/out of bounds/);
    expect(checkTerminalSize(80, 201)).toMatch(/out of bounds/);
    expect(checkTerminalSize(501, 24)).toMatch(/cols 2..500/);
  });
});
