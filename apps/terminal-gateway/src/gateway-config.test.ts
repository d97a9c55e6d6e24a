import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, loadGatewayConfig } from './gateway-config';

const secret = { WORKSHOP_TOKEN_SECRET: 's'.repeat(32) };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof GatewayConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('gateway config', () => {
  it('applies the documented defaults', () => {
    const config = loadGatewayConfig(secret);
    expect(config).toMatchObject({
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: 3001,
      GATEWAY_ALLOWED_ORIGINS: ['http://127.0.0.1:3000', 'http://localhost:3000'],
      GATEWAY_HOMES_DIR: resolve('.data/homes'),
      GATEWAY_GRACE_SECONDS: 60,
      GATEWAY_IDLE_MINUTES: 30,
      GATEWAY_MAX_SESSIONS_PER_LEARNER: 3,
      GATEWAY_KUBECTL: 'kubectl',
    });
    expect(config.GATEWAY_LOCAL_UNSANDBOXED).toBeUndefined();
  });

  it('parses lists and numbers, treating empty values as unset', () => {
    const config = loadGatewayConfig({ ...secret, GATEWAY_ALLOWED_ORIGINS: ' https://portal.example.org , http://localhost:3000', GATEWAY_PORT: '', GATEWAY_GRACE_SECONDS: '0.5', GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
    expect(config.GATEWAY_ALLOWED_ORIGINS).toEqual(['https://portal.example.org', 'http://localhost:3000']);
    expect(config.GATEWAY_PORT).toBe(3001);
    expect(config.GATEWAY_GRACE_SECONDS).toBe(0.5);
    expect(config.GATEWAY_LOCAL_UNSANDBOXED).toBe('single-user');
  });

  it('names every bad variable and its rule', () => {
    const problems = problemsOf({
      GATEWAY_PORT: 'http',
      GATEWAY_ALLOWED_ORIGINS: 'https://portal.example.org/',
      GATEWAY_MAX_SESSIONS_PER_LEARNER: '0',
      GATEWAY_LOCAL_UNSANDBOXED: 'yes',
      GATEWAY_IDLE_MINUTES: '-1',
    });
    expect(problems).toEqual([
      'GATEWAY_PORT must be a number',
      expect.stringMatching(/^GATEWAY_ALLOWED_ORIGINS each entry must be an origin/),
      'GATEWAY_IDLE_MINUTES must be > 0',
      'GATEWAY_MAX_SESSIONS_PER_LEARNER must be >= 1',
      'GATEWAY_LOCAL_UNSANDBOXED must be unset or exactly "single-user"',
      expect.stringMatching(/^WORKSHOP_TOKEN_SECRET is required/),
    ]);
  });

  it('defaults and validates the sandbox identity, limits, admission and input queue', () => {
    expect(loadGatewayConfig(secret)).toMatchObject({
      GATEWAY_SANDBOX_UID: 65534,
      GATEWAY_SANDBOX_GID: 65534,
      GATEWAY_SANDBOX_PIDS: 256,
      GATEWAY_SANDBOX_MEMORY_MB: 1024,
      GATEWAY_SANDBOX_CPU_WEIGHT: 10,
      GATEWAY_SANDBOX_TMP_MB: 256,
      GATEWAY_SANDBOX_HOME_MB: 512,
      GATEWAY_MAX_TERMINALS: 200,
      GATEWAY_NEW_TERMINALS_PER_SECOND: 10,
      GATEWAY_INPUT_QUEUE_KB: 256,
    });
    expect(problemsOf({ ...secret, GATEWAY_SANDBOX_UID: '0', GATEWAY_SANDBOX_PIDS: 'many', GATEWAY_SANDBOX_MEMORY_MB: '1.5', GATEWAY_MAX_TERMINALS: '0', GATEWAY_INPUT_QUEUE_KB: '1' })).toEqual([
      'GATEWAY_SANDBOX_UID must be >= 1',
      'GATEWAY_SANDBOX_PIDS must be a number',
      'GATEWAY_SANDBOX_MEMORY_MB must be an integer',
      'GATEWAY_MAX_TERMINALS must be >= 1',
      'GATEWAY_INPUT_QUEUE_KB must be >= 16',
    ]);
  });

  it('keeps learner homes out of the trees every sandbox can read', () => {
    expect(problemsOf({ ...secret, GATEWAY_HOMES_DIR: '/opt/workshop/homes' })).toEqual([expect.stringMatching(/^GATEWAY_HOMES_DIR must not be inside \/usr, \/opt/)]);
    expect(problemsOf({ ...secret, GATEWAY_HOMES_DIR: '/optional/homes' })).toEqual([]);
  });

  it('requires a long enough shared secret', () => {
    expect(problemsOf({ WORKSHOP_TOKEN_SECRET: 'short' })).toEqual([expect.stringMatching(/^WORKSHOP_TOKEN_SECRET must be at least 32 characters/)]);
  });
});
