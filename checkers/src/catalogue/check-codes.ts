/**
 * The catalogue of every assertion code a check can report: severity when it does not pass, a title
 * and a hint template with `{named}` parameters, the Istio or Kubernetes concept it teaches and a docs
 * link (a path on istio.io). `hints` holds the other causes a check can name (the hint overrides a
 * lesson picks). catalogue/check-codes.test.ts fails when a source uses a code missing here, or this
 * holds a code nothing uses.
 */

export interface Concept {
  name: string;
  /** Path on https://istio.io */
  docs: string;
}

export interface CheckCodeEntry {
  /** How a non-passing assertion of this code counts: `error` fails the step, `warning` does not. */
  severity: 'error' | 'warning' | 'info';
  title: string;
  /** The hint for the usual cause. */
  hint: string;
  /** Hints for other causes, picked by name. */
  hints?: Readonly<Record<string, string>>;
  concept: Concept;
}

const c = {
  injection: { name: 'Automatic sidecar injection', docs: '/latest/docs/setup/additional-setup/sidecar-injection/' },
  manualInjection: { name: 'Manual sidecar injection (istioctl kube-inject)', docs: '/latest/docs/setup/additional-setup/sidecar-injection/#manual-sidecar-injection' },
  workloads: { name: 'Workloads in the mesh: pods Running and Ready', docs: '/latest/docs/ops/common-problems/injection/' },
  protocolSelection: { name: 'Protocol selection by port name', docs: '/latest/docs/ops/configuration/traffic-management/protocol-selection/' },
  appRequirements: { name: 'Application requirements (UID 1337)', docs: '/latest/docs/ops/deployment/application-requirements/' },
  proxyStatus: { name: 'Proxy sync with istiod (proxy-status)', docs: '/latest/docs/ops/diagnostic-tools/proxy-cmd/' },
  mtls: { name: 'Automatic mutual TLS', docs: '/latest/docs/concepts/security/#mutual-tls-authentication' },
  ingress: { name: 'Ingress Gateway', docs: '/latest/docs/tasks/traffic-management/ingress/ingress-control/' },
  gatewayBinding: { name: 'VirtualService bound to a Gateway', docs: '/latest/docs/reference/config/networking/virtual-service/#VirtualService-gateways' },
  analyze: { name: 'istioctl analyze', docs: '/latest/docs/ops/diagnostic-tools/istioctl-analyze/' },
  virtualService: { name: 'VirtualService: routing for a host', docs: '/latest/docs/reference/config/networking/virtual-service/' },
  hostNames: { name: 'Short host names resolve in the object\'s namespace', docs: '/latest/docs/reference/config/networking/virtual-service/#VirtualService-hosts' },
  exportTo: { name: 'exportTo: which namespaces see a config', docs: '/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration' },
  destinationRule: { name: 'DestinationRule: subsets and traffic policy', docs: '/latest/docs/reference/config/networking/destination-rule/' },
  subsets: { name: 'Subsets select pods by label', docs: '/latest/docs/concepts/traffic-management/#destination-rules' },
  requestRouting: { name: 'Request routing by header', docs: '/latest/docs/tasks/traffic-management/request-routing/' },
  trafficShifting: { name: 'Weighted routing (traffic shifting)', docs: '/latest/docs/tasks/traffic-management/traffic-shifting/' },
  faultInjection: { name: 'Fault injection', docs: '/latest/docs/tasks/traffic-management/fault-injection/' },
  timeouts: { name: 'Request timeouts', docs: '/latest/docs/tasks/traffic-management/request-timeouts/' },
  retries: { name: 'Retries', docs: '/latest/docs/concepts/traffic-management/#retries' },
  circuitBreaking: { name: 'Circuit breaking and outlier detection', docs: '/latest/docs/tasks/traffic-management/circuit-breaking/' },
  mirroring: { name: 'Traffic mirroring', docs: '/latest/docs/tasks/traffic-management/mirroring/' },
  loadBalancing: { name: 'Load-balancing options', docs: '/latest/docs/concepts/traffic-management/#load-balancing-options' },
  egress: { name: 'Egress control with ServiceEntry', docs: '/latest/docs/tasks/traffic-management/egress/egress-control/' },
  egressGateway: { name: 'Egress gateway', docs: '/latest/docs/tasks/traffic-management/egress/egress-gateway/' },
  metrics: { name: 'Istio standard metrics', docs: '/latest/docs/reference/config/metrics/' },
  peerAuthentication: { name: 'PeerAuthentication: what mTLS a workload accepts', docs: '/latest/docs/tasks/security/authentication/authn-policy/' },
  peerAuthPrecedence: { name: 'Policy levels: workload over namespace over mesh-wide', docs: '/latest/docs/concepts/security/#peer-authentication' },
  portLevelMtls: { name: 'Port-level mTLS on a workload policy', docs: '/latest/docs/reference/config/security/peer_authentication/' },
  authorization: { name: 'Authorization policies: ALLOW, DENY and allow-nothing', docs: '/latest/docs/tasks/security/authorization/authz-http/' },
  authzPrincipals: { name: 'Principals: the caller\'s mTLS identity', docs: '/latest/docs/reference/config/security/authorization-policy/' },
  requestAuthentication: { name: 'RequestAuthentication: validating end-user JWTs', docs: '/latest/docs/tasks/security/authentication/authn-policy/#end-user-authentication' },
  jwtAuthorization: { name: 'Authorization on a JWT\'s request principal and claims', docs: '/latest/docs/tasks/security/authorization/authz-jwt/' },
  tracing: { name: 'Distributed tracing with the Telemetry API', docs: '/latest/docs/tasks/observability/distributed-tracing/telemetry-api/' },
  accessLogs: { name: 'Envoy access logs: meshConfig and the Telemetry API', docs: '/latest/docs/tasks/observability/logs/access-log/' },
  prometheusQuery: { name: 'Querying Istio metrics in Prometheus', docs: '/latest/docs/tasks/observability/metrics/querying-metrics/' },
  customizeMetrics: { name: 'Customizing Istio metrics with the Telemetry API', docs: '/latest/docs/tasks/observability/metrics/customize-metrics/' },
  probes: { name: 'Checker probes into the cluster', docs: '/latest/docs/ops/diagnostic-tools/' },
  // L19
  kiali: { name: 'Visualizing the mesh with Kiali', docs: '/latest/docs/tasks/observability/kiali/' },
  kialiValidations: { name: "Kiali's validations of Istio config", docs: '/latest/docs/ops/integrations/kiali/' },
} as const satisfies Record<string, Concept>;

/** What a failed call from default/curl to the fake external API most likely means (L11, L12); params {host}, {httpCode}. */
const externalCallHints: Readonly<Record<string, string>> = {
  noDns: '{host} does not resolve: the lab setup adds it to CoreDNS. Run the lab setup again.',
  blocked: 'The sidecar answered 502 itself (route block_all, no upstream): outbound traffic is REGISTRY_ONLY and {host} is not registered.',
  noAnswer: 'The call got no HTTP answer; is the fake external API running in namespace external?',
  unexpected: 'Unexpected HTTP {httpCode}.',
};

/** One L08 DestinationRule setting: its hint, and the same hint when the settings sit under a subset. */
const breakerSetting = (title: string, hint: string): CheckCodeEntry => ({
  severity: 'error',
  title,
  hint,
  hints: {
    onSubset: `The settings sit under a subset's trafficPolicy, which only applies to routes naming that subset. Put them under spec.trafficPolicy. ${hint}`,
  },
  concept: c.circuitBreaking,
});

const analyzer = (code: string, name: string): Concept => ({ name: `${code} ${name}`, docs: `/latest/docs/reference/config/analysis/${code.toLowerCase()}/` });

