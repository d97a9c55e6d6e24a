import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PortalMetrics {
  registry: Registry;
  checkRuns: Counter<'lab' | 'outcome'>;
  checkDuration: Histogram<'lab'>;
  checkRequests: Counter<'outcome'>;
  apiErrors: Counter<'code'>;
  environmentAssignments: Counter<'result'>;
}

let metrics: PortalMetrics | undefined;

export function portalMetrics(): PortalMetrics {
  if (metrics) return metrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portal_' });
  metrics = {
    registry,
    checkRuns: new Counter({
      name: 'portal_check_runs_total',
      help: 'Step checks run, by lab and outcome.',
      labelNames: ['lab', 'outcome'],
      registers: [registry],
    }),
    checkDuration: new Histogram({
      name: 'portal_check_duration_seconds',
      help: 'Wall time of step checks.',
      labelNames: ['lab'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    checkRequests: new Counter({
      name: 'portal_check_requests_total',
      help: 'Requests for a step check: started a run, joined the running one of the same step, or refused (learner at their limit).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    apiErrors: new Counter({
      name: 'portal_api_errors_total',
      help: 'API answers with an error, by code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    environmentAssignments: new Counter({
      name: 'portal_environment_assignments_total',
      help: 'Environment assignments for learners, by result.',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
  return metrics;
}
