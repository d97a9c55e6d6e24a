import { useState } from 'react';

// The instructor and join pages' one way to call the API: JSON in, JSON out, and the API's own
// error message (it names what is wrong) as the thrown Error's message.

/** The API's error answer: its message, and the body's other fields (e.g. `opensAt`). */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export async function sendJson<T>(url: string, method: 'POST' | 'DELETE', body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } & Record<string, unknown> };
  if (!response.ok) throw new ApiCallError(data.error?.message ?? `the server answered ${response.status}`, data.error ?? {});
  return data as T;
}

/**
 * A form's submit state: `run` clears the last error, marks the form busy and runs the action;
 * a thrown error becomes the message shown. `keepBusy`: the action navigates away on success.
 */
export function useSubmit(): { busy: boolean; error: string | null; run(action: () => Promise<void>, keepBusy?: boolean): Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    async run(action, keepBusy = false) {
      setBusy(true);
      setError(null);
      try {
        await action();
        if (!keepBusy) setBusy(false);
      } catch (e) {
        setError((e as Error).message);
        setBusy(false);
      }
    },
  };
}
