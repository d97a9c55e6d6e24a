import { dashboardRoute } from '../../../src/dashboards/dashboard-route';

/** The learner's bookinfo UI through the API server's service proxy (src/dashboards). */
export const GET = dashboardRoute('bookinfo');
export const HEAD = GET;
export const dynamic = 'force-dynamic';
