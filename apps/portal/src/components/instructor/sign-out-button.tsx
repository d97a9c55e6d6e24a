'use client';

import { sendJson } from './send-json';

export function SignOutButton() {
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => void sendJson('/api/instructor/session', 'DELETE').finally(() => window.location.assign('/instructor/sign-in'))}
    >
      Sign out
    </button>
  );
}
