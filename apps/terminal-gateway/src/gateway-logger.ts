// JSON logs for the gateway. Tokens never appear: code logs paths without query strings, and
// these redactions catch any token or secret that would slip into a log object anyway.
import { pino, type Logger } from 'pino';

export function createGatewayLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'terminal-gateway' },
    redact: { paths: ['token', '*.token', 'url', '*.url', 'req.url', 'WORKSHOP_TOKEN_SECRET', '*.WORKSHOP_TOKEN_SECRET'], censor: '[redacted]' },
  });
}
