import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabs } from './load-labs';

/**
 * The portal runs a lab's setup.sh and never its cleanup.sh (labs/README.md, "Cleanup policy"), so a
 * lesson must not tell learners that a cleanup removes something for them.
 */
describe('lessons promise only what the portal does', () => {
  for (const lab of loadLabs().labs) {
    it(`${lab.id} does not rely on cleanup.sh running`, () => {
      const text = readFileSync(path.join(lab.dir, 'index.mdx'), 'utf8');
      const claims = text.split('\n').filter((line) => /\bclean-?up(\.sh)?\b/i.test(line) && !/kubectl/.test(line));
      expect(claims).toEqual([]);
    });
  }

  for (const lab of loadLabs().labs) {
    it(`${lab.id} pauses between a call and reading the log line it wrote`, () => {
      // Envoy flushes access logs about once a second, and a mirrored request lands after the answer.
      const text = readFileSync(path.join(lab.dir, 'index.mdx'), 'utf8');
      for (const block of text.matchAll(/```sh run\n([\s\S]*?)```/g)) {
        let called = false;
        for (const line of (block[1] ?? '').split('\n')) {
          if (/\bcurl\b/.test(line) && !/\blogs\b/.test(line)) called = true;
          else if (/^sleep\b/.test(line.trim())) called = false;
          else if (/kubectl .*\blogs\b/.test(line)) expect(called, `${lab.id}: "${line}" right after a call`).toBe(false);
        }
      }
    });
  }
});
