import { portalMetrics } from '../../src/observability/portal-metrics';

export const dynamic = 'force-dynamic';

export async function GET() {
  const { registry } = portalMetrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
}
