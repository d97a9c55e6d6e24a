import type { ZodType } from 'zod';
import { ApiError } from './api-error';

/** The largest API request body; nothing the browser sends comes close. */
export const maxBodyBytes = 64 * 1024;

/**
 * Reads a request body as it streams in and stops at `limit` bytes: an oversized or endless
 * upload costs at most `limit` bytes of memory, and is refused by its Content-Length before
 * any byte is read when it declares one.
 */
export async function readBodyText(request: Request, what: string, limit = maxBodyBytes): Promise<string> {
  const tooLarge = () => new ApiError('too-large', `${what}: body larger than ${Math.round(limit / 1024)} KiB`);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop pulling: the rest of the upload is never read into memory.
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Reads a JSON body (bounded while streaming) and validates it, naming the bad field. */
export async function jsonBody<T>(request: Request, schema: ZodType<T>, what: string): Promise<T> {
  const text = await readBodyText(request, what);
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError('invalid-input', `${what}: body is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ApiError.fromZod(what, parsed.error);
  return parsed.data;
}
