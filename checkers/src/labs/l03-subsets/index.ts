import type { StepCheck } from '../../check-api';
import { destinationRules } from './destination-rules';
import { observeV1 } from './observe-v1';
import { routeToV1 } from './route-to-v1';

/** L03 Subsets and "everything to v1". */
export const checks: StepCheck[] = [destinationRules, routeToV1, observeV1];
