import pino, { type Logger } from 'pino';

let root: Logger | undefined;

/** JSON lines on stdout; child loggers carry learner/environment/request ids. */
export function logger(): Logger {
  root ??= pino({
    name: 'portal',
    level: process.env.PORTAL_LOG_LEVEL ?? 'info',
    redact: ['token', '*.token', 'req.headers.cookie'],
  });
  return root;
}
