import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureDirectoryBytes, watchHomeUsage } from './home-usage-watcher';
import { eventually } from './gateway-test-support';

describe('home usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-du-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures a directory with du', async () => {
    writeFileSync(join(dir, 'a'), Buffer.alloc(256 * 1024, 1));
    expect(await measureDirectoryBytes(dir)).toBeGreaterThanOrEqual(256 * 1024);
    await expect(measureDirectoryBytes(join(dir, 'absent'))).rejects.toThrow();
  });

  it('warns on the first look over the limit, forgives a cleanup, ends on a second look over', async () => {
    const usage = [10, 200, 10, 200, 300];
    const events: string[] = [];
    const stop = watchHomeUsage({
      home: dir,
      limitBytes: 100,
      intervalMs: 1,
      measure: async () => usage.shift() ?? 0,
      warn: (used) => events.push(`warn ${used}`),
      exceed: (used) => events.push(`exceed ${used}`),
    });
    await eventually(() => events.length === 3, 'three verdicts');
    stop();
    expect(events).toEqual(['warn 200', 'warn 200', 'exceed 300']);
  });
});
