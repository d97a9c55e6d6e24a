// Signed learner cookie. Web Crypto only, so the same code runs in the proxy and in route handlers.

export const learnerCookieName = 'iw_learner';
const learnerIdPattern = /^lrn-[0-9a-f]{20}$/;

function toBase64Url(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function sign(secret: string, learnerId: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return toBase64Url(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`learner:${learnerId}`)));
}

export function newLearnerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `lrn-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function encodeLearnerCookie(secret: string, learnerId: string): Promise<string> {
  return `${learnerId}.${await sign(secret, learnerId)}`;
}

/** Returns the learner id of a well-formed, correctly signed cookie, else undefined. */
export async function decodeLearnerCookie(secret: string, value: string | undefined): Promise<string | undefined> {
  if (!value) return undefined;
  const dot = value.indexOf('.');
  if (dot < 0) return undefined;
  const learnerId = value.slice(0, dot);
  if (!learnerIdPattern.test(learnerId)) return undefined;
  const expected = await sign(secret, learnerId);
  const given = value.slice(dot + 1);
  // Length check first; the comparison below runs over equal lengths without early exit.
  if (given.length !== expected.length) return undefined;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0 ? learnerId : undefined;
}
