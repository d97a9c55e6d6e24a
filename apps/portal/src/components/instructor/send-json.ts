// The instructor and join pages' one way to call the API: JSON in, JSON out, and the API's own
// error message (it names what is wrong) as the thrown Error's message.

export async function sendJson<T>(url: string, method: 'POST' | 'DELETE', body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new Error(data.error?.message ?? `the server answered ${response.status}`);
  return data as T;
}
