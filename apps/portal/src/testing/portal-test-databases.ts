// Test helper: the portal's store tests run on both databases the portal supports. Each call to
// `location()` names a new empty database (a temp SQLite file, or a new PostgreSQL database on the
// server the unit run started); open it with openDatabase, as the portal does.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseLocation } from '@istio-workshop/clusters';
import { createTestPostgresDatabase, testPostgresUrl } from '@istio-workshop/clusters/testing/test-databases';

export interface PortalTestDatabase {
  kind: DatabaseLocation['kind'];
  location(): Promise<DatabaseLocation>;
}

export function portalTestDatabases(): PortalTestDatabase[] {
  const variants: PortalTestDatabase[] = [
    {
      kind: 'sqlite',
      location: async () => ({ kind: 'sqlite', file: path.join(mkdtempSync(path.join(tmpdir(), 'portal-db-')), 'portal.sqlite') }),
    },
  ];
  const server = testPostgresUrl();
  if (server) variants.push({ kind: 'postgres', location: async () => ({ kind: 'postgres', url: await createTestPostgresDatabase(server) }) });
  return variants;
}
