// Runs once when the portal server starts: open the database, load every lab and start the
// environment service now, so a bad setting or a broken lab stops the portal at start with the
// file and field, not at a learner's first click.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { portal } = await import('./src/portal-services');
  try {
    await portal();
  } catch (error) {
    console.error(`portal: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
