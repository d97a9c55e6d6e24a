// L19's checks against states built from the lab's own scripts (SolutionRunner), with the graph and the
// validations answered by the fake Kiali from the mesh model (traffic samples, the subset rule): every
// check passes on its solution and other valid forms, fails on the start and on each common mistake
// with its hint.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, destinationRule, startCheckHarness, virtualService } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, passed, warnCodes } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l19-kiali/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after: Record<string, KubeObject[]> = {};
for (const step of ['open-graph', 'break-subset', 'fix-subset', 'traffic-shifting']) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}

const isReviews = (o: KubeObject, kind: string) => o.kind === kind && o.metadata?.name === 'reviews' && o.metadata.namespace === 'default';
/** `state` with the reviews VirtualService (and DestinationRule, when given) replaced. */
const withReviews = (state: KubeObject[], vs: KubeObject | undefined, dr?: KubeObject) =>
  [...state.filter((o) => !isReviews(o, 'VirtualService') && !(dr && isReviews(o, 'DestinationRule'))), ...(vs ? [vs] : []), ...(dr ? [dr] : [])];
const reviewsTo = (route: Array<{ subset: string; weight?: number }>) =>
  virtualService('default', 'reviews', { hosts: ['reviews'], http: [{ route: route.map((d) => ({ destination: { host: 'reviews', subset: d.subset }, ...(d.weight === undefined ? {} : { weight: d.weight }) })) }] });
const labelled = (o: KubeObject, value: string) => ({ ...o, metadata: { ...o.metadata, labels: { kiali_wizard: value } } }) as KubeObject;
const reviewsDr = (subsets: string[]) => destinationRule('default', 'reviews', { host: 'reviews', subsets: subsets.map((name) => ({ name, labels: { version: name } })) });

