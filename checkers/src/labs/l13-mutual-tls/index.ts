import type { StepCheck } from '../../check-api';
import { disableNamespace } from './disable-namespace';
import { meshWideStrict } from './mesh-wide-strict';
import { observePermissive } from './observe-permissive';
import { portException } from './port-exception';
import { strictNamespace } from './strict-namespace';

export const checks: StepCheck[] = [observePermissive, strictNamespace, portException, meshWideStrict, disableNamespace];
