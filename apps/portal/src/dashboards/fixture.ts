import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A recorded answer under fixtures/<addon>-<version>/ (see fixtures/README.md for how they were made). */
export function fixture(folder: string, name: string): unknown {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', folder, name), 'utf8')) as unknown;
}
