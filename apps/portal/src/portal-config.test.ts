import { describe, expect, it } from 'vitest';
import { ConfigError, parsePortalConfig } from './portal-config';

const secret = 'x'.repeat(32);

function problems(env: Record<string, string>): string[] {
  try {
    parsePortalConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('portal configuration', () => {
  it('applies stated defaults', () => {
    const c = parsePortalConfig({ WORKSHOP_TOKEN_SECRET: secret });
    expect(c.PORTAL_GATEWAY_URL).toBe('ws://127.0.0.1:3001');
    expect(c.PORTAL_CHECK_TIMEOUT_SECONDS).toBe(90);
    expect(c.PORTAL_PUBLIC_URL).toBeUndefined();
    expect(c.PORTAL_CHECKS_PER_LEARNER).toBe(2);
    expect(c.PORTAL_NEW_LEARNERS_PER_MINUTE).toBe(60);
    expect(c.PORTAL_PREWARM_LEAD_MINUTES).toBe(30);
    expect(c.PORTAL_OIDC_ISSUER).toBeUndefined();
    expect(c.PORTAL_OIDC_AUTO_CREATE).toBe(false);
    expect(parsePortalConfig({ WORKSHOP_TOKEN_SECRET: secret, PORTAL_PUBLIC_URL: 'https://workshop.example.org/' }).PORTAL_PUBLIC_URL).toBe(
      'https://workshop.example.org/',
    );
    expect(c.databasePath).toMatch(/\.data\/portal\.sqlite$/);
    expect(c.database).toEqual({ kind: 'sqlite', file: c.databasePath });
    expect(parsePortalConfig({ WORKSHOP_TOKEN_SECRET: secret, DATABASE_URL: 'postgres://w@db/workshop' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://w@db/workshop',
    });
  });

  it.each([
    [{}, 'WORKSHOP_TOKEN_SECRET is required'],
    [{ WORKSHOP_TOKEN_SECRET: 'short' }, 'WORKSHOP_TOKEN_SECRET must be at least 32 characters'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_GATEWAY_URL: 'http://x' }, 'PORTAL_GATEWAY_URL must be a ws:// or wss:// URL'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_CHECK_TIMEOUT_SECONDS: 'soon' }, 'PORTAL_CHECK_TIMEOUT_SECONDS'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_LOG_LEVEL: 'loud' }, 'PORTAL_LOG_LEVEL'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_PUBLIC_URL: 'workshop.example.org' }, 'PORTAL_PUBLIC_URL must be an http:// or https:// URL'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_PUBLIC_URL: 'https://workshop.example.org/labs' }, 'PORTAL_PUBLIC_URL must be an http:// or https:// URL with no path'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_CHECKS_PER_LEARNER: '0' }, 'PORTAL_CHECKS_PER_LEARNER'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_NEW_LEARNERS_PER_MINUTE: 'many' }, 'PORTAL_NEW_LEARNERS_PER_MINUTE'],
    [{ WORKSHOP_TOKEN_SECRET: secret, DATABASE_URL: 'mysql://u@h/db' }, 'only postgres:// is supported'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_PREWARM_LEAD_MINUTES: '-5' }, 'PORTAL_PREWARM_LEAD_MINUTES'],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_OIDC_ISSUER: 'http://idp.example.org' }, 'PORTAL_OIDC_ISSUER must be an https:// URL'],
    [
      { WORKSHOP_TOKEN_SECRET: secret, PORTAL_PUBLIC_URL: 'https://w.example.org', PORTAL_OIDC_ISSUER: 'https://idp.example.org' },
      'PORTAL_OIDC_CLIENT_ID is required when PORTAL_OIDC_ISSUER is set',
    ],
    [
      { WORKSHOP_TOKEN_SECRET: secret, PORTAL_OIDC_ISSUER: 'https://idp.example.org', PORTAL_OIDC_CLIENT_ID: 'c', PORTAL_OIDC_CLIENT_SECRET: 's' },
      'PORTAL_PUBLIC_URL is required for OIDC sign-in',
    ],
    [{ WORKSHOP_TOKEN_SECRET: secret, PORTAL_OIDC_AUTO_CREATE: 'yes' }, 'PORTAL_OIDC_AUTO_CREATE must be 1'],
  ])('names the variable and the rule for %j', (env, fragment) => {
    expect(problems(env as Record<string, string>).join('\n')).toContain(fragment);
  });
});
