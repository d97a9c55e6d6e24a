// Test double for `kubectl` against a fake kind cluster: answers the reads and writes the pipeline makes,
// keeping what was applied in the cluster's state file so later reads reflect earlier writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterOfKubeconfig, fail, flag, out, readCluster, start, withoutKubeconfig, writeCluster } from './fake-host-state.mjs';

const raw = await start('kubectl');
const args = withoutKubeconfig(raw);

if (args[0] === 'version' && args.includes('--client')) {
  out(JSON.stringify({ clientVersion: { gitVersion: process.env.FAKE_KUBECTL_VERSION ?? 'v1.35.8' } }));
  process.exit(0);
}

const name = clusterOfKubeconfig(flag(raw, '--kubeconfig'));
const cluster = name ? readCluster(name) : null;
if (!cluster) fail('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?');
const save = () => writeCluster(name, cluster);

const ns = flag(args, '-n') ?? 'default';
const rest = (() => {
  const o = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '-n') i += 1;
    else o.push(args[i]);
  }
  return o;
})();
const [verb] = rest;
const istioDeploys = ['istiod', 'istio-ingressgateway', 'istio-egressgateway'];
const addonNames = ['prometheus', 'grafana', 'jaeger', 'kiali'];
cluster.addons ??= {};
cluster.pods ??= [];
cluster.applied ??= [];

function deployExists(namespace, d) {
  if (namespace === 'istio-system' && istioDeploys.includes(d)) return Boolean(cluster.istio);
  if (namespace === 'istio-system' && addonNames.includes(d)) return Boolean(cluster.addons[d]);
  if (namespace === 'kube-system' && d === 'coredns') return true;
  if (namespace === 'toolbox' && d === 'toolbox') return Boolean(cluster.toolbox);
  if (namespace === 'default') return cluster.pods.some((p) => p.deployment === d);
  return false;
}

function deploymentJson(d) {
  const image = istioDeploys.includes(d) ? `docker.io/istio/${d === 'istiod' ? 'pilot' : 'proxyv2'}:${cluster.istio.tag}` : `example/${d}`;
  const containers =
    d === 'prometheus'
      ? [{ name: 'prometheus-server-configmap-reload', image: 'reloader' }, { name: 'prometheus-server', image: 'prom/prometheus', args: cluster.prometheusArgs ?? ['--storage.tsdb.retention.time=6h'] }]
      : [{ name: d, image }];
  return { metadata: { name: d }, spec: { template: { spec: { containers } } }, status: { conditions: [{ type: 'Available', status: 'True' }] } };
}

async function applyDocs(text, defaultNs) {
  // Loaded lazily: most invocations never parse YAML, and every millisecond of startup counts in tests.
  const { parseAllDocuments } = await import('yaml');
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS();
    if (!o) continue;
    const objNs = o.metadata?.namespace ?? defaultNs;
    cluster.applied = [...new Set([...cluster.applied, `${o.kind}/${objNs}/${o.metadata?.name}`])];
    if (o.kind === 'Namespace') cluster.namespaces[o.metadata.name] = { ...(cluster.namespaces[o.metadata.name] ?? {}), ...(o.metadata.labels ?? {}) };
    // Like a real API server: re-applying an unchanged Deployment leaves its pods alone; only a new one
    // creates a pod, injected if the namespace was labelled (and istiod serving) at that moment.
    if (o.kind === 'Deployment' && objNs === 'default' && !cluster.pods.some((p) => p.deployment === o.metadata.name)) {
      const injected = cluster.namespaces.default?.['istio-injection'] === 'enabled' && Boolean(cluster.istio);
      cluster.pods.push({ name: `${o.metadata.name}-5d8f7c-abcde`, deployment: o.metadata.name, injected });
    }
    if (o.kind === 'Deployment' && o.metadata?.name === 'toolbox') cluster.toolbox = { image: o.spec.template.spec.containers[0].image };
    if (o.kind === 'Telemetry' && o.metadata?.name === 'platform-smoke-tracing') cluster.smokeTelemetry = true;
  }
}

const productpage =
  '<html><head><title>Simple Bookstore App</title></head><body><h3>Book Details</h3><dl><dt>Type:</dt>paperback</dl>' +
  '<h3>Book Reviews</h3><p>An extremely entertaining play by Shakespeare.</p><dl><dt>Reviews served by:</dt><dd><u>reviews-v2-5d8f7c-abcde</u></dd></dl></body></html>';

function bookinfoServing() {
  return Boolean(cluster.istio) && cluster.pods.length >= 6 && cluster.pods.every((p) => p.injected) && cluster.applied.includes('Gateway/default/bookinfo-gateway');
}

