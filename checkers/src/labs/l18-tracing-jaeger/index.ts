import type { StepCheck } from '../../check-api';
import { enableTracing } from './enable-tracing';
import { findTraces } from './find-traces';
import { spanTag } from './span-tag';
import { traceHeaders } from './trace-headers';

export const checks: StepCheck[] = [enableTracing, findTraces, traceHeaders, spanTag];
