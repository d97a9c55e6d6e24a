'use client';

import type { FormEvent } from 'react';
import { sendJson, useSubmit } from './send-json';

export function SignInForm() {
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      await sendJson('/api/instructor/session', 'POST', { email: form.get('email'), password: form.get('password') });
      window.location.assign('/instructor');
    }, true);
  }

  return (
    <form className="stacked-form" onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p id="sign-in-error" className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
