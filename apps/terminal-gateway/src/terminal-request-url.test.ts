import { describe, expect, it } from 'vitest';
import { environmentIdPattern, loggablePath, parseTerminalUrl } from './terminal-request-url';

describe('terminal request URLs', () => {
  it('reads the environment, preflight flag, token and terminal name', () => {
    expect(parseTerminalUrl('/terminals/env-1?token=abc.def&terminal=side')).toEqual({ environmentId: 'env-1', preflight: false, token: 'abc.def', terminalName: 'side' });
    expect(parseTerminalUrl('/terminals/env%2D2/preflight?token=t')).toEqual({ environmentId: 'env-2', preflight: true, token: 't', terminalName: null });
    expect(parseTerminalUrl('/terminals/env-1')).toMatchObject({ token: null, terminalName: null });
  });

  it('ignores other paths and broken encodings', () => {
    expect(parseTerminalUrl('/healthz')).toBeUndefined();
    expect(parseTerminalUrl('/terminals/')).toBeUndefined();
    expect(parseTerminalUrl('/terminals/a/b')).toBeUndefined();
    expect(parseTerminalUrl('/terminals/%E0%A4%A')).toBeUndefined();
  });

  it('keeps tokens out of loggable paths and checks environment ids', () => {
    expect(loggablePath('/terminals/env-1?token=secret')).toBe('/terminals/env-1');
    expect(environmentIdPattern.test('3f0c1a9e-5b7d-4c2e-9a1f-0d2b3c4e5f60')).toBe(true);
    expect(environmentIdPattern.test('../etc')).toBe(false);
  });
});
