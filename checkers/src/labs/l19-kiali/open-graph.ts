import { defineCheck, finding, pollBudgets, type Assertion } from '../../check-api';
import { readGraph, type KialiGraph } from '../../kiali/kiali-api';
import { labId, loadPages, ns } from './kiali-reads';

const windowSeconds = 120;
const window = '2 minutes';
const versions = ['v1', 'v2', 'v3'];

/** What the versioned-app graph says about productpage → reviews and the reviews versions. */
function summarize(g: KialiGraph) {
  const fromProductpage = g.edges.filter((e) => e.source.kind === 'app' && e.source.name === 'productpage' && e.target.name === 'reviews' && e.rps > 0);
  const serving = new Set(g.edges.filter((e) => e.target.kind === 'app' && e.target.name === 'reviews' && e.target.version && e.rps > 0).map((e) => e.target.version ?? ''));
  const idle = new Set(g.nodes.filter((n) => n.kind === 'app' && n.name === 'reviews' && n.idle && n.version).map((n) => n.version ?? ''));
  return { fromProductpage, serving: versions.filter((v) => serving.has(v)), idle, busyEdges: g.edges.filter((e) => e.rps > 0).length };
}

/**
 * Step 1: Kiali's versioned-app graph of default (last 2 minutes) has an edge productpage → reviews with
 * requests and a node for each of reviews v1, v2 and v3 receiving some. The check sends its own page
 * loads first, so a graph left empty by the learner's browser window does not decide it. It reports the
 * reviews versions it saw as the observed answer to the step's prediction.
 */
export const openGraph = defineCheck({
  labId,
  stepId: 'open-graph',
  kind: 'telemetry',
  async run(ctx) {
    const sent = await loadPages(ctx, 30);
    // Kiali reads Prometheus, which scrapes every 15 s: poll like a Prometheus check.
    const res = await ctx.poll(async () => summarize(await readGraph(ctx, ns, windowSeconds)), {
      ...pollBudgets.prometheus,
      until: (s) => s.fromProductpage.length > 0 && s.serving.length === versions.length,
    });
    const s = res.value;
    const params = { namespace: ns, window };
    const next = 'kubectl get virtualservice -n default; kubectl -n default get pods -l app=reviews';
    const out: Assertion[] = [];
    const edge = finding('L19.GRAPH_TRAFFIC', params);
    const expectedEdge = `an edge productpage → reviews with requests in the last ${window}`;
    out.push(
      s.fromProductpage.length > 0
        ? edge.pass({ actual: s.fromProductpage.map((e) => `${e.source.label} → ${e.target.label} ${e.rps.toFixed(2)} req/s`).join(', ') })
        : edge.fail({
            expected: expectedEdge,
            actual: s.busyEdges === 0 ? `no edge with requests (${sent} of 30 page loads answered 200)` : `${s.busyEdges} edges with requests, none from productpage to reviews`,
            next: `kubectl get --raw '/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp&duration=120s'`,
            ...(s.busyEdges > 0 ? { hint: 'noEdge' } : {}),
          }),
    );
    const missing = versions.filter((v) => !s.serving.includes(v));
    const shown = finding('L19.GRAPH_VERSIONS', { versions: versions.join(', '), missing: missing.join(', '), window });
    if (missing.length === 0) out.push(shown.pass({ actual: `reviews ${s.serving.join(', ')} receive requests` }));
    else if (s.busyEdges > 0)
      out.push(
        shown.fail({
          expected: `reviews ${versions.join(', ')} with requests`,
          actual: s.serving.length ? `only reviews ${s.serving.join(', ')}` : 'no reviews version receives requests',
          next,
          ...(missing.every((v) => s.idle.has(v)) ? { hint: 'idle' } : {}),
        }),
      );
    if (s.serving.length > 0) ctx.observe(s.serving.join('-'), `The graph shows reviews ${s.serving.join(', ')} receiving requests from productpage in the last ${window}.`, `Kiali /api/namespaces/graph (versionedApp, ${windowSeconds}s)`);
    return out;
  },
});
