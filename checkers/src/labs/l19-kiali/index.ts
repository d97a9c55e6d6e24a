import type { StepCheck } from '../../check-api';
import { breakSubset } from './break-subset';
import { fixSubset } from './fix-subset';
import { openGraph } from './open-graph';
import { trafficShifting } from './traffic-shifting';

/** L19 Kiali: graph, health, validations. */
export const checks: StepCheck[] = [openGraph, breakSubset, fixSubset, trafficShifting];
