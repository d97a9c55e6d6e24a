import type { StepCheck } from '../../check-api';
import { egressDestinationRule } from './egress-destination-rule';
import { egressGateway } from './egress-gateway';
import { egressVirtualService } from './egress-virtualservice';
import { verifyEgress } from './verify-egress';

/** Checks of lab l12-egress-gateway, one per step with `check` other than `none` in labs/l12-egress-gateway/lab.yaml. */
export const checks: StepCheck[] = [egressGateway, egressDestinationRule, egressVirtualService, verifyEgress];
