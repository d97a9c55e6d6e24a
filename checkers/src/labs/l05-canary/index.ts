import type { StepCheck } from '../../check-api';
import { observeSplit } from './observe-split';
import { promoteV3 } from './promote-v3';
import { rollBack } from './roll-back';
import { split5050 } from './split-50-50';
import { split9010 } from './split-90-10';

/** Checks of lab l05-canary, one per step with `check` other than `none` in labs/l05-canary/lab.yaml. */
export const checks: StepCheck[] = [split9010, split5050, observeSplit, promoteV3, rollBack];
