import { dashboardRoute } from '../../../src/dashboards/dashboard-route';

/** The learner's kiali UI through the API server's service proxy (src/dashboards). */
export const GET = dashboardRoute('kiali');
export const HEAD = GET;
/** The owner's writes (Kiali's wizards) get through; see serveDashboard. */
export const POST = dashboardRoute('kiali');
export const PUT = dashboardRoute('kiali');
export const PATCH = dashboardRoute('kiali');
export const DELETE = dashboardRoute('kiali');
export const dynamic = 'force-dynamic';
