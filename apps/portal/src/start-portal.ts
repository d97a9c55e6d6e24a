import { portal } from './portal-services';

/**
 * Node-only half of instrumentation.ts: kept in its own module so the Edge bundle never sees
 * `process.exit` (Next compiles instrumentation for both runtimes).
 */
export async function startPortal(): Promise<void> {
  try {
    await portal();
  } catch (error) {
    console.error(`portal: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
