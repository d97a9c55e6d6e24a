import { dashboardRoute } from '../../../src/dashboards/dashboard-route';

/** The learner's grafana UI through the API server's service proxy (src/dashboards). */
export const GET = dashboardRoute('grafana');
export const HEAD = GET;
/** Only `POST /grafana/api/ds/query` (panel data) gets through; see serveDashboard. */
export const POST = dashboardRoute('grafana');
export const dynamic = 'force-dynamic';