if (verb === 'wait' && rest[1] === 'node') {
  out(`node/${name}-control-plane condition met`);
} else if (verb === 'rollout' && rest[1] === 'status') {
  const d = rest[2].replace('deploy/', '');
  if (!deployExists(ns, d)) fail(`Error from server (NotFound): deployments.apps "${d}" not found`);
  out(`deployment "${d}" successfully rolled out`);
} else if (verb === 'rollout' && rest[1] === 'restart') {
  const injected = cluster.namespaces.default?.['istio-injection'] === 'enabled' && Boolean(cluster.istio);
  cluster.pods = cluster.pods.map((p) => ({ ...p, injected }));
  save();
  out(cluster.pods.map((p) => `deployment.apps/${p.deployment} restarted`).join('\n'));
} else if (verb === 'wait') {
  const targets = rest.filter((a) => a.startsWith('deploy/')).map((a) => a.slice('deploy/'.length));
  if (rest.includes('--all')) {
    if (cluster.pods.length === 0) fail('error: no matching resources found');
  } else {
    const missing = targets.filter((d) => !deployExists(ns, d));
    if (missing.length > 0) fail(`Error from server (NotFound): deployments.apps "${missing[0]}" not found`);
  }
  out('condition met');
} else if (verb === 'get' && rest[1] === '--raw') {
  const p = rest[2];
  if (p === '/readyz') out('ok');
  else if (p.includes('/services/prometheus:9090/proxy/api/v1/query')) {
    const has = cluster.addons.prometheus && bookinfoServing();
    out(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: has ? [{ metric: { __name__: 'istio_requests_total' }, value: [0, '7'] }] : [] } }));
  } else if (p.includes('/services/tracing:80/proxy/jaeger/api/traces')) {
    const has = cluster.addons.jaeger && cluster.smokeTelemetry && bookinfoServing();
    out(JSON.stringify({ data: has ? [{ traceID: '4bf92f3577b34da6a3ce929d0e0e4736', spans: [{}] }] : [] }));
  } else if (p.includes('/services/istio-ingressgateway:80/proxy/productpage')) {
    if (!bookinfoServing()) fail('Error from server (ServiceUnavailable): the server is currently unable to handle the request');
    out(productpage);
  } else fail(`Error from server (NotFound): the server could not find the requested resource (${p})`);
} else if (verb === 'get' && rest[1] === 'deploy') {
  const which = rest[2] && !rest[2].startsWith('-') ? rest[2] : null;
  const names = ns === 'istio-system' ? [...istioDeploys, ...addonNames] : cluster.pods.map((p) => p.deployment);
  const existing = names.filter((d) => deployExists(ns, d));
  if (which) {
    if (!existing.includes(which)) fail(`Error from server (NotFound): deployments.apps "${which}" not found`);
    out(JSON.stringify(deploymentJson(which)));
  } else out(JSON.stringify({ items: existing.map(deploymentJson) }));
} else if (verb === 'get' && rest[1] === 'mutatingwebhookconfiguration') {
  if (!cluster.istio) fail('Error from server (NotFound): mutatingwebhookconfigurations.admissionregistration.k8s.io "istio-sidecar-injector" not found');
  const caBundle = 'LS0tLS1CRUdJTi...';
  out(JSON.stringify({ webhooks: ['rev.namespace', 'rev.object', 'namespace', 'object'].map((n) => ({ name: `${n}.sidecar-injector.istio.io`, clientConfig: { caBundle } })) }));
} else if (verb === 'get' && rest[1] === 'namespace') {
  const names = rest.slice(2).filter((a) => !a.startsWith('-') && a !== 'json');
  out(JSON.stringify({ items: names.filter((n) => cluster.namespaces[n]).map((n) => ({ metadata: { name: n, labels: cluster.namespaces[n] } })) }));
} else if (verb === 'get' && rest[1] === 'pods') {
  const items = cluster.pods.map((p) => ({
    metadata: { name: p.name, annotations: p.injected ? { 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}' } : {} },
  }));
  out(JSON.stringify({ items }));
} else if (verb === 'label' && rest[1] === 'namespace') {
  const [k, v] = rest[3].split('=');
  cluster.namespaces[rest[2]] = { ...(cluster.namespaces[rest[2]] ?? {}), [k]: v };
  save();
  out(`namespace/${rest[2]} labeled`);
} else if (verb === 'apply') {
  const source = flag(rest, '-f');
  if (source === '-') {
    await applyDocs(readFileSync(0, 'utf8'), ns);
  } else {
    // Addon manifests by URL or local copy: only their names matter here.
    const addon = path.basename(source, '.yaml');
    if (!addonNames.includes(addon)) fail(`error: the path "${source}" does not exist`);
    cluster.addons[addon] = true;
  }
  save();
  out('applied');
} else if (verb === 'set' && rest[1] === 'env') {
  cluster.grafanaEnv = rest.slice(3);
  save();
  out(`deployment.apps/${rest[2].replace('deploy/', '')} env updated`);
} else if (verb === 'patch') {
  const ops = JSON.parse(flag(rest, '-p'));
  cluster.prometheusArgs = [...(cluster.prometheusArgs ?? ['--storage.tsdb.retention.time=6h']), ...ops.map((o) => o.value)];
  save();
  out('deployment.apps/prometheus patched');
} else if (verb === 'exec') {
  if (!cluster.toolbox) fail('Error from server (NotFound): deployments.apps "toolbox" not found');
  out(process.env.FAKE_ISTIOCTL_VERSION ?? '1.30.3');
} else if (verb === 'delete' && rest[1] === 'telemetry') {
  cluster.smokeTelemetry = false;
  save();
  out(`telemetry.telemetry.istio.io "${rest[2]}" deleted`);
} else if (verb === 'delete') {
  cluster.scrubs = (cluster.scrubs ?? 0) + 1;
  cluster.applied = cluster.applied.filter((a) => !/^(VirtualService|DestinationRule|Gateway|ServiceEntry|Sidecar|PeerAuthentication|RequestAuthentication|AuthorizationPolicy|Telemetry)\//.test(a));
  save();
  out('deleted');
} else {
  fail(`fake kubectl: unsupported command: ${raw.join(' ')}`, 64);
}
