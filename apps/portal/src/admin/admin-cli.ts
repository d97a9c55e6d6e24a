// Entry point of `npm run admin`: opens the portal's database (DATABASE_URL or the SQLite file the
// portal uses) and runs one command.

import { environmentMigrations, describeDatabaseLocation } from '@istio-workshop/clusters';
import { openDatabase } from '../db/open-database';
import { databaseLocationFromEnv } from '../portal-config';
import { runAdminCommand } from './admin-command';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (not echoed if your terminal hides it), then Ctrl-D: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const location = databaseLocationFromEnv(process.env);
const db = await openDatabase(location, environmentMigrations);
try {
  process.exitCode = await runAdminCommand(process.argv.slice(2), db, {
    readStdin,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} catch (error) {
  console.error(`admin: ${(error as Error).message} (database ${describeDatabaseLocation(location)})`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
