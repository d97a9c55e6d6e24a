import type { StepCheck } from '../../check-api';
import { istioDashboards } from './istio-dashboards';
import { myDashboard } from './my-dashboard';

export const checks: StepCheck[] = [istioDashboards, myDashboard];
