import { dashboardRoute } from '../../../src/dashboards/dashboard-route';

/** The learner's kiali UI through the API server's service proxy (src/dashboards). */
export const GET = dashboardRoute('kiali');
export const HEAD = GET;
export const dynamic = 'force-dynamic';
