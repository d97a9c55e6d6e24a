import type { StepCheck } from '../../check-api';
import { bindVirtualService } from './bind-virtualservice';
import { callThroughGateway } from './call-through-gateway';
import { createGateway } from './create-gateway';

/** L02 Ingress Gateway: expose httpbin (ns intro) as httpbin.example.com. */
export const checks: StepCheck[] = [createGateway, bindVirtualService, callThroughGateway];
