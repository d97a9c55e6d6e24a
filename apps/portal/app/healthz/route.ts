import { NextResponse } from 'next/server';
import { sql } from 'kysely';
import { labCatalog } from '../../src/labs/lab-catalog';
import { portal } from '../../src/portal-services';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    const { db } = await portal();
    await sql`SELECT 1`.execute(db);
    return NextResponse.json({ status: 'ok', labs: labCatalog().labs.length });
  } catch (error) {
    return NextResponse.json({ status: 'error', message: (error as Error).message }, { status: 503 });
  }
}
