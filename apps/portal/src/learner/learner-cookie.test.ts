import { describe, expect, it } from 'vitest';
import { decodeLearnerCookie, encodeLearnerCookie, newLearnerId } from './learner-cookie';

const secret = 'a-secret-of-at-least-thirty-two-characters';

describe('learner cookie', () => {
  it('round-trips a fresh learner id', async () => {
    const id = newLearnerId();
    expect(id).toMatch(/^lrn-[0-9a-f]{20}$/);
    expect(await decodeLearnerCookie(secret, await encodeLearnerCookie(secret, id))).toBe(id);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without signature', 'lrn-0123456789abcdef0123'],
    ['with a forged signature', 'lrn-0123456789abcdef0123.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['with a malformed id', 'lrn-XYZ.abc'],
  ])('rejects a cookie %s', async (_name, value) => {
    expect(await decodeLearnerCookie(secret, value)).toBeUndefined();
  });

  it('rejects a valid cookie moved to another learner id or signed with another secret', async () => {
    const cookie = await encodeLearnerCookie(secret, 'lrn-0123456789abcdef0123');
    const signature = cookie.split('.')[1];
    expect(await decodeLearnerCookie(secret, `lrn-0123456789abcdef0124.${signature}`)).toBeUndefined();
    expect(await decodeLearnerCookie(`${secret}-other`, cookie)).toBeUndefined();
  });
});
