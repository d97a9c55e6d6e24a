import type { StepCheck } from '../../check-api';
import { ingressJwt } from './ingress-jwt';
import { inlineJwks } from './inline-jwks';
import { requireGroup } from './require-group';
import { requireJwt } from './require-jwt';
import { tryTokens } from './try-tokens';

export const checks: StepCheck[] = [inlineJwks, tryTokens, requireJwt, requireGroup, ingressJwt];
