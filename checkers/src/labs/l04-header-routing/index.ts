import type { StepCheck } from '../../check-api';
import { routeJason } from './route-jason';
import { verifyUsers } from './verify-users';

/** L04 Header-based routing for the user jason. */
export const checks: StepCheck[] = [routeJason, verifyUsers];
