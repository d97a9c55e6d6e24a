// Signed, short-lived terminal tokens shared by the portal (mints) and the gateway (verifies).
// Format: <base64url(JSON payload)>.<base64url(HMAC-SHA256(secret, first part))>.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';
import { terminalRoleSchema } from './terminal-protocol';

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => isAbsolute(p) && normalize(p) === p && !p.includes('\0'), {
    message: 'must be a normalized absolute path',
  });

/** The learner's home key: names the private HOME directory on the gateway host. */
export const learnerHomeKeySchema = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must match [a-z0-9-]{1,64}');

const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label');

/** A shell on the gateway host, sandboxed with bubblewrap, with a private HOME per learner. */
export const localTargetSchema = z.object({
  kind: z.literal('local'),
  home: learnerHomeKeySchema,
  /** Absolute path on the gateway host; mounted read-only as the shell's ~/.kube/config. */
  kubeconfig: absolutePath.optional(),
  /** The cluster's ingress gateway as the gateway host reaches it; relayed into the sandbox as $GATEWAY_URL. */
  ingress: z
    .object({
      host: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host name or IP address'),
      httpPort: z.number().int().min(1).max(65535),
      httpsPort: z.number().int().min(1).max(65535).optional(),
    })
    .optional(),
});

/** `kubectl exec` into a pod of the learner's cluster (the toolbox), e.g. under tmux. */
export const kubectlExecTargetSchema = z.object({
  kind: z.literal('kubectl-exec'),
  kubeconfig: absolutePath,
  namespace: dnsLabel,
  /** A pod name or `<kind>/<name>`, as kubectl accepts it, e.g. `deploy/toolbox`. */
  pod: z.string().regex(/^[a-z0-9]([a-z0-9./-]{0,251}[a-z0-9])?$/, 'must be a pod name or kind/name'),
  container: dnsLabel.optional(),
  command: z.array(z.string().min(1).max(1024)).min(1).max(64),
});

export const terminalTargetSchema = z.discriminatedUnion('kind', [localTargetSchema, kubectlExecTargetSchema]);
export type TerminalTarget = z.infer<typeof terminalTargetSchema>;
export type LocalTarget = z.infer<typeof localTargetSchema>;
export type KubectlExecTarget = z.infer<typeof kubectlExecTargetSchema>;

export { terminalRoleSchema };
export type TerminalRole = z.infer<typeof terminalRoleSchema>;

export const terminalTokenPayloadSchema = z.object({
  v: z.literal(1),
  /** Learner id (for an observer: the instructor's id). */
  sub: z.string().min(1).max(256),
  /** Environment id; must equal the environment in the WebSocket path. */
  env: z.string().min(1).max(256),
  role: terminalRoleSchema,
  /** Issued at, unix seconds. */
  iat: z.number().int().nonnegative(),
  /** Expires at, unix seconds. */
  exp: z.number().int().positive(),
  /** Unique id of this ticket (128 random bits, base64url): lets the gateway accept each ticket once. */
  jti: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be a base64url id of 22 to 64 characters'),
  target: terminalTargetSchema,
});
export type TerminalTokenPayload = z.infer<typeof terminalTokenPayloadSchema>;
/** What the portal supplies; the mint function stamps `iat`, `exp` and a fresh `jti`. */
export type TerminalTokenClaims = Omit<TerminalTokenPayload, 'iat' | 'exp' | 'jti'>;

export type TerminalTokenErrorReason = 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid';

export class TerminalTokenError extends Error {
  constructor(
    readonly reason: TerminalTokenErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'TerminalTokenError';
  }
}

// Tokens come from the portal's clock, which may run slightly ahead of ours.
const clockSkewSeconds = 30;
const maxTokenLength = 8192;
const base64url = /^[A-Za-z0-9_-]+$/;

function sign(secret: string, encodedPayload: string): Buffer {
  return createHmac('sha256', secret).update(encodedPayload).digest();
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < 32)
    throw new Error('terminal token secret must be a string of at least 32 characters');
}

/** Mints a token valid for `ttlSeconds` from now. Throws if the claims do not match the schema. */
export function mintTerminalToken(
  secret: string,
  claims: TerminalTokenClaims,
  ttlSeconds = 120,
  nowMs: number = Date.now(),
): string {
  assertSecret(secret);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  const iat = Math.floor(nowMs / 1000);
  const jti = randomBytes(16).toString('base64url');
  const payload = terminalTokenPayloadSchema.parse({ ...claims, iat, exp: iat + ttlSeconds, jti });
  const encodedPayload = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encodedPayload}.${sign(secret, encodedPayload).toString('base64url')}`;
}

/** Verifies signature (constant time), shape and validity window; throws TerminalTokenError with a reason. */
export function verifyTerminalToken(secret: string, token: string, nowMs: number = Date.now()): TerminalTokenPayload {
  assertSecret(secret);
  if (typeof token !== 'string' || token.length === 0 || token.length > maxTokenLength)
    throw new TerminalTokenError('malformed', 'the token is empty or too long');
  const parts = token.split('.');
  const [encodedPayload, encodedSignature] = parts;
  if (parts.length !== 2 || !encodedPayload || !encodedSignature || !base64url.test(encodedPayload) || !base64url.test(encodedSignature))
    throw new TerminalTokenError('malformed', 'the token is not <payload>.<signature> in base64url');

  // Check the signature before looking inside: an unsigned payload is never parsed.
  // Compare the canonical text, not decoded bytes: base64url decoding ignores trailing bits, so
  // byte comparison would accept several spellings of one signature.
  const expected = Buffer.from(sign(secret, encodedPayload).toString('base64url'), 'utf8');
  const given = Buffer.from(encodedSignature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new TerminalTokenError('bad-signature', 'the token signature does not match');

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  } catch {
    throw new TerminalTokenError('malformed', 'the token payload is not JSON');
  }
  const parsed = terminalTokenPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TerminalTokenError('malformed', `the token payload is invalid: ${issues}`);
  }
  const payload = parsed.data;
  const now = Math.floor(nowMs / 1000);
  if (payload.exp <= now) throw new TerminalTokenError('expired', 'the token has expired; ask the portal for a new one');
  if (payload.iat > now + clockSkewSeconds) throw new TerminalTokenError('not-yet-valid', 'the token is not valid yet (clock skew?)');
  return payload;
}
