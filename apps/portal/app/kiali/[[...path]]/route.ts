import { dashboardRoute } from '../../../src/dashboards/dashboard-route';

/** The learner's kiali UI through the API server's service proxy (src/dashboards). */
export const GET = dashboardRoute('kiali');
export const HEAD = GET;
/** The owner's writes (Kiali's wizards) get through; see serveDashboard. */
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
export const dynamic = 'force-dynamic';
