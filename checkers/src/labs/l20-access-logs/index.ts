import type { StepCheck } from '../../check-api';
import { errorsOnly } from './errors-only';
import { filteredLogs } from './filtered-logs';
import { readAccessLog } from './read-access-log';

export const checks: StepCheck[] = [readAccessLog, errorsOnly, filteredLogs];
