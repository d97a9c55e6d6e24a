import { dashboardRoute } from '../../../src/dashboards/dashboard-route';

/** The learner's grafana UI through the API server's service proxy (src/dashboards). */
export const GET = dashboardRoute('grafana');
export const HEAD = GET;
/** The owner's writes (saving a dashboard, panel queries) get through; see serveDashboard. */
export const POST = dashboardRoute('grafana');
export const PUT = dashboardRoute('grafana');
export const PATCH = dashboardRoute('grafana');
export const DELETE = dashboardRoute('grafana');
export const dynamic = 'force-dynamic';
