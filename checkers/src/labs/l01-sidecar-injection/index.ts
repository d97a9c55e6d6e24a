import type { StepCheck } from '../../check-api';
import { deployWorkloads } from './deploy-workloads';
import { labelNamespace } from './label-namespace';
import { manualInjection } from './manual-injection';
import { optOut } from './opt-out';
import { restartWorkloads } from './restart-workloads';
import { verifyMesh } from './verify-mesh';

/** L01 Sidecar injection; `explore-control-plane` is a reading step (check: none). */
export const checks: StepCheck[] = [deployWorkloads, labelNamespace, restartWorkloads, manualInjection, optOut, verifyMesh];
