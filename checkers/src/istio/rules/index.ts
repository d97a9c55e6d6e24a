/**
 * The rule library: one function per Istio meaning, each citing the Istio 1.30 source or docs it
 * follows. Lab checks combine these with their lab's parameters; see checkers/README.md.
 */
export * from './host-names';
export * from './export-to';
export * from './gateway-refs';
export * from './object-refs';
export * from './virtual-services-for-host';
export * from './destination-rule-for-host';
export * from './subsets';
export * from './route-weights';
export * from './workload-readiness';
export * from './injection-state';
export * from './gateway-hosts';
export * from './policy-for-workload';
export * from './effective-fault';
export * from './effective-load-balancer';
export * from './effective-mirror';
export * from './effective-outlier';
export * from './effective-retries';
export * from './effective-timeout';
export * from './effective-traffic-policy';
export * from './header-match';
export * from './effective-mtls';
export * from './metric-tags';
export * from './authorization';
export * from './request-authentication';
export * from './access-logging';
export * from './tracing';
