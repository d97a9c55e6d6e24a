import type { StepCheck } from '../../check-api';
import { injectAbort } from './inject-abort';
import { injectDelay } from './inject-delay';
import { observeAbort } from './observe-abort';
import { observeDelay } from './observe-delay';

/** Checks of lab l06-fault-injection, one per step with `check` other than `none` in labs/l06-fault-injection/lab.yaml. */
export const checks: StepCheck[] = [injectDelay, observeDelay, injectAbort, observeAbort];