export const checkCodes = {
  // ── Istio analyzer codes: the mistake is one istioctl analyze names ──
  IST0101: {
    severity: 'error',
    title: 'the {reference} it refers to exists',
    hint: 'Referenced host+subset in destinationrule not found (IST0101): requests to subset {subset} fail with 503 and flag NC (Envoy has no cluster for it) until a DestinationRule for {host} defines it.',
    hints: {
      applyFirst: 'Referenced host+subset in destinationrule not found (IST0101): requests fail with 503 (flag NC) until the DestinationRule exists. Apply the DestinationRules first.',
      egressSubset: 'Referenced host+subset in destinationrule not found: Envoy has no cluster for it, so requests fail with 503 and flag NC. Use the subset name of step 2.',
      egressVs: 'Referenced host+subset not found: {vs} sends mesh traffic to subset {subset}, which the DestinationRule does not define: Envoy has no cluster for it (503, flag NC). Use the same name in both.',
      gateway: 'Referenced gateway not found (IST0101): {gateway} does not exist. Create the Gateway or fix the name.',
      gatewayNamespace: 'Referenced gateway not found (IST0101): a bare name is looked up in the VirtualService\'s own namespace ({namespace}); the Gateway lives in {gatewayNamespace}, so write {gateway}.',
    },
    concept: analyzer('IST0101', 'ReferencedResourceNotFound'),
  },
  IST0103: {
    severity: 'error',
    title: 'every pod in {namespace} has an istio-proxy sidecar',
    hint: 'Existing pods are only injected when they are re-created; labelling the namespace does not touch running pods (IST0103 PodMissingProxy).',
    hints: { first: 'Finish the injection steps first (label the namespace, restart the Deployments).' },
    concept: analyzer('IST0103', 'PodMissingProxy'),
  },
  IST0109: {
    severity: 'error',
    title: 'one VirtualService routes {host} for the mesh',
    hint: 'Several VirtualServices bind the same host for the mesh, so istiod merges their rules in no useful order (IST0109). Keep one and delete the others.',
    concept: analyzer('IST0109', 'ConflictingMeshGatewayVirtualServiceHosts'),
  },
  IST0111: {
    severity: 'error',
    title: 'one Sidecar without workloadSelector in {namespace}',
    hint: 'Two Sidecars without workloadSelector in one namespace: istiod picks one of them (IST0111 MultipleSidecarsWithoutWorkloadSelectors). Keep one.',
    concept: analyzer('IST0111', 'MultipleSidecarsWithoutWorkloadSelectors'),
  },
  IST0112: {
    severity: 'error',
    title: 'requests for {path} go to httpbin.intro:8000',
    hint: 'The Service has several ports, so the destination must name one (IST0112).',
    concept: analyzer('IST0112', 'VirtualServiceDestinationPortSelectorRequired'),
  },
  IST0118: {
    severity: 'warning',
    title: 'Service {service} port {port} names its protocol',
    hint: 'Istio guesses the protocol when the port name does not say it (IST0118); name it http-… or set appProtocol.',
    concept: analyzer('IST0118', 'PortNameIsNotUnderNamingConvention'),
  },
  IST0123: {
    severity: 'error',
    title: 'namespace {namespace} is labelled for sidecar injection',
    hint: 'The namespace has both injection labels; istio-injection wins and the revision label is ignored (IST0123). Keep only one.',
    concept: analyzer('IST0123', 'NamespaceMultipleInjectionLabels'),
  },
  IST0130: {
    severity: 'error',
    title: 'no catch-all rule comes before the {rule} rule',
    hint: 'Rules are tried in order: a rule without match catches every request, so the rules after it are never used (IST0130 VirtualServiceUnreachableRule). Move the default route to the end.',
    concept: analyzer('IST0130', 'VirtualServiceUnreachableRule'),
  },
  IST0132: {
    severity: 'error',
    title: 'the hosts of {vs} are served by Gateway {gateway}',
    hint: 'The gateway never routes {host} (IST0132 VirtualServiceHostNotFoundInGateway): {reason}. List the host in the Gateway\'s server hosts, or use a host the Gateway already serves.',
    concept: analyzer('IST0132', 'VirtualServiceHostNotFoundInGateway'),
  },
  IST0144: {
    severity: 'error',
    title: 'no application container runs as UID 1337',
    hint: 'UID 1337 is reserved for istio-proxy: traffic from a process with that UID bypasses the sidecar (IST0144 InvalidApplicationUID). Pick another runAsUser.',
    concept: analyzer('IST0144', 'InvalidApplicationUID'),
  },
  IST0145: {
    severity: 'error',
    title: 'no other Gateway claims {host} on port {port}',
    hint: 'Two Gateways with the same selector claim the same host and port; istiod keeps only one of them (IST0145 ConflictingGateways). Delete the copy.',
    concept: analyzer('IST0145', 'ConflictingGateways'),
  },
  IST0162: {
    severity: 'error',
    title: 'the server port {port} is exposed by the gateway Service',
    hint: 'The Gateway listens on a port the gateway Service does not expose, so no request can reach it (IST0162 GatewayPortNotDefinedOnService).',
    concept: analyzer('IST0162', 'GatewayPortNotDefinedOnService'),
  },
  IST0173: {
    severity: 'error',
    title: 'subset {subset} of {host} selects a Ready pod',
    hint: 'The subset selects no Ready pods (IST0173 DestinationRuleSubsetNotSelectPods): traffic routed to it fails with 503 (flag UH). Compare its labels with the pods\' labels.',
    concept: analyzer('IST0173', 'DestinationRuleSubsetNotSelectPods'),
  },
  IST0174: {
    severity: 'error',
    title: 'DestinationRule {dr} names an existing host',
    hint: 'No Service has this host, so the DestinationRule applies to nothing (IST0174 UnknownDestinationRuleHost). Check the spelling.',
    concept: analyzer('IST0174', 'UnknownDestinationRuleHost'),
  },

  // ── Shared mesh rules (istio/rules), used by several labs ──
  'MESH.VS_RESOLVES_ELSEWHERE': {
    severity: 'error',
    title: 'a VirtualService routes {host} for clients in {client}',
    hint: 'Short host names resolve relative to the VirtualService\'s namespace: {vs} resolves {written} to {resolved}, not {host}. Create it in namespace {namespace} or write the full {host}.',
    concept: c.hostNames,
  },
  'MESH.VS_PARTIAL_NAME': {
    severity: 'error',
    title: 'a VirtualService routes {host} for clients in {client}',
    hint: 'istiod expands only a bare service name: {written} is taken literally and matches no Service, so {vs} never applies. Write {short} in namespace {namespace}, or the full {host}.',
    concept: c.hostNames,
  },
  'MESH.VS_OTHER_GATEWAYS': {
    severity: 'error',
    title: 'a VirtualService routes {host} for clients in {client}',
    hint: 'A VirtualService that lists gateways applies only to them: {vs} binds {gateways}. To apply it to sidecars, add `mesh` to gateways (or remove the field).',
    concept: c.gatewayBinding,
  },
  'MESH.VS_HIDDEN': {
    severity: 'error',
    title: 'a VirtualService routes {host} for clients in {client}',
    hint: 'exportTo decides which namespaces see a VirtualService: {vs} is exported to {exportTo}, so proxies in {client} ignore it. Add {client} to exportTo or remove the field.',
    concept: c.exportTo,
  },
  'MESH.VS_NAME': {
    severity: 'warning',
    title: 'VirtualService found under another name',
    hint: 'Fine: the check found {vs} by its host. The lesson calls it {lessonName}; later steps and the lab cleanup use that name.',
    concept: c.virtualService,
  },
  'MESH.DR_RESOLVES_ELSEWHERE': {
    severity: 'error',
    title: 'a DestinationRule applies to {host} for clients in {client}',
    hint: 'Short host names resolve relative to the DestinationRule\'s namespace: {dr} resolves {written} to {resolved}, not {host}. Put it in namespace {namespace} or write host {host}.',
    concept: c.hostNames,
  },
  'MESH.DR_PARTIAL_NAME': {
    severity: 'error',
    title: 'a DestinationRule applies to {host} for clients in {client}',
    hint: 'istiod expands only a bare service name: {written} is taken literally and matches no Service, so {dr} never applies. Write {short} in namespace {namespace}, or the full {host}.',
    concept: c.hostNames,
  },
  'MESH.DR_NOT_APPLIED': {
    severity: 'error',
    title: 'a DestinationRule applies to {host} for clients in {client}',
    hint: '{dr} names {host} but does not reach clients in {client}: a DestinationRule applies from the client\'s namespace, the Service\'s namespace ({namespace}) or the root namespace istio-system, and only where its exportTo reaches. Move it to {namespace}.',
    concept: c.exportTo,
  },
  'MESH.DR_DUPLICATE': {
    severity: 'error',
    title: 'one DestinationRule for {host}',
    hint: 'Two DestinationRules for one host: istiod keeps the oldest one\'s settings and ignores clashing parts of the others, which is not obvious. Keep one.',
    concept: c.destinationRule,
  },
  'MESH.DR_NAME': {
    severity: 'warning',
    title: 'DestinationRule found under another name',
    hint: 'Fine: the check found {dr} by its host. The lesson calls it {lessonName}; the lab cleanup uses that name.',
    concept: c.destinationRule,
  },
  'MESH.ROUTE_SHARES': {
    severity: 'error',
    title: 'the catch-all rule sends {target}',
    hint: 'Weights are relative: the share of a destination is its weight divided by the sum, and weight 0 gets nothing. This step expects {target}.',
    hints: {
      noCatchAll: 'Add a last rule without match; list the destinations with their weights in its route.',
      mirrorAnswers: 'Clients never see the mirror\'s answers: the sidecar discards them, which is what makes mirroring safe. Keep the route at {target} and let v2 receive only the copies.',
    },
    concept: c.trafficShifting,
  },
  'MESH.WEIGHTS_SPLIT_ACROSS_RULES': {
    severity: 'error',
    title: 'all weighted destinations are in one rule',
    hint: 'Weights split traffic between the destinations of ONE rule. A second rule without match is unreachable (IST0130): move its destination into the first rule\'s route list.',
    concept: c.trafficShifting,
  },
  'MESH.ROUTE_HOST': {
    severity: 'error',
    title: 'the route points at {host}',
    hint: 'A destination host is resolved like the VirtualService hosts; use {short} (same namespace) or the full {host}.',
    concept: c.hostNames,
  },
  'MESH.ROUTE_NO_SUBSET': {
    severity: 'error',
    title: 'every destination names a subset',
    hint: 'A destination without subset goes to the whole Service, so its share spreads over all versions. Add subset: {subsets}.',
    concept: c.subsets,
  },
  'MESH.MIX_ERRORS': {
    severity: 'error',
    title: 'every request through the ingress is answered by reviews',
    hint: 'Some requests failed with 503: flag NC means a route names a subset that no DestinationRule defines (IST0101); flag UH means the subset selects no Ready pod (IST0173).',
    concept: c.subsets,
  },
  'MESH.MIX_SHARE': {
    severity: 'error',
    title: 'reviews {version} receives {share} of traffic',
    hint: 'The VirtualService says {target} but the traffic does not show it yet. Proxies pick up changes within seconds; if this persists, check that no other VirtualService routes reviews and that the sidecars are in sync.',
    hints: { promote: 'Some requests still reach another version. If the VirtualService was just changed, wait a few seconds and check again.' },
    concept: c.trafficShifting,
  },
  'PROBE.NO_POD': {
    severity: 'error',
    title: '{pod} exists in namespace {namespace}',
    hint: 'The probe runs its command inside that pod, and there is none. Deploy it (or wait until it is Running).',
    hints: { logsPodGone: 'The pod whose logs the check reads is gone; it may have been replaced by a rollout.' },
    concept: c.probes,
  },

  // ── L01 Sidecar injection ──
  'L01.NS_INTRO': { severity: 'error', title: 'namespace intro exists', hint: 'Create the namespace first; the lab keeps its workloads apart from Bookinfo.', concept: c.injection },
  'L01.DEPLOY': {
    severity: 'error',
    title: 'Deployment intro/{app} has Running, Ready pods',
    hint: 'Deploy {app} into intro as the lesson shows.',
    hints: { notReady: 'The Deployment exists but its pods are not all Running and Ready yet ({detail}); wait a few seconds or look at the pod events.' },
    concept: c.workloads,
  },
  'L01.ALREADY_INJECTED': { severity: 'warning', title: '{app} pods start without a sidecar', hint: 'These pods were injected already (the namespace was labelled first). That is fine; the next steps will simply pass.', concept: c.injection },
  'L01.NO_PROXY': { severity: 'info', title: '{app} pods run without a sidecar (namespace not labelled yet)', hint: 'Injection only happens in a labelled namespace.', concept: c.injection },
  'L01.INJECTION_LABEL': {
    severity: 'error',
    title: 'namespace {namespace} is labelled for sidecar injection',
    hint: 'Label the namespace so the injector webhook adds istio-proxy to new pods.',
    hints: { revision: 'Revision label used instead of istio-injection=enabled; that works when a revision "{revision}" is installed.', first: 'Restarting only injects pods in a labelled namespace; finish the previous step first.' },
    concept: c.injection,
  },
  'L01.INJECTION_LABEL_VALUE': { severity: 'error', title: 'namespace {namespace} is labelled for sidecar injection', hint: 'The label value must be exactly "enabled"; the injector ignores "{value}".', concept: c.injection },
  'L01.NS_MANUAL': { severity: 'error', title: 'namespace manual exists without injection label', hint: 'Create a plain namespace for this step; do not label it.', concept: c.manualInjection },
  'L01.NS_MANUAL_LABELLED': { severity: 'error', title: 'namespace manual has no injection label', hint: 'This step shows injection without the webhook; with the label, the webhook would inject and you would not see what kube-inject does. Remove the label.', concept: c.manualInjection },
  'L01.MANUAL_DEPLOY': { severity: 'error', title: 'Deployment manual/httpbin exists', hint: 'Pipe the manifest through kube-inject and apply it in this namespace.', concept: c.manualInjection },
  'L01.TEMPLATE_INJECTED': {
    severity: 'error',
    title: 'the Deployment template of {deployment} contains istio-proxy',
    hint: 'The Deployment was applied as is. Run it through istioctl kube-inject so the proxy is written into the template.',
    hints: { note: 'kube-inject rewrote the Deployment itself, while automatic injection only changes Pods as they are created.' },
    concept: c.manualInjection,
  },
  'L01.MANUAL_PODS': {
    severity: 'error',
    title: 'the injected httpbin pod runs with its proxy',
    hint: 'A pod of the Deployment is not Running and Ready with its proxy yet ({detail}); wait for the rollout.',
    concept: c.manualInjection,
  },
  'L01.NS_STILL_LABELLED': { severity: 'error', title: 'namespace intro stays labelled for injection', hint: 'Opting one workload out only makes sense while the namespace injects everything else; keep the label.', concept: c.injection },
  'L01.LEGACY_DEPLOY': { severity: 'error', title: 'Deployment intro/legacy-client exists', hint: 'Deploy the legacy client as the lesson shows, with the opt-out label in its pod template.', concept: c.injection },
  'L01.OPT_OUT_LABEL': {
    severity: 'error',
    title: 'the legacy-client pod template opts out of injection',
    hint: 'Add the label sidecar.istio.io/inject: "false" to the pod template so the injector skips this workload.',
    hints: {
      annotation: 'The annotation sidecar.istio.io/inject: "false" still works in Istio 1.30 (the injector reads it when the label is absent) but is deprecated; the lesson uses the pod label, which the webhook itself selects on.',
      deploymentOnly: 'The injector looks at the Pod, so the label must be in the pod template, not on the Deployment object.',
    },
    concept: c.injection,
  },
  'L01.LEGACY_PODS': {
    severity: 'error',
    title: 'the legacy-client pod runs without a proxy',
    hint: 'Pods created before the opt-out keep their proxy; restart the Deployment after adding the label.',
    hints: { notRunning: 'The legacy-client pods are not all Running and Ready yet ({detail}); wait for them to start.' },
    concept: c.injection,
  },
  'L01.PODS': { severity: 'error', title: 'pods run in {namespace}', hint: 'Deploy httpbin and curl (step 2) and restart them.', concept: c.workloads },
  'L01.PROXY_INJECTED': {
    severity: 'info',
    title: 'every pod in {namespace} has an istio-proxy sidecar',
    hint: 'istio-proxy is a native sidecar here: it is listed under spec.initContainers with restartPolicy: Always, not under spec.containers (kubectl get pod still shows 2/2).',
    concept: c.injection,
  },
  'L01.PODS_READY': {
    severity: 'error',
    title: 'injected pods are Running and Ready',
    hint: 'The new pods are still starting ({detail}); the proxy waits for its config from istiod. Wait a few seconds; if it stays, read the pod events.',
    concept: c.workloads,
  },
  'L01.PROXY_STATUS': { severity: 'error', title: 'istiod lists the intro proxies as SYNCED', hint: 'A proxy that is not connected to istiod never gets mesh config; STALE means it has not accepted the latest push yet. Check the proxy logs.', concept: c.proxyStatus },
  'L01.MTLS_CALL': {
    severity: 'error',
    title: 'curl → httpbin is answered over mutual TLS',
    hint: 'httpbin saw no client certificate: one side has no sidecar, so the call went out in plain text. Both pods need istio-proxy.',
    hints: { callFailed: 'The call from the curl pod to httpbin failed. Check that httpbin runs and its Service listens on port 8000.' },
    concept: c.mtls,
  },

  // ── L02 Ingress Gateway ──
  'L02.GATEWAY': { severity: 'error', title: 'a Gateway serves httpbin.example.com', hint: 'Create the Gateway httpbin-gateway: it opens the listener on the ingress gateway pods.', concept: c.ingress },
  'L02.GATEWAY_SELECTOR': {
    severity: 'error',
    title: 'the Gateway selector matches the ingress gateway pods',
    hint: 'No gateway pod has these labels; the ingress gateway pods here are labelled istio=ingressgateway (istio: ingress is the label of a Helm-installed gateway).',
    hints: { noIngress: 'No gateway pod has these labels.' },
    concept: c.ingress,
  },
  'L02.GATEWAY_HOST': {
    severity: 'error',
    title: 'a server lists host httpbin.example.com',
    hint: 'The Gateway only accepts requests whose Host header is in a server\'s hosts.',
    hints: { wildcard: 'A "*" host accepts every Host header; it works, but naming the host keeps this gateway from catching traffic meant for others.' },
    concept: c.ingress,
  },
  'L02.GATEWAY_PROTOCOL': { severity: 'error', title: 'the server speaks plain HTTP', hint: 'This step serves plain HTTP; HTTPS needs a certificate (a later lab).', concept: c.ingress },
  'L02.GATEWAY_PORT': { severity: 'warning', title: 'the server listens on port 80 (or 8080)', hint: 'The lesson sends plain HTTP to port 80 of the gateway Service (8080 in the pod).', concept: c.ingress },
  'L02.VS': { severity: 'error', title: 'a VirtualService routes httpbin.example.com from a Gateway', hint: 'A Gateway only opens the door; a VirtualService bound to it (spec.gateways) says where requests go.', concept: c.gatewayBinding },
  'L02.VS_GATEWAY': {
    severity: 'info',
    title: 'the gateways {vs} names exist',
    hint: 'A bare gateway name means a Gateway in the VirtualService\'s own namespace.',
    concept: c.gatewayBinding,
  },
  'L02.VS_HOSTS': { severity: 'info', title: 'the hosts of {vs} are served by Gateway {gateway}', hint: 'A VirtualService host must be among its Gateway\'s hosts.', concept: c.gatewayBinding },
  'L02.VS_ROUTE': { severity: 'error', title: 'requests for {path} go to httpbin.intro:8000', hint: 'Add a match on the uri prefix so the gateway forwards these paths.', concept: c.virtualService },
  'L02.VS_DESTINATION': {
    severity: 'error',
    title: 'requests for {path} go to httpbin.intro:8000',
    hint: 'A short host name is resolved in the VirtualService\'s namespace: {written} in {namespace} means {resolved}. Write httpbin.intro.svc.cluster.local.',
    hints: { otherService: 'The destination must be the httpbin Service in intro, not {resolved}.' },
    concept: c.hostNames,
  },
  'L02.VS_PORT': { severity: 'error', title: 'requests for {path} go to httpbin.intro:8000', hint: '{port} is not a port of the httpbin Service: a VirtualService destination names the Service port (8000), not the container port (8080).', concept: c.virtualService },
  'L02.CALL_HOST': {
    severity: 'error',
    title: 'GET /headers with Host: httpbin.example.com → 200',
    hint: 'The request through the ingress gateway did not reach httpbin.',
    hints: { notFound: 'The gateway found no route for this Host and path: check that the VirtualService is bound to the Gateway and lists the host.' },
    concept: c.ingress,
  },
  'L02.CALL_OTHER_HOST': { severity: 'error', title: 'the same path with another Host → 404', hint: 'Requests for other hosts are answered too: the Gateway or VirtualService uses "*" where it should name httpbin.example.com.', concept: c.ingress },
  'L02.ANALYZE': { severity: 'info', title: 'istioctl analyze finds nothing wrong with the gateway objects', hint: 'istioctl analyze -n intro lists what istiod would reject or ignore.', concept: c.analyze },

  // ── L03 Subsets ──
  'L03.DR': {
    severity: 'error',
    title: 'a DestinationRule defines subsets {subsets} for {service}',
    hint: 'Create a DestinationRule for {service} whose subsets select pods by their version label.',
    concept: c.subsets,
  },
  'L03.DR_SUBSET': { severity: 'error', title: 'DestinationRule {dr} has subset {subset}', hint: 'Add subset {subset}; a route to a subset that no DestinationRule defines fails with 503 and flag NC (no cluster).', concept: c.subsets },
  'L03.DR_LABELS': {
    severity: 'error',
    title: 'subset {subset} selects version: {subset}',
    hint: 'Select the pods with labels: {version: {subset}}.',
    hints: { wrongKey: 'The Bookinfo pods carry the version in the label "version", not "{key}": {key}: {subset} matches no pod.' },
    concept: c.subsets,
  },
  'L03.VS': {
    severity: 'error',
    title: 'a VirtualService sends all {service} traffic to subset v1',
    hint: 'Create a VirtualService for {service} with one route to subset v1.',
    concept: c.virtualService,
  },
  'L03.VS_CATCH_ALL': { severity: 'error', title: 'a VirtualService sends all {service} traffic to subset v1', hint: 'Requests that match no rule get no route at all (404); end with a rule that has no match.', concept: c.virtualService },
  'L03.VS_NO_SUBSET': { severity: 'error', title: 'a VirtualService sends all {service} traffic to subset v1', hint: 'A destination without subset spreads traffic over every version of the service.', concept: c.subsets },
  'L03.VS_SUBSET': { severity: 'error', title: 'a VirtualService sends all {service} traffic to subset v1', hint: 'Every route of this step goes to v1; later labs split traffic.', concept: c.subsets },
  'L03.MIX_V1': {
    severity: 'error',
    title: '{n} requests to the reviews API are all served by reviews v1',
    hint: 'Other versions still answer: the reviews VirtualService is missing, not applied to the mesh, or routes without subset v1.',
    hints: { failures: 'Some requests failed with 503: flag NC means a route names a subset that no DestinationRule defines (IST0101); flag UH means the subset selects no Ready pod (IST0173).' },
    concept: c.subsets,
  },

  // ── L04 Header-based routing ──
  'L04.VS': { severity: 'error', title: 'one VirtualService routes reviews inside the mesh', hint: 'Edit the reviews VirtualService from L03: add a rule for jason before the default route.', concept: c.requestRouting },
  'L04.JASON_RULE': {
    severity: 'error',
    title: 'a rule matches the end-user header jason',
    hint: 'Add a first rule that matches headers: {end-user: {exact: jason}} and routes to subset v2.',
    hints: {
      cookie: 'Matching the cookie is an old recipe: productpage now sends the logged-in user in the end-user header on its call to reviews. Match headers: {end-user: {exact: jason}}.',
      onProductpage: 'The end-user rule is on the productpage VirtualService ({vs}), but productpage adds that header only on its own call to reviews; put the rule on the reviews VirtualService.',
    },
    concept: c.requestRouting,
  },
  'L04.JASON_MATCH': { severity: 'warning', title: 'the jason rule matches the header exactly', hint: 'A prefix or regex works for jason but may also match other users; exact is what the lesson uses.', concept: c.requestRouting },
  'L04.JASON_V2': {
    severity: 'error',
    title: 'jason gets reviews v2',
    hint: 'The jason rule must send every request to subset v2 (black stars).',
    hints: { observed: 'Requests from jason are not all routed to v2. The match must be on the end-user header, in the reviews VirtualService, before the default route.' },
    concept: c.requestRouting,
  },
  'L04.DEFAULT_V1': {
    severity: 'error',
    title: 'the last rule (no match) sends everyone else to v1',
    hint: 'Without a default route, requests from other users match no rule and fail.',
    hints: { subset: 'Everyone but jason keeps the v1 behaviour of L03: the default route names subset v1.' },
    concept: c.requestRouting,
  },
  'L04.LOGIN': { severity: 'error', title: 'logging in as jason gives a session', hint: 'The login did not go through the ingress gateway; the bookinfo VirtualService must route /login to productpage.', concept: c.requestRouting },
  'L04.ANON_V1': { severity: 'error', title: 'without login, every answer comes from v1', hint: 'Anonymous requests should take the default route to v1; check that it is the last rule and names subset v1.', concept: c.requestRouting },
  'L04.ALICE_V1': { severity: 'error', title: 'as alice, every answer comes from v1', hint: 'Another user gets v2 too: the match is looser than end-user exact jason (a prefix or regex?).', concept: c.requestRouting },

  // ── L05 Canary ──
  'L05.VS': { severity: 'error', title: 'one VirtualService routes {service} for the mesh', hint: 'Create (or edit) the VirtualService for reviews in namespace default; the lab setup leaves one sending 100% to v1.', concept: c.trafficShifting },

  // ── L06 Fault injection ──
  'L06.VS': { severity: 'error', title: 'one VirtualService routes {service} for the mesh', hint: 'Edit the VirtualService for ratings in namespace default (the lab setup routes it to v1).', concept: c.faultInjection },
  'L06.FAULT_FOR_EVERYONE': {
    severity: 'error',
    title: 'the fault applies to jason only',
    hint: 'Put the fault on a rule with `match: [{headers: {end-user: {exact: jason}}}]` and keep a last rule without match (and without fault) for everyone else.',
    hints: {
      looksFine: 'Anonymous users only look unaffected because they reach reviews v1, which never calls ratings; every user routed to v2 or v3 gets the {kind}. Move the fault to a rule with `match: [{headers: {end-user: {exact: jason}}}]`.',
    },
    concept: c.faultInjection,
  },
  'L06.FAULT_ON_REVIEWS': { severity: 'error', title: 'the fault sits on the ratings VirtualService', hint: 'The fault belongs on ratings: reviews v2 calls ratings, and the lesson breaks that hop. Remove the fault from the reviews VirtualService.', concept: c.faultInjection },
  'L06.JASON_RULE': {
    severity: 'error',
    title: 'a rule matches the logged-in user jason',
    hint: 'productpage adds the header `end-user: <user>` on its calls when you are logged in; match it with `headers: {end-user: {exact: jason}}`.',
    hints: { cookie: 'Old docs matched on `cookie: user=jason`; productpage now sends the user in the `end-user` header. Match `headers: {end-user: {exact: jason}}`.' },
    concept: c.faultInjection,
  },
  'L06.JASON_MATCH_KIND': { severity: 'warning', title: 'jason is matched exactly', hint: 'A {matchKind} match also catches other user names; accepted, but exact is what the lesson uses.', concept: c.faultInjection },
  'L06.DELAY': {
    severity: 'error',
    title: 'the jason rule delays ratings by at least {min}',
    hint: 'productpage gives reviews 3 s and retries once (≈6 s in total); a shorter delay is absorbed and the bug never shows. Use 7s.',
    hints: { missing: 'Add `fault: {delay: {fixedDelay: 7s, percentage: {value: 100}}}` to the jason rule.' },
    concept: c.faultInjection,
  },
  'L06.ABORT': {
    severity: 'error',
    title: 'the jason rule aborts ratings with HTTP 500',
    hint: 'Set `httpStatus: 500` so ratings answers jason with a server error.',
    hints: { missing: 'Replace the delay with `fault: {abort: {httpStatus: 500, percentage: {value: 100}}}` on the jason rule.' },
    concept: c.faultInjection,
  },
  'L06.FAULT_PERCENTAGE': {
    severity: 'error',
    title: "the {kind} applies to 100% of jason's requests",
    hint: "Only part of jason's requests get the fault; set `percentage: {value: 100}`.",
    hints: {
      omitted: 'Without `percentage` the fault is injected into 0% of requests — nothing happens. Add `percentage: {value: 100}` (an object, not a bare number).',
      deprecated: 'Works today, but `percent` is deprecated; prefer `percentage: {value: 100}`.',
    },
    concept: c.faultInjection,
  },
  'L06.DELAY_LEFT': { severity: 'error', title: 'the delay was replaced by the abort', hint: 'With the 7 s delay still in place productpage gives up on reviews first and you never see the ratings error. Remove `delay`.', concept: c.faultInjection },
  'L06.OTHERS_ROUTE': { severity: 'error', title: 'other users are still routed to ratings', hint: 'Keep a final rule without match that routes to subset v1.', concept: c.faultInjection },
  'L06.JASON_PAGE_SLOW': {
    severity: 'error',
    title: 'as jason, /productpage takes about 6 s and shows the reviews error',
    hint: 'The page is slow but not as expected; a delay far above 7 s or extra timeouts change the picture. Use fixedDelay: 7s.',
    hints: {
      notReached: "The delay does not reach jason's requests: check that the fault is on the ratings VirtualService, on the rule matching end-user jason, with percentage {value: 100}.",
      tooShort: "jason's page is slowed, but by less than productpage's 3 s per try, so it just waits and shows the reviews: the bug stays hidden. Use fixedDelay: 7s.",
    },
    concept: c.faultInjection,
  },
  'L06.ANON_PAGE_FAST': { severity: 'error', title: 'anonymous users still get a fast, complete page', hint: 'Everyone is slowed down: the fault must sit only on the rule that matches end-user jason.', concept: c.faultInjection },
  'L06.PROM_DELAY_INJECTED': {
    severity: 'error',
    title: 'Prometheus shows this check\'s calls from reviews-v2 to ratings as delayed (flag DI)',
    hint: 'This check\'s page loads as jason added no delayed call: the delay must sit on the ratings VirtualService rule matching end-user jason, with percentage {value: 100}.',
    concept: c.metrics,
    hints: { reviewsHop: "The {kind} is on productpage's call to reviews ({vs} has a fault), not on reviews' call to ratings. The fault belongs on ratings: move it to the ratings VirtualService and remove it from reviews." },
  },
  'L06.JASON_RATINGS_ERROR': {
    severity: 'error',
    title: 'as jason, /productpage shows the ratings error',
    hint: 'jason still sees ratings: check that the abort sits on the ratings VirtualService rule matching end-user jason, with percentage {value: 100}.',
    hints: {
      delayLeft: 'The page is still slow: the old delay is still in place. Replace `delay` with `abort` on the jason rule.',
      onReviews: "jason loses the whole reviews block, not just the ratings: the abort hits productpage's call to reviews. The fault belongs on the ratings VirtualService (reviews v2 calls ratings); remove it from reviews.",
    },
    concept: c.faultInjection,
  },
  'L06.ANON_NO_ERROR': { severity: 'error', title: 'anonymous users do not see the ratings error', hint: 'Everyone gets the abort: it must sit only on the rule that matches end-user jason.', concept: c.faultInjection },
  'L06.PROM_ABORT_INJECTED': {
    severity: 'error',
    title: 'Prometheus shows this check\'s calls to ratings as injected 500s (flag FI, client-reported)',
    hint: 'This check\'s page loads as jason added no injected abort: the abort must sit on the ratings VirtualService rule matching end-user jason, with percentage {value: 100}. The sidecar of reviews-v2 answers with 500 itself, so only reporter="source" has it.',
    concept: c.metrics,
    hints: { reviewsHop: "The {kind} is on productpage's call to reviews ({vs} has a fault), not on reviews' call to ratings. The fault belongs on ratings: move it to the ratings VirtualService and remove it from reviews." },
  },

  // ── L07 Timeouts and retries ──
  'L07.VS': {
    severity: 'error',
    title: 'one VirtualService routes {service} for the mesh',
    hint: 'Create a VirtualService for {service} in namespace {namespace} as the lesson shows.',
    hints: {
      reviewsV2: 'Create a VirtualService for reviews in namespace default that sends every request to subset v2.',
      ratingsDelay: 'Create a VirtualService for ratings in namespace default with a fault delay on its rule without match.',
      reviewsGone: 'The reviews VirtualService from step 1 is gone; re-create it (→ v2) and add timeout: 0.5s to its route.',
      httpbinRetries: 'Create a VirtualService for httpbin in namespace intro with retries on its route.',
    },
    concept: c.timeouts,
  },
  'L07.RATINGS_DELAY': {
    severity: 'error',
    title: 'ratings is delayed by about 2 s for every request',
    hint: 'Add `fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}}` to the ratings rule without match.',
    hints: {
      onMatchedRule: 'This delay must apply to everyone: put it on the rule without match (no header match for jason).',
      tooLong: "At 3 s or more productpage's own timeout fires first and hides the reviews timeout you add next. Use 2s.",
      tooShort: 'The delay must clearly exceed the 0.5 s timeout you add to reviews next. Use 2s.',
    },
    concept: c.faultInjection,
  },
  'L07.RATINGS_DELAY_PERCENTAGE': { severity: 'error', title: 'the delay applies to every request', hint: 'Without `percentage: {value: 100}` istiod injects the delay into 0% of requests.', concept: c.faultInjection },
  'L07.REVIEWS_TIMEOUT': {
    severity: 'error',
    title: 'the reviews route times out after at most 1 s',
    hint: 'Add `timeout: 0.5s` next to `route` in the reviews rule.',
    hints: {
      onRatings: "The timeout belongs on the caller's route to reviews (productpage → reviews), not on ratings: move `timeout: 0.5s` to the reviews VirtualService.",
      afterProductpage: "productpage's own 3 s timeout fires first, so a longer route timeout changes nothing visible. Use 0.5s.",
      disabled: '0s disables the timeout. Use 0.5s.',
      notUnderDelay: 'The timeout must be shorter than the 2 s ratings delay to fire. Use 0.5s.',
    },
    concept: c.timeouts,
  },
  'L07.PAGE_TIMES_OUT': {
    severity: 'error',
    title: '/productpage answers in about 1 s with the reviews error',
    hint: 'With timeout 0.5s on reviews and one productpage retry the page takes about 1 s.',
    hints: {
      timingOff: 'The error shows but the timing is off: with timeout 0.5s and one productpage retry the page takes about 1 s.',
      noTimeout: "The page waits for the 2 s ratings delay: no timeout shorter than that fires on productpage's call to reviews. Put `timeout: 0.5s` on the reviews route (not on ratings, and well under the 2 s delay).",
      answeredInTime: 'reviews answered in time: is the 2 s ratings delay still in place and reviews routed to v2 (v1 never calls ratings)?',
    },
    concept: c.timeouts,
  },
  'L07.PROM_UPSTREAM_TIMEOUT': {
    severity: 'error',
    title: 'Prometheus shows this check\'s calls from productpage to reviews as timed out (504, flag UT)',
    hint: 'This check\'s page loads added no timed-out call: the reviews route needs `timeout: 0.5s` while ratings is delayed by 2 s and reviews routed to v2.',
    concept: c.metrics,
  },
  'L07.UNSTABLE_ANSWERED': { severity: 'error', title: 'the calls to httpbin were answered', hint: 'The curl pod in namespace intro could not reach httpbin. Is httpbin running (the lab setup deploys it)?', concept: c.retries },
  'L07.UNSTABLE_SHARE': {
    severity: 'error',
    title: 'about half of the calls to /unstable fail without a retry policy',
    hint: 'The default retry policy does not retry a 500; remove any retries on httpbin for this step.',
    hints: {
      retriesHideFailures: 'A retry policy on httpbin already hides the failures; this step observes the default behaviour. Remove `retries` for now (you add it in the next step).',
      fewerFailures: 'Fewer failures than expected; run the check again (the share is random) or look at what answers /unstable.',
      moreFailures: 'More failures than /unstable produces by itself: is a fault or an AuthorizationPolicy in the way?',
    },
    concept: c.retries,
  },
  'L07.RETRY_ATTEMPTS': {
    severity: 'error',
    title: 'failed calls are retried at least twice',
    hint: 'Add `retries: {attempts: 3, perTryTimeout: 2s, retryOn: 5xx}` to the httpbin route.',
    hints: { zero: '`attempts: 0` disables retries entirely. Use 3.' },
    concept: c.retries,
  },
  'L07.RETRY_ON': {
    severity: 'error',
    title: 'retries fire on HTTP 500',
    hint: 'connect-failure / gateway-error do not cover a plain 500. Use `retryOn: 5xx`.',
    hints: { codesNotListed: '`retriable-status-codes` needs the codes themselves: write `retryOn: 5xx` or `retryOn: retriable-status-codes,500`.' },
    concept: c.retries,
  },
  'L07.RETRY_SUCCESS': {
    severity: 'error',
    title: 'with retries at least 85% of calls to /unstable succeed',
    hint: 'The policy is in the VirtualService but calls still fail: give the sidecars a few seconds, and make sure the curl pod has a sidecar (retries happen in the client proxy).',
    hints: { abortOnRoute: 'The route also injects an abort: the fault filter answers before the router, so retries on the same hop never see it. Remove the `fault` from the httpbin route.' },
    concept: c.retries,
  },
  'L07.PROM_RETRIED_500S': {
    severity: 'error',
    title: "of this check's calls, httpbin saw more 500s than its clients received (the retried ones)",
    hint: 'No retried 500 shows in Prometheus yet. It scrapes every 15 s; wait a minute and check again.',
    hints: { noClientSidecar: "Only httpbin's sidecar reports these calls: the curl pod has no sidecar, so nothing retries (retries happen in the client proxy). Restart curl so it gets one: `kubectl rollout restart deploy/curl -n intro`." },
    concept: c.metrics,
  },

  // ── L08 Circuit breaking ──
  'L08.DR': {
    severity: 'error',
    title: 'one DestinationRule for {service}',
    hint: 'Create a DestinationRule with host httpbin in namespace intro (or host httpbin.intro.svc.cluster.local).',
    hints: { noOutlier: 'There is no DestinationRule for httpbin.intro, so there is no outlier detection. Set outlierDetection on the httpbin DestinationRule: consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100 (and no minHealthPercent).' },
    concept: c.circuitBreaking,
  },
  'L08.MAX_CONNECTIONS': breakerSetting('at most 1 TCP connection to httpbin', 'Set `connectionPool.tcp.maxConnections: 1` so a second concurrent connection overflows.'),
  'L08.MAX_PENDING': breakerSetting('at most 1 request waits for a connection', 'Set `connectionPool.http.http1MaxPendingRequests: 1` so extra requests are rejected (503 UO) instead of queued.'),
  'L08.MAX_REQUESTS_PER_CONNECTION': breakerSetting('each connection carries 1 request', 'Set `connectionPool.http.maxRequestsPerConnection: 1`.'),
  'L08.CONSECUTIVE_5XX': breakerSetting('one 5xx ejects the endpoint', 'Set `outlierDetection.consecutive5xxErrors: 1` (0 turns the 5xx detection off).'),
  'L08.INTERVAL': breakerSetting('endpoints are analysed every second', 'Set `outlierDetection.interval: 1s`.'),
  'L08.BASE_EJECTION_TIME': breakerSetting('an ejected endpoint stays out long enough to observe', 'Set `outlierDetection.baseEjectionTime: 3m` so the ejection lasts while you look at it.'),
  'L08.MAX_EJECTION_PERCENT': breakerSetting('the only httpbin endpoint may be ejected', 'httpbin has a single endpoint: with the default 10% Envoy may keep it in the pool. Set `maxEjectionPercent: 100`.'),
  'L08.SINGLE_CONNECTION_OK': {
    severity: 'error',
    title: 'with one connection all 20 calls succeed',
    hint: 'One connection at a time should never overflow the pool. 503s here usually mean httpbin is ejected by outlier detection (for 3 minutes after a 5xx); wait and retry, or check that maxConnections is not 0.',
    hints: { unreachable: 'fortio could not reach httpbin: are the fortio and httpbin pods running in namespace intro?' },
    concept: c.circuitBreaking,
  },
  'L08.BREAKER_TRIPS': {
    severity: 'error',
    title: 'with three connections some calls are rejected (503) and some pass',
    hint: 'No call overflowed: the connection-pool limits do not reach the fortio client. Check that the DestinationRule host is httpbin in namespace intro and maxConnections / http1MaxPendingRequests are 1.',
    hints: { allFailed: 'Every call failed: httpbin may be ejected by outlier detection (3 minutes after a 5xx). Wait and retry.' },
    concept: c.circuitBreaking,
  },
  'L08.PROM_OVERFLOW': {
    severity: 'error',
    title: 'Prometheus shows this check\'s fortio calls rejected by the circuit breaker (503, flag UO)',
    hint: 'This check\'s fortio runs (-c 3) added no overflow: the DestinationRule for httpbin in namespace intro needs maxConnections: 1 and http1MaxPendingRequests: 1.',
    concept: c.metrics,
  },
  'L08.OUTLIER_EJECTED': {
    severity: 'error',
    title: 'after one 500, httpbin is ejected: /get answers 503 "no healthy upstream"',
    hint: 'httpbin was not ejected. Outlier detection runs in the caller\'s sidecar under the DestinationRule for httpbin.intro.',
    hints: {
      unreachable: 'The curl pod could not reach httpbin at all; check the pods in namespace intro.',
      noClientSidecar: "The curl pod has no istio-proxy, so nothing on the caller side tracks httpbin's errors. Outlier detection runs in the client's sidecar: restart curl in the injected namespace intro.",
      noDestinationRule: 'httpbin was not ejected. {why}',
      onSubset: '{dr} has outlierDetection only under a subset, which applies to routes naming that subset; the plain call to httpbin uses spec.trafficPolicy. Move it there.',
      noOutlierDetection: '{dr} has no outlierDetection. Set {settings}.',
      settings: 'httpbin was not ejected: {problems}.',
      notPushedYet: 'httpbin was not ejected although {dr} looks right: the curl sidecar may not have the new configuration yet. Wait a few seconds and check again ({settings}).',
    },
    concept: c.circuitBreaking,
  },

  // ── L09 Mirroring ──
  'L09.VS': { severity: 'error', title: 'one VirtualService routes {service} for the mesh', hint: 'Create a VirtualService for httpbin in namespace intro that routes every request to subset v1.', concept: c.mirroring },
  'L09.MIRROR': { severity: 'error', title: 'traffic is mirrored to subset v2', hint: 'Add mirror: {host: httpbin, subset: v2} with mirrorPercentage: {value: 100} (or mirrors: [{destination, percentage}]).', concept: c.mirroring },
  'L09.MIRROR_SAME_SUBSET': { severity: 'error', title: 'traffic is mirrored to subset v2', hint: 'Mirroring to v1, the subset that already answers, only doubles v1\'s load. Mirror to subset v2.', concept: c.mirroring },
  'L09.MIRROR_PERCENTAGE': { severity: 'error', title: 'traffic is mirrored to subset v2', hint: 'A mirror percentage of 0 mirrors nothing; set mirrorPercentage: {value: 100}.', concept: c.mirroring },
  'L09.CALLS_ANSWERED': {
    severity: 'error',
    title: 'all {count} calls to httpbin are answered',
    hint: '503 right after an apply usually means subset v1 is missing from the httpbin DestinationRule (IST0101) or its labels select no pod (IST0173).',
    hints: { whileMirroring: 'Clients should be unaffected by mirroring (mirrored answers are discarded). Check the route to subset v1.' },
    concept: c.mirroring,
  },
  'L09.V1_SERVED': {
    severity: 'error',
    title: 'httpbin-v1 answers the clients',
    hint: 'The calls did not reach v1: check the route points at subset v1 and the DestinationRule subset v1 selects the httpbin-v1 pod (label version: v1).',
    hints: { whileMirroring: 'The route must keep sending every call to subset v1; only the mirror goes to v2.' },
    concept: c.mirroring,
  },
  'L09.V2_QUIET': {
    severity: 'error',
    title: 'httpbin-v2 receives nothing yet',
    hint: 'Some calls reached v2: another VirtualService or a route without subset spreads traffic over both versions.',
    hints: { ahead: 'You are ahead: step 2 already mirrors traffic to v2, so v2 sees copies.' },
    concept: c.mirroring,
  },
  'L09.V2_MIRRORED': {
    severity: 'error',
    title: 'httpbin-v2 received a copy of every call',
    hint: 'No copies reached v2. Check the mirror (subset v2, percentage 100) and that the httpbin DestinationRule defines subset v2. Copies keep the original Host since Istio 1.28: there is no "-shadow" suffix to grep for. The answers to copies never reach the client.',
    hints: {
      noMirror: 'The route has no mirror: add `mirror: {host: httpbin, subset: v2}` and `mirrorPercentage: {value: 100}` (step 2). Copies keep the original Host since Istio 1.28: there is no "-shadow" suffix to grep for.',
      mirrorsV1: 'The mirror targets subset v1, the one that already answers, so v1 gets every call twice and v2 none. Mirror to subset v2. Copies keep the original Host since Istio 1.28: there is no "-shadow" suffix to grep for.',
      zeroPercent: 'The mirror percentage is 0, so nothing is copied; use `mirrorPercentage: {value: 100}`. Copies keep the original Host since Istio 1.28: there is no "-shadow" suffix to grep for.',
    },
    concept: c.mirroring,
  },
  'L09.PROM_V2_REQUESTS': {
    severity: 'error',
    title: 'Prometheus counts this check\'s mirrored requests at httpbin-v2',
    hint: 'httpbin-v2\'s sidecar reported no request for this check\'s calls.',
    concept: c.metrics,
  },

  // ── L10 Load balancing ──
  'L10.NO_REVIEWS_VS': {
    severity: 'error',
    title: 'traffic to reviews spreads over every version',
    hint: 'A VirtualService with subsets sends each version to its own cluster (one pod each), so the load balancer has nothing to choose. Delete it to let traffic spread over v1, v2 and v3.',
    hints: { withoutSubset: 'Fine: {vs} routes reviews without a subset, which also spreads traffic over v1, v2 and v3. The lesson deletes the VirtualService instead.' },
    concept: c.loadBalancing,
  },
  'L10.DR': { severity: 'error', title: 'one DestinationRule for {service}', hint: 'The reviews DestinationRule is missing; the lab setup creates it (kubectl get destinationrule -n default).', concept: c.loadBalancing },
  'L10.LB_SIMPLE': {
    severity: 'error',
    title: 'the reviews DestinationRule picks a load-balancing algorithm',
    hint: 'Set `trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}` (then RANDOM, then LEAST_REQUEST). Without it Istio uses LEAST_REQUEST, not round robin.',
    hints: { onSubset: 'A subset trafficPolicy only applies to routes naming that subset; with no VirtualService traffic uses the top-level trafficPolicy. Move it there.' },
    concept: c.loadBalancing,
  },
  'L10.LB_GENERATED': {
    severity: 'error',
    title: 'istiod gives productpage\'s proxy lbPolicy {policy} for reviews',
    hint: 'istiod has not pushed the new policy to productpage yet, or another DestinationRule for reviews wins. Check the proxy is in sync.',
    hints: {
      noProductpage: 'productpage is not running, so there is no proxy to inspect. Check the Bookinfo pods.',
      noCluster: 'productpage\'s proxy has no reviews cluster: is its sidecar connected to istiod?',
    },
    concept: c.loadBalancing,
  },
  'L10.CONSISTENT_HASH': {
    severity: 'error',
    title: 'reviews hashes requests on the User-Agent header',
    hint: 'Set `trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: user-agent}}}` (replacing `simple`).',
    hints: {
      onSubset: 'A subset trafficPolicy applies only to routes naming that subset; put consistentHash under the top-level trafficPolicy.',
      notForwarded: 'productpage does not forward {header} to reviews, so the reviews call has no value to hash and Envoy picks a pod at random, as without hashing. productpage forwards user-agent: hash on that.',
    },
    concept: c.loadBalancing,
  },
  'L10.VS_WITH_SUBSETS': { severity: 'error', title: 'no VirtualService splits reviews into subsets', hint: 'With a subset route each version is its own cluster of one pod: hashing has nothing to choose from. Delete that VirtualService.', concept: c.loadBalancing },
  'L10.STICKY': { severity: 'error', title: 'one User-Agent always reaches the same reviews version', hint: 'Requests with one User-Agent still spread: the hash policy has not reached productpage\'s proxy, or something else (a VirtualService, a subset policy) overrides it.', concept: c.loadBalancing },
  'L10.SPREAD': { severity: 'error', title: 'different User-Agents reach different versions', hint: 'Every User-Agent lands on one version: is reviews scaled to one pod, or does a VirtualService pin one subset?', concept: c.loadBalancing },

  // ── L11 Egress with ServiceEntry ──
  'L11.EXTERNAL_ALLOWED': {
    severity: 'error',
    title: 'curl from default/curl to {host} succeeds',
    hint: 'With the mesh default ALLOW_ANY the call should pass; is a Sidecar or meshConfig already REGISTRY_ONLY?',
    hints: {
      ...externalCallHints,
      blockedByLaterStep: 'The sidecar answered 502 itself (route block_all, no upstream): outbound traffic is REGISTRY_ONLY and {host} is not registered. A Sidecar or mesh setting from a later step is still in place; the lab setup removes it.',
    },
    concept: c.egress,
  },
  'L11.PASSTHROUGH': {
    severity: 'warning',
    title: 'the sidecar sent it through PassthroughCluster',
    hint: 'Unknown destinations leave through PassthroughCluster under ALLOW_ANY.',
    hints: {
      noAccessLog: 'Access logging seems off for this proxy (a Telemetry resource can disable it); the call itself worked.',
      alreadyRegistered: 'A ServiceEntry already registers {host} (step 3), so the call uses its own cluster instead of PassthroughCluster.',
    },
    concept: c.egress,
  },
  'L11.REGISTRY_ONLY': {
    severity: 'error',
    title: 'outbound traffic from namespace default is REGISTRY_ONLY',
    hint: 'Create `Sidecar default/default` with `outboundTrafficPolicy: {mode: REGISTRY_ONLY}` and no workloadSelector.',
    hints: {
      hasSelector: 'A Sidecar with workloadSelector only restricts the pods it selects; drop the selector so the whole namespace is restricted.',
      meshWide: 'Mesh-wide setting: fine for this lab, but it restricts every namespace.',
    },
    concept: c.egress,
  },
  'L11.EXTERNAL_BLOCKED': {
    severity: 'error',
    title: 'the call to {host} is now blocked (502)',
    hint: "The policy is set but the call still passes: the curl pod's proxy may not have the new config yet. Check proxy-status.",
    hints: { alreadyRegistered: 'A ServiceEntry already registers {host}, so REGISTRY_ONLY allows it. That is step 3; delete it to see the block.' },
    concept: c.egress,
  },
  'L11.SE': { severity: 'error', title: 'a ServiceEntry registers {host}', hint: 'Create ServiceEntry api-example: hosts [{host}], ports [{number: 80, name: http, protocol: HTTP}], resolution: DNS, location: MESH_EXTERNAL.', concept: c.egress },
  'L11.SE_DUPLICATE': { severity: 'warning', title: 'one ServiceEntry per host', hint: 'Several ServiceEntries for one host are merged in ways that are hard to predict; keep one.', concept: c.egress },
  'L11.SE_PORT': {
    severity: 'error',
    title: 'port 80 is declared as HTTP',
    hint: 'Declare port 80 with protocol HTTP.',
    hints: { tcp: 'As TCP the sidecar cannot see HTTP, so no L7 routing, timeouts or HTTP metrics (and without addresses, IST0134). Use protocol HTTP.' },
    concept: c.egress,
  },
  'L11.SE_RESOLUTION': {
    severity: 'error',
    title: 'the proxy resolves the host by DNS',
    hint: 'NONE forwards to whatever IP the app connected to and is meant for IP ranges; for a DNS name use resolution: DNS.',
    hints: { static: 'STATIC needs endpoints with IPs; for a DNS name use resolution: DNS.' },
    concept: c.egress,
  },
  'L11.SE_LOCATION': { severity: 'error', title: 'the host is marked as outside the mesh', hint: 'MESH_INTERNAL makes the sidecar treat the host as a mesh workload (and try mTLS). Use MESH_EXTERNAL.', concept: c.egress },
  'L11.EXTERNAL_REGISTERED': {
    severity: 'error',
    title: 'the call to {host} works again',
    hint: 'The ServiceEntry has not reached the curl proxy yet, or its host or port differ from the call.',
    hints: externalCallHints,
    concept: c.egress,
  },
  'L11.PROM_EXTERNAL': {
    severity: 'error',
    title: 'Prometheus shows this check\'s requests from curl to {host}',
    hint: 'curl\'s sidecar reported none of this check\'s calls to {host} (a call refused by REGISTRY_ONLY is answered by the sidecar\'s block_all route and never counts for this host).',
    concept: c.metrics,
  },
  'L11.VS_EXTERNAL': { severity: 'error', title: 'one VirtualService routes {service} for the mesh', hint: 'Create a VirtualService with hosts [api.example.com] whose route (to api.example.com) has timeout: 3s.', concept: c.timeouts },
  'L11.TIMEOUT': {
    severity: 'error',
    title: 'calls to {host} time out before the {delay} s delay',
    hint: 'Add `timeout: 3s` next to `route` in the rule.',
    hints: { afterDelay: '/delay/{delay} answers after {delay} s, before a {timeout} timeout fires. Use 3s.' },
    concept: c.timeouts,
  },
  'L11.TIMEOUT_ROUTE_HOST': { severity: 'error', title: 'the route goes to {host}', hint: 'Route to the ServiceEntry host itself: destination {host: {host}, port: {number: 80}}.', concept: c.timeouts },
  'L11.TIMEOUT_OBSERVED': {
    severity: 'error',
    title: '/delay/{delay} fails with 504 after about {timeout}',
    hint: 'The timeout has not reached the curl proxy yet, or the VirtualService does not apply to default/curl.',
    hints: {
      noServiceEntry: "The call waited for the full delay: no ServiceEntry registers {host} on port 80, so it passes through without the route. Restore step 3's ServiceEntry.",
      notHttp: 'The call waited for the full delay: the ServiceEntry declares port 80 as {protocol}, so the sidecar forwards bytes and cannot apply an HTTP timeout. Declare it as protocol HTTP.',
      notPushedYet: 'The call waited for the full delay: the timeout did not apply yet. Check that the curl sidecar has the new route (proxy-status).',
      blocked: 'Blocked: the ServiceEntry for {host} is missing while REGISTRY_ONLY is on.',
      other: 'The call did not time out as configured; check the VirtualService and the proxy sync.',
    },
    concept: c.timeouts,
  },

  // ── L12 Egress gateway ──
  'L12.GATEWAY': { severity: 'error', title: 'a Gateway accepts api.example.com on the egress gateway', hint: 'Create the Gateway istio-egressgateway in namespace default with hosts [api.example.com] on port 80, protocol HTTP.', concept: c.egressGateway },
  'L12.GATEWAY_SELECTOR': {
    severity: 'error',
    title: 'the Gateway selector picks the egress gateway pods',
    hint: 'That selector picks the ingress gateway (or other pods). Egress traffic must leave through the egress gateway: use `istio: egressgateway`.',
    hints: { noPods: 'No pod carries these labels. Is the egress gateway installed (the demo profile has one; `kubectl get pods -n istio-system -l istio=egressgateway`)?' },
    concept: c.egressGateway,
  },
  'L12.GATEWAY_PORT': { severity: 'error', title: 'the Gateway listens on port 80 for HTTP', hint: 'The egress gateway Service exposes port 80 (http2); declare the server on port 80 with protocol HTTP.', concept: c.egressGateway },
  'L12.GATEWAY_HOSTS': { severity: 'warning', title: 'the Gateway names api.example.com', hint: 'A wildcard works but opens the egress gateway to every host; name api.example.com.', concept: c.egressGateway },
  'L12.DR_EGRESS': { severity: 'error', title: 'one DestinationRule for {service}', hint: 'Create a DestinationRule with host istio-egressgateway.istio-system.svc.cluster.local and a subset named api.', concept: c.egressGateway },
  'L12.DR_SUBSET': { severity: 'error', title: 'the DestinationRule defines a subset for the egress gateway', hint: 'Add `subsets: [{name: api}]`; the VirtualService of the next step routes the mesh traffic to that subset.', concept: c.egressGateway },
  'L12.VS_EXTERNAL': { severity: 'error', title: 'one VirtualService routes {service} through the egress gateway', hint: 'Create a VirtualService for api.example.com with gateways [mesh, istio-egressgateway] and one rule per gateway.', concept: c.egressGateway },
  'L12.VS_MESH': { severity: 'error', title: 'the VirtualService applies to the sidecars too', hint: 'Without `mesh` the sidecars ignore this VirtualService and call api.example.com directly, bypassing the egress gateway. Add mesh to gateways.', concept: c.egressGateway },
  'L12.VS_GATEWAY': {
    severity: 'error',
    title: 'the VirtualService is bound to the egress Gateway',
    hint: 'List the egress Gateway in `gateways` next to mesh.',
    hints: {
      noEgressGateway: 'No Gateway for api.example.com selects the egress gateway yet (step 1).',
      noEgressPod: 'No egress gateway pod runs in istio-system, so no Gateway can select one. Install it (the demo profile has one; `kubectl get pods -n istio-system -l istio=egressgateway`).',
    },
    concept: c.egressGateway,
  },
  'L12.MESH_RULE': {
    severity: 'error',
    title: 'sidecar traffic for api.example.com goes to the egress gateway',
    hint: 'The mesh rule must send traffic to the egress gateway Service {egress}, port 80, not straight to api.example.com.',
    hints: { noMeshRule: 'Give the sidecars their own rule with `match: [{gateways: [mesh]}]` routing to the egress gateway; a rule without match.gateways applies on the gateway too, which would send requests to itself.' },
    concept: c.egressGateway,
  },
  'L12.GATEWAY_RULE': { severity: 'error', title: 'the egress gateway forwards {host} to the external host', hint: 'On the egress gateway the request must continue to {host} port 80 (the ServiceEntry host).', concept: c.egressGateway },
  'L12.CALL_OK': {
    severity: 'error',
    title: 'curl from default/curl to {host} succeeds',
    hint: 'The call failed: check the Gateway, DestinationRule subset and both VirtualService rules.',
    hints: {
      ...externalCallHints,
      noGatewayPod: 'HTTP 503: the mesh rule sends the call to the egress gateway, but no egress gateway pod is running (the demo profile installs one).',
      unavailable: 'HTTP 503: the mesh rule points at a subset the egress DestinationRule does not define (IST0101), or the egress gateway has no ready pod.',
      noGatewayRoute: 'HTTP 404 from the egress gateway: it has no route for {host}. The VirtualService must list the Gateway in `gateways` (as <namespace>/istio-egressgateway if the Gateway lives in another namespace) and have a rule matching it.',
    },
    concept: c.egressGateway,
  },
  'L12.GATEWAY_LOG': {
    severity: 'error',
    title: 'the egress gateway logged the call',
    hint: 'The call did not pass the egress gateway: sidecars only route through it when the VirtualService lists `mesh` in gateways and its mesh rule points at the gateway.',
    hints: { noGatewayPod: 'No egress gateway is running; the demo profile installs one.' },
    concept: c.egressGateway,
  },
  'L12.PROM_EGRESS': {
    severity: 'error',
    title: 'Prometheus shows this check\'s request from istio-egressgateway to {host}',
    hint: 'No request left through the egress gateway for this check\'s call: the VirtualService must list `mesh` in gateways and send the mesh rule to the egress gateway.',
    concept: c.metrics,
  },

  // ── L13 Mutual TLS with PeerAuthentication ──
  'L13.PLAINTEXT_OK': {
    severity: 'error',
    title: 'a plain-text call from legacy reaches {service}',
    hint: 'Under PERMISSIVE (the default) plain text is accepted. A PeerAuthentication left from an earlier attempt makes it STRICT: list them with kubectl get peerauthentication -A.',
    concept: c.peerAuthentication,
  },
  'L13.XFCC': {
    severity: 'error',
    title: '{service} sees the caller identity {identity}',
    hint: 'httpbin saw no client certificate, so the call was not mutual TLS: both pods in {namespace} need a sidecar (READY 2/2).',
    concept: c.mtls,
  },
  'L13.NS_STRICT': {
    severity: 'error',
    title: 'the workloads of namespace {namespace} accept mutual TLS only',
    hint: 'Create a PeerAuthentication without selector in namespace {namespace} with mtls.mode: STRICT.',
    hints: {
      olderWins: 'Namespace {namespace} has several PeerAuthentications without selector; istiod uses only the oldest, {winner}, and ignores {ignored}. Keep one.',
      workloadOverride: 'A workload policy, {winner}, sets another mode for httpbin and overrides the namespace policy. Delete it or make it STRICT too.',
    },
    concept: c.peerAuthPrecedence,
  },
  'L13.PLAINTEXT_REFUSED': {
    severity: 'error',
    title: 'a plain-text call from legacy to {service} is refused',
    hint: 'legacy/curl still got an answer, so httpbin\'s sidecar accepted plain text. Is the policy applied and is httpbin\'s pod the one with a sidecar?',
    concept: c.peerAuthentication,
  },
  'L13.MESH_CALL': {
    severity: 'error',
    title: 'a call from bar\'s sidecar to {service} still succeeds',
    hint: 'STRICT refuses plain text only; a sidecar-to-sidecar call should still get 200. Check that bar/curl runs with its sidecar.',
    hints: { tlsDisabled: 'The sidecar call failed with 503: a DestinationRule for {service} with tls.mode DISABLE ({destinationRule}) makes clients send plain text, which STRICT resets. Remove its tls setting and let auto mTLS choose.' },
    concept: c.mtls,
  },
  'L13.PORT_EXCEPTION': {
    severity: 'error',
    title: 'httpbin in bar is STRICT except on its container port {port}',
    hint: 'Create a PeerAuthentication in bar with selector app: httpbin, mtls.mode STRICT and portLevelMtls "{port}": DISABLE.',
    hints: {
      servicePort: 'portLevelMtls is keyed "{key}", the Service port; the sidecar applies it to the port the container listens on, {port}, so the key matches nothing.',
      notStrict: 'httpbin\'s other ports should stay STRICT: set mtls.mode STRICT on the workload policy.',
    },
    concept: c.portLevelMtls,
  },
  'L13.PORT_CALL': {
    severity: 'error',
    title: 'a plain-text call from legacy to httpbin.bar:8000 succeeds',
    hint: 'The call was refused, so port {port} is still STRICT for plain-text callers.',
    concept: c.portLevelMtls,
  },
  'L13.MESH_STRICT': {
    severity: 'error',
    title: 'a mesh-wide PeerAuthentication in {root} requires mutual TLS',
    hint: 'Create a PeerAuthentication without selector in the root namespace {root} with mtls.mode: STRICT.',
    hints: { wrongNamespace: '{policy} has no selector but lives in {namespace}, so it covers only that namespace. Mesh-wide policies live in the root namespace, {root}.' },
    concept: c.peerAuthPrecedence,
  },
  'L13.NS_DISABLE': {
    severity: 'error',
    title: 'the workloads of namespace {namespace} accept plain text only (DISABLE)',
    hint: 'Change the PeerAuthentication default in {namespace} to mtls.mode: DISABLE.',
    hints: { workloadOverride: 'A workload policy, {winner}, overrides the namespace policy for httpbin; delete it or set DISABLE there.' },
    concept: c.peerAuthentication,
  },
  'L13.NO_XFCC': {
    severity: 'error',
    title: '{service} no longer sees a client certificate',
    hint: 'The call from foo/curl still carried X-Forwarded-Client-Cert, so it was mutual TLS. Give istiod a few seconds, then check which policy applies to httpbin.',
    concept: c.mtls,
  },
  'L13.MESH_POLICY_LEFT': {
    severity: 'warning',
    title: 'no mesh-wide STRICT policy is left in {root}',
    hint: '{policy} still makes the rest of the mesh STRICT; plain-text callers in other labs will be reset. Delete it when you are done.',
    concept: c.peerAuthPrecedence,
  },

  // ── L14 End-user authentication with JWT ──
  'L14.RA': {
    severity: 'error',
    title: 'a RequestAuthentication makes httpbin in foo validate tokens from {issuer}',
    hint: 'Create a RequestAuthentication in namespace foo with `selector: {matchLabels: {app: httpbin}}` and one jwtRule: `issuer: {issuer}` and the toolbox key set inline in `jwks`.',
    hints: {
      otherNamespace: '{policy} is in namespace {namespace}: a RequestAuthentication covers workloads of its own namespace (all of them from istio-system), so httpbin in foo never sees it. Create it in foo.',
      selectorMisses: "{policy}'s selector {selector} matches no label of httpbin's pods (app: httpbin, version: v1), so it applies to nothing here.",
      otherIssuer: '{policy} trusts issuer {other}, but the toolbox tokens say `iss: {issuer}`; a token is checked only by the rule of its own issuer, so these would be refused with 401 "Jwt issuer is not configured".',
    },
    concept: c.requestAuthentication,
  },
  'L14.JWKS': {
    severity: 'error',
    title: "the rule's keys verify the toolbox tokens",
    hint: "The key set does not verify the toolbox tokens' signature: every token would be refused with 401 \"Jwt verification fails\". Put the contents of /etc/istio-workshop/jwt/jwks.json in `jwks`, unchanged.",
    hints: {
      unreadable: "{policy}'s `jwks` cannot be used: {problem}. It must be the JSON key set of /etc/istio-workshop/jwt/jwks.json, as one quoted string.",
      noKeys: '{policy} has neither `jwks` nor `jwksUri`: istiod has no key to check signatures with. Put the toolbox key set inline in `jwks`.',
      jwksUri: '`jwksUri: {uri}` asks istiod to download the keys; learner clusters are offline, so istiod gives the proxy a key set that verifies nothing and every token gets 401. Put the key set inline in `jwks` instead.',
    },
    concept: c.requestAuthentication,
  },
  'L14.VALID_TOKEN': {
    severity: 'error',
    title: 'a request with demo.jwt is answered 200',
    hint: 'Give the sidecar a few seconds to receive the policy, then check again.',
    hints: {
      rejected: 'httpbin\'s sidecar refused the valid token ({body}): its keys do not verify it. Use the inline key set of /etc/istio-workshop/jwt/jwks.json (a jwksUri cannot be fetched from this cluster).',
      denied: 'An AuthorizationPolicy already refuses this request (403): this step has none yet. Look at `kubectl get authorizationpolicy -n foo`.',
    },
    concept: c.requestAuthentication,
  },
  'L14.BAD_TOKEN_REFUSED': {
    severity: 'error',
    title: 'a request with a malformed token is refused with 401',
    hint: 'A malformed token was accepted: no RequestAuthentication applies to httpbin in foo, so its sidecar does not look at tokens at all (step 1).',
    concept: c.requestAuthentication,
  },
  'L14.NO_TOKEN_ACCEPTED': {
    severity: 'error',
    title: 'a request without a token is still answered 200',
    hint: 'Without a token httpbin answered {status}: something other than the RequestAuthentication refuses it.',
    hints: { ahead: 'You are ahead: an AuthorizationPolicy already requires a token (step 3). RequestAuthentication alone lets requests without one through.' },
    concept: c.requestAuthentication,
  },
  'L14.REQUIRE_JWT': {
    severity: 'error',
    title: 'httpbin admits requests with a valid token from {issuer} and refuses those without',
    hint: 'Create an ALLOW AuthorizationPolicy in foo selecting app: httpbin with `from: [{source: {requestPrincipals: ["{principal}"]}}]`.',
    hints: {
      subjectOnly: '{policy} lists the request principal "{written}": a request principal is `<iss>/<sub>`, here "{principal}". As written it matches no request.',
      noRequestAuthentication: 'No RequestAuthentication validates the token any more, so requests carry no request principal and {policy} matches none of them. Keep step 1\'s policy.',
      anonymousAllowed: '{policy} also admits requests without a token: its rule matches without `requestPrincipals`. Every rule must require the token\'s principal.',
      tokenDenied: 'A request with demo.jwt is refused by {policy}: no rule matches the principal "{principal}".',
    },
    concept: c.jwtAuthorization,
  },
  'L14.NO_TOKEN_DENIED': {
    severity: 'error',
    title: 'without a token httpbin answers 403',
    hint: 'The policy has not reached httpbin\'s sidecar yet, or it does not select app: httpbin.',
    concept: c.jwtAuthorization,
  },
  'L14.TOKEN_ALLOWED': {
    severity: 'error',
    title: 'with demo.jwt httpbin answers 200',
    hint: 'The sidecar still refuses the token ({status}); check the RequestAuthentication of step 1 and the principal in the policy.',
    concept: c.jwtAuthorization,
  },
  'L14.GROUP_CLAIM': {
    severity: 'error',
    title: 'only tokens whose groups claim holds group1 are admitted',
    hint: 'Add `when: [{key: request.auth.claims[groups], values: ["group1"]}]` to the rule of {policy}.',
    hints: {
      badKey: '{policy} has the condition key "{key}", which Istio does not know; the claim is `request.auth.claims[groups]`, with square brackets.',
      wrongValue: '{policy} requires {values} in the groups claim; groups-scope.jwt has group1 and group2, and the lesson asks for group1.',
      groupsDenied: 'groups-scope.jwt is refused too: keep the requestPrincipals rule of step 3 and add the `when` condition to it.',
    },
    concept: c.jwtAuthorization,
  },
  'L14.DEMO_DENIED': {
    severity: 'error',
    title: 'demo.jwt (no groups claim) gets 403',
    hint: 'The new condition has not reached httpbin\'s sidecar yet; wait a few seconds and check again.',
    concept: c.jwtAuthorization,
  },
  'L14.GROUPS_ALLOWED': {
    severity: 'error',
    title: 'groups-scope.jwt gets 200',
    hint: 'httpbin answered {status} to groups-scope.jwt; check the claim condition and the RequestAuthentication.',
    concept: c.jwtAuthorization,
  },

  'L14.INGRESS_RULES': {
    severity: 'error',
    title: 'the ingress gateway requires a valid token for {host} and leaves other hosts open',
    hint: 'In istio-system, select the gateway (`istio: ingressgateway`) with a RequestAuthentication like step 1\'s and an AuthorizationPolicy with action DENY, `from: [{source: {notRequestPrincipals: ["*"]}}]`, `to: [{operation: {hosts: ["{host}"]}}]`.',
    hints: {
      allowLocksOut: '{policy} is an ALLOW policy on the gateway: every request it does not match is denied, Bookinfo included. Use action DENY with notRequestPrincipals ["*"] limited to {host}.',
      notAtGateway: '{policy} is in namespace foo: a policy applies to workloads of its own namespace, and the gateway runs in istio-system. Create it there.',
      noRequestAuthentication: 'No RequestAuthentication selects the gateway, so its proxy never validates a token and a request never has a principal: {policy} refuses every request for the host. Add one in istio-system.',
    },
    concept: c.jwtAuthorization,
  },
  'L14.INGRESS_NO_TOKEN': {
    severity: 'error',
    title: 'through the gateway, {host} without a token gets 403',
    hint: 'The policy has not reached the gateway yet; wait a few seconds and check again.',
    concept: c.jwtAuthorization,
  },
  'L14.INGRESS_TOKEN': {
    severity: 'error',
    title: 'through the gateway, {host} with demo.jwt gets 200',
    hint: 'The gateway refuses the valid token: check its RequestAuthentication (issuer and inline keys).',
    concept: c.jwtAuthorization,
  },

  // ── L17 Grafana dashboards ── (one block; the concept is inline so it merges apart from other labs)
  'L17.ISTIO_DASHBOARD': {
    severity: 'error',
    title: 'Grafana lists the dashboard "{dashboard}"',
    hint: 'Grafana answers, but has no dashboard titled "{dashboard}". The addon provisions it from key {key} of the ConfigMap {configMap} in istio-system; Grafana reads those files when it starts: `kubectl -n istio-system rollout restart deploy/grafana`.',
    hints: {
      missingConfigMap: 'The ConfigMap {configMap} is missing from istio-system, so Grafana has no "{dashboard}". Re-apply the Grafana addon of Istio 1.30 (samples/addons/grafana.yaml), then restart Grafana.',
      missingKey: 'The ConfigMap {configMap} has no key {key}, which holds "{dashboard}". Re-apply the Grafana addon of Istio 1.30 (samples/addons/grafana.yaml), then restart Grafana.',
    },
    concept: { name: 'Istio dashboards in Grafana', docs: '/latest/docs/ops/integrations/grafana/' },
  },
  'L17.DASHBOARD_SAVED': {
    severity: 'error',
    title: 'Grafana has a saved dashboard titled "{title}"',
    hint: 'Grafana has no dashboard titled "{title}". A new dashboard exists only in your browser until you save it (the Save dashboard button, or Ctrl+S), with that title.',
    hints: {
      otherTitles: 'No dashboard is titled "{title}", but you saved {others}. Open yours, set the title to {title} (Edit, Settings) and save again.',
    },
    concept: { name: 'Istio dashboards in Grafana', docs: '/latest/docs/ops/integrations/grafana/' },
  },
  'L17.PANEL_QUERY': {
    severity: 'error',
    title: 'a panel of "{title}" queries istio_requests_total for reviews',
    hint: '"{title}" has no panel with a query. Add a visualization, pick the Prometheus data source and write a PromQL query over istio_requests_total for reviews.',
    hints: {
      notPrometheus: 'Panel "{panel}" reads from {datasource}, not from Prometheus, so it never sees istio_requests_total. Pick the Prometheus data source in the query editor.',
      noExpr: 'Panel "{panel}" uses Prometheus but its query is empty. Type the PromQL in the query field (Code mode) and run it before saving.',
      otherMetric: 'Panel "{panel}" queries `{expr}`. The requests a sidecar counts are in istio_requests_total.',
      sourceReviews: 'Panel "{panel}" filters on the source side (`{label}`): those are the calls reviews makes to ratings. Filter on the destination, e.g. destination_service_name="reviews".',
      notReviews: 'Panel "{panel}" counts istio_requests_total for every service. Narrow it to reviews with a label such as destination_service_name="reviews" (or destination_app, destination_workload).',
    },
    concept: c.prometheusQuery,
  },
  'L17.ERRORS_ONLY': {
    severity: 'warning',
    title: 'the reviews panel counts only 5xx responses',
    hint: 'Panel "{panel}" counts every response of reviews, so its curve is traffic, not errors. Add response_code=~"5.." to the selector to see the 5xx rate.',
    concept: c.prometheusQuery,
  },
  'L17.ENOUGH_SAMPLES': {
    severity: 'warning',
    title: 'the reviews panel has enough samples to draw a rate',
    hint: 'Panel "{panel}" takes rate() over [{window}], fewer than two scrapes (Prometheus scrapes every 15 s here), so it often draws nothing. Use [1m] or $__rate_interval.',
    hints: {
      shortRange: '"{title}" shows only the last {range}: with a 15 s scrape interval a rate needs a wider view to draw a curve. Pick "Last 15 minutes" in the time picker and save.',
    },
    concept: c.prometheusQuery,
  },
  'L17.STORAGE': {
    severity: 'warning',
    title: 'Grafana keeps saved dashboards across a restart of its pod',
    hint: 'Grafana keeps its database in volume "{volume}", an emptyDir: when the pod restarts, "{title}" is gone. Keep a copy: Export, Export as JSON, Download file (or curl /api/dashboards/uid/{uid}).',
    concept: { name: 'Istio dashboards in Grafana', docs: '/latest/docs/ops/integrations/grafana/' },
  },
  // ── end L17 ──

  // ── L18 Distributed tracing with Jaeger ──
  'L18.TRACING': {
    severity: 'error',
    title: 'the ingress gateway and productpage report spans to the jaeger provider',
    hint: 'Create a Telemetry named mesh-default in istio-system, without selector, with `tracing: [{providers: [{name: jaeger}], randomSamplingPercentage: 100}]`.',
    hints: {
      notMeshWide: '{telemetry} is in namespace {namespace}, so only its proxies trace; the ingress gateway (istio-system) does not, and traces miss their first hop. Put it in istio-system.',
      unknownProvider: '{telemetry} names provider "{provider}", which meshConfig does not define: no error, and no spans. The Jaeger addon is reached through provider `jaeger`.',
      zeroSampling: '{telemetry} samples 0% of requests: no trace is ever started. Use randomSamplingPercentage: 100 for the lab.',
      ignored: 'istio-system has several Telemetry objects without selector; istiod reads only the oldest and ignores {telemetry} (IST0160). Put tracing in that one, or keep one mesh-default.',
      lowSampling: 'Only {percent}% of requests are traced: fine in production, slow to see here. The lab uses 100.',
    },
    concept: c.tracing,
  },
  'L18.SERVICE_KNOWN': {
    severity: 'error',
    title: 'Jaeger knows the service productpage.default',
    hint: 'No span from productpage reached Jaeger: tracing is not on for it (step 1), or the proxies have not picked the Telemetry up yet.',
    concept: c.tracing,
  },
  'L18.WHOLE_TRACE': {
    severity: 'error',
    title: 'one trace follows a page load through the gateway, productpage, details and reviews',
    hint: 'The traces are in pieces: some proxy on the path does not report to jaeger.',
    hints: { noGateway: "The trace starts at productpage: the ingress gateway's proxy does not trace. Make the Telemetry mesh-wide (istio-system)." },
    concept: c.tracing,
  },
  'L18.HEADERS_ECHOED': {
    severity: 'error',
    title: "httpbin in intro echoes the headers curl's request arrived with",
    hint: 'httpbin or curl in namespace intro is not running or not Ready (the lab setup deploys them); wait for `kubectl -n intro get pods` to show 2/2.',
    concept: c.tracing,
  },
  'L18.REQUEST_ID': {
    severity: 'error',
    title: 'a sidecar added X-Request-Id',
    hint: 'Neither curl nor httpbin in intro has a sidecar, so nothing adds the request id: label the namespace for injection and restart both Deployments.',
    concept: c.tracing,
  },
  'L18.TRACEPARENT': {
    severity: 'error',
    title: 'a sidecar added the W3C trace context (Traceparent)',
    hint: 'No proxy in intro traces, so none writes traceparent: create the mesh-wide Telemetry of step 1 (istio-system/mesh-default, provider jaeger).',
    hints: {
      notApplied: '{telemetry} traces, but it does not apply to namespace intro: a Telemetry without selector in a namespace covers only that namespace. Put it in istio-system.',
      unknownProvider: 'The tracing of intro names provider "{provider}", which meshConfig does not define: istiod turns tracing off for those proxies, and they write no trace headers.',
      reportingDisabled: '{telemetry} sets disableSpanReporting: true, which turns tracing off for those proxies altogether: no spans and no trace headers.',
      propagationDisabled: '{telemetry} sets disableContextPropagation: true (Istio 1.30): the proxies report spans but write no trace headers. Remove it.',
      zipkin: 'The request carries X-B3-* headers instead: the tracing of intro uses a Zipkin provider ("{provider}"). The jaeger provider (OpenTelemetry) writes traceparent.',
    },
    concept: c.tracing,
  },
  'L18.CUSTOM_TAG': {
    severity: 'error',
    title: "productpage's spans carry the tag {tag}={value}",
    hint: 'Add `customTags: {{tag}: {literal: {value: {value}}}}` to the tracing entry of mesh-default.',
    hints: {
      otherValue: 'The tag {tag} has the value "{actual}"; the lesson asks for {value}.',
      hidden: 'The tag is set in {telemetry}, which does not apply to productpage: it is in another namespace, or istiod ignores it next to an older Telemetry without selector (IST0160). Set it in istio-system/mesh-default.',
    },
    concept: c.tracing,
  },
  'L18.TAGGED_SPANS': {
    severity: 'error',
    title: 'new spans in Jaeger carry {tag}={value}',
    hint: 'The proxies have not picked the new tag up yet; wait a few seconds and check again.',
    concept: c.tracing,
  },

  // ── L19 Kiali: graph, health, validations (all L19 codes, contiguous) ──
  'L19.GRAPH_TRAFFIC': {
    severity: 'error',
    title: "Kiali's graph of {namespace} shows requests from productpage to reviews in the last {window}",
    hint: 'The graph of the last {window} is empty: Kiali draws only the requests Prometheus counted in the time window. Send traffic (the loop of the lesson), choose a window of at least "Last 5m" and refresh. Prometheus scrapes every 15 s, so wait a little after the loop.',
    hints: {
      noEdge: 'The graph has traffic, but none from productpage to reviews in the last {window}. Is productpage answering (kubectl -n default get pods -l app=productpage), and is reviews reachable?',
    },
    concept: c.kiali,
  },
  'L19.GRAPH_VERSIONS': {
    severity: 'error',
    title: 'the graph shows reviews {versions} receiving requests',
    hint: 'reviews {missing} got no requests in the last {window}. Is a VirtualService sending all reviews traffic elsewhere (kubectl get virtualservice -n default)? The lab setup removes them.',
    hints: {
      idle: 'reviews {missing} is in the graph only as an idle node: it exists but got no request in the last {window}. Kiali hides idle nodes unless Display → "Idle Nodes" is on, so it looks missing. Is a VirtualService sending all reviews traffic elsewhere (kubectl get virtualservice -n default)?',
    },
    concept: c.kiali,
  },
  'L19.VS': { severity: 'error', title: 'one VirtualService routes {service} for the mesh', hint: 'Create the VirtualService reviews in namespace default (step 2 of the lesson).', concept: c.virtualService },
  'L19.ROUTES_TO_V4': {
    severity: 'error',
    title: '{vs} sends reviews traffic to subset v4',
    hint: 'Route every request of the reviews VirtualService to subset v4: one http rule whose route has `destination: {host: reviews, subset: v4}`.',
    concept: c.subsets,
  },
  'L19.V4_UNDEFINED': {
    severity: 'error',
    title: 'no DestinationRule defines subset v4 of reviews',
    hint: '{dr} defines subset v4, so nothing is broken: this step wants a route to a subset that does not exist. Leave the DestinationRule as the setup made it (v1, v2, v3).',
    concept: c.subsets,
  },
  'L19.KIALI_KIA1107': {
    severity: 'error',
    title: 'Kiali flags {vs} with KIA1107 (subset not found)',
    hint: 'Kiali has not flagged the VirtualService (yet): it validates from its own cache of the cluster, which follows changes within seconds. Open Istio Config for namespace default and check again.',
    concept: c.kialiValidations,
  },
  'L19.ANALYZE': {
    severity: 'error',
    title: 'istioctl analyze -n default reports IST0101 on {vs}',
    hint: 'istioctl analyze does not report IST0101 for the reviews VirtualService: is the route still pointing to subset v4?',
    hints: {
      skipped: 'istioctl is not available where this check ran, so this part was skipped. Run `istioctl analyze -n default` yourself: it names the missing subset with IST0101 (ReferencedResourceNotFound).',
    },
    concept: c.analyze,
  },
  'L19.SUBSETS_EXIST': {
    severity: 'error',
    title: 'every subset {vs} routes to exists',
    hint: 'Point the route at a subset the DestinationRule defines (v1, v2 or v3).',
    hints: {
      noVs: 'There is no VirtualService for reviews any more, so nothing points at a missing subset; the lesson edits the route to v1 instead, which keeps the VirtualService for the next step.',
    },
    concept: c.subsets,
  },
  'L19.KIALI_CLEAN': {
    severity: 'error',
    title: 'Kiali reports no problem on the reviews VirtualService and DestinationRule',
    hint: 'Kiali still reports {problems}. It validates from its cache, which follows changes within seconds; if the message stays, fix the object it names.',
    concept: c.kialiValidations,
  },
  'L19.WIZARD_LABEL': {
    severity: 'warning',
    title: "the reviews VirtualService and DestinationRule carry Kiali's wizard label kiali_wizard=traffic_shifting",
    hint: 'The weights are right, so the mesh behaves as asked, but {objects} lack the label kiali_wizard: traffic_shifting that Kiali\'s Traffic Shifting wizard puts on what it creates: they were written by hand. Try the wizard (Services → reviews → Actions → Delete Traffic Routing, then Traffic Shifting); Kiali only offers to update routing its wizard made.',
    hints: {
      otherWizard: 'The weights are right, but {objects} carry kiali_wizard={value}: another wizard made them. Kiali will offer that wizard, not Traffic Shifting, to change them.',
    },
    concept: c.kiali,
  },

  // ── L20 Access logs ──
  'L20.MESH_LOG_FILE': {
    severity: 'error',
    title: 'meshConfig sends access logs to /dev/stdout',
    hint: 'The installation has no `accessLogFile: /dev/stdout` in meshConfig (ConfigMap istio-system/istio, key mesh): sidecars write no access log by default. The demo profile sets it.',
    concept: c.accessLogs,
  },
  'L20.LINE_LOGGED': {
    severity: 'error',
    title: "httpbin's sidecar logged this check's request",
    hint: 'No line for the request yet: the log is read a few seconds after the call; check again.',
    hints: { byTelemetry: '{telemetry} configures access logging for httpbin, so meshConfig no longer applies to it and this 200 is not logged. That is step 2; delete it to see the default.' },
    concept: c.accessLogs,
  },
  'L20.TELEMETRY': {
    severity: 'error',
    title: "httpbin's sidecar logs failed requests (status ≥ 400) and not successful ones",
    hint: 'Create a Telemetry in namespace intro with `accessLogging: [{providers: [{name: envoy}], filter: {expression: "response.code >= 400"}}]`.',
    hints: {
      otherNamespace: '{telemetry} is in namespace {namespace}; a Telemetry without selector covers its own namespace only (the whole mesh from istio-system). Create it in intro.',
      provider: '{telemetry} names provider "{provider}": no such provider is defined, so nothing is logged and no error is shown. The built-in one is `envoy`.',
      badFilter: "{telemetry}'s filter cannot be read: {problem}. Envoy drops a log whose filter does not compile; write `response.code >= 400`.",
      noFilter: '{telemetry} logs every request: add `filter: {expression: "response.code >= 400"}`.',
      disabled: '{telemetry} has `disabled: true`, which turns access logging off for these proxies.',
      ignored: 'Namespace intro has several Telemetry objects without selector; istiod reads only the oldest, {winner}, and ignores {ignored} (IST0160). Put accessLogging in {winner}.',
    },
    concept: c.accessLogs,
  },
  'L20.ERROR_LOGGED': {
    severity: 'error',
    title: "the request answered 418 is in httpbin's sidecar log",
    hint: 'No line for the failed request: the Telemetry has not reached the sidecar yet, or its filter does not compile. Check again in a few seconds.',
    concept: c.accessLogs,
  },
  'L20.OK_NOT_LOGGED': {
    severity: 'error',
    title: "the request answered 200 is not in httpbin's sidecar log",
    hint: 'The successful request was logged too: the filter has not reached the sidecar yet, or another Telemetry (or meshConfig) still logs everything for it.',
    concept: c.accessLogs,
  },

  // ── L15 Authorization policies on Bookinfo ──
  'L15.ALLOW_NOTHING': {
    severity: 'error',
    title: 'an allow-nothing policy covers namespace default',
    hint: 'Create an AuthorizationPolicy in default with an empty spec: no selector, no rules, action ALLOW.',
    hints: {
      rootNamespace: '{policy} is in the root namespace, so it applies to every workload of the mesh, the ingress gateway included. Put allow-nothing in namespace default.',
      hasRules: '{policy} has rules, so it allows whatever they match. allow-nothing has none: spec: {}.',
    },
    concept: c.authorization,
  },
  'L15.PAGE_DENIED': {
    severity: 'error',
    title: 'the product page is denied (403 RBAC: access denied)',
    hint: 'The page still answered {status}: is productpage\'s pod injected? Only a sidecar enforces AuthorizationPolicy.',
    concept: c.authorization,
  },
  'L15.ALLOWED': {
    severity: 'error',
    title: '{service} allows GET from {caller}',
    hint: 'Add an ALLOW policy with selector app: {service} whose rule matches GET from {caller}.',
    hints: {
      shortPrincipal: '{policy} lists the principal {principal}; principals are whole identities, cluster.local/ns/<namespace>/sa/<service account>, here {identity}.',
      wrongAccount: '{policy} names {principal}, but the caller runs as {identity} (Bookinfo\'s service accounts are bookinfo-<app>).',
      denied: '{policy} denies this request: a DENY policy wins over every ALLOW.',
    },
    concept: c.authzPrincipals,
  },
  'L15.PAGE_PARTIAL': {
    severity: 'error',
    title: 'the page loads, with details and reviews still denied',
    hint: 'Expected the page (200) with "Error fetching product details" and "Error fetching product reviews": productpage may pass, its backends not yet.',
    concept: c.authorization,
  },
  'L15.PAGE_WHOLE': {
    severity: 'error',
    title: 'the page shows the book details and reviews',
    hint: 'The page still shows an error block; is the principal the productpage identity, and did istiod push the policies (a few seconds)?',
    concept: c.authorization,
  },
  'L15.RATINGS_SHOWN': {
    severity: 'error',
    title: 'reviews v2 and v3 show ratings again',
    hint: 'Some reviews answers still say the ratings service is unavailable: ratings must allow GET from cluster.local/ns/default/sa/bookinfo-reviews.',
    concept: c.authzPrincipals,
  },
  'L15.DENY_POST': {
    severity: 'error',
    title: 'a DENY policy refuses POST to /api/v1/products/0 on productpage',
    hint: 'Create an AuthorizationPolicy with action DENY for productpage, methods [POST], paths ["/api/v1/products*"].',
    hints: { exactPath: '{policy} lists paths {paths}; without a trailing * a path matches only exactly, so /api/v1/products/0 slips through. Use /api/v1/products*.' },
    concept: c.authorization,
  },
  'L15.POST_REFUSED': {
    severity: 'error',
    title: 'POST /api/v1/products/0 through the ingress gateway gets 403',
    hint: 'The POST got {status}. Give istiod a few seconds after applying the policy.',
    concept: c.authorization,
  },
  'L15.GET_STILL_OK': {
    severity: 'error',
    title: 'GET /productpage still answers 200',
    hint: 'The DENY rule also catches GETs: keep methods: [POST] in the same operation as the paths.',
    concept: c.authorization,
  },

  // ── L16 Istio metrics and Prometheus ──
  'L16.PROM_TRAFFIC': {
    severity: 'error',
    title: 'Prometheus counts requests to productpage as its sidecar reports them',
    hint: 'This check\'s page loads added nothing to istio_requests_total{reporter="destination",destination_service_name="productpage"}. Is productpage\'s pod injected (2/2) and Prometheus running in istio-system? It scrapes every 15 s.',
    concept: c.metrics,
  },
  'L16.REVIEWS_SPLIT': {
    severity: 'error',
    title: 'Prometheus shows how reviews requests split over versions',
    hint: 'This check\'s page loads added too few reviews requests to istio_requests_total (reporter destination) to measure a split. Are the reviews pods injected, and did a VirtualService from an earlier lab send reviews elsewhere?',
    concept: c.prometheusQuery,
  },
  'L16.TAG': {
    severity: 'error',
    title: 'the request count of workloads in default carries request_host',
    hint: 'Create the Telemetry namespace-metrics in default: provider prometheus, an override matching REQUEST_COUNT with tagOverrides request_host: {value: request.host}.',
    hints: {
      ignored: 'Namespace default has several Telemetry objects without selector; istiod uses only the oldest, {winner}, and ignores {ignored} (IST0160). Put the override in one.',
      otherMetric: 'The override matches {metric}, not REQUEST_COUNT (istio_requests_total); use metric: REQUEST_COUNT or ALL_METRICS.',
      clientOnly: 'The override matches mode CLIENT only, so the server-side count (reporter destination) gets no tag; use SERVER or CLIENT_AND_SERVER.',
      otherValue: 'request_host takes its value from {value}; use the attribute request.host.',
    },
    concept: c.customizeMetrics,
  },
  'L16.TAG_SERIES': {
    severity: 'error',
    title: 'new productpage series carry a request_host label',
    hint: 'Requests sent after the Telemetry was applied still have no request_host: give istiod a few seconds to push it, and remember only new series get the label.',
    concept: c.customizeMetrics,
  },
} as const satisfies Record<string, CheckCodeEntry>;

export type CheckCode = keyof typeof checkCodes;

export function isCheckCode(code: string): code is CheckCode {
  return Object.hasOwn(checkCodes, code);
}