describe('l19-kiali', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l19-kiali', start);
  });
  afterAll(() => m.close());

  describe('open-graph', () => {
    it('passes after its own page loads and observes the three reviews versions for the prediction', async () => {
      const r = await m.run('open-graph', after['open-graph']!);
      expectPassed(r);
      expectOnlyReads(m.h);
      expect(r.observed?.value).toBe('v1-v2-v3');
      expect(m.h.kiali.requests.some((q) => q.startsWith('/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp&duration=120s'))).toBe(true);
    });
    it('mistake: an empty graph (nothing counted in the window) gets the time-window hint', async () => {
      const r = await m.run('open-graph', start, false, { scrapeLag: true });
      expect(failure(r, 'L19.GRAPH_TRAFFIC').hint).toMatch(/graph of the last 2 minutes is empty.*time window/);
      expect(r.observed).toBeUndefined();
    });
    it('mistake: versions without requests are idle nodes that Kiali hides by default', async () => {
      const r = await m.run('open-graph', withReviews(start, reviewsTo([{ subset: 'v1' }])));
      const f = failure(r, 'L19.GRAPH_VERSIONS');
      expect(f.hint).toMatch(/reviews v2, v3 is in the graph only as an idle node.*Idle Nodes/);
      expect(f.actual).toBe('only reviews v1');
      expect(r.observed?.value).toBe('v1');
    });
  });

  describe('open-graph, with a graph set by hand', () => {
    it('names the missing productpage → reviews edge when other traffic is in the graph', async () => {
      const h = await startCheckHarness({ objects: start, requireHints: true });
      try {
        const call = (service: string) => ({
          at: Date.now(),
          labels: { reporter: 'destination', source_workload: 'productpage-v1', source_workload_namespace: 'default', destination_workload: `${service}-v1`, destination_workload_namespace: 'default', destination_service_name: service, destination_service_namespace: 'default', response_code: '200' },
        });
        const workloads = ['productpage', 'details'].map((app) => ({ namespace: 'default', name: `${app}-v1`, app, version: 'v1' }));
        h.kiali.setState({ requests: [call('details')], workloads, services: [], objects: [] });
        const f = failure(await h.run('l19-kiali', 'open-graph'), 'L19.GRAPH_TRAFFIC');
        expect(f.hint).toMatch(/none from productpage to reviews/);
        expect(f.actual).toMatch(/edges with requests, none from productpage to reviews/);
      } finally {
        await h.close();
      }
    });
  });

  describe('Kiali behind the API server (its cache has not caught up)', () => {
    it('break-subset fails with the cache hint while Kiali still validates the old objects', async () => {
      const h = await startCheckHarness({ objects: after['break-subset'], requireHints: true });
      try {
        h.kiali.setState({ requests: [], workloads: [], services: [], objects: start });
        const f = failure(await h.run('l19-kiali', 'break-subset'), 'L19.KIALI_KIA1107');
        expect(f.hint).toMatch(/own cache/);
        expect(f.actual).toBe('no validation message');
      } finally {
        await h.close();
      }
    });
    it('fix-subset fails naming the KIA1107 Kiali still reports', async () => {
      const h = await startCheckHarness({ objects: after['fix-subset'], requireHints: true });
      try {
        h.kiali.setState({ requests: [], workloads: [], services: [], objects: after['break-subset']! });
        expect(failure(await h.run('l19-kiali', 'fix-subset'), 'L19.KIALI_CLEAN').hint).toMatch(/still reports KIA1107 Subset not found \(warning\) on VirtualService default\/reviews/);
      } finally {
        await h.close();
      }
    });
  });

  describe('break-subset', () => {
    it('passes on the solution: Kiali reports KIA1107 on the VirtualService; analyze skipped without istioctl', async () => {
      const r = await m.run('break-subset', after['break-subset']!);
      expectPassed(r);
      expect(passed(r, 'L19.KIALI_KIA1107')?.actual).toMatch(/KIA1107 Subset not found \(warning\) on VirtualService default\/reviews/);
      expect(passed(r, 'L19.ANALYZE')?.hint).toMatch(/skipped/);
    });
    it('fails on the start (no VirtualService for reviews)', async () => {
      expectFailed(await m.run('break-subset', start));
      expectFailed(await m.run('break-subset', after['open-graph']!));
    });
    it('mistake: the route names an existing subset, or v4 is added to the DestinationRule too', async () => {
      expect(failure(await m.run('break-subset', withReviews(start, reviewsTo([{ subset: 'v3' }]))), 'L19.ROUTES_TO_V4').actual).toBe('routes to subset v3');
      const fixed = withReviews(after['break-subset']!, undefined, reviewsDr(['v1', 'v2', 'v3', 'v4']));
      expect(failure(await m.run('break-subset', [...fixed, reviewsTo([{ subset: 'v4' }])]), 'L19.V4_UNDEFINED').hint).toMatch(/DestinationRule default\/reviews defines subset v4, so nothing is broken/);
    });
    it('reads IST0101 from istioctl analyze when istioctl is on PATH', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'istioctl-'));
      const messages = [{ code: 'IST0101', level: 'Error', message: 'Referenced host+subset in destinationrule not found: "reviews+v4"', origin: 'VirtualService default/reviews' }];
      writeFileSync(path.join(dir, 'istioctl'), `#!/bin/sh\necho '${JSON.stringify(messages)}'\nexit 79\n`);
      chmodSync(path.join(dir, 'istioctl'), 0o755);
      const oldPath = process.env['PATH'];
      process.env['PATH'] = `${dir}${path.delimiter}${oldPath ?? ''}`;
      try {
        const r = await m.run('break-subset', after['break-subset']!);
        expectPassed(r);
        expect(passed(r, 'L19.ANALYZE')?.actual).toMatch(/reviews\+v4/);
        writeFileSync(path.join(dir, 'istioctl'), `#!/bin/sh\necho '[]'\n`);
        expect(failure(await m.run('break-subset', after['break-subset']!), 'L19.ANALYZE').actual).toBe('no findings');
      } finally {
        process.env['PATH'] = oldPath;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('fix-subset', () => {
    it('passes on the solution and on a route to another existing subset', async () => {
      expectPassed(await m.run('fix-subset', after['fix-subset']!));
      expectPassed(await m.run('fix-subset', withReviews(after['fix-subset']!, reviewsTo([{ subset: 'v3' }]))));
    });
    it('passes with a note when the VirtualService was deleted instead', async () => {
      const r = await m.run('fix-subset', withReviews(after['fix-subset']!, undefined));
      expectPassed(r);
      expect(passed(r, 'L19.SUBSETS_EXIST')?.hint).toMatch(/next step/);
    });
    it('fails on the start of the step: IST0101 for subset v4', async () => {
      const f = failure(await m.run('fix-subset', after['break-subset']!), 'IST0101');
      expect(f.hint).toMatch(/subset v4/);
    });
    it('mistake: one rule fixed, another still routing part of the traffic to v4', async () => {
      const half = reviewsTo([{ subset: 'v1', weight: 90 }, { subset: 'v4', weight: 10 }]);
      expect(failure(await m.run('fix-subset', withReviews(after['break-subset']!, half)), 'IST0101').expected).toMatch(/subset v4/);
    });
  });

  describe('traffic-shifting', () => {
    it("passes on the wizard's objects (FQDN hosts, v2 at weight 0, both labelled)", async () => {
      const r = await m.run('traffic-shifting', after['traffic-shifting']!);
      expectPassed(r);
      expect(warnCodes(r)).toEqual([]);
    });
    it('fails on the start of the step (everything to v1)', async () => {
      expectFailed(await m.run('traffic-shifting', after['fix-subset']!));
    });
    it('hand-written 80/20 without the label: passes, with a warning that names the label', async () => {
      const r = await m.run('traffic-shifting', withReviews(after['fix-subset']!, reviewsTo([{ subset: 'v1', weight: 80 }, { subset: 'v3', weight: 20 }])));
      expectPassed(r);
      const w = r.assertions.find((a) => a.code === 'L19.WIZARD_LABEL');
      expect(w?.status).toBe('warn');
      expect(w?.hint).toMatch(/VirtualService default\/reviews and DestinationRule default\/reviews lack the label kiali_wizard: traffic_shifting/);
    });
    it('another wizard (Request Routing) made them: passes with a warning naming that wizard', async () => {
      const vs = labelled(reviewsTo([{ subset: 'v1', weight: 80 }, { subset: 'v3', weight: 20 }]), 'request_routing');
      const r = await m.run('traffic-shifting', withReviews(after['fix-subset']!, vs, labelled(reviewsDr(['v1', 'v2', 'v3']), 'request_routing')));
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L19.WIZARD_LABEL')?.hint).toMatch(/kiali_wizard=request_routing: another wizard/);
    });
    it('mistake: the weights the other way round, and a split to a version without subset', async () => {
      const swapped = labelled(reviewsTo([{ subset: 'v1', weight: 20 }, { subset: 'v3', weight: 80 }]), 'traffic_shifting');
      expect(failure(await m.run('traffic-shifting', withReviews(after['traffic-shifting']!, swapped)), 'MESH.ROUTE_SHARES').actual).toMatch(/v1 20%.*v3 80%/);
      const noV3 = withReviews(after['traffic-shifting']!, undefined, labelled(reviewsDr(['v1', 'v2']), 'traffic_shifting'));
      expect(failure(await m.run('traffic-shifting', [...noV3, labelled(reviewsTo([{ subset: 'v1', weight: 80 }, { subset: 'v3', weight: 20 }]), 'traffic_shifting')]), 'IST0101').expected).toMatch(/subset v3/);
    });
  });
});
