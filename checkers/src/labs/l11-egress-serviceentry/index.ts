import type { StepCheck } from '../../check-api';
import { callExternalCheck } from './call-external';
import { egressTimeout } from './egress-timeout';
import { registryOnly } from './registry-only';
import { serviceEntry } from './service-entry';

/** Checks of lab l11-egress-serviceentry, one per step with `check` other than `none` in labs/l11-egress-serviceentry/lab.yaml. */
export const checks: StepCheck[] = [callExternalCheck, registryOnly, serviceEntry, egressTimeout];
