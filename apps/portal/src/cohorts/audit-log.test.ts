import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log';

describe('audit log', () => {
  it('appends one JSON object per line, in the order events happened', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'audit-')), 'nested', 'audit.jsonl');
    const log = new AuditLog(file);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.write({ kind: 'checked', actor: `lrn-${i}`, detail: { note: 'line\nbreak' } }),
      ),
    );
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines.map((l) => (JSON.parse(l) as { actor: string }).actor)).toEqual(
      Array.from({ length: 50 }, (_, i) => `lrn-${i}`),
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'checked', detail: { note: 'line\nbreak' } });
  });
});
