import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { assertJsonContentType, assertSameOrigin, portalOrigin } from './request-guards';

const post = (headers: Record<string, string>, url = 'http://127.0.0.1:3000/api/x') => new Request(url, { method: 'POST', headers });

function refusal(check: () => void): ApiError | undefined {
  try {
    check();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  return undefined;
}

describe('portalOrigin', () => {
  it('is the public URL when set, else the scheme and Host the request was made to', () => {
    expect(portalOrigin(post({}), 'https://workshop.example.org/')).toBe('https://workshop.example.org');
    expect(portalOrigin(post({ host: 'localhost:3000' }), undefined)).toBe('http://localhost:3000');
  });
});

describe('assertSameOrigin', () => {
  const own = 'http://127.0.0.1:3000';

  it('accepts the portal’s own pages', () => {
    expect(refusal(() => assertSameOrigin(post({ origin: own, 'sec-fetch-site': 'same-origin' }), own))).toBeUndefined();
    expect(refusal(() => assertSameOrigin(post({ origin: own }), own))).toBeUndefined();
    expect(refusal(() => assertSameOrigin(post({ 'sec-fetch-site': 'same-origin' }), own))).toBeUndefined();
  });

  it.each([
    ['another site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'cross-site request refused'],
    ['a learner’s server on another port', { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' }, 'Sec-Fetch-Site: same-site'],
    ['another origin without fetch metadata', { origin: 'http://127.0.0.1:8080' }, 'Origin http://127.0.0.1:8080 is not the portal'],
    ['no Origin and no fetch metadata', {}, "send the portal's own Origin header (http://127.0.0.1:3000)"],
  ])('refuses %s with 403 and says why', (_name, headers, fragment) => {
    const error = refusal(() => assertSameOrigin(post(headers), own));
    expect(error?.status).toBe(403);
    expect(error?.message).toContain(fragment);
  });
});

describe('assertJsonContentType', () => {
  it('accepts JSON with or without parameters', () => {
    expect(refusal(() => assertJsonContentType(post({ 'content-type': 'application/json' })))).toBeUndefined();
    expect(refusal(() => assertJsonContentType(post({ 'content-type': 'Application/JSON; charset=utf-8' })))).toBeUndefined();
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', '"application/x-www-form-urlencoded"'],
    ['plain text', 'text/plain', '"text/plain"'],
  ])('refuses %s with 415', (_name, type, fragment) => {
    const error = refusal(() => assertJsonContentType(post({ 'content-type': type })));
    expect(error?.status).toBe(415);
    expect(error?.message).toContain(`accepts only Content-Type: application/json, got ${fragment}`);
  });

  it('refuses a body without a type', () => {
    expect(refusal(() => assertJsonContentType(post({})))?.message).toContain('got none');
  });

  it('lets a bare DELETE through, but not a DELETE with a body of another type', () => {
    const del = (headers: Record<string, string>) => new Request('http://portal.test/x', { method: 'DELETE', headers });
    expect(refusal(() => assertJsonContentType(del({})))).toBeUndefined();
    expect(refusal(() => assertJsonContentType(del({ 'content-length': '0' })))).toBeUndefined();
    expect(refusal(() => assertJsonContentType(del({ 'content-length': '12', 'content-type': 'text/plain' })))?.message).toContain('got "text/plain"');
  });
});
