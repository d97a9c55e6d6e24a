// Runs once when the portal server starts: open the database, load every lab and start the
// environment service now, so a bad setting or a broken lab stops the portal at start with the
// file and field, not at a learner's first click.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startPortal } = await import('./src/start-portal');
  await startPortal();
}
