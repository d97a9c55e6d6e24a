import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api-error';
import { jsonBody, maxBodyBytes, readBodyText } from './json-body';

/** A request whose body is produced on demand, counting the bytes the reader pulled. */
function streamedRequest(totalBytes: number, chunkBytes = 16 * 1024, headers: Record<string, string> = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= totalBytes) return controller.close();
        const size = Math.min(chunkBytes, totalBytes - pulled);
        pulled += size;
        controller.enqueue(new Uint8Array(size).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request('http://127.0.0.1/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
  return { request, pulled: () => pulled };
}

describe('readBodyText', () => {
  it('stops reading an oversized streamed body at the limit and answers 413', async () => {
    const { request, pulled } = streamedRequest(10 * 1024 * 1024);
    const error = await readBodyText(request, 'reveal').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(413);
    expect((error as ApiError).message).toBe('reveal: body larger than 64 KiB');
    // Read up to the limit plus at most the chunk that crossed it (and one the stream had queued).
    expect(pulled()).toBeLessThanOrEqual(maxBodyBytes + 2 * 16 * 1024);
  });

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    const { request, pulled } = streamedRequest(maxBodyBytes + 1, 16 * 1024, { 'content-length': String(maxBodyBytes + 1) });
    await expect(readBodyText(request, 'reveal')).rejects.toMatchObject({ status: 413 });
    expect(pulled()).toBe(0);
  });

  it('reads a body at the limit whole', async () => {
    const { request } = streamedRequest(maxBodyBytes);
    expect((await readBodyText(request, 'reveal')).length).toBe(maxBodyBytes);
  });
});

describe('jsonBody', () => {
  const schema = z.object({ what: z.enum(['hint', 'solution']) }).strict();
  const json = (text: string) => new Request('http://127.0.0.1/api/x', { method: 'POST', body: text });

  it('parses and validates, naming the bad field', async () => {
    expect(await jsonBody(json('{"what":"hint"}'), schema, 'reveal')).toEqual({ what: 'hint' });
    await expect(jsonBody(json('{"what":"answers"}'), schema, 'reveal')).rejects.toThrow(/^reveal: what:/);
    await expect(jsonBody(json('{nope'), schema, 'reveal')).rejects.toThrow('reveal: body is not valid JSON');
  });
});
