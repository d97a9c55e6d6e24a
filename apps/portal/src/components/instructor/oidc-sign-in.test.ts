import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OidcSignIn } from './oidc-sign-in';

const render = (issuerName: string | undefined, problem?: string) =>
  renderToStaticMarkup(createElement(OidcSignIn, { issuerName, problem }));

describe('the OIDC part of the sign-in page', () => {
  it('is absent when no issuer is configured, whatever the link says', () => {
    expect(render(undefined)).toBe('');
    expect(render(undefined, 'unknown-email')).toBe('');
  });

  it('offers the issuer by name and links to the start route', () => {
    const html = render('Staff SSO');
    expect(html).toContain('Sign in with Staff SSO');
    expect(html).toContain('href="/api/instructor/oidc/start"');
    expect(html).not.toContain('role="alert"');
  });

  it('says why the last attempt failed, only in its own words', () => {
    expect(render('Staff SSO', 'unknown-email')).toContain('no instructor account here has that email');
    expect(render('Staff SSO', '<script>alert(1)</script>')).not.toContain('role="alert"');
  });
});
