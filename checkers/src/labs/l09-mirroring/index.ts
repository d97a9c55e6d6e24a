import type { StepCheck } from '../../check-api';
import { mirrorV2 } from './mirror-v2';
import { observeMirror } from './observe-mirror';
import { routeV1 } from './route-v1';

/** Checks of lab l09-mirroring, one per step with `check` other than `none` in labs/l09-mirroring/lab.yaml. */
export const checks: StepCheck[] = [routeV1, mirrorV2, observeMirror];
