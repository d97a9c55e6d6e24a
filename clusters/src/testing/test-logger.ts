// A pino logger for tests: silent unless CLUSTERS_TEST_LOG is set, so failures can be replayed with logs.

import { pino, type Logger } from 'pino';

export function testLogger(): Logger {
  return pino({ level: process.env.CLUSTERS_TEST_LOG ?? 'silent' });
}
