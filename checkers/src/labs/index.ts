import type { StepCheck } from '../check-api';
import { checks as l01 } from './l01-sidecar-injection';
import { checks as l02 } from './l02-ingress-gateway';
import { checks as l03 } from './l03-subsets';
import { checks as l04 } from './l04-header-routing';
import { checks as l05 } from './l05-canary';
import { checks as l06 } from './l06-fault-injection';
import { checks as l07 } from './l07-timeouts-retries';
import { checks as l08 } from './l08-circuit-breaking';
import { checks as l09 } from './l09-mirroring';
import { checks as l10 } from './l10-load-balancing';
import { checks as l11 } from './l11-egress-serviceentry';
import { checks as l12 } from './l12-egress-gateway';
import { checks as l13 } from './l13-mutual-tls';
import { checks as l14 } from './l14-jwt-authentication';
import { checks as l15 } from './l15-authorization';
import { checks as l16 } from './l16-metrics-prometheus';
import { checks as l17 } from './l17-grafana-dashboards';
import { checks as l18 } from './l18-tracing-jaeger';
import { checks as l19 } from './l19-kiali';
import { checks as l20 } from './l20-access-logs';

/**
 * Every lab's checks, keyed by lab id: the one place a lab is registered in code (its content is the
 * folder labs/<lab-id>/). The registry, the CLI's --list, the solution replay and the bench all read
 * this. Static imports (not a directory scan) so bundlers such as the portal's Next.js build see them;
 * registry.test.ts checks the keys against every lab.yaml and each check's labId against its key.
 */
export const checksByLab: Readonly<Record<string, readonly StepCheck[]>> = {
  'l01-sidecar-injection': l01,
  'l02-ingress-gateway': l02,
  'l03-subsets': l03,
  'l04-header-routing': l04,
  'l05-canary': l05,
  'l06-fault-injection': l06,
  'l07-timeouts-retries': l07,
  'l08-circuit-breaking': l08,
  'l09-mirroring': l09,
  'l10-load-balancing': l10,
  'l11-egress-serviceentry': l11,
  'l12-egress-gateway': l12,
  'l13-mutual-tls': l13,
  'l14-jwt-authentication': l14,
  'l15-authorization': l15,
  'l16-metrics-prometheus': l16,
  'l17-grafana-dashboards': l17,
  'l18-tracing-jaeger': l18,
  'l19-kiali': l19,
  'l20-access-logs': l20,
};

export const allChecks: StepCheck[] = Object.values(checksByLab).flat();
