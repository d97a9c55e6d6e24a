import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintTerminalToken, TerminalTokenError, verifyTerminalToken, type TerminalTokenClaims } from './terminal-token';

const secret = 'a-very-long-shared-secret-of-32-chars!!';
const claims: TerminalTokenClaims = {
  v: 1,
  sub: 'learner-7',
  env: 'env-abc',
  role: 'learner',
  target: { kind: 'kubectl-exec', kubeconfig: '/var/lib/kc/env-abc', namespace: 'workshop', pod: 'deploy/toolbox', command: ['tmux', 'new-session', '-A', '-s', 'learner'] },
};
const now = Date.UTC(2026, 0, 1, 12, 0, 0);

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TerminalTokenError) return error.reason;
    throw error;
  }
  return 'no error';
}

function signed(payloadJson: string): string {
  const p = Buffer.from(payloadJson, 'utf8').toString('base64url');
  return `${p}.${createHmac('sha256', secret).update(p).digest('base64url')}`;
}

describe('terminal tokens', () => {
  it('round-trips claims and stamps iat/exp from the ttl', () => {
    const token = mintTerminalToken(secret, claims, 120, now);
    const payload = verifyTerminalToken(secret, token, now + 5_000);
    expect(payload).toEqual({ ...claims, iat: now / 1000, exp: now / 1000 + 120, jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
  });

  it('gives every minted ticket its own id, even for the same claims in the same second', () => {
    const ids = new Set(Array.from({ length: 100 }, () => verifyTerminalToken(secret, mintTerminalToken(secret, claims, 120, now), now).jti));
    expect(ids.size).toBe(100);
  });

  it('rejects a token signed with another secret', () => {
    const forged = mintTerminalToken('another-secret-that-is-long-enough-xx', claims, 120, now);
    expect(reasonOf(() => verifyTerminalToken(secret, forged, now))).toBe('bad-signature');
  });

  it('rejects a tampered payload (role upgraded) under the original signature', () => {
    const token = mintTerminalToken(secret, { ...claims, role: 'observer' }, 120, now);
    const [, signature] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'learner', iat: now / 1000, exp: now / 1000 + 120 })).toString('base64url');
    expect(reasonOf(() => verifyTerminalToken(secret, `${tampered}.${signature}`, now))).toBe('bad-signature');
  });

  it('rejects another spelling of the same signature bytes', () => {
    const token = mintTerminalToken(secret, claims, 120, now);
    const [payload, signature = ''] = token.split('.');
    // The last base64url char of a 32-byte MAC carries 2 unused bits; flipping them keeps the bytes.
    const last = signature.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)] ?? 'A';
    expect(Buffer.from(signature.slice(0, -1) + twin, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(reasonOf(() => verifyTerminalToken(secret, `${payload}.${signature.slice(0, -1)}${twin}`, now))).toBe('bad-signature');
  });

  it('rejects expired tokens and tokens from the future', () => {
    const token = mintTerminalToken(secret, claims, 60, now);
    expect(reasonOf(() => verifyTerminalToken(secret, token, now + 60_000))).toBe('expired');
    expect(reasonOf(() => verifyTerminalToken(secret, token, now + 59_000))).toBe('no error');
    expect(reasonOf(() => verifyTerminalToken(secret, token, now - 120_000))).toBe('not-yet-valid');
    // Small clock skew between portal and gateway is tolerated.
    expect(reasonOf(() => verifyTerminalToken(secret, token, now - 10_000))).toBe('no error');
  });

  it.each([
    ['empty', ''],
    ['one part', 'abc'],
    ['three parts', 'a.b.c'],
    ['not base64url', 'a+b.c/d'],
    ['huge', `${'a'.repeat(9000)}.b`],
  ])('rejects a malformed token (%s)', (_name, token) => {
    expect(reasonOf(() => verifyTerminalToken(secret, token, now))).toBe('malformed');
  });

  it('rejects a correctly signed payload that is not JSON or breaks the schema', () => {
    expect(reasonOf(() => verifyTerminalToken(secret, signed('{not json'), now))).toBe('malformed');
    const base = { ...claims, iat: now / 1000, exp: now / 1000 + 60 };
    expect(reasonOf(() => verifyTerminalToken(secret, signed(JSON.stringify({ ...base, v: 2 })), now))).toBe('malformed');
    expect(reasonOf(() => verifyTerminalToken(secret, signed(JSON.stringify({ ...base, role: 'admin' })), now))).toBe('malformed');
    expect(reasonOf(() => verifyTerminalToken(secret, signed(JSON.stringify({ ...base, target: { kind: 'local', home: '../etc' } })), now))).toBe('malformed');
    expect(reasonOf(() => verifyTerminalToken(secret, signed(JSON.stringify({ ...base, target: { kind: 'ssh' } })), now))).toBe('malformed');
    const { exp: _exp, ...noExp } = base;
    expect(reasonOf(() => verifyTerminalToken(secret, signed(JSON.stringify(noExp)), now))).toBe('malformed');
  });

  it('refuses to mint invalid claims or with a short secret', () => {
    expect(() => mintTerminalToken(secret, { ...claims, target: { kind: 'local', home: 'Bad Home' } })).toThrow();
    expect(() => mintTerminalToken(secret, { ...claims, target: { kind: 'local', home: 'a', kubeconfig: 'relative/kc' } })).toThrow();
    expect(() => mintTerminalToken(secret, { ...claims, target: { kind: 'local', home: 'a', ingress: { host: 'evil host;rm', httpPort: 80 } } })).toThrow();
    expect(() => mintTerminalToken(secret, { ...claims, target: { kind: 'local', home: 'a', ingress: { host: '127.0.0.1', httpPort: 70000 } } })).toThrow();
    expect(() => mintTerminalToken('short', claims)).toThrow(/at least 32/);
    expect(() => mintTerminalToken(secret, claims, 0)).toThrow(/ttlSeconds/);
  });
});
